//! The fetch transport: the `Request` is built and the global `fetch` (or a caller's own fetch
//! function: a Worker service binding, an instrumented fetch) called here, and the body read
//! here, so that every rejection becomes a typed network error.
//!
//! The response is read through gloo-net's `Response` and `Headers` (the same `web_sys` calls,
//! measured no cost per call). The request is not built with gloo-net's `RequestBuilder`:
//! measured per call (bench/RESULTS.md), it constructed three `Request`s (one to resolve the
//! URL, one with the init, and the copy `fetch` makes of a `Request` argument) plus a `URL`,
//! 7.6% of a `getProject` call; the global `fetch` is called with the URL and a `RequestInit`,
//! so the runtime builds one. A custom fetch still receives a `Request`, as it always did.
//!
//! A request races an `AbortController` against the runtime's sleep (its timeout; every client
//! gives one) and its cancel token. `AbortSignal.timeout` in place of the controller and sleep
//! measured 6% slower per `getProject` call in Node 20 (bench/RESULTS.md).

use super::js_runtime::JsRuntime;
use super::values::{message_of, prop, settled, text};
use crate::core::cancel::{race, Either};
use crate::core::runtime::Runtime;
use crate::core::transport::{BoxFuture, HttpRequest, HttpResponse, SentState, Transport, TransportError};
use js_sys::{Function, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, Request, RequestInit};

/// The response headers the library reads (content type, `Retry-After`, request ids): read
/// by name instead of iterating every header of every response.
const READ_HEADERS: [&str; 4] = ["content-type", "retry-after", "x-request-id", "x-neon-ret-request-id"];

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

    async fn fetch(&self, url: &str, init: RequestInit) -> Result<HttpResponse, TransportError> {
        // The global `fetch` is looked up per request (so a replaced `globalThis.fetch` is used)
        // and called on the global object with the URL and init; a custom one is called as a
        // plain function with a `Request`.
        let called = match &self.custom_fetch {
            Some(f) => {
                let request = Request::new_with_str_and_init(url, &init).map_err(|e| TransportError::Network {
                    message: text(&["the request could not be built: ", &error_text(&e)]),
                    sent: SentState::NotSent,
                })?;
                f.call1(&JsValue::UNDEFINED, &request)
            }
            None => {
                let global = js_sys::global();
                match prop(&global, "fetch").filter(JsValue::is_function) {
                    Some(f) => f.unchecked_into::<Function>().call2(&global, &JsValue::from_str(url), &init),
                    None => return Err(TransportError::Network { message: "fetch is unavailable".into(), sent: SentState::NotSent }),
                }
            }
        };
        let settled = match called {
            Ok(promise) => settled(&promise).await.map_err(|e| (e, "the fetch option rejected")),
            Err(e) => Err((e, "the fetch option threw")),
        };
        let value = settled.map_err(|(e, what)| match self.custom_fetch {
            Some(_) => network(what, &e),
            None => fetch_rejected(&e),
        })?;
        let raw: web_sys::Response = value.dyn_into().map_err(|_| not_a_response(self.custom_fetch.is_some()))?;
        // The body is read here rather than by gloo-net's `binary()`, which panics when the
        // body's stream fails with something that is not an `Error` (a custom fetch's stream can).
        let buffer = JsFuture::from(raw.array_buffer().map_err(|e| body_cut(&e))?).await.map_err(|e| body_cut(&e))?;
        Ok(response(raw, Uint8Array::new(&buffer).to_vec()))
    }
}

/// The response `raw` with its body read as `body`: its status and the headers the library reads.
pub(crate) fn response(raw: web_sys::Response, body: Vec<u8>) -> HttpResponse {
    let response = gloo_net::http::Response::from(raw);
    let all = response.headers();
    let headers = READ_HEADERS.iter().filter_map(|name| all.get(name).map(|value| ((*name).to_owned(), value))).collect();
    HttpResponse { status: response.status(), headers, body }
}

/// The network error of a fetch (the `fetch` option when `custom`) resolving to something else
/// than a `Response`.
pub(crate) fn not_a_response(custom: bool) -> TransportError {
    network_text(text(&[if custom { "the fetch option" } else { "fetch" }, " did not resolve to a Response"]))
}

/// The network error of the global `fetch` rejecting with `error`.
pub(crate) fn fetch_rejected(error: &JsValue) -> TransportError {
    TransportError::Network { message: error_text(error), sent: sent_state(error) }
}

/// The network error of a response body that failed to read with `error`.
pub(crate) fn body_cut(error: &JsValue) -> TransportError {
    network_text(text(&["the response body was cut short: ", &error_text(error)]))
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

/// The `RequestInit` of `request`, aborted through `signal`.
fn build(request: &HttpRequest, signal: &AbortSignal) -> Result<RequestInit, TransportError> {
    let not_built = |e: JsValue| TransportError::Network {
        message: text(&["the request could not be built: ", &error_text(&e)]),
        sent: SentState::NotSent,
    };
    let headers = Headers::new().map_err(not_built)?;
    for (name, value) in &request.headers {
        headers.append(name, value).map_err(not_built)?;
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(signal));
    if let Some(body) = &request.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    Ok(init)
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let controller = AbortController::new().map_err(|e| TransportError::Network {
                message: text(&["AbortController is unavailable: ", &error_text(&e)]),
                sent: SentState::NotSent,
            })?;
            let init = build(&request, &controller.signal())?;
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
            match race(self.fetch(&request.url, init), race(timeout, cancelled)).await {
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
