//! One request outside the Management API client (Claimable Postgres, SQL over HTTP): JSON
//! headers, the timeout, and transport failures mapped to typed errors. No retries: both
//! services' writes are not idempotent, so a failure is reported, never replayed.

use crate::cancel::CancelToken;
use crate::error::{ApiError, Error};
use crate::response;
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};
use std::time::Duration;

/// What one call sends, apart from the transport.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: String,
    /// Extra headers after `Accept` and `Content-Type`.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub timeout: Duration,
    pub cancel: Option<&'a CancelToken>,
    pub user_agent: Option<&'a str>,
    /// Names the call in timeout messages, e.g. `createClaimableDatabase`.
    pub what: &'a str,
}

/// Sends `call` and returns the response whatever its status.
pub(crate) async fn send(transport: &dyn Transport, call: Call<'_>) -> Result<HttpResponse, Error> {
    if call.cancel.is_some_and(CancelToken::is_cancelled) {
        return Err(Error::Aborted);
    }
    let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
    if call.body.is_some() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    if let Some(ua) = call.user_agent {
        headers.push(("User-Agent".to_owned(), ua.to_owned()));
    }
    headers.extend(call.headers);
    let request = HttpRequest {
        method: call.method,
        url: call.url,
        headers,
        body: call.body,
        timeout: Some(call.timeout),
        cancel: call.cancel.cloned(),
    };
    transport.send(request).await.map_err(|e| Error::from_transport(e, call.what, call.timeout))
}

/// The API error for a non-2xx answer: the body's `message` (or `error`, which some
/// services use), else a description of the body.
pub(crate) fn api_error(response: &HttpResponse, operation: &str) -> ApiError {
    let parsed = response::error_body(&response.body);
    let message = parsed
        .message
        .filter(|m| !m.is_empty())
        .or_else(|| error_field(&response.body))
        .unwrap_or_else(|| response::describe_unparsed_body(response));
    let request_id = parsed
        .request_id
        .or_else(|| response.header("x-request-id").map(str::to_owned));
    ApiError {
        status: response.status,
        code: parsed.code.filter(|c| !c.is_empty()),
        message,
        request_id,
        operation: Some(operation.to_owned()),
    }
}

fn error_field(body: &[u8]) -> Option<String> {
    let body = crate::json::Json::parse(body).ok()?;
    body.get("error")?.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}
