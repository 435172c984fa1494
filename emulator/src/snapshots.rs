//! Snapshots of root branches: create, list, update, delete, restore (finalized at once or as
//! a new branch) and `finalize_restore`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::app::{
    self, ensure_no_running_operations, get_branch, get_project, opt_bool, opt_str, parse_body,
    BusyGuard, QueryMap, Shared,
};
use crate::branches::{copy_databases, materialize, new_branch};
use crate::endpoints::new_endpoint;
use crate::error::{ApiError, ApiResult};
use crate::history;
use crate::ids;
use crate::render;
use crate::state::{Snapshot, Store};

fn get_snapshot<'a>(store: &'a Store, pid: &str, sid: &str) -> ApiResult<&'a Snapshot> {
    get_project(store, pid)?;
    store
        .snapshots
        .get(sid)
        .filter(|s| s.project_id == pid)
        .ok_or_else(|| ApiError::not_found(format!("snapshot {sid} not found")))
}

/// `POST /projects/{project_id}/branches/{branch_id}/snapshot`
pub async fn create(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    if let Some(exp) = q.get("expires_at") {
        chrono::DateTime::parse_from_rfc3339(exp)
            .map_err(|_| ApiError::bad_request("expires_at must be an RFC 3339 timestamp"))?;
    }
    let (copies, point, roles, source_lsn, _busy) = {
        let mut store = app.lock();
        let b = get_branch(&store, &pid, &bid)?.clone();
        if b.parent_id.is_some() {
            return Err(ApiError::bad_request(
                "snapshots can only be created from root branches",
            ));
        }
        ensure_no_running_operations(&store, &pid)?;
        let point = history::point(
            &b,
            q.get("lsn").map(String::as_str),
            q.get("timestamp").map(String::as_str),
        )?;
        let copies = match point {
            Some(_) => Vec::new(),
            None => copy_databases(&mut store, &b.databases),
        };
        let busy = BusyGuard::mark(&app, &mut store, &pid);
        (copies, point, b.roles.clone(), b.lsn, busy)
    };
    let databases = match point {
        Some(lsn) => history::materialize_at(&app, &bid, lsn).await?,
        None => {
            materialize(&app, &copies).await?;
            copies.into_iter().map(|(c, _)| c).collect()
        }
    };
    let at = point.unwrap_or(source_lsn);
    let mut store = app.lock();
    let now = ids::now();
    let id = ids::snapshot_id();
    let snap = Snapshot {
        id: id.clone(),
        seq: store.next_seq(),
        project_id: pid.clone(),
        name: q
            .get("name")
            .cloned()
            .unwrap_or_else(|| format!("{bid} snapshot {now}")),
        source_branch_id: bid.clone(),
        lsn: history::lsn_string(at),
        timestamp: q.get("timestamp").cloned().unwrap_or_else(|| now.clone()),
        created_at: now,
        expires_at: q.get("expires_at").cloned(),
        databases,
        roles,
    };
    let op = store.add_operation(&pid, Some(&bid), None, "create_timeline");
    let body = json!({ "snapshot": render::snapshot(&snap), "operations": render::operations(&store, &[op]) });
    store.snapshots.insert(id, snap);
    Ok(Json(body))
}

/// `GET /projects/{project_id}/snapshots`
pub async fn list(State(app): State<Shared>, Path(pid): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let mut snaps: Vec<&Snapshot> = store
        .snapshots
        .values()
        .filter(|s| s.project_id == pid)
        .collect();
    snaps.sort_by_key(|s| s.seq);
    Ok(Json(
        json!({ "snapshots": snaps.into_iter().map(render::snapshot).collect::<Vec<_>>() }),
    ))
}

/// `PATCH /projects/{project_id}/snapshots/{snapshot_id}`
pub async fn update(
    State(app): State<Shared>,
    Path((pid, sid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let s = app::sub_object(&body, "snapshot")?;
    let name = opt_str(&s, "name")?;
    // Neon's newer API (not the pinned spec) also takes `expires_at`; `null` clears it.
    let expires_at = opt_str(&s, "expires_at")?;
    let clear_expiry = s.get("expires_at").is_some_and(Value::is_null);
    let mut store = app.lock();
    get_snapshot(&store, &pid, &sid)?;
    let snap = store
        .snapshots
        .get_mut(&sid)
        .ok_or_else(|| ApiError::not_found("snapshot not found"))?;
    if let Some(n) = name {
        if n.is_empty() {
            return Err(ApiError::bad_request("snapshot name must not be empty"));
        }
        snap.name = n;
    }
    if expires_at.is_some() || clear_expiry {
        snap.expires_at = expires_at;
    }
    Ok(Json(json!({ "snapshot": render::snapshot(snap) })))
}

/// `DELETE /projects/{project_id}/snapshots/{snapshot_id}`
pub async fn delete(
    State(app): State<Shared>,
    Path((pid, sid)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    let (body, dbs) = {
        let mut store = app.lock();
        let snap = get_snapshot(&store, &pid, &sid)?.clone();
        ensure_no_running_operations(&store, &pid)?;
        let op = store.add_operation(&pid, Some(&snap.source_branch_id), None, "delete_timeline");
        store.snapshots.remove(&sid);
        (
            json!({ "operations": render::operations(&store, &[op]) }),
            snap.databases.into_iter().map(|d| d.pg_name).collect(),
        )
    };
    app.pg_drop_all(dbs).await;
    Ok((StatusCode::ACCEPTED, Json(body)))
}

/// Moves `target`'s endpoints to `restored`, swaps names and the default flag; returns op ids.
fn swap_in(
    store: &mut Store,
    pid: &str,
    restored_id: &str,
    target_id: &str,
    old_name: Option<String>,
) -> ApiResult<Vec<String>> {
    let target = get_branch(store, pid, target_id)?.clone();
    let mut ops = Vec::new();
    let own: Vec<String> = store
        .endpoints
        .values()
        .filter(|e| e.branch_id == restored_id)
        .map(|e| e.id.clone())
        .collect();
    for e in own {
        store.endpoints.remove(&e);
    }
    let moved: Vec<String> = store
        .endpoints
        .values()
        .filter(|e| e.branch_id == target_id)
        .map(|e| e.id.clone())
        .collect();
    let settle = store.settle_time();
    for e in &moved {
        ops.push(store.add_operation(pid, Some(restored_id), Some(e), "suspend_compute"));
        ops.push(store.add_operation(pid, Some(restored_id), Some(e), "start_compute"));
        if let Some(ep) = store.endpoints.get_mut(e) {
            ep.branch_id = restored_id.to_string();
            ep.target_state = "active".into();
            ep.settle_at = settle;
            ep.updated_at = ids::now();
        }
    }
    let now = ids::now();
    if let Some(t) = store.branches.get_mut(target_id) {
        t.name = old_name.unwrap_or_else(|| format!("{} (old)", target.name));
        t.default = false;
        t.restored_as = Some(restored_id.to_string());
        t.updated_at = now.clone();
    }
    if let Some(r) = store.branches.get_mut(restored_id) {
        r.name = target.name.clone();
        r.default = target.default;
        r.restore_status = Some("finalized".into());
        r.restore_target = None;
        r.updated_at = now;
    }
    Ok(ops)
}

/// `POST /projects/{project_id}/snapshots/{snapshot_id}/restore`
pub async fn restore(
    State(app): State<Shared>,
    Path((pid, sid)): Path<(String, String)>,
    Query(q): Query<QueryMap>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let finalize = opt_bool(&body, "finalize_restore")?.unwrap_or(false);
    let name = opt_str(&body, "name")?.or_else(|| q.get("name").cloned());
    let target_req = opt_str(&body, "target_branch_id")?;
    let (copies, roles, target_id, snap_name, snap_lsn, _busy) = {
        let mut store = app.lock();
        let snap = get_snapshot(&store, &pid, &sid)?.clone();
        ensure_no_running_operations(&store, &pid)?;
        let target_id = target_req.unwrap_or_else(|| snap.source_branch_id.clone());
        if finalize {
            get_branch(&store, &pid, &target_id)?;
        }
        let copies = copy_databases(&mut store, &snap.databases);
        let busy = BusyGuard::mark(&app, &mut store, &pid);
        let lsn = history::parse_lsn(&snap.lsn).unwrap_or(0x1_4E0_000);
        (
            copies,
            snap.roles.clone(),
            target_id,
            snap.name.clone(),
            lsn,
            busy,
        )
    };
    materialize(&app, &copies).await?;
    let fresh: Vec<_> = copies.iter().map(|(c, _)| c.clone()).collect();
    let base = match history::base_copies(&app, &fresh).await {
        Ok(b) => b,
        Err(e) => {
            app.pg_drop_all(fresh.into_iter().map(|d| d.pg_name).collect())
                .await;
            return Err(e);
        }
    };
    let target_gone = finalize && get_branch(&app.lock(), &pid, &target_id).is_err();
    if target_gone {
        let mut dbs: Vec<String> = copies.into_iter().map(|(c, _)| c.pg_name).collect();
        if let history::Base::Copies(c) = &base {
            dbs.extend(c.iter().map(|(_, p)| p.clone()));
        }
        app.pg_drop_all(dbs).await;
        return Err(ApiError::not_found(format!("branch {target_id} not found")));
    }
    let mut store = app.lock();
    let databases = copies.into_iter().map(|(c, _)| c).collect();
    let default_name = format!("{snap_name} (restored)");
    let mut branch = new_branch(
        &mut store,
        &pid,
        Some(name.clone().unwrap_or(default_name)),
        databases,
        roles,
    );
    branch.restore_status = Some("restored".into());
    branch.base = base;
    branch.lsn = snap_lsn;
    branch.start_lsn = snap_lsn;
    branch.restored_from = Some(sid.clone());
    branch.restore_target = Some(target_id.clone());
    let bid = branch.id.clone();
    let mut ops = vec![store.add_operation(&pid, Some(&bid), None, "create_timeline")];
    store.branches.insert(bid.clone(), branch);
    if finalize {
        ops.extend(swap_in(&mut store, &pid, &bid, &target_id, None)?);
    } else {
        let defaults = store
            .projects
            .get(&pid)
            .map(|p| p.default_endpoint_settings.clone())
            .unwrap_or(json!({}));
        let ep = new_endpoint(&mut store, &pid, &bid, "read_write", &defaults);
        ops.push(store.add_operation(&pid, Some(&bid), Some(&ep.id), "start_compute"));
        store.endpoints.insert(ep.id.clone(), ep);
    }
    let region = store
        .projects
        .get(&pid)
        .map(|p| p.region_id.clone())
        .unwrap_or_default();
    let branch = get_branch(&store, &pid, &bid)?;
    let eps: Vec<Value> = store
        .project_endpoints(&pid)
        .into_iter()
        .filter(|e| e.branch_id == bid)
        .map(|e| render::endpoint(e, &region))
        .collect();
    Ok(Json(
        json!({ "branch": render::branch(branch), "endpoints": eps, "operations": render::operations(&store, &ops) }),
    ))
}

/// `POST /projects/{project_id}/branches/{branch_id}/finalize_restore`
pub async fn finalize_restore(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let old_name = opt_str(&body, "name")?;
    let mut store = app.lock();
    let b = get_branch(&store, &pid, &bid)?.clone();
    if b.restore_status.as_deref() != Some("restored") {
        return Err(ApiError::bad_request(format!(
            "branch {bid} is not a restored branch waiting to be finalized"
        )));
    }
    let target = b
        .restore_target
        .clone()
        .ok_or_else(|| ApiError::bad_request("branch has no restore target"))?;
    get_branch(&store, &pid, &target)?;
    ensure_no_running_operations(&store, &pid)?;
    let ops = swap_in(&mut store, &pid, &bid, &target, old_name)?;
    Ok(Json(
        json!({ "operations": render::operations(&store, &ops) }),
    ))
}

/// The snapshot routes.
pub fn routes() -> axum::Router<Shared> {
    use axum::routing::{get, patch, post};
    axum::Router::new()
        .route(
            "/projects/{project_id}/branches/{branch_id}/finalize_restore",
            post(finalize_restore),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/snapshot",
            post(create),
        )
        .route("/projects/{project_id}/snapshots", get(list))
        .route(
            "/projects/{project_id}/snapshots/{snapshot_id}",
            patch(update).delete(delete),
        )
        .route(
            "/projects/{project_id}/snapshots/{snapshot_id}/restore",
            post(restore),
        )
}
