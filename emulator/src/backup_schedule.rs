//! Backup schedules of root branches (the branches snapshots are taken from). The schedule is
//! state: the emulator takes no snapshots on its own.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, opt_i64, opt_str, parse_body, Shared};
use crate::error::{ApiError, ApiResult};

fn in_range(item: &Value, key: &str, range: std::ops::RangeInclusive<i64>) -> ApiResult<()> {
    match opt_i64(item, key)? {
        Some(v) if !range.contains(&v) => Err(ApiError::bad_request(format!(
            "schedule[].{key} must be from {} to {}, got {v}",
            range.start(),
            range.end()
        ))),
        _ => Ok(()),
    }
}

/// Checks one schedule item the way Neon reads it.
fn validate(item: &Value) -> ApiResult<()> {
    let frequency = opt_str(item, "frequency")?
        .ok_or_else(|| ApiError::bad_request("schedule[].frequency is required"))?;
    if !["hourly", "daily", "weekly", "monthly"].contains(&frequency.as_str()) {
        return Err(ApiError::bad_request(format!(
            "schedule[].frequency must be hourly, daily, weekly or monthly, got {frequency}"
        )));
    }
    in_range(item, "hour", 0..=23)?;
    in_range(
        item,
        "day",
        if frequency == "weekly" { 0..=6 } else { 1..=31 },
    )?;
    in_range(item, "month", 1..=12)?;
    in_range(item, "retention_seconds", 1..=i64::from(i32::MAX))
}

/// `GET .../branches/{branch_id}/backup_schedule`
async fn get_schedule(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let schedule = store
        .backup_schedules
        .get(&bid)
        .cloned()
        .unwrap_or_default();
    Ok(Json(json!({ "schedule": schedule })))
}

/// `PUT .../branches/{branch_id}/backup_schedule` `{schedule: [...]}` (root branches only).
async fn set_schedule(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let schedule = match body.get("schedule") {
        Some(Value::Array(a)) => a.clone(),
        _ => return Err(ApiError::bad_request("schedule must be an array")),
    };
    for item in &schedule {
        validate(item)?;
    }
    let mut store = app.lock();
    if get_branch(&store, &pid, &bid)?.parent_id.is_some() {
        return Err(ApiError::bad_request(
            "backup schedules are only available on root branches",
        ));
    }
    store.backup_schedules.insert(bid, schedule);
    Ok(Json(json!({})))
}

/// The backup schedule route.
pub fn routes() -> Router<Shared> {
    Router::new().route(
        "/projects/{project_id}/branches/{branch_id}/backup_schedule",
        get(get_schedule).put(set_schedule),
    )
}
