//! The fetch transport: gloo-net over the global `fetch`, or over a caller's own fetch
//! function (a Worker service binding, an instrumented fetch).

use super::js_runtime::JsRuntime;
use crate::cancel::{race, Either};
use crate::runtime::Runtime;
use crate::transport::{BoxFuture, HttpRequest, HttpResponse, SentState, Transport, TransportError};
use gloo_net::http::{Method as GlooMethod, RequestBuilder, Response};
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

/// Sends requests with `fetch`, aborting them through an `AbortSignal` on timeout or
/// cancellation.
pub struct FetchTransport {
    custom_fetch: Option<Function>,
}

impl FetchTransport {
    /// Uses the global `fetch`.
    pub fn global() -> Self {
        FetchTransport { custom_fetch: None }
    }

    /// Uses the given fetch-compatible function.
    pub fn with_fetch(fetch: Function) -> Self {
        FetchTransport { custom_fetch: Some(fetch) }
    }

    async fn fetch(&self, request: gloo_net::http::Request) -> Result<HttpResponse, TransportError> {
        let response = match &self.custom_fetch {
            None => request.send().await.map_err(|e| network(e.to_string(), None))?,
            Some(fetch) => {
                let raw: web_sys::Request = request.into();
                let promise = fetch
                    .call1(&JsValue::UNDEFINED, &raw)
                    .map_err(|e| network("the fetch option threw".into(), Some(&e)))?;
                let value = JsFuture::from(js_sys::Promise::resolve(&promise))
                    .await
                    .map_err(|e| network("the fetch option rejected".into(), Some(&e)))?;
                let raw: web_sys::Response = value.dyn_into().map_err(|_| TransportError::Network {
                    message: "the fetch option did not resolve to a Response".into(),
                    sent: SentState::MaybeSent,
                })?;
                Response::from(raw)
            }
        };
        let status = response.status();
        let headers = response.headers().entries().collect();
        let body = response
            .binary()
            .await
            .map_err(|e| network(format!("the response body was cut short: {e}"), None))?;
        Ok(HttpResponse { status, headers, body })
    }
}

fn network(message: String, error: Option<&JsValue>) -> TransportError {
    // Node reports a refused connection as `TypeError: fetch failed` with `cause.code`.
    let cause_code = error
        .and_then(|e| Reflect::get(e, &"cause".into()).ok())
        .and_then(|c| Reflect::get(&c, &"code".into()).ok())
        .and_then(|c| c.as_string());
    let detail = error.and_then(|e| Reflect::get(e, &"message".into()).ok()).and_then(|m| m.as_string());
    let sent = match cause_code.as_deref() {
        Some("ECONNREFUSED") | Some("ENOTFOUND") | Some("EAI_AGAIN") => SentState::NotSent,
        _ => SentState::MaybeSent,
    };
    let message = match (detail, cause_code) {
        (Some(d), Some(c)) => format!("{message}: {d} ({c})"),
        (Some(d), None) => format!("{message}: {d}"),
        _ => message,
    };
    TransportError::Network { message, sent }
}

fn gloo_method(method: crate::transport::Method) -> GlooMethod {
    use crate::transport::Method::*;
    match method {
        Get => GlooMethod::GET,
        Post => GlooMethod::POST,
        Put => GlooMethod::PUT,
        Patch => GlooMethod::PATCH,
        Delete => GlooMethod::DELETE,
        Head => GlooMethod::HEAD,
    }
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let controller = AbortController::new().map_err(|e| network("AbortController is unavailable".into(), Some(&e)))?;
            let mut builder = RequestBuilder::new(&request.url)
                .method(gloo_method(request.method))
                .abort_signal(Some(&controller.signal()));
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            let built = match &request.body {
                Some(body) => builder.body(Uint8Array::from(body.as_slice())),
                None => builder.build(),
            }
            .map_err(|e| TransportError::Network {
                message: format!("the request could not be built: {e}"),
                sent: SentState::NotSent,
            })?;
            let timeout = async {
                match request.timeout {
                    Some(t) => JsRuntime.sleep(t).await,
                    None => std::future::pending().await,
                }
            };
            let cancelled = async {
                match &request.cancel {
                    Some(token) => token.cancelled().await,
                    None => std::future::pending().await,
                }
            };
            match race(self.fetch(built), race(timeout, cancelled)).await {
                Either::Left(result) => result,
                Either::Right(why) => {
                    controller.abort();
                    Err(match why {
                        Either::Left(()) => TransportError::Timeout,
                        Either::Right(()) => TransportError::Aborted,
                    })
                }
            }
        })
    }
}
