//! Reading JS option objects: property access and typed optional properties, and the small
//! helpers every binding shares (one copy each in the module).

use super::errors::client_error;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// The property `key` of `obj`, or `None` when `obj` is not an object or the property is
/// missing, null or undefined.
pub fn prop(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() && !obj.is_function() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Sets a property on a fresh plain object (which cannot fail).
#[inline(never)]
pub fn put(obj: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

/// The pieces joined: messages without `format!` (core::fmt is heavy in the module).
pub fn text(parts: &[&str]) -> String {
    parts.concat()
}

/// A client error `what` + `tail` (`retry.maxAttempts` + ` must be a positive integer`).
#[inline(never)]
pub fn bad(what: &str, tail: &str) -> JsValue {
    client_error(text(&[what, tail]))
}

/// Element `i` of a JS array (an `Object.entries` pair), through `Reflect.get`.
#[cfg(feature = "js-management")]
pub fn at(array: &JsValue, i: u32) -> JsValue {
    Reflect::get(array, &JsValue::from_f64(f64::from(i))).unwrap_or(JsValue::UNDEFINED)
}

/// The `message` of a thrown or rejected value, when it has a string one.
pub fn message_of(error: &JsValue) -> Option<String> {
    prop(error, "message").and_then(|m| m.as_string())
}

/// The method `name` of a JS store object; a missing one is a client error with `missing`.
#[cfg(feature = "js-management")]
pub fn method(obj: &JsValue, name: &str, missing: &str) -> Result<js_sys::Function, JsValue> {
    use wasm_bindgen::JsCast;
    prop(obj, name).filter(JsValue::is_function).map(JsCast::unchecked_into).ok_or_else(|| client_error(missing))
}

/// A JS call's result, awaited through `Promise.resolve` whether or not it is a promise.
pub fn settled(value: &JsValue) -> wasm_bindgen_futures::JsFuture {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(value))
}

/// Awaits what a JS store method's call returned; a throw or rejection is a client error
/// `<what> failed: <message>`.
#[cfg(feature = "js-management")]
pub async fn store_result(called: Result<JsValue, JsValue>, what: &str) -> Result<JsValue, crate::error::Error> {
    use crate::error::Error;
    let failed = |e: JsValue| Error::client(text(&[what, " failed: ", &message_of(&e).unwrap_or_default()]));
    settled(&called.map_err(failed)?).await.map_err(failed)
}

/// An optional string property; another type is a client error naming `what`.
pub fn opt_string(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| bad(what, " must be a string")),
    }
}

/// An optional non-negative finite number of milliseconds.
pub fn opt_millis(obj: &JsValue, key: &str, what: &str) -> Result<Option<std::time::Duration>, JsValue> {
    match prop(obj, key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(ms) if ms.is_finite() && ms > 0.0 => Ok(Some(std::time::Duration::from_micros((ms * 1000.0) as u64))),
            _ => Err(bad(what, " must be a positive number of milliseconds")),
        },
    }
}
