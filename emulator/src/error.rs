//! Neon-style API errors: `{"code", "message", "request_id"}` with an HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error answered to the client in Neon's JSON error shape.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

/// Marker put in the response extensions so the request-id middleware can add `request_id`.
#[derive(Debug, Clone)]
pub struct NeonErrorBody {
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// An error with an empty code.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: String::new(),
            message: message.into(),
        }
    }
    /// 400
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// 404
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    /// 409
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }
    /// 422
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
    /// 500
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    /// The 423 Neon answers while a project has operations in progress.
    pub fn locked() -> Self {
        Self::new(
            StatusCode::LOCKED,
            "project already has running conflicting operations, scheduling of new ones is prohibited",
        )
    }
    /// Sets the error code.
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = code.to_string();
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "code": self.code, "message": self.message });
        let mut resp = (self.status, Json(body)).into_response();
        resp.extensions_mut().insert(NeonErrorBody {
            code: self.code,
            message: self.message,
        });
        resp
    }
}

/// Result type of every handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// A 500 carrying PostgreSQL's own message (a `tokio_postgres` error prints only "db error").
pub fn pg_internal(e: &tokio_postgres::Error) -> ApiError {
    ApiError::internal(
        e.as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string()),
    )
}
