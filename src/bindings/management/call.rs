//! The Management client's per-call options: what every call takes (see
//! [`CallGuard`]) plus `retry`, `wait` and `ifExists`, read into the core's `CallOptions`.

use crate::bindings::shared::call::CallGuard;
use crate::bindings::shared::errors::invalid_option;
use crate::bindings::shared::options::{function, number, opt_millis, opt_string};
use crate::bindings::shared::values::{prop, set, text};
use crate::core::observer::Observer;
use crate::management::client::{CallOptions, IfExists};
use crate::management::policies::retry::{RetryEvent, RetryPolicy};
use js_sys::{Function, Object};
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// One Management call's options, with the guard that keeps its `signal` listened to.
pub struct ManagementCall {
    pub options: CallOptions,
    _guard: CallGuard,
}

impl ManagementCall {
    /// Reads a call's options; `client_retry` is the client's retry policy, which a per-call
    /// `retry` object amends rather than replaces.
    pub fn new(options: &JsValue, client_retry: &RetryPolicy) -> Result<ManagementCall, JsValue> {
        let guard = CallGuard::new(options)?;
        let mut call = CallOptions::from(guard.options.clone());
        if !(options.is_undefined() || options.is_null()) {
            call_policies(options, &mut call, client_retry)?;
        }
        Ok(ManagementCall { options: call, _guard: guard })
    }
}

/// Applies the per-call `wait`, `ifExists` and `retry` options.
fn call_policies(options: &JsValue, call: &mut CallOptions, client_retry: &RetryPolicy) -> Result<(), JsValue> {
    if let Some(wait) = prop(options, "wait") {
        call.wait = wait.as_bool().ok_or_else(|| invalid_option("wait", "must be a boolean"))?;
    }
    match opt_string(options, "ifExists", "ifExists")?.as_deref() {
        None | Some("error") => {}
        Some("return") => call.if_exists = IfExists::Return,
        Some(other) => return Err(invalid_option("ifExists", &text(&["must be \"return\" or \"error\", not `", other, "`"]))),
    }
    if let Some(retry) = prop(options, "retry") {
        call.retry = Some(retry_policy(&retry, "retry", client_retry)?);
    }
    Ok(())
}

/// `retry: false | true | { maxAttempts, maxElapsedMs, onRetry }`: the client's option (over
/// the default policy) or one call's (over the client's policy, so a call that sets only
/// `maxAttempts` keeps the client's `onRetry` and `maxElapsedMs`). `true` is `base` itself.
pub(super) fn retry_policy(value: &JsValue, what: &str, base: &RetryPolicy) -> Result<RetryPolicy, JsValue> {
    if value.as_bool() == Some(false) {
        return Ok(RetryPolicy::disabled());
    }
    if value.as_bool() == Some(true) {
        return Ok(base.clone());
    }
    if !value.is_object() {
        return Err(invalid_option(what, "must be false or an object"));
    }
    let mut policy = base.clone();
    if let Some(n) = number(value, "maxAttempts", &text(&[what, ".maxAttempts"]))? {
        policy.max_attempts = n;
    }
    if let Some(ms) = opt_millis(value, "maxElapsedMs", &text(&[what, ".maxElapsedMs"]))? {
        policy.max_elapsed = ms;
    }
    if let Some(f) = function(value, "onRetry", &text(&[what, ".onRetry"]))? {
        policy.on_retry = Some(Arc::new(JsRetryHook(f)));
    }
    Ok(policy)
}

/// An `onRetry` function; a throwing hook never breaks the call.
struct JsRetryHook(Function);

impl Observer<RetryEvent> for JsRetryHook {
    fn notify(&self, event: &RetryEvent) {
        let e = Object::new();
        set(&e, "attempt", event.attempt);
        set(&e, "delayMs", event.delay.as_secs_f64() * 1000.0);
        set(&e, "reason", event.reason.as_str());
        if let Some(s) = event.status {
            set(&e, "status", s);
        }
        if let Some(op) = &event.operation {
            set(&e, "operation", op.as_str());
        }
        let _ = self.0.call1(&JsValue::UNDEFINED, &e);
    }
}
