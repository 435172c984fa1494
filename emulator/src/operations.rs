//! Operations: list (newest first, cursor pagination) and get.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::app::{get_project, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::render;
use crate::state::Operation;

/// `GET /projects/{project_id}/operations`
pub async fn list(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let limit: usize = match q.get("limit") {
        Some(l) => l
            .parse()
            .map_err(|_| ApiError::bad_request("limit must be an integer"))?,
        None => 10,
    };
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("limit must be between 1 and 1000"));
    }
    let store = app.lock();
    get_project(&store, &pid)?;
    let mut ops: Vec<&Operation> = store
        .operations
        .values()
        .filter(|o| o.project_id == pid)
        .collect();
    ops.sort_by_key(|o| std::cmp::Reverse(o.seq));
    let start = match q.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => ops
            .iter()
            .position(|o| &o.id == c)
            .map(|i| i + 1)
            .unwrap_or(ops.len()),
        None => 0,
    };
    let page: Vec<&Operation> = ops.into_iter().skip(start).take(limit).collect();
    let mut body =
        json!({ "operations": page.iter().map(|o| render::operation(o)).collect::<Vec<_>>() });
    if let (Some(last), Some(obj)) = (page.last(), body.as_object_mut()) {
        obj.insert("pagination".into(), json!({ "cursor": last.id }));
    }
    Ok(Json(body))
}

/// `GET /projects/{project_id}/operations/{operation_id}`
pub async fn get_one(
    State(app): State<Shared>,
    Path((pid, oid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let op = store
        .operations
        .get(&oid)
        .filter(|o| o.project_id == pid)
        .ok_or_else(|| ApiError::not_found(format!("operation {oid} not found")))?;
    Ok(Json(json!({ "operation": render::operation(op) })))
}
