//! Claimable Neon's error body, `{"error": {code, origin, message, retryable, request_id, ...}}`,
//! with the status each code carries (the service's `lib/errors/errors.ts`).

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Every error code the service answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    CapabilityRequiresClaim,
    ScopeInsufficient,
    QuotaExceeded,
    TokenExpired,
    InvalidGrant,
    ProjectExpired,
    ProjectClaimed,
    ClaimInProgress,
    RouteNotAllowed,
    NotFound,
    InvalidRequest,
    Unauthorized,
    UpstreamError,
    InternalError,
}

impl Code {
    fn name(self) -> &'static str {
        match self {
            Code::CapabilityRequiresClaim => "capability_requires_claim",
            Code::ScopeInsufficient => "scope_insufficient",
            Code::QuotaExceeded => "quota_exceeded",
            Code::TokenExpired => "token_expired",
            Code::InvalidGrant => "invalid_grant",
            Code::ProjectExpired => "project_expired",
            Code::ProjectClaimed => "project_claimed",
            Code::ClaimInProgress => "claim_in_progress",
            Code::RouteNotAllowed => "route_not_allowed",
            Code::NotFound => "not_found",
            Code::InvalidRequest => "invalid_request",
            Code::Unauthorized => "unauthorized",
            Code::UpstreamError => "upstream_error",
            Code::InternalError => "internal_error",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Code::CapabilityRequiresClaim | Code::ScopeInsufficient | Code::RouteNotAllowed => {
                StatusCode::FORBIDDEN
            }
            Code::QuotaExceeded => StatusCode::TOO_MANY_REQUESTS,
            Code::TokenExpired | Code::Unauthorized => StatusCode::UNAUTHORIZED,
            Code::InvalidGrant | Code::InvalidRequest => StatusCode::BAD_REQUEST,
            Code::ProjectExpired => StatusCode::GONE,
            Code::ProjectClaimed | Code::ClaimInProgress => StatusCode::CONFLICT,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::UpstreamError => StatusCode::BAD_GATEWAY,
            Code::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retryable(self) -> bool {
        matches!(
            self,
            Code::TokenExpired | Code::QuotaExceeded | Code::UpstreamError
        )
    }
}

/// An error answered in the service's shape.
#[derive(Debug, Clone)]
pub struct ServiceError {
    code: Code,
    message: String,
    /// Extra members of the error object (`required_scope`, `claim_state`, `upstream_status`…).
    extra: Map<String, Value>,
}

impl ServiceError {
    /// An error with `code` and `message`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            message: message.into(),
            extra: Map::new(),
        }
    }

    /// Adds a member to the error object.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_string(), value.into());
        self
    }

    /// The `not_found` of an unknown route.
    pub fn no_route() -> Self {
        Self::new(Code::NotFound, "No route exists at this path.")
    }
}

/// The error object without `request_id`, which [`add_request_id`] fills in once the request's
/// id is known.
#[derive(Debug, Clone)]
struct PendingBody(Map<String, Value>);

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let mut error = Map::new();
        error.insert("code".into(), self.code.name().into());
        let origin = if self.code == Code::UpstreamError {
            "upstream"
        } else {
            "proxy"
        };
        error.insert("origin".into(), origin.into());
        error.insert("message".into(), self.message.into());
        error.insert("retryable".into(), self.code.retryable().into());
        error.extend(self.extra);
        let mut resp = (self.code.status(), Json(json!({ "error": error }))).into_response();
        if self.code.status() == StatusCode::UNAUTHORIZED {
            // The origin is only known with the request: add_request_id fills it in.
            resp.headers_mut()
                .insert("www-authenticate", HeaderValue::from_static("Bearer"));
        }
        resp.extensions_mut().insert(PendingBody(error));
        resp
    }
}

/// Result type of the service's handlers.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// Middleware of the service's routes: completes error bodies with the request's id (the
/// emulator's pipeline has put one on every request) and 401s with the resource metadata URL.
pub async fn add_request_id(
    axum::extract::State(origin): axum::extract::State<String>,
    req: Request,
    next: Next,
) -> Response {
    let rid = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let resp = next.run(req).await;
    let Some(PendingBody(mut error)) = resp.extensions().get::<PendingBody>().cloned() else {
        return resp;
    };
    error.insert("request_id".into(), rid.into());
    let status = resp.status();
    let mut out = (status, Json(json!({ "error": error }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        let v =
            format!("Bearer resource_metadata=\"{origin}/.well-known/oauth-protected-resource\"");
        if let Ok(v) = HeaderValue::from_str(&v) {
            out.headers_mut().insert("www-authenticate", v);
        }
    }
    out
}
