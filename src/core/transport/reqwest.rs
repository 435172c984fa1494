//! The native transport (cargo feature `native`): reqwest over rustls, driven by tokio.
//!
//! The request's timeout and cancel token race the whole exchange — connecting, sending and
//! reading the body — as the fetch transport's `AbortSignal` does on wasm32; losing the race
//! drops reqwest's future, which closes the connection.

use super::{within_limits, BoxFuture, HttpRequest, HttpResponse, Method, SentState, Transport, TransportError};
use std::error::Error as _;

/// Sends requests with a [`reqwest::Client`] (rustls, the webpki roots). Needs a tokio
/// runtime with its IO and time drivers (`#[tokio::main]` has both); outside one, every
/// request fails with a network error that says so. Cheap to clone: clones share the
/// connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool. Redirects are followed (up to 10), as
    /// `fetch` does; timeouts come from each request, not from the client. Fails when the
    /// TLS stack cannot start.
    pub fn new() -> Result<ReqwestTransport, TransportError> {
        let client = reqwest::Client::builder().build().map_err(|e| TransportError::Network {
            message: format!("the native HTTP client could not start: {}", chain(&e)),
            sent: SentState::NotSent,
        })?;
        Ok(ReqwestTransport { client })
    }

    /// Sends through a client of your own (proxies, custom roots, HTTP/2 settings...). Its
    /// own timeouts, if any, apply besides each request's.
    pub fn with_client(client: reqwest::Client) -> ReqwestTransport {
        ReqwestTransport { client }
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        };
        let mut builder = self.client.request(method, request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        // Building fails on a bad URL or header: nothing left the process.
        let built = builder.build().map_err(|e| TransportError::Network {
            message: format!("the request could not be built: {}", chain(&e)),
            sent: SentState::NotSent,
        })?;
        let response = self.client.execute(built).await.map_err(|e| TransportError::Network {
            message: chain(&e),
            // A connect error (refused, DNS, TLS handshake) comes before the request is written.
            sent: if e.is_connect() { SentState::NotSent } else { SentState::MaybeSent },
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let body = response.bytes().await.map_err(|e| TransportError::Network {
            message: format!("the response body was cut short: {}", chain(&e)),
            sent: SentState::MaybeSent,
        })?;
        Ok(HttpResponse { status, headers, body: body.to_vec() })
    }
}

/// An error and its causes, `: `-joined (`error sending request: client error (Connect):
/// tcp connect error: Connection refused (os error 111)`), without the URL reqwest adds.
fn chain(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(&format!(" for url ({url})"), "");
    }
    let mut cause = error.source();
    while let Some(e) = cause {
        message.push_str(": ");
        message.push_str(&e.to_string());
        cause = e.source();
    }
    message
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            // reqwest panics when polled outside a tokio runtime: refuse instead.
            if tokio::runtime::Handle::try_current().is_err() {
                return Err(TransportError::Network {
                    message: "the native transport needs a tokio runtime (call from inside one, e.g. #[tokio::main])".into(),
                    sent: SentState::NotSent,
                });
            }
            let (timeout, cancel) = (request.timeout, request.cancel.clone());
            // Checked above: there is a tokio runtime to time it. Losing the race drops the
            // exchange, which closes its connection.
            within_limits(timeout, cancel.as_ref(), tokio::time::sleep, self.exchange(request)).await?
        })
    }
}
