//! Decoding response bodies: typed success bodies, and Neon's error bodies — [`api_error`]
//! is the one place an [`ApiError`] is built from an answer, for every client.

use crate::core::error::{ApiError, Error};
use crate::core::json::Json;
use crate::core::transport::HttpResponse;
use serde::de::DeserializeOwned;

/// Decodes a JSON body into `T`, naming the path of the first field that does not fit.
#[cfg(feature = "decode-paths")]
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(non_empty(body));
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        Error::Decode {
            message: e.into_inner().to_string(),
            path: (path != ".").then_some(path),
        }
    })
}

/// Decodes a JSON body into `T` (built without `decode-paths`: errors carry no field path).
#[cfg(not(feature = "decode-paths"))]
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(non_empty(body)).map_err(|e| Error::Decode { message: e.to_string(), path: None })
}

/// An empty body decodes as JSON `null` (204 answers, `()` results).
fn non_empty(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    }
}

/// The fields of a Neon error body, when the body is JSON.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// Neon's machine-readable `code`.
    pub code: Option<String>,
    /// The `message` field.
    pub message: Option<String>,
    /// The `request_id` field.
    pub request_id: Option<String>,
    /// A non-empty string `error` (the message field of some services).
    pub error: Option<String>,
}

/// Reads `code`, `message`, `request_id` and `error` from an error body; anything else
/// yields empty fields, never an error.
pub fn error_body(body: &[u8]) -> ErrorBody {
    let Ok(body @ Json::Obj(_)) = Json::parse(body) else {
        return ErrorBody::default();
    };
    let text = |key: &str| match body.get(key) {
        Some(Json::Str(s) | Json::Num(s)) => Some(s.clone()),
        _ => None,
    };
    let error = match body.get("error") {
        Some(Json::Str(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    ErrorBody { code: text("code"), message: text("message"), request_id: text("request_id"), error }
}

/// The API error for a non-2xx answer, whatever its body: the body's `code`, its `message`
/// (or `error`, which some services use), else a description of the body; the request id
/// from the body's `request_id`, else the `x-request-id` or `x-neon-ret-request-id` header.
pub fn api_error(response: &HttpResponse, operation: Option<&str>) -> ApiError {
    let parsed = error_body(&response.body);
    let message = match parsed.message.filter(|m| !m.is_empty()) {
        Some(message) => message,
        None => parsed.error.unwrap_or_else(|| describe_unparsed_body(response)),
    };
    let request_id = parsed.request_id.or_else(|| {
        response
            .header("x-request-id")
            .or_else(|| response.header("x-neon-ret-request-id"))
            .map(str::to_owned)
    });
    ApiError {
        status: response.status,
        code: parsed.code.filter(|c| !c.is_empty()),
        message,
        request_id,
        operation: operation.map(str::to_owned),
    }
}

/// A message for an error response whose body has no usable `message`.
pub fn describe_unparsed_body(response: &HttpResponse) -> String {
    let reason = status_reason(response.status);
    let content_type = response.header("content-type").unwrap_or("no content type");
    // Concatenated, not `format!`: core::fmt's integer and argument code is heavy in the wasm.
    use crate::core::text::{concat, decimal};
    if response.body.is_empty() {
        concat(&[reason, " (empty body)"])
    } else if crate::core::text::contains(content_type, "json") {
        concat(&[reason, " (the JSON body had no `message`, or was cut short)"])
    } else {
        let bytes = decimal(response.body.len() as u64);
        concat(&[reason, " (a non-JSON body of ", &bytes, " bytes, ", content_type, ")"])
    }
}

fn status_reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        423 => "Locked",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "HTTP error",
    }
}
