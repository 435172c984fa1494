//! Typed optional properties of JS option objects: each bad value is a client error naming
//! the option and the shape it must have.

use super::errors::invalid_option;
use super::values::prop;
#[cfg(feature = "js-management")]
use js_sys::Function;
#[cfg(feature = "js-management")]
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

/// An optional string property; another type is a client error naming `what`.
pub fn opt_string(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| invalid_option(what, "must be a string")),
    }
}

/// An optional non-negative finite number of milliseconds.
pub fn opt_millis(obj: &JsValue, key: &str, what: &str) -> Result<Option<std::time::Duration>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(std::time::Duration::from_micros((ms * 1000.0) as u64))),
            _ => Err(invalid_option(what, "must be a positive number of milliseconds")),
        },
    }
}

/// An optional positive integer property (`maxAttempts`, `perMinute`, ...).
#[cfg(feature = "js-management")]
pub(crate) fn number(obj: &JsValue, key: &str, what: &str) -> Result<Option<u32>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => Ok(Some(n as u32)),
            _ => Err(invalid_option(what, "must be a positive integer")),
        },
    }
}

/// An optional function property (`onRetry`, `onProgress`).
#[cfg(feature = "js-management")]
pub(crate) fn function(obj: &JsValue, key: &str, what: &str) -> Result<Option<Function>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(f) if f.is_function() => Ok(Some(f.unchecked_into())),
        Some(_) => Err(invalid_option(what, "must be a function")),
    }
}

/// The method `name` of the JS store object given as `option`; a missing one is an invalid
/// option with `problem` (``must have an `acquire` method``).
#[cfg(feature = "js-management")]
pub fn method(obj: &JsValue, name: &str, option: &str, problem: &str) -> Result<js_sys::Function, JsValue> {
    prop(obj, name).filter(JsValue::is_function).map(JsCast::unchecked_into).ok_or_else(|| invalid_option(option, problem))
}

/// Awaits what a JS store method's call returned; a throw or rejection is
/// `ClientError::StoreFailed` (`<what> failed: <message>`).
#[cfg(feature = "js-management")]
pub async fn store_result(called: Result<JsValue, JsValue>, what: &str) -> Result<JsValue, crate::core::error::Error> {
    use super::values::{message_of, settled};
    use crate::core::error::{ClientError, Error};
    let failed =
        |e: JsValue| Error::from(ClientError::StoreFailed { what: what.into(), message: message_of(&e).unwrap_or_default() });
    settled(&called.map_err(failed)?).await.map_err(failed)
}
