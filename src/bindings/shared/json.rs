//! Plain JS objects out of core values: JSON values through the engine's `JSON.parse`, and
//! small objects built property by property.

#[cfg(any(feature = "js-management", feature = "js-postgres"))]
use crate::core::json::Json;
#[cfg(any(feature = "js-management", feature = "js-postgres"))]
use js_sys::JSON;


#[cfg(any(feature = "js-management", feature = "js-postgres"))]
use wasm_bindgen::prelude::*;
#[cfg(feature = "js-postgres")]
use wasm_bindgen::JsCast;

#[cfg(any(feature = "js-management", feature = "js-postgres"))]
/// A core JSON value as the JS value `JSON.parse` makes of its text.
pub fn js_from_json(value: &Json) -> JsValue {
    match value {
        Json::Null => JsValue::NULL,
        Json::Str(s) => JsValue::from_str(s),
        other => JSON::parse(&other.to_text()).unwrap_or(JsValue::NULL),
    }
}

#[cfg(any(feature = "js-management", feature = "js-claimable-neon"))]
/// A JS value as a core JSON value, through the engine's `JSON.stringify`; `undefined` and
/// `null` are `null`. A value it cannot encode (a cycle, a BigInt) is the invalid parameter
/// `name` of `operation`, with `problem` (`the argument could not be encoded as JSON`).
pub fn json_from_js(value: &JsValue, operation: &str, name: &str, problem: &str) -> Result<Json, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    let bad = || super::errors::invalid_parameter(operation, name, problem);
    let text = JSON::stringify(value).ok().and_then(|s| s.as_string()).ok_or_else(bad)?;
    Json::parse(text.as_bytes()).map_err(|_| bad())
}

/// A JS query parameter as the core JSON value sent for it: `Date` as ISO text, byte arrays
/// as `\x…` hex, numbers and bigints as their JS text, arrays element by element, other
/// objects as their JSON text (which Postgres reads into json/jsonb columns).
/// Arrays nested deeper than the JSON reader's limit (or containing themselves) are refused
/// instead of exhausting the wasm stack.
#[cfg(feature = "js-postgres")]
pub fn param_to_json(value: &JsValue) -> Result<Json, String> {
    param_at_depth(value, 0)
}

#[cfg(feature = "js-postgres")]
fn param_at_depth(value: &JsValue, depth: usize) -> Result<Json, String> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Json::Bool(b));
    }
    if js_sys::Array::is_array(value) {
        if depth >= crate::core::json::MAX_DEPTH {
            return Err("arrays nest too deeply (does an array contain itself?)".into());
        }
        let items: Result<Vec<Json>, String> =
            value.unchecked_ref::<js_sys::Array>().iter().map(|v| param_at_depth(&v, depth + 1)).collect();
        return Ok(Json::Arr(items?));
    }
    param_string(value).map(Json::Str)
}

/// The text of a JS parameter that is neither null, a boolean nor an array.
#[cfg(feature = "js-postgres")]
fn param_string(value: &JsValue) -> Result<String, String> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.as_f64().is_some() {
        // JS's own number text (`41`, not `41.0`), as @neondatabase/serverless sends it.
        return Ok(value.unchecked_ref::<js_sys::Number>().to_string_with_radix(10).map(String::from).unwrap_or_default());
    }
    if value.is_bigint() {
        return Ok(js_sys::BigInt::from(value.clone()).to_string(10).map(String::from).unwrap_or_default());
    }
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        if date.get_time().is_nan() {
            return Err("an invalid Date cannot be sent as a parameter".into());
        }
        return Ok(String::from(date.to_iso_string()));
    }
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        let mut hex = String::from("\\x");
        for b in bytes.to_vec() {
            hex.push_str(&format!("{b:02x}"));
        }
        return Ok(hex);
    }
    if value.is_function() || value.is_symbol() {
        return Err("functions and symbols cannot be sent as parameters".into());
    }
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| "the parameter could not be encoded as JSON (a cycle?)".to_string())
}
