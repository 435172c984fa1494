//! Reading JS option objects: property access and typed optional properties.

use super::errors::client_error;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// The property `key` of `obj`, or `None` when `obj` is not an object or the property is
/// missing, null or undefined.
pub fn prop(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() && !obj.is_function() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// An optional string property; another type is a client error naming `what`.
pub fn opt_string(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| client_error(format!("{what} must be a string"))),
    }
}

/// An optional non-negative finite number of milliseconds.
pub fn opt_millis(obj: &JsValue, key: &str, what: &str) -> Result<Option<std::time::Duration>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(std::time::Duration::from_micros((ms * 1000.0) as u64))),
            _ => Err(client_error(format!("{what} must be a positive number of milliseconds"))),
        },
    }
}
