//! Neon's SQL-over-HTTP endpoint (`POST /sql`).

use axum::extract::State;
use axum::Json;
use serde_json::Value;

use crate::app::Shared;
use crate::error::{ApiError, ApiResult};

/// `POST /sql`
pub async fn handle(State(_app): State<Shared>) -> ApiResult<Json<Value>> {
    Err(ApiError::bad_request("not implemented yet"))
}
