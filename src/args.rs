//! Turning one call's arguments into a URL and body, the same way for JS and Rust callers.
//!
//! Arguments are one object: path parameters under their camelCase names (`projectId`),
//! query parameters under their spec names, the JSON body under `body`. JS objects and
//! `serde_json::Value`s both implement [`Args`].

use crate::error::Error;
use crate::multipart::{self, FormPart};
use crate::operation::{BodyKind, Operation, QueryStyle};

/// One scalar or list argument value.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    Str(String),
    /// A finite number, already in its decimal text form (formatted by the caller's
    /// runtime, so the core carries no float formatting code).
    Num(String),
    Bool(bool),
    List(Vec<ArgValue>),
    /// Anything else (an object, a symbol...): named in the error message.
    Other(&'static str),
}

/// Read access to a call's argument object.
pub trait Args {
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
    pub bytes: Vec<u8>,
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

impl Args for serde_json::Value {
    fn get(&self, key: &str) -> Option<ArgValue> {
        fn convert(v: &serde_json::Value) -> Option<ArgValue> {
            use serde_json::Value as V;
            Some(match v {
                V::Null => return None,
                V::String(s) => ArgValue::Str(s.clone()),
                V::Number(n) => ArgValue::Num(n.to_string()),
                V::Bool(b) => ArgValue::Bool(*b),
                V::Array(items) => ArgValue::List(items.iter().filter_map(convert).collect()),
                V::Object(_) => ArgValue::Other("an object"),
            })
        }
        self.as_object()?.get(key).and_then(convert)
    }

    fn body_json(&self) -> Result<Option<Vec<u8>>, Error> {
        match self.as_object().and_then(|o| o.get("body")) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(body) => serde_json::to_vec(body)
                .map(Some)
                .map_err(|e| Error::client(format!("the request body could not be encoded: {e}"))),
        }
    }

    fn body_parts(&self) -> Result<Option<Vec<FormPart>>, Error> {
        use serde_json::Value as V;
        let Some(body) = self.as_object().and_then(|o| o.get("body")).filter(|b| !b.is_null()) else {
            return Ok(None);
        };
        let V::Object(fields) = body else {
            return Err(Error::client("a form body must be an object of fields"));
        };
        let mut parts = Vec::with_capacity(fields.len());
        for (name, value) in fields {
            let (value, filename) = match value {
                V::Null => continue,
                V::String(s) => (s.clone().into_bytes(), None),
                V::Number(n) => (n.to_string().into_bytes(), None),
                V::Bool(b) => (b.to_string().into_bytes(), None),
                // Bytes (`Vec<u8>` serializes as an array of numbers) become a file part.
                V::Array(items) => match items.iter().map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok())).collect::<Option<Vec<u8>>>() {
                    Some(bytes) => (bytes, Some(name.clone())),
                    None => return Err(Error::client(format!("form field `{name}` must be text, a number, a boolean or bytes"))),
                },
                V::Object(_) => return Err(Error::client(format!("form field `{name}` must be text, a number, a boolean or bytes"))),
            };
            parts.push(FormPart { name: name.clone(), value, filename });
        }
        Ok(Some(parts))
    }
}

/// The URL suffix (path and query) and body of one call, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltRequest {
    /// Path and query string, to append to the base URL.
    pub path_and_query: String,
    pub body: Option<RequestBody>,
}

/// Builds the request for `op` from `args`, naming any missing or malformed argument.
pub fn build(op: &Operation, args: &dyn Args) -> Result<BuiltRequest, Error> {
    let mut path = String::with_capacity(op.path.len() + 32);
    let mut rest = op.path;
    for param in op.path_params {
        let placeholder = format!("{{{}}}", param.name);
        let Some(at) = rest.find(&placeholder) else {
            return Err(Error::client(format!(
                "{}: the path template has no `{}`",
                op.id, param.name
            )));
        };
        path.push_str(&rest[..at]);
        rest = &rest[at + placeholder.len()..];
        let value = match args.get(param.js_name) {
            Some(ArgValue::Str(s)) => s,
            Some(ArgValue::Num(n)) => n,
            None => {
                return Err(Error::client(format!(
                    "{}: missing required path parameter `{}`",
                    op.id, param.js_name
                )))
            }
            Some(other) => {
                return Err(Error::client(format!(
                    "{}: path parameter `{}` must be a string, got {}",
                    op.id,
                    param.js_name,
                    describe(&other)
                )))
            }
        };
        if value.is_empty() || value == "." || value == ".." {
            // URL parsers resolve `.`/`..` segments even when percent-encoded.
            return Err(Error::client(format!(
                "{}: path parameter `{}` must not be empty, `.` or `..`",
                op.id, param.js_name
            )));
        }
        percent_encode_into(&value, &mut path);
    }
    path.push_str(rest);

    let mut query = String::new();
    for param in op.query_params {
        let value = match args.get(param.name) {
            None if param.required => {
                return Err(Error::client(format!(
                    "{}: missing required query parameter `{}`",
                    op.id, param.name
                )))
            }
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
            QueryStyle::FormComma => push_pair(&mut query, param.name, &scalars.join(",")),
        }
    }
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query);
    }

    let body = match op.body {
        BodyKind::Multipart => match args.body_parts()? {
            None => return Err(Error::client(format!("{}: missing required `body`", op.id))),
            Some(parts) => {
                let (bytes, content_type) = multipart::encode(&parts);
                Some(RequestBody { bytes, content_type })
            }
        },
        kind => match (kind, args.body_json()?) {
            (BodyKind::None, Some(_)) => return Err(Error::client(format!("{}: takes no request body", op.id))),
            (BodyKind::Required, None) => return Err(Error::client(format!("{}: missing required `body`", op.id))),
            (_, body) => body.map(RequestBody::json),
        },
    };
    Ok(BuiltRequest { path_and_query: path, body })
}

fn query_scalar(op: &Operation, name: &str, v: ArgValue) -> Result<String, Error> {
    match v {
        ArgValue::Str(s) => Ok(s),
        ArgValue::Num(n) => Ok(n),
        ArgValue::Bool(b) => Ok(b.to_string()),
        other => Err(Error::client(format!(
            "{}: query parameter `{}` must be a string, number or boolean, got {}",
            op.id,
            name,
            describe(&other)
        ))),
    }
}

fn describe(v: &ArgValue) -> String {
    match v {
        ArgValue::Str(_) => "a string".into(),
        ArgValue::Num(n) => format!("the number {n}"),
        ArgValue::Bool(b) => format!("the boolean {b}"),
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

/// Percent-encodes every byte outside RFC 3986's unreserved set, so a value can never
/// add a path segment, a query or a fragment.
pub fn percent_encode_into(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Percent-encodes a whole value.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    percent_encode_into(value, &mut out);
    out
}
