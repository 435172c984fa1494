//! Organizations, the current user, project transfers, API keys, regions and consumption.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::app::{get_project, opt_str, parse_body, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::render::{USER_EMAIL, USER_ID};
use crate::state::{ApiKey, Organization, Store};

/// Neon's limit of projects per transfer request.
pub const MAX_TRANSFER: usize = 400;

fn org_json(o: &Organization) -> Value {
    json!({ "id": o.id, "name": o.name, "handle": o.handle, "plan": o.plan, "created_at": o.created_at,
            "updated_at": o.updated_at, "managed_by": "console", "allow_hipaa_projects": false, "require_mfa": false })
}

fn get_org<'a>(store: &'a Store, id: &str) -> ApiResult<&'a Organization> {
    store
        .organizations
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("organization {id} not found")))
}

/// `GET /organizations/{org_id}`
pub async fn get_organization(
    State(app): State<Shared>,
    Path(oid): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    Ok(Json(org_json(get_org(&store, &oid)?)))
}

/// `GET /users/me`
pub async fn current_user() -> Json<Value> {
    Json(json!({
        "active_seconds_limit": 0, "auth_accounts": [{ "email": USER_EMAIL, "image": "", "login": "emulator",
            "name": "Emulator User", "provider": "github" }],
        "email": USER_EMAIL, "id": USER_ID, "image": "", "login": "emulator", "name": "Emulator",
        "last_name": "User", "projects_limit": 1000, "branches_limit": 5000, "max_autoscaling_limit": 8, "plan": "free_v3",
    }))
}

/// `GET /users/me/organizations`
pub async fn current_user_organizations(State(app): State<Shared>) -> Json<Value> {
    let store = app.lock();
    Json(json!({ "organizations": store.organizations.values().map(org_json).collect::<Vec<_>>() }))
}

fn transfer(app: &Shared, source: Option<&str>, body: &Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(body)?;
    let dest = opt_str(&body, "destination_org_id")?
        .ok_or_else(|| ApiError::bad_request("destination_org_id is required"))?;
    let ids: Vec<String> = match body.get("project_ids") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::bad_request("project_ids must be an array of strings"))?,
        _ => return Err(ApiError::bad_request("project_ids is required")),
    };
    if ids.is_empty() {
        return Err(ApiError::bad_request("project_ids must not be empty"));
    }
    if ids.len() > MAX_TRANSFER {
        return Err(ApiError::bad_request(format!(
            "too many projects: at most {MAX_TRANSFER} projects can be transferred per request, got {}",
            ids.len()
        )));
    }
    let mut store = app.lock();
    if let Some(src) = source {
        get_org(&store, src)?;
    }
    get_org(&store, &dest)?;
    let source = source
        .map(str::to_string)
        .unwrap_or_else(|| store.default_org_id.clone());
    for id in &ids {
        let p = get_project(&store, id)?;
        if p.org_id != source {
            return Err(ApiError::unprocessable(format!(
                "project {id} does not belong to organization {source}"
            )));
        }
    }
    let now = ids::now();
    for id in &ids {
        if let Some(p) = store.projects.get_mut(id) {
            p.org_id = dest.clone();
            p.updated_at = now.clone();
        }
    }
    Ok(Json(json!({})))
}

/// `POST /organizations/{source_org_id}/projects/transfer`
pub async fn transfer_from_org(
    State(app): State<Shared>,
    Path(src): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    transfer(&app, Some(&src), &body)
}

/// `POST /users/me/projects/transfer`
pub async fn transfer_from_user(State(app): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    transfer(&app, None, &body)
}

fn key_item(k: &ApiKey) -> Value {
    json!({ "id": k.id, "name": k.name, "created_at": k.created_at,
            "created_by": { "id": USER_ID, "name": "Emulator User", "image": "" },
            "last_used_at": null, "last_used_from_addr": "" })
}

fn create_key(store: &mut Store, body: &Value, org: Option<&str>) -> ApiResult<Value> {
    let name =
        opt_str(body, "key_name")?.ok_or_else(|| ApiError::bad_request("key_name is required"))?;
    let id = store.api_keys.len() as i64 + 1;
    let k = ApiKey {
        id,
        name,
        key: ids::api_key_secret(),
        created_at: ids::now(),
        revoked: false,
        org_id: org.map(str::to_string),
    };
    let v = json!({ "id": k.id, "key": k.key, "name": k.name, "created_at": k.created_at, "created_by": USER_ID });
    store.api_keys.push(k);
    Ok(v)
}

fn revoke_key(store: &mut Store, key_id: &str, org: Option<&str>) -> ApiResult<Value> {
    let id: i64 = key_id
        .parse()
        .map_err(|_| ApiError::bad_request("key_id must be an integer"))?;
    let k = store
        .api_keys
        .iter_mut()
        .find(|k| k.id == id && k.org_id.as_deref() == org)
        .ok_or_else(|| ApiError::not_found(format!("API key {id} not found")))?;
    k.revoked = true;
    Ok(
        json!({ "id": k.id, "name": k.name, "created_at": k.created_at, "created_by": USER_ID,
               "last_used_at": null, "last_used_from_addr": "", "revoked": true }),
    )
}

/// `GET /api_keys`
pub async fn list_api_keys(State(app): State<Shared>) -> Json<Value> {
    let store = app.lock();
    Json(Value::Array(
        store
            .api_keys
            .iter()
            .filter(|k| !k.revoked && k.org_id.is_none())
            .map(key_item)
            .collect(),
    ))
}

/// `POST /api_keys`
pub async fn create_api_key(State(app): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    Ok(Json(create_key(&mut app.lock(), &body, None)?))
}

/// `DELETE /api_keys/{key_id}`
pub async fn revoke_api_key(
    State(app): State<Shared>,
    Path(kid): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(revoke_key(&mut app.lock(), &kid, None)?))
}

/// `GET /organizations/{org_id}/api_keys`
pub async fn list_org_api_keys(
    State(app): State<Shared>,
    Path(oid): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_org(&store, &oid)?;
    let items = store
        .api_keys
        .iter()
        .filter(|k| !k.revoked && k.org_id.as_deref() == Some(oid.as_str()))
        .map(key_item)
        .collect();
    Ok(Json(Value::Array(items)))
}

/// `POST /organizations/{org_id}/api_keys`
pub async fn create_org_api_key(
    State(app): State<Shared>,
    Path(oid): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let mut store = app.lock();
    get_org(&store, &oid)?;
    Ok(Json(create_key(&mut store, &body, Some(&oid))?))
}

/// `DELETE /organizations/{org_id}/api_keys/{key_id}`
pub async fn revoke_org_api_key(
    State(app): State<Shared>,
    Path((oid, kid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_org(&store, &oid)?;
    Ok(Json(revoke_key(&mut store, &kid, Some(&oid))?))
}

/// The regions the emulator offers: id, name, latitude, longitude (the first is the default).
pub const REGIONS: [(&str, &str, &str, &str); 2] = [
    ("aws-us-east-2", "AWS US East 2 (Ohio)", "39.96", "-83.0"),
    (
        "aws-eu-central-1",
        "AWS Europe Central 1 (Frankfurt)",
        "50.11",
        "8.68",
    ),
];

/// `GET /regions`
pub async fn regions() -> Json<Value> {
    let regions: Vec<Value> = REGIONS
        .iter()
        .enumerate()
        .map(|(i, (id, name, lat, long))| {
            json!({ "region_id": id, "name": name, "default": i == 0, "geo_lat": lat, "geo_long": long })
        })
        .collect();
    Json(json!({ "regions": regions }))
}

/// `GET /projects/{project_id}/consumption`
pub async fn project_consumption(
    State(app): State<Shared>,
    Path(pid): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let p = get_project(&store, &pid)?;
    let branches = store.project_branches(&pid).len() as i64;
    Ok(Json(json!({
        "project_id": p.id, "period_start": p.created_at, "period_end": ids::now(),
        "compute_time_seconds": 0, "active_time_seconds": 0,
        "data_storage_bytes_hour": 30_785_536 * branches, "data_transfer_bytes": 0,
        "written_data_bytes": 30_785_536 * branches,
    })))
}

fn required<'a>(q: &'a QueryMap, key: &str) -> ApiResult<&'a String> {
    q.get(key)
        .ok_or_else(|| ApiError::bad_request(format!("{key} is required")))
}

fn period(q: &QueryMap, v2_metrics: Option<&[String]>) -> ApiResult<Value> {
    let from = required(q, "from")?;
    let to = required(q, "to")?;
    let granularity = required(q, "granularity")?;
    if !["hourly", "daily", "monthly"].contains(&granularity.as_str()) {
        return Err(ApiError::bad_request(
            "granularity must be hourly, daily or monthly",
        ));
    }
    for t in [from, to] {
        chrono::DateTime::parse_from_rfc3339(t)
            .map_err(|_| ApiError::bad_request("from and to must be RFC 3339 timestamps"))?;
    }
    let frame = match v2_metrics {
        Some(metrics) => json!({ "timeframe_start": from, "timeframe_end": to,
            "metrics": metrics.iter().map(|m| json!({ "metric_name": m, "value": 0 })).collect::<Vec<_>>() }),
        None => {
            json!({ "timeframe_start": from, "timeframe_end": to, "active_time_seconds": 0, "compute_time_seconds": 0,
            "written_data_bytes": 0, "synthetic_storage_size_bytes": 0 })
        }
    };
    Ok(
        json!([{ "period_id": "00000000-0000-4000-8000-000000000001", "period_plan": "free_v3",
                "period_start": from, "consumption": [frame] }]),
    )
}

fn project_ids(store: &Store, q: &QueryMap) -> Vec<String> {
    match q.get("project_ids") {
        Some(ids) => ids
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        None => store
            .projects
            .values()
            .filter(|p| !p.claimable)
            .map(|p| p.id.clone())
            .collect(),
    }
}

fn metrics(q: &QueryMap) -> ApiResult<Vec<String>> {
    Ok(required(q, "metrics")?
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// `GET /consumption_history/projects`
pub async fn consumption_history_v1(
    State(app): State<Shared>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let periods = period(&q, None)?;
    let store = app.lock();
    let projects: Vec<Value> = project_ids(&store, &q)
        .into_iter()
        .map(|id| json!({ "project_id": id, "periods": periods }))
        .collect();
    Ok(Json(json!({ "projects": projects })))
}

/// `GET /consumption_history/v2/projects`
pub async fn consumption_history_v2_projects(
    State(app): State<Shared>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    required(&q, "org_id")?;
    let periods = period(&q, Some(&metrics(&q)?))?;
    let store = app.lock();
    let projects: Vec<Value> = project_ids(&store, &q)
        .into_iter()
        .map(|id| json!({ "project_id": id, "periods": periods }))
        .collect();
    Ok(Json(json!({ "projects": projects })))
}

/// `GET /consumption_history/v2/branches`
pub async fn consumption_history_v2_branches(
    State(app): State<Shared>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    required(&q, "org_id")?;
    required(&q, "project_ids")?;
    let periods = period(&q, Some(&metrics(&q)?))?;
    let store = app.lock();
    let mut branches = Vec::new();
    for pid in project_ids(&store, &q) {
        for b in store.project_branches(&pid) {
            branches.push(json!({ "project_id": pid, "branch_id": b.id, "periods": periods }));
        }
    }
    Ok(Json(json!({ "branches": branches })))
}
