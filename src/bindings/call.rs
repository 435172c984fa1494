//! Per-call options shared by every JS entry point: `signal`, `timeoutMs`, `deadlineMs`,
//! `retry`, `wait` and `ifExists`, read once into the core's `CallOptions`.

use super::errors::client_error;
use super::js_values::set;
use super::values::{bad, opt_millis, opt_string, prop, text};
use crate::cancel::CancelToken;
use crate::client::{CallOptions, IfExists};
use crate::observer::Observer;
use crate::retry::{RetryEvent, RetryPolicy};
use js_sys::{Function, Object, Reflect};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Per-call options plus the `abort` listener that feeds the signal into a cancel token;
/// dropping it removes the listener.
pub struct CallGuard {
    pub options: CallOptions,
    listener: Option<(web_sys::AbortSignal, Closure<dyn FnMut()>)>,
}

impl CallGuard {
    pub fn new(options: &JsValue) -> Result<CallGuard, JsValue> {
        let mut guard = CallGuard { options: CallOptions::default(), listener: None };
        if options.is_undefined() || options.is_null() {
            return Ok(guard);
        }
        if !options.is_object() {
            return Err(client_error("call options must be an object"));
        }
        guard.options.timeout = opt_millis(options, "timeoutMs", "timeoutMs")?;
        call_policies(options, &mut guard.options)?;
        if let Some(signal) = prop(options, "signal") {
            let aborted = Reflect::get(&signal, &"aborted".into()).ok().and_then(|a| a.as_bool());
            let Some(aborted) = aborted else {
                return Err(client_error("signal must be an AbortSignal"));
            };
            let token = CancelToken::new();
            if aborted {
                token.cancel();
            } else {
                let signal: web_sys::AbortSignal = signal.unchecked_into();
                let fire = token.clone();
                let closure = Closure::<dyn FnMut()>::new(move || fire.cancel());
                signal
                    .add_event_listener_with_callback("abort", closure.as_ref().unchecked_ref())
                    .map_err(|_| client_error("signal must be an AbortSignal"))?;
                guard.listener = Some((signal, closure));
            }
            guard.options.cancel = Some(token);
        }
        Ok(guard)
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        if let Some((signal, closure)) = &self.listener {
            let _ = signal.remove_event_listener_with_callback("abort", closure.as_ref().unchecked_ref());
        }
    }
}

/// Applies the per-call `wait`, `ifExists`, `retry` and `deadlineMs` options.
fn call_policies(options: &JsValue, call: &mut CallOptions) -> Result<(), JsValue> {
    if let Some(wait) = prop(options, "wait") {
        call.wait = wait.as_bool().ok_or_else(|| client_error("wait must be a boolean"))?;
    }
    match opt_string(options, "ifExists", "ifExists")?.as_deref() {
        None | Some("error") => {}
        Some("return") => call.if_exists = IfExists::Return,
        Some(other) => return Err(client_error(text(&["ifExists must be \"return\" or \"error\", not `", other, "`"]))),
    }
    if let Some(retry) = prop(options, "retry") {
        call.retry = Some(retry_policy(&retry, "retry")?);
    }
    call.deadline = opt_millis(options, "deadlineMs", "deadlineMs")?;
    Ok(())
}

/// `retry: false | { maxAttempts, maxElapsedMs, onRetry }` (the client's or one call's).
pub(super) fn retry_policy(value: &JsValue, what: &str) -> Result<RetryPolicy, JsValue> {
    if value.as_bool() == Some(false) {
        return Ok(RetryPolicy::disabled());
    }
    if value.as_bool() == Some(true) {
        return Ok(RetryPolicy::default());
    }
    if !value.is_object() {
        return Err(bad(what, " must be false or an object"));
    }
    let mut policy = RetryPolicy::default();
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

/// An optional positive integer property (`maxAttempts`, `perMinute`, ...).
pub(super) fn number(obj: &JsValue, key: &str, what: &str) -> Result<Option<u32>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => Ok(Some(n as u32)),
            _ => Err(bad(what, " must be a positive integer")),
        },
    }
}

/// An optional function property (`onRetry`, `onProgress`).
pub(super) fn function(obj: &JsValue, key: &str, what: &str) -> Result<Option<Function>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(f) if f.is_function() => Ok(Some(f.unchecked_into())),
        Some(_) => Err(bad(what, " must be a function")),
    }
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
