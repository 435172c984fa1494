//! Reading and writing JS values at the lowest level — property access, message text, the
//! awaiting of JS results — shared by every binding (one copy each in the module). Nothing
//! here builds errors: [`errors`](super::errors) sits above it.

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
    crate::core::text::concat(parts)
}

/// Element `i` of a JS array (an `Object.entries` pair), through `Reflect.get`.
pub fn at(array: &JsValue, i: u32) -> JsValue {
    Reflect::get(array, &JsValue::from_f64(f64::from(i))).unwrap_or(JsValue::UNDEFINED)
}

/// The `message` of a thrown or rejected value, when it has a string one.
pub fn message_of(error: &JsValue) -> Option<String> {
    prop(error, "message").and_then(|m| m.as_string())
}

/// A JS call's result, awaited through `Promise.resolve` whether or not it is a promise.
pub fn settled(value: &JsValue) -> wasm_bindgen_futures::JsFuture {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(value))
}

/// Sets a property on a fresh plain object (which cannot fail).
#[inline]
pub fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    put(obj, key, value.into());
}

/// Sets `key` to the string, or to `null` when absent.
#[cfg(feature = "js-postgres")]
pub fn set_nullable(obj: &Object, key: &str, value: Option<&str>) {
    set(obj, key, value.map_or(JsValue::NULL, JsValue::from_str));
}
