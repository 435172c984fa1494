//! What every JS call takes — `signal`, `timeoutMs` and `deadlineMs` — read once into the
//! core's `RequestOptions`, and small readers of option properties.

use super::errors::invalid_option;
use super::options::opt_millis;
use super::values::prop;
use crate::core::cancel::CancelToken;
use crate::core::options::RequestOptions;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Per-call options plus the `abort` listener that feeds the signal into a cancel token;
/// dropping it removes the listener.
pub struct CallGuard {
    pub options: RequestOptions,
    listener: Option<(web_sys::AbortSignal, Closure<dyn FnMut()>)>,
}

impl CallGuard {
    pub fn new(options: &JsValue) -> Result<CallGuard, JsValue> {
        let mut guard = CallGuard { options: RequestOptions::default(), listener: None };
        if options.is_undefined() || options.is_null() {
            return Ok(guard);
        }
        if !options.is_object() {
            return Err(invalid_option("call options", "must be an object"));
        }
        guard.options.timeout = opt_millis(options, "timeoutMs", "timeoutMs")?;
        guard.options.deadline = opt_millis(options, "deadlineMs", "deadlineMs")?;
        if let Some(signal) = prop(options, "signal") {
            let aborted = Reflect::get(&signal, &"aborted".into()).ok().and_then(|a| a.as_bool());
            let Some(aborted) = aborted else {
                return Err(invalid_option("signal", "must be an AbortSignal"));
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
                    .map_err(|_| invalid_option("signal", "must be an AbortSignal"))?;
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
