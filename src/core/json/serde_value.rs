//! Conversions between [`Json`] and `serde_json::Value`, for Rust callers who build or read
//! values with serde_json (SQL parameters and rows, `json!` arguments). The JS bindings
//! never call these, so the npm modules ship no serde_json.

use super::Json;
use crate::core::error::Error;

impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Json {
        use serde_json::Value as V;
        match value {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(b),
            V::Number(n) => Json::Num(n.to_string()),
            V::String(s) => Json::Str(s),
            V::Array(items) => Json::Arr(items.into_iter().map(Json::from).collect()),
            V::Object(map) => Json::Obj(map.into_iter().map(|(k, v)| (k, Json::from(v))).collect()),
        }
    }
}

/// A number serde_json cannot hold (`1e400` overflows its f64) is a decode error, not a
/// silent `null`.
impl TryFrom<Json> for serde_json::Value {
    type Error = Error;

    fn try_from(value: Json) -> Result<serde_json::Value, Error> {
        use serde_json::Value as V;
        Ok(match value {
            Json::Null => V::Null,
            Json::Bool(b) => V::Bool(b),
            Json::Num(n) => serde_json::from_str(&n).map_err(|_| {
                // The number's text may be megabytes of digits: quote its start only.
                let shown = if n.len() > 40 { [n.get(..40).unwrap_or_default(), "…"].concat() } else { n.clone() };
                Error::Decode { message: ["the number ", &shown, " is out of range for serde_json"].concat(), path: None }
            })?,
            Json::Str(s) => V::String(s),
            Json::Arr(items) => V::Array(items.into_iter().map(V::try_from).collect::<Result<_, _>>()?),
            Json::Obj(members) => V::Object(
                members.into_iter().map(|(k, v)| Ok((k, V::try_from(v)?))).collect::<Result<_, Error>>()?,
            ),
        })
    }
}

impl TryFrom<&Json> for serde_json::Value {
    type Error = Error;

    fn try_from(value: &Json) -> Result<serde_json::Value, Error> {
        serde_json::Value::try_from(value.clone())
    }
}
