//! Operation arguments from JS objects: path and query values, JSON and form bodies, read
//! through the core's [`Args`].

use crate::bindings::shared::values::{at, prop};
use crate::management::args::{ArgValue, Args};
use crate::core::error::{ClientError, Error};
use crate::management::multipart::FormPart;
use js_sys::{Array, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// A JS argument object, read through [`Args`].
pub struct JsArgs<'a>(pub &'a JsValue);

/// Converts one JS value into an argument value; `None` for null and undefined.
pub fn convert(v: JsValue) -> Option<ArgValue> {
    if v.is_undefined() || v.is_null() {
        return None;
    }
    Some(if let Some(s) = v.as_string() {
        ArgValue::Str(s)
    } else if let Some(n) = v.as_f64() {
        if !n.is_finite() {
            return Some(ArgValue::Other("a non-finite number"));
        }
        // The engine's own number formatting: no float formatting code in the module.
        ArgValue::Num(String::from(v.unchecked_into::<js_sys::Number>().to_string_with_radix(10).unwrap_or_default()))
    } else if let Some(b) = v.as_bool() {
        ArgValue::Bool(b)
    } else if Array::is_array(&v) {
        ArgValue::List(v.unchecked_into::<Array>().iter().filter_map(convert).collect())
    } else if v.is_bigint() {
        ArgValue::Other("a bigint")
    } else if v.is_function() {
        ArgValue::Other("a function")
    } else {
        ArgValue::Other("an object")
    })
}

impl Args for JsArgs<'_> {
    fn get(&self, key: &str) -> Option<ArgValue> {
        prop(self.0, key).and_then(convert)
    }

    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        let Some(body) = prop(self.0, "body") else { return Ok(None) };
        let text = JSON::stringify(&body)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| {
                let problem = "the request body could not be encoded as JSON (a cycle, a BigInt or a function?)";
                Error::from(ClientError::InvalidBody { field: None, problem })
            })?;
        Ok(Some(text.into_bytes()))
    }

    fn body_parts(&self) -> Result<Option<Vec<FormPart>>, Error> {
        let Some(body) = prop(self.0, "body") else { return Ok(None) };
        if !body.is_object() || Array::is_array(&body) {
            return Err(ClientError::InvalidBody { field: None, problem: "a form body must be an object of fields" }.into());
        }
        let mut parts = Vec::new();
        for entry in js_sys::Object::entries(body.unchecked_ref()).iter() {
            let name = at(&entry, 0).as_string().unwrap_or_default();
            let value = at(&entry, 1);
            let bad = || -> Error {
                let problem = "must be text, a number, a boolean, a Uint8Array or an ArrayBuffer";
                ClientError::InvalidBody { field: Some(name.clone()), problem }.into()
            };
            let (value, filename) = if value.is_instance_of::<js_sys::Uint8Array>() {
                (value.unchecked_into::<js_sys::Uint8Array>().to_vec(), Some(name.clone()))
            } else if value.is_instance_of::<js_sys::ArrayBuffer>() {
                (js_sys::Uint8Array::new(&value).to_vec(), Some(name.clone()))
            } else {
                match convert(value) {
                    None => continue,
                    Some(ArgValue::Str(s) | ArgValue::Num(s)) => (s.into_bytes(), None),
                    Some(ArgValue::Bool(b)) => (crate::core::text::bool_text(b).as_bytes().to_vec(), None),
                    Some(_) => return Err(bad()),
                }
            };
            parts.push(FormPart { name, value, filename });
        }
        Ok(Some(parts))
    }
}
