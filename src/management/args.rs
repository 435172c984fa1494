//! Turning one call's arguments into a URL and body, the same way for JS and Rust callers.
//!
//! Arguments are one object: path parameters under their camelCase names (`projectId`),
//! query parameters under their spec names, the JSON body under `body`. JS objects,
//! [`Json`] values and `serde_json::Value`s implement [`Args`].

use crate::core::error::{ClientError, Error, ParamLocation};
use crate::core::json::Json;
use crate::management::multipart::{self, FormPart};
use crate::management::operation::{next_placeholder, BodyKind, Operation, QueryStyle};
pub use crate::core::percent::{percent_encode, percent_encode_into};

/// One scalar or list argument value.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// A string.
    Str(String),
    /// A finite number, already in its decimal text form (formatted by the caller's
    /// runtime, so the core carries no float formatting code).
    Num(String),
    /// A boolean.
    Bool(bool),
    /// A list of values (a repeated query parameter).
    List(Vec<ArgValue>),
    /// Anything else (an object, a symbol...): named in the error message.
    Other(&'static str),
}

/// Read access to a call's argument object. `Sync` natively, so that a call's future (and a
/// stream of pages) is `Send`.
pub trait Args: crate::core::transport::MaybeSendSync {
    /// The value under `key`; `None` when absent, null or undefined.
    fn get(&self, key: &str) -> Option<ArgValue>;
    /// The JSON text of `body`; `None` when absent, null or undefined.
    fn body_json(&self) -> Result<Option<Vec<u8>>, Error>;
    /// `body`'s fields as form parts, for `multipart/form-data` operations; `None` when
    /// `body` is absent, null or undefined.
    fn body_parts(&self) -> Result<Option<Vec<FormPart>>, Error>;
}

/// A request body with its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    /// The encoded body.
    pub bytes: Vec<u8>,
    /// Its `Content-Type` header value.
    pub content_type: String,
}

impl RequestBody {
    /// A JSON body.
    pub fn json(bytes: Vec<u8>) -> RequestBody {
        RequestBody { bytes, content_type: "application/json".to_owned() }
    }
}

/// No arguments at all.
pub struct NoArgs;

impl Args for NoArgs {
    fn get(&self, _key: &str) -> Option<ArgValue> {
        None
    }
    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }
    fn body_parts(&self) -> Result<Option<Vec<FormPart>>, Error> {
        Ok(None)
    }
}

/// One JSON value as an argument value; `None` for null.
fn arg_value(v: &Json) -> Option<ArgValue> {
    Some(match v {
        Json::Null => return None,
        Json::Str(s) => ArgValue::Str(s.clone()),
        Json::Num(n) => ArgValue::Num(n.clone()),
        Json::Bool(b) => ArgValue::Bool(*b),
        Json::Arr(items) => ArgValue::List(items.iter().filter_map(arg_value).collect()),
        Json::Obj(_) => ArgValue::Other("an object"),
    })
}

impl Args for Json {
    fn get(&self, key: &str) -> Option<ArgValue> {
        self.get(key).and_then(arg_value)
    }

    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.get("body").filter(|b| !b.is_null()).map(|b| b.to_text().into_bytes()))
    }

    fn body_parts(&self) -> Result<Option<Vec<FormPart>>, Error> {
        let Some(body) = self.get("body").filter(|b| !b.is_null()) else {
            return Ok(None);
        };
        let Json::Obj(fields) = body else {
            return Err(ClientError::InvalidBody { field: None, problem: "a form body must be an object of fields" }.into());
        };
        let mut parts = Vec::with_capacity(fields.len());
        for (name, value) in fields {
            let bad = || -> Error {
                let problem = "must be text, a number, a boolean or bytes";
                ClientError::InvalidBody { field: Some(name.clone()), problem }.into()
            };
            let (value, filename) = match value {
                Json::Null => continue,
                Json::Str(s) | Json::Num(s) => (s.clone().into_bytes(), None),
                Json::Bool(b) => (crate::core::text::bool_text(*b).as_bytes().to_vec(), None),
                // Bytes (`Vec<u8>` serializes as an array of numbers) become a file part.
                Json::Arr(items) => match items
                    .iter()
                    .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
                    .collect::<Option<Vec<u8>>>()
                {
                    Some(bytes) => (bytes, Some(name.clone())),
                    None => return Err(bad()),
                },
                Json::Obj(_) => return Err(bad()),
            };
            parts.push(FormPart { name: name.clone(), value, filename });
        }
        Ok(Some(parts))
    }
}

/// Rust callers may pass `serde_json::json!({...})`: read through [`Json`].
impl Args for serde_json::Value {
    fn get(&self, key: &str) -> Option<ArgValue> {
        arg_value(&Json::from(self.as_object()?.get(key)?.clone()))
    }

    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        Json::from(self.clone()).body_json()
    }

    fn body_parts(&self) -> Result<Option<Vec<FormPart>>, Error> {
        Json::from(self.clone()).body_parts()
    }
}

/// The URL suffix (path and query) and body of one call, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltRequest {
    /// Path and query string, to append to the base URL.
    pub path_and_query: String,
    /// The body, for operations that take one.
    pub body: Option<RequestBody>,
}

/// Builds the request for `op` from `args`, naming any missing or malformed argument.
pub fn build(op: Operation, args: &dyn Args) -> Result<BuiltRequest, Error> {
    let mut path = String::with_capacity(op.path().len() + 32);
    let mut rest = op.path();
    while let Some((before, param)) = next_placeholder(&mut rest) {
        path.push_str(before);
        let js_name = param.js_name();
        let value = match args.get(&js_name) {
            Some(ArgValue::Str(s)) => s,
            Some(ArgValue::Num(n)) => n,
            None => return Err(missing(op, &js_name, ParamLocation::Path)),
            Some(other) => {
                let problem = crate::core::text::concat(&["path parameter `", &js_name, "` must be a string, got ", &describe(&other)]);
                return Err(invalid(op, &js_name, &problem));
            }
        };
        if value.is_empty() || value == "." || value == ".." {
            // URL parsers resolve `.`/`..` segments even when percent-encoded.
            let problem = crate::core::text::concat(&["path parameter `", &js_name, "` must not be empty, `.` or `..`"]);
            return Err(invalid(op, &js_name, &problem));
        }
        percent_encode_into(&value, &mut path);
    }
    path.push_str(rest);

    let mut query = String::new();
    for param in op.query_params() {
        let value = match args.get(param.name) {
            None if param.required => return Err(missing(op, param.name, ParamLocation::Query)),
            None => continue,
            Some(v) => v,
        };
        let values = match value {
            ArgValue::List(items) => items,
            single => vec![single],
        };
        let mut scalars = Vec::with_capacity(values.len());
        for v in values {
            scalars.push(query_scalar(op, param.name, v)?);
        }
        match param.style {
            QueryStyle::FormExploded => {
                for v in scalars {
                    push_pair(&mut query, param.name, &v);
                }
            }
            QueryStyle::FormComma => push_pair(&mut query, param.name, &crate::core::text::join(&scalars, ",")),
        }
    }
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query);
    }

    let body = match op.body() {
        BodyKind::Multipart => match args.body_parts()? {
            None => return Err(missing(op, "body", ParamLocation::Body)),
            Some(parts) => {
                let (bytes, content_type) = multipart::encode(&parts);
                Some(RequestBody { bytes, content_type })
            }
        },
        kind => match (kind, args.body_json()?) {
            (BodyKind::None, Some(_)) => return Err(Error::unsupported(op.id(), "takes no request body")),
            (BodyKind::Required, None) => return Err(missing(op, "body", ParamLocation::Body)),
            (_, body) => body.map(RequestBody::json),
        },
    };
    Ok(BuiltRequest { path_and_query: path, body })
}

fn query_scalar(op: Operation, name: &str, v: ArgValue) -> Result<String, Error> {
    match v {
        ArgValue::Str(s) => Ok(s),
        ArgValue::Num(n) => Ok(n),
        ArgValue::Bool(b) => Ok(crate::core::text::bool_text(b).to_owned()),
        other => {
            let problem = crate::core::text::concat(&["query parameter `", name, "` must be a string, number or boolean, got ", &describe(&other)]);
            Err(invalid(op, name, &problem))
        }
    }
}

fn missing(op: Operation, name: &str, location: ParamLocation) -> Error {
    Error::missing_parameter(op.id(), name, location)
}

fn invalid(op: Operation, name: &str, problem: &str) -> Error {
    Error::invalid_parameter(op.id(), name, problem)
}

fn describe(v: &ArgValue) -> String {
    match v {
        ArgValue::Str(_) => "a string".into(),
        ArgValue::Num(n) => crate::core::text::concat(&["the number ", n]),
        ArgValue::Bool(b) => crate::core::text::concat(&["the boolean ", crate::core::text::bool_text(*b)]),
        ArgValue::List(_) => "a list".into(),
        ArgValue::Other(what) => (*what).into(),
    }
}

fn push_pair(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    percent_encode_into(name, query);
    query.push('=');
    percent_encode_into(value, query);
}
