//! The first attempt of a call (`NeonClient.__firstAttempt` plans it), sent by the package's JS (`pkg-template/client-methods.js`)
//! with the global `fetch`, so that a successful answer's body goes from `fetch` to
//! `JSON.parse` without a copy through wasm memory and the call without a Rust future, a
//! wasm-bindgen closure or a promise of its own (measured per call in bench/RESULTS.md). The
//! core plans the attempt ([`NeonClient::first_attempt`](crate::NeonClient::first_attempt):
//! arguments, URL, pacing slot, timeout) and takes every other outcome back through `call`
//! ([`execute_from`](crate::NeonClient::execute_from): errors, retries).

use crate::bindings::shared::fetch;
use crate::bindings::shared::values::set;
use crate::management::client::{FirstAttempt, NeonClient as CoreClient};
use crate::management::policies::FirstOutcome;
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::JsValue;

/// The request headers of first attempts without a body (the package's JS adds the JSON
/// `Content-Type` to a copy for the others), made once per client: with a fixed key and the
/// global `fetch` only (a key function is asked before every attempt; a `fetch` option gets a
/// `Request`, as the transport gives it).
pub(crate) fn first_attempt_headers(core: &CoreClient) -> Option<Object> {
    let headers = Object::new();
    for (name, value) in core.fixed_headers()? {
        set(&headers, &name, value);
    }
    Some(headers)
}

/// The plan `__firstAttempt` returns for `attempt`: `[method, url, headers, body, timeoutMs,
/// waitMs, startedMs]`.
pub(super) fn plan(attempt: FirstAttempt, headers: &Object) -> JsValue {
    let body = attempt.body.map_or(JsValue::UNDEFINED, |bytes| Uint8Array::from(bytes.as_slice()).into());
    let plan = Array::new();
    plan.push(&JsValue::from_str(attempt.method.as_str()));
    plan.push(&JsValue::from_str(&attempt.url));
    plan.push(headers);
    plan.push(&body);
    plan.push(&JsValue::from_f64(attempt.timeout.as_secs_f64() * 1000.0));
    plan.push(&JsValue::from_f64(attempt.wait.as_secs_f64() * 1000.0));
    plan.push(&JsValue::from_f64(attempt.started_ms));
    plan.into()
}

/// The first attempt a `call` continues from (see [`fetch::sent_outcome`]).
pub(super) fn first_outcome(options: &JsValue) -> Option<FirstOutcome> {
    fetch::sent_outcome(options).map(|(started_ms, outcome)| FirstOutcome { outcome, started_ms })
}
