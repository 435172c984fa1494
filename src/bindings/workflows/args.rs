//! Reading a workflow's JSON arguments into the Rust workflows' parameters: strings, flags
//! and numbers by their JS names, each bad one a client error naming it.

use crate::bindings::shared::errors::invalid_parameter;
use crate::core::json::Json;
use wasm_bindgen::JsValue;

/// The JSON arguments of one workflow call, with the workflow's name for messages.
pub(super) struct Params<'a> {
    pub json: &'a Json,
    pub workflow: &'static str,
}

impl Params<'_> {
    fn bad(&self, key: &str, problem: &str) -> JsValue {
        invalid_parameter(self.workflow, key, &crate::core::text::concat(&["`", key, "` ", problem]))
    }

    /// An optional string.
    pub fn string(&self, key: &str) -> Result<Option<String>, JsValue> {
        match self.json.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Str(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.bad(key, "must be a string")),
        }
    }

    /// An optional boolean.
    pub fn flag(&self, key: &str) -> Result<Option<bool>, JsValue> {
        match self.json.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.bad(key, "must be a boolean")),
        }
    }

    /// An optional number of `object` (a nested object such as `compute`), named
    /// `object.key` in messages.
    pub fn number_in(&self, object: &str, key: &str) -> Result<Option<f64>, JsValue> {
        let Some(parent) = self.json.get(object).filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let nested = Params { json: parent, workflow: self.workflow };
        nested.number_in_root(key).map_err(|_| self.bad(&crate::core::text::concat(&[object, ".", key]), "must be a plain decimal number"))
    }

    /// An optional number at the top level.
    pub fn number_in_root(&self, key: &str) -> Result<Option<f64>, JsValue> {
        match self.json.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Num(n)) => plain_decimal(n).map(Some).ok_or_else(|| self.bad(key, "must be a plain decimal number")),
            Some(_) => Err(self.bad(key, "must be a number")),
        }
    }

    /// An optional array of strings.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, JsValue> {
        match self.json.get(key) {
            None | Some(Json::Null) => Ok(Vec::new()),
            Some(Json::Arr(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned).ok_or_else(|| self.bad(key, "must be an array of strings")))
                .collect(),
            Some(_) => Err(self.bad(key, "must be an array of strings")),
        }
    }

    /// An optional array of objects (API bodies passed through).
    pub fn objects(&self, key: &str) -> Result<Vec<Json>, JsValue> {
        match self.json.get(key) {
            None | Some(Json::Null) => Ok(Vec::new()),
            Some(Json::Arr(items)) if items.iter().all(|i| i.as_object().is_some()) => Ok(items.clone()),
            Some(_) => Err(self.bad(key, "must be an array of objects")),
        }
    }

    /// The arguments without `keys` (what remains are API fields passed through).
    pub fn without(&self, keys: &[&str]) -> Json {
        match self.json {
            Json::Obj(members) => Json::Obj(members.iter().filter(|(k, _)| !keys.contains(&k.as_str())).cloned().collect()),
            other => other.clone(),
        }
    }
}

/// A JSON number without an exponent (`-1`, `0.25`, `8`) as `f64`, read digit by digit: the
/// standard float parser costs the wasm module kilobytes for numbers this plain.
fn plain_decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value = 0.0;
    for b in whole.bytes() {
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 1.0;
    for b in fraction.bytes() {
        scale /= 10.0;
        value += f64::from(b - b'0') * scale;
    }
    Some(if negative { -value } else { value })
}
