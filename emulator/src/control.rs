//! `/__emulator/*`: the test control plane (faults, reset, settings, claim transitions).

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{parse_body, Shared};
use crate::claimable;
use crate::error::{ApiError, ApiResult};
use crate::faults::FaultRule;
use crate::ids;
use crate::projects::remove_project;
use crate::state::Organization;

/// Routes of the control plane.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/__emulator/health", get(health))
        .route(
            "/__emulator/faults",
            post(add_faults).delete(clear_faults).get(list_faults),
        )
        .route("/__emulator/reset", post(reset))
        .route("/__emulator/config", post(set_config))
        .route("/__emulator/requests", get(list_requests))
        .route("/__emulator/claimable", get(list_claimables))
        .route("/__emulator/claimable/{id}/advance", post(advance))
        .route("/__emulator/claimable/{id}/expire", post(expire))
        .route("/__emulator/organizations", post(add_organization))
}

async fn health(State(app): State<Shared>) -> Json<Value> {
    let pg = app.pg.as_ref();
    Json(json!({
        "ok": true,
        "postgres": pg.map(|p| p.address.clone()),
        "postgres_data_dir": pg.and_then(|p| p.data_dir()).map(|d| d.to_string_lossy().to_string()),
    }))
}

/// Adds one rule (`{path, status, times, ...}`) or several (`{"faults": [...]}`).
async fn add_faults(State(app): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let rules: Vec<FaultRule> = match body.get("faults") {
        Some(list) => serde_json::from_value(list.clone()),
        None => serde_json::from_value(body.clone()).map(|r| vec![r]),
    }
    .map_err(|e| ApiError::bad_request(format!("invalid fault rule: {e}")))?;
    let mut faults = app.faults();
    for r in rules {
        faults.add(r);
    }
    Ok(Json(json!({ "pending": faults.pending() })))
}

async fn clear_faults(State(app): State<Shared>) -> Json<Value> {
    app.faults().clear();
    Json(json!({ "pending": 0 }))
}

async fn list_faults(State(app): State<Shared>) -> Json<Value> {
    let f = app.faults();
    Json(json!({ "pending": f.pending(), "applied": f.applied }))
}

/// Forgets every project, claimable database, fault and rate-limit counter.
async fn reset(State(app): State<Shared>) -> Json<Value> {
    let dbs = {
        let mut store = app.lock();
        let ids: Vec<String> = store.projects.keys().cloned().collect();
        let mut dbs = Vec::new();
        for id in ids {
            dbs.extend(remove_project(&mut store, &id));
        }
        dbs.extend(crate::recovery::purge(&mut store, true));
        store.claimables.clear();
        store.api_keys.clear();
        dbs
    };
    app.faults().clear();
    app.limiter().reset();
    app.claimable_neon.reset();
    app.pg_drop_all(dbs).await;
    Json(json!({ "ok": true }))
}

/// The Management requests the rate limiter saw since the last reset or config change.
async fn list_requests(State(app): State<Shared>) -> Json<Value> {
    Json(app.limiter().journal())
}

/// Changes `op_duration_ms`, `rate_limit_per_minute`, `rate_limit_route_per_second` at run time.
async fn set_config(State(app): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let num = |k: &str| -> ApiResult<Option<u64>> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                ApiError::bad_request(format!("{k} must be a non-negative integer"))
            }),
        }
    };
    if let Some(ms) = num("op_duration_ms")? {
        app.lock().op_duration = Duration::from_millis(ms);
    }
    if let Some(n) = num("fail_next_operations")? {
        app.lock().fail_next_operations = n.min(u32::MAX as u64) as u32;
    }
    let per_minute = num("rate_limit_per_minute")?;
    let per_route = num("rate_limit_route_per_second")?;
    let mut limiter = app.limiter();
    if let Some(v) = per_minute {
        limiter.per_minute = v.min(u32::MAX as u64) as u32;
    }
    if let Some(v) = per_route {
        limiter.per_route_second = v.min(u32::MAX as u64) as u32;
    }
    limiter.reset();
    Ok(Json(
        json!({ "rate_limit_per_minute": limiter.per_minute, "rate_limit_route_per_second": limiter.per_route_second }),
    ))
}

/// Moves a claimable database to the next status, or to `{"status": ...}`.
async fn advance(
    State(app): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let status = body
        .get("status")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Json(claimable::advance(&app, &id, status.as_deref())?))
}

/// Lists claimable databases with their referrers (what the real service tracks internally).
async fn list_claimables(State(app): State<Shared>) -> Json<Value> {
    let store = app.lock();
    let list: Vec<Value> = store
        .claimables
        .values()
        .map(|c| json!({ "id": c.id, "status": c.status, "ref": c.referrer,
                         "enable_logical_replication": c.enable_logical_replication, "neon_project_id": c.project_id }))
        .collect();
    Json(json!({ "databases": list }))
}

/// Adds an organization (`{"name": ..., "plan": ...}`), e.g. a paid one to transfer projects to.
async fn add_organization(State(app): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("Emulator organization")
        .to_string();
    let plan = body
        .get("plan")
        .and_then(Value::as_str)
        .unwrap_or("scale")
        .to_string();
    let now = ids::now();
    let org = Organization {
        id: ids::org_id(),
        handle: name.to_lowercase().replace(' ', "-"),
        name,
        plan,
        created_at: now.clone(),
        updated_at: now,
    };
    let v = json!({ "id": org.id, "name": org.name, "handle": org.handle, "plan": org.plan });
    app.lock().organizations.insert(org.id.clone(), org);
    Ok(Json(v))
}

/// Lets a claimable database expire now: it and its project disappear ("Database not found").
async fn expire(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let dbs = {
        let mut store = app.lock();
        let c = store
            .claimables
            .remove(&id)
            .ok_or_else(|| ApiError::bad_request("Database not found"))?;
        if c.status == "CLAIMED" {
            store.claimables.insert(id.clone(), c);
            return Err(ApiError::bad_request("a claimed database does not expire"));
        }
        remove_project(&mut store, &c.project_id)
    };
    app.pg_drop_all(dbs).await;
    Ok(Json(json!({ "expired": id })))
}
