//! Compute endpoints: create, list, get, update (autoscaling, suspend timeout), start, suspend,
//! restart, delete.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::app::{
    self, ensure_no_running_operations, get_branch, get_endpoint, get_project, opt_bool, opt_f64,
    opt_i64, opt_str, parse_body, Shared,
};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::render;
use crate::state::{Endpoint, Store};

fn region(store: &Store, pid: &str) -> String {
    store
        .projects
        .get(pid)
        .map(|p| p.region_id.clone())
        .unwrap_or_default()
}

fn validate_cu(min: Option<f64>, max: Option<f64>) -> ApiResult<()> {
    for v in [min, max].into_iter().flatten() {
        if !(0.25..=56.0).contains(&v) {
            return Err(ApiError::bad_request(
                "compute units must be between 0.25 and 56",
            ));
        }
    }
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(ApiError::bad_request(
                "autoscaling_limit_min_cu must not exceed autoscaling_limit_max_cu",
            ));
        }
        if b - a > 8.0 {
            return Err(ApiError::bad_request(
                "the difference between max and min compute units must not exceed 8",
            ));
        }
    }
    Ok(())
}

fn validate_suspend(s: Option<i64>) -> ApiResult<()> {
    match s {
        Some(v) if v != -1 && v != 0 && !(60..=604_800).contains(&v) => Err(ApiError::bad_request(
            "suspend_timeout_seconds must be -1, 0 or between 60 and 604800",
        )),
        _ => Ok(()),
    }
}

/// A new endpoint record (not yet inserted).
pub fn new_endpoint(
    store: &mut Store,
    project_id: &str,
    branch_id: &str,
    kind: &str,
    defaults: &Value,
) -> Endpoint {
    let now = ids::now();
    let min_cu = defaults
        .get("autoscaling_limit_min_cu")
        .and_then(Value::as_f64)
        .unwrap_or(0.25);
    let max_cu = defaults
        .get("autoscaling_limit_max_cu")
        .and_then(Value::as_f64)
        .unwrap_or(min_cu.max(0.25));
    let suspend = defaults
        .get("suspend_timeout_seconds")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    Endpoint {
        id: ids::endpoint_id(),
        seq: store.next_seq(),
        project_id: project_id.to_string(),
        branch_id: branch_id.to_string(),
        kind: kind.to_string(),
        min_cu,
        max_cu,
        suspend_timeout_seconds: suspend,
        target_state: "active".into(),
        settle_at: store.settle_time(),
        disabled: false,
        pooler_enabled: false,
        settings: json!({}),
        name: None,
        created_at: now.clone(),
        updated_at: now,
        started_at: None,
        suspended_at: None,
    }
}

fn endpoint_ops_body(store: &Store, ep: &Endpoint, ops: &[String]) -> Value {
    json!({ "endpoint": render::endpoint(ep, &region(store, &ep.project_id)), "operations": render::operations(store, ops) })
}

/// `POST /projects/{project_id}/endpoints`
pub async fn create(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let e = app::sub_object(&body, "endpoint")?;
    let bid = opt_str(&e, "branch_id")?
        .ok_or_else(|| ApiError::bad_request("endpoint.branch_id is required"))?;
    let kind = opt_str(&e, "type")?.unwrap_or_else(|| "read_write".into());
    if kind != "read_write" && kind != "read_only" {
        return Err(ApiError::bad_request(
            "endpoint type must be read_write or read_only",
        ));
    }
    let min = opt_f64(&e, "autoscaling_limit_min_cu")?;
    let max = opt_f64(&e, "autoscaling_limit_max_cu")?;
    validate_cu(min, max)?;
    let suspend = opt_i64(&e, "suspend_timeout_seconds")?;
    validate_suspend(suspend)?;
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    ensure_no_running_operations(&store, &pid)?;
    if kind == "read_write" && store.branch_rw_endpoint(&bid).is_some() {
        return Err(ApiError::bad_request(format!(
            "branch {bid} already has a read_write endpoint"
        )));
    }
    let mut settings = store
        .projects
        .get(&pid)
        .map(|p| p.default_endpoint_settings.clone())
        .unwrap_or(json!({}));
    if let (Some(s), Some(o)) = (settings.as_object_mut(), e.as_object()) {
        for k in [
            "autoscaling_limit_min_cu",
            "autoscaling_limit_max_cu",
            "suspend_timeout_seconds",
        ] {
            if let Some(v) = o.get(k) {
                s.insert(k.into(), v.clone());
            }
        }
    }
    let mut ep = new_endpoint(&mut store, &pid, &bid, &kind, &settings);
    ep.pooler_enabled = opt_bool(&e, "pooler_enabled")?.unwrap_or(false);
    ep.disabled = opt_bool(&e, "disabled")?.unwrap_or(false);
    ep.name = opt_str(&e, "name")?;
    if let Some(s) = e.get("settings").filter(|s| s.is_object()) {
        ep.settings = s.clone();
    }
    let ops = vec![
        store.add_operation(&pid, Some(&bid), Some(&ep.id), "create_compute"),
        store.add_operation(&pid, Some(&bid), Some(&ep.id), "start_compute"),
    ];
    let body = endpoint_ops_body(&store, &ep, &ops);
    store.endpoints.insert(ep.id.clone(), ep);
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /projects/{project_id}/endpoints`
pub async fn list(State(app): State<Shared>, Path(pid): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let r = region(&store, &pid);
    let eps: Vec<Value> = store
        .project_endpoints(&pid)
        .into_iter()
        .map(|e| render::endpoint(e, &r))
        .collect();
    Ok(Json(json!({ "endpoints": eps })))
}

/// `GET /projects/{project_id}/branches/{branch_id}/endpoints`
pub async fn list_for_branch(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let r = region(&store, &pid);
    let eps: Vec<Value> = store
        .project_endpoints(&pid)
        .into_iter()
        .filter(|e| e.branch_id == bid)
        .map(|e| render::endpoint(e, &r))
        .collect();
    Ok(Json(json!({ "endpoints": eps })))
}

/// `GET /projects/{project_id}/endpoints/{endpoint_id}`
pub async fn get_one(
    State(app): State<Shared>,
    Path((pid, eid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let e = get_endpoint(&store, &pid, &eid)?;
    Ok(Json(
        json!({ "endpoint": render::endpoint(e, &region(&store, &pid)) }),
    ))
}

/// `PATCH /projects/{project_id}/endpoints/{endpoint_id}`
pub async fn update(
    State(app): State<Shared>,
    Path((pid, eid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let e = app::sub_object(&body, "endpoint")?;
    let min = opt_f64(&e, "autoscaling_limit_min_cu")?;
    let max = opt_f64(&e, "autoscaling_limit_max_cu")?;
    let suspend = opt_i64(&e, "suspend_timeout_seconds")?;
    validate_suspend(suspend)?;
    let new_branch = opt_str(&e, "branch_id")?;
    let mut store = app.lock();
    let current = get_endpoint(&store, &pid, &eid)?.clone();
    validate_cu(min.or(Some(current.min_cu)), max.or(Some(current.max_cu)))?;
    ensure_no_running_operations(&store, &pid)?;
    if let Some(b) = &new_branch {
        get_branch(&store, &pid, b)?;
        if current.kind == "read_write"
            && b != &current.branch_id
            && store.branch_rw_endpoint(b).is_some()
        {
            return Err(ApiError::bad_request(format!(
                "branch {b} already has a read_write endpoint"
            )));
        }
    }
    let op = store.add_operation(
        &pid,
        Some(new_branch.as_deref().unwrap_or(&current.branch_id)),
        Some(&eid),
        "apply_config",
    );
    let ep = store
        .endpoints
        .get_mut(&eid)
        .ok_or_else(|| ApiError::not_found("endpoint not found"))?;
    if let Some(v) = min {
        ep.min_cu = v;
    }
    if let Some(v) = max {
        ep.max_cu = v;
    }
    if let Some(v) = suspend {
        ep.suspend_timeout_seconds = v;
    }
    if let Some(b) = new_branch {
        ep.branch_id = b;
    }
    if let Some(d) = opt_bool(&e, "disabled")? {
        ep.disabled = d;
    }
    if let Some(p) = opt_bool(&e, "pooler_enabled")? {
        ep.pooler_enabled = p;
    }
    if let Some(n) = opt_str(&e, "name")? {
        ep.name = Some(n);
    }
    if let Some(s) = e.get("settings").filter(|s| s.is_object()) {
        ep.settings = s.clone();
    }
    ep.updated_at = ids::now();
    let ep = ep.clone();
    Ok(Json(endpoint_ops_body(&store, &ep, &[op])))
}

enum Power {
    Start,
    Suspend,
    Restart,
}

fn power(app: &Shared, pid: &str, eid: &str, what: Power) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let current = get_endpoint(&store, pid, eid)?.clone();
    ensure_no_running_operations(&store, pid)?;
    if current.disabled {
        return Err(ApiError::bad_request(format!("endpoint {eid} is disabled")));
    }
    let bid = current.branch_id.clone();
    let ops = match what {
        Power::Start => vec![store.add_operation(pid, Some(&bid), Some(eid), "start_compute")],
        Power::Suspend => vec![store.add_operation(pid, Some(&bid), Some(eid), "suspend_compute")],
        Power::Restart => vec![
            store.add_operation(pid, Some(&bid), Some(eid), "suspend_compute"),
            store.add_operation(pid, Some(&bid), Some(eid), "start_compute"),
        ],
    };
    let settle = store.settle_time();
    let ep = store
        .endpoints
        .get_mut(eid)
        .ok_or_else(|| ApiError::not_found("endpoint not found"))?;
    let now = ids::now();
    match what {
        Power::Start | Power::Restart => {
            ep.target_state = "active".into();
            ep.started_at = Some(now.clone());
        }
        Power::Suspend => {
            ep.target_state = "idle".into();
            ep.suspended_at = Some(now.clone());
        }
    }
    ep.settle_at = settle;
    ep.updated_at = now;
    let ep = ep.clone();
    Ok(Json(endpoint_ops_body(&store, &ep, &ops)))
}

/// `POST /projects/{project_id}/endpoints/{endpoint_id}/start`
pub async fn start(
    State(app): State<Shared>,
    Path((pid, eid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    power(&app, &pid, &eid, Power::Start)
}

/// `POST /projects/{project_id}/endpoints/{endpoint_id}/suspend`
pub async fn suspend(
    State(app): State<Shared>,
    Path((pid, eid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    power(&app, &pid, &eid, Power::Suspend)
}

/// `POST /projects/{project_id}/endpoints/{endpoint_id}/restart`
pub async fn restart(
    State(app): State<Shared>,
    Path((pid, eid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    power(&app, &pid, &eid, Power::Restart)
}

/// `DELETE /projects/{project_id}/endpoints/{endpoint_id}`
pub async fn delete(
    State(app): State<Shared>,
    Path((pid, eid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let ep = get_endpoint(&store, &pid, &eid)?.clone();
    ensure_no_running_operations(&store, &pid)?;
    let op = store.add_operation(&pid, Some(&ep.branch_id), Some(&eid), "suspend_compute");
    store.endpoints.remove(&eid);
    Ok(Json(endpoint_ops_body(&store, &ep, &[op])))
}

/// Marks an endpoint active because a query arrived (computes wake up on connection).
pub fn wake(store: &mut Store, eid: &str) {
    if let Some(ep) = store.endpoints.get_mut(eid) {
        if ep.target_state != "active" {
            ep.target_state = "active".into();
            ep.started_at = Some(ids::now());
            ep.settle_at = Instant::now();
        }
    }
}
