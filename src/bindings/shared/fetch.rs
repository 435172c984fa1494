//! The fetch transport: gloo-net builds the `Request` and reads the `Response`; the global
//! `fetch` (or a caller's own fetch function: a Worker service binding, an instrumented fetch)
//! is called here, and the body read here, so that every rejection becomes a typed network
//! error (gloo-net's `send` and `binary` trap on a rejection that is not an `Error`, and their
//! error formatting pulls JsValue Debug into the module).

use super::js_runtime::JsRuntime;
use super::values::{message_of, prop, settled, text};
use crate::core::cancel::{race, Either};
use crate::core::runtime::Runtime;
use crate::core::transport::{BoxFuture, HttpRequest, HttpResponse, SentState, Transport, TransportError};
use gloo_net::http::{Method as GlooMethod, RequestBuilder, Response};
use js_sys::{Function, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Request};

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

    async fn fetch(&self, request: Request) -> Result<HttpResponse, TransportError> {
        let global = js_sys::global();
        // The global `fetch` is looked up per request (so a replaced `globalThis.fetch` is used)
        // and called on the global object; a custom one is called as a plain function.
        let (fetch, this) = match &self.custom_fetch {
            Some(f) => (f.clone(), JsValue::UNDEFINED),
            None => match prop(&global, "fetch").filter(JsValue::is_function) {
                Some(f) => (f.unchecked_into::<Function>(), global.into()),
                None => return Err(TransportError::Network { message: "fetch is unavailable".into(), sent: SentState::NotSent }),
            },
        };
        let settled = match fetch.call1(&this, &request) {
            Ok(promise) => settled(&promise).await.map_err(|e| (e, "the fetch option rejected")),
            Err(e) => Err((e, "the fetch option threw")),
        };
        let value = settled.map_err(|(e, what)| match self.custom_fetch {
            Some(_) => network(what, &e),
            None => TransportError::Network { message: error_text(&e), sent: sent_state(&e) },
        })?;
        let raw: web_sys::Response = value.dyn_into().map_err(|_| {
            let which = if self.custom_fetch.is_some() { "the fetch option" } else { "fetch" };
            network_text(text(&[which, " did not resolve to a Response"]))
        })?;
        let response = Response::from(Clone::clone(&raw));
        let status = response.status();
        let headers = response.headers().entries().collect();
        let cut = |e: JsValue| network_text(text(&["the response body was cut short: ", &error_text(&e)]));
        let buffer = JsFuture::from(raw.array_buffer().map_err(cut)?).await.map_err(cut)?;
        let body = Uint8Array::new(&buffer).to_vec();
        Ok(HttpResponse { status, headers, body })
    }
}

/// A network error that may have reached the server.
fn network_text(message: String) -> TransportError {
    TransportError::Network { message, sent: SentState::MaybeSent }
}

/// What `String(error)` gives for an `Error` (`TypeError: fetch failed`), read through its
/// `name` and `message` properties.
fn error_text(error: &JsValue) -> String {
    if let Some(thrown) = error.as_string() {
        return thrown;
    }
    let name = prop(error, "name").and_then(|n| n.as_string()).unwrap_or_else(|| "Error".into());
    name_message(name, message_of(error).unwrap_or_default())
}

/// `name: message`, or whichever of them is not empty (as `Error.prototype.toString` does).
fn name_message(name: String, message: String) -> String {
    match (name.is_empty(), message.is_empty()) {
        (_, true) => name,
        (true, false) => message,
        (false, false) => text(&[&name, ": ", &message]),
    }
}

/// A network error from what a custom fetch threw or rejected with.
fn network(what: &str, error: &JsValue) -> TransportError {
    let cause_code = cause_code(error);
    let sent = sent_state(error);
    let message = match (message_of(error), cause_code) {
        (Some(d), Some(c)) => text(&[what, ": ", &d, " (", &c, ")"]),
        (Some(d), None) => text(&[what, ": ", &d]),
        _ => what.to_owned(),
    };
    TransportError::Network { message, sent }
}

/// The `cause.code` of a fetch failure: Node reports a refused connection as
/// `TypeError: fetch failed` with `cause.code` `ECONNREFUSED`.
fn cause_code(error: &JsValue) -> Option<String> {
    prop(error, "cause").and_then(|c| prop(&c, "code")).and_then(|c| c.as_string())
}

/// Whether a failed fetch can have reached the server: not when the connection was refused
/// or the name did not resolve (browsers do not say, so it stays "maybe").
fn sent_state(error: &JsValue) -> SentState {
    match cause_code(error).as_deref() {
        Some("ECONNREFUSED") | Some("ENOTFOUND") | Some("EAI_AGAIN") => SentState::NotSent,
        _ => SentState::MaybeSent,
    }
}

/// The `Request` for `request`, aborted through `signal`.
fn build(request: &HttpRequest, signal: &AbortSignal) -> Result<Request, TransportError> {
    use crate::core::transport::Method::*;
    let method = match request.method {
        Get => GlooMethod::GET,
        Post => GlooMethod::POST,
        Put => GlooMethod::PUT,
        Patch => GlooMethod::PATCH,
        Delete => GlooMethod::DELETE,
        Head => GlooMethod::HEAD,
    };
    let mut builder = RequestBuilder::new(&request.url).method(method).abort_signal(Some(signal));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(Uint8Array::from(body.as_slice())),
        None => builder.build(),
    };
    built.map(Request::from).map_err(|e| TransportError::Network {
        message: text(&["the request could not be built: ", &gloo_error_text(e)]),
        sent: SentState::NotSent,
    })
}

/// A gloo-net error's text without its `Display` (which formats through core::fmt).
fn gloo_error_text(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(e) => name_message(e.name, e.message),
        gloo_net::Error::GlooError(message) => message,
    }
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let controller = AbortController::new().map_err(|e| TransportError::Network {
                message: text(&["AbortController is unavailable: ", &error_text(&e)]),
                sent: SentState::NotSent,
            })?;
            let built = build(&request, &controller.signal())?;
            // The race of `transport::within_limits`, written out: through that generic helper
            // this module measured 0.2 KB gzip larger, over its size budget.
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
