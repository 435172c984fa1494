//! The fetch transport: every request goes through `send.js` (beside this file), which calls
//! the global `fetch` (or a caller's own fetch function: a Worker service binding, an
//! instrumented fetch), reads the body and races the request's timeout, resolving to what
//! became of the attempt; here that outcome becomes the core's response or a typed network
//! error. The package's JS sends the first attempt of a Management call through the same
//! `send.js` (`bindings::management::first_attempt`), so both send and report alike.
//!
//! Why the request is sent from JS and not built over web-sys here (measured per call,
//! bench/RESULTS.md): the ~20 web-sys crossings of building `Headers` and a `RequestInit`, two
//! `JsFuture`s and a timer closure per request were most of a call's own cost; and the one
//! sender in JS takes the Rust one's place in every module (gzip: neon-edge 77.7 -> 76.5 KB,
//! neon-edge/postgres 69.8 -> 68.4 KB, for 1.2 KB gzip of JS, 0.4 KB minified). The response
//! is read through gloo-net's `Response` and `Headers`. A custom fetch receives a `Request`, as
//! it always did; the global `fetch` (looked up per request) the URL and init, so the runtime
//! builds one `Request`. `AbortSignal.timeout` in place of the controller and timer measured
//! 6% slower per `getProject` call in Node 20.

use super::values::{at, message_of, prop, text};
use crate::core::cancel::{race, Either};
use crate::core::transport::{BoxFuture, HttpRequest, HttpResponse, SentState, Transport, TransportError};
use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

#[wasm_bindgen(module = "/src/bindings/shared/send.js")]
extern "C" {
    /// One attempt: resolves to `[kind, value, bytes]` (see `send.js`), never rejects.
    #[wasm_bindgen(js_name = send)]
    fn send_js(custom: &JsValue, method: &str, url: &str, headers: &JsValue, body: &JsValue, timeout_ms: &JsValue, signal: &JsValue) -> Promise;
}

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
}

/// The response `raw` with its body read as `body`: its status and the headers the library reads.
fn response(raw: web_sys::Response, body: Vec<u8>) -> HttpResponse {
    let response = gloo_net::http::Response::from(raw);
    let all = response.headers();
    let headers = READ_HEADERS.iter().filter_map(|name| all.get(name).map(|value| ((*name).to_owned(), value))).collect();
    HttpResponse { status: response.status(), headers, body }
}

/// The network error of a fetch (the `fetch` option when `custom`) resolving to something else
/// than a `Response`.
fn not_a_response(custom: bool) -> TransportError {
    network_text(text(&[if custom { "the fetch option" } else { "fetch" }, " did not resolve to a Response"]))
}

/// The network error of the global `fetch` rejecting with `error`.
fn fetch_rejected(error: &JsValue) -> TransportError {
    TransportError::Network { message: error_text(error), sent: sent_state(error) }
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

/// What became of an attempt (`send.js`'s kinds).
const ANSWERED: f64 = 0.0;
const REJECTED: f64 = 1.0;
const BODY_CUT: f64 = 2.0;
const TIMED_OUT: f64 = 3.0;
const CANCELLED: f64 = 4.0;
const THREW: f64 = 5.0;
const NOT_BUILT: f64 = 6.0;
const NO_FETCH: f64 = 7.0;

/// The response or network error of an attempt `send.js` reported as `[kind, value, bytes]`,
/// sent through the `fetch` option when `custom`.
fn outcome(kind: Option<f64>, value: JsValue, bytes: JsValue, custom: bool) -> Result<HttpResponse, TransportError> {
    let failed = |what| if custom { network(what, &value) } else { fetch_rejected(&value) };
    match kind {
        Some(ANSWERED) => match value.dyn_into::<web_sys::Response>() {
            Ok(raw) => Ok(response(raw, bytes.dyn_into::<Uint8Array>().map(|b| b.to_vec()).unwrap_or_default())),
            Err(_) => Err(not_a_response(custom)),
        },
        Some(REJECTED) => Err(failed("the fetch option rejected")),
        Some(THREW) => Err(failed("the fetch option threw")),
        Some(BODY_CUT) => Err(network_text(text(&["the response body was cut short: ", &error_text(&value)]))),
        Some(TIMED_OUT) => Err(TransportError::Timeout),
        Some(CANCELLED) => Err(TransportError::Aborted),
        Some(NOT_BUILT) => Err(TransportError::Network {
            message: text(&["the request could not be built: ", &error_text(&value)]),
            sent: SentState::NotSent,
        }),
        Some(NO_FETCH) => Err(TransportError::Network { message: "fetch is unavailable".into(), sent: SentState::NotSent }),
        _ => Err(not_a_response(custom)),
    }
}

/// What `send.js` takes of `request`: its headers (`[name, value]` pairs), body (a
/// `Uint8Array` or undefined) and timeout in milliseconds (or undefined).
pub(crate) fn js_parts(request: &HttpRequest) -> [JsValue; 3] {
    let headers = Array::new();
    for (name, value) in &request.headers {
        headers.push(&Array::of2(&JsValue::from_str(name), &JsValue::from_str(value)));
    }
    let body = request.body.as_ref().map_or(JsValue::UNDEFINED, |b| Uint8Array::from(b.as_slice()).into());
    let timeout = request.timeout.map_or(JsValue::UNDEFINED, |t| JsValue::from_f64(t.as_secs_f64() * 1000.0));
    [headers.into(), body, timeout]
}

/// The attempt a call continues from when the package's JS sent it (the first attempt of a
/// Management call, a SQL query without options): the call's options are
/// `{ [Symbol.for("neon-edge.firstAttempt")]: [startedMs, kind, value, bytes] }`, `[kind,
/// value, bytes]` being what `send.js` reported (sent with the global `fetch`). `startedMs`
/// and the outcome, or `None` for any other options.
pub(crate) fn sent_outcome(options: &JsValue) -> Option<(f64, Result<HttpResponse, TransportError>)> {
    if !options.is_object() {
        return None;
    }
    let key = js_sys::Symbol::for_("neon-edge.firstAttempt");
    let sent = js_sys::Reflect::get(options, &key).ok().filter(|v| !v.is_undefined())?;
    let field = |i| at(&sent, i);
    Some((field(0).as_f64().unwrap_or(0.0), outcome(field(1).as_f64(), field(2), field(3), false)))
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let [headers, body, timeout] = js_parts(&request);
            // A signal only for a request that can be cancelled: the token aborts it.
            let controller = request.cancel.as_ref().and_then(|_| AbortController::new().ok());
            let signal = controller.as_ref().map_or(JsValue::UNDEFINED, |c| c.signal().into());
            let custom = self.custom_fetch.as_ref().map_or(JsValue::UNDEFINED, |f| f.clone().into());
            let sent = JsFuture::from(send_js(&custom, request.method.as_str(), &request.url, &headers, &body, &timeout, &signal));
            let cancelled = async {
                match &request.cancel {
                    Some(token) => token.cancelled().await,
                    None => std::future::pending().await,
                }
            };
            match race(sent, cancelled).await {
                Either::Left(Ok(result)) => outcome(at(&result, 0).as_f64(), at(&result, 1), at(&result, 2), self.custom_fetch.is_some()),
                Either::Left(Err(error)) => Err(network_text(error_text(&error))),
                Either::Right(()) => {
                    if let Some(controller) = controller {
                        controller.abort();
                    }
                    Err(TransportError::Aborted)
                }
            }
        })
    }
}
