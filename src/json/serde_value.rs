//! Conversions between [`Json`] and `serde_json::Value`, for Rust callers who build or read
//! values with serde_json (SQL parameters and rows, `json!` arguments). The JS bindings
//! never call these, so the npm modules ship no serde_json.

use super::Json;

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

impl From<Json> for serde_json::Value {
    fn from(value: Json) -> serde_json::Value {
        use serde_json::Value as V;
        match value {
            Json::Null => V::Null,
            Json::Bool(b) => V::Bool(b),
            // Number text written by this module or the engine is valid JSON; if it is not,
            // `null` rather than a panic.
            Json::Num(n) => serde_json::from_str(&n).unwrap_or(V::Null),
            Json::Str(s) => V::String(s),
            Json::Arr(items) => V::Array(items.into_iter().map(V::from).collect()),
            Json::Obj(members) => V::Object(members.into_iter().map(|(k, v)| (k, V::from(v))).collect()),
        }
    }
}

impl From<&Json> for serde_json::Value {
    fn from(value: &Json) -> serde_json::Value {
        serde_json::Value::from(value.clone())
    }
}
