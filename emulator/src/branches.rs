//! Branches: create from a parent (at a timestamp or LSN), list, count, get, update, set as
//! default, delete.

mod create;
mod records;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::app::{
    self, ensure_no_running_operations, get_branch, get_project, opt_bool, opt_str, parse_body,
    QueryMap, Shared,
};
use crate::error::{ApiError, ApiResult};
use crate::history;
use crate::ids;
use crate::listing::ListParams;
use crate::render;
use crate::state::{Branch, Store};
pub use create::create;
pub use records::{branch_connection_uris, copy_databases, materialize, new_branch};

fn search_filter<'a>(store: &'a Store, pid: &str, q: &QueryMap) -> Vec<&'a Branch> {
    let search = q
        .get("search")
        .map(|s| s.to_lowercase())
        .filter(|s| !s.is_empty());
    store
        .project_branches(pid)
        .into_iter()
        .filter(|b| {
            search
                .as_ref()
                .is_none_or(|s| b.name.to_lowercase().contains(s) || b.id.contains(s.as_str()))
        })
        .collect()
}

/// `GET /projects/{project_id}/branches`
pub async fn list(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let params = ListParams::parse(&q, &["updated_at", "name", "created_at"], 10_000)?;
    let mut listed: Vec<&Branch> = search_filter(&store, &pid, &q);
    let deleted = crate::recovery::deleted_branches(&store, &pid);
    if crate::app::query_flag(&q, "include_deleted") {
        listed.extend(deleted.iter());
    }
    let (page, pagination) = params.page(
        listed,
        |b| match params.sort_by() {
            "name" => b.name.clone(),
            "created_at" => b.created_at.clone(),
            _ => b.updated_at.clone(),
        },
        |b| b.id.clone(),
    )?;
    let branches: Vec<Value> = page
        .into_iter()
        .map(|b| crate::recovery::listed_branch_json(&store, b))
        .collect();
    Ok(Json(
        json!({ "branches": branches, "annotations": {}, "pagination": pagination }),
    ))
}

/// `GET /projects/{project_id}/branches/count`
pub async fn count(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    Ok(Json(
        json!({ "count": search_filter(&store, &pid, &q).len() }),
    ))
}

/// `GET /projects/{project_id}/branches/{branch_id}`
pub async fn get_one(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let b = get_branch(&store, &pid, &bid)?;
    Ok(Json(json!({
        "branch": render::branch(b),
        "annotation": { "object": { "type": "console/branch", "id": b.id }, "value": {} },
    })))
}

/// `PATCH /projects/{project_id}/branches/{branch_id}`
pub async fn update(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let b = app::sub_object(&body, "branch")?;
    let name = opt_str(&b, "name")?;
    let protected = opt_bool(&b, "protected")?;
    let expires_at = opt_str(&b, "expires_at")?;
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let branch = store
        .branches
        .get_mut(&bid)
        .ok_or_else(|| ApiError::not_found("branch not found"))?;
    if let Some(n) = name {
        app::validate_display_name("branch", &n)?;
        branch.name = n;
    }
    if let Some(p) = protected {
        branch.protected = p;
    }
    if expires_at.is_some() {
        branch.expires_at = expires_at;
    }
    branch.updated_at = ids::now();
    let branch = branch.clone();
    Ok(Json(
        json!({ "branch": render::branch(&branch), "operations": [] }),
    ))
}

/// `POST /projects/{project_id}/branches/{branch_id}/set_as_default`
pub async fn set_as_default(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    ensure_no_running_operations(&store, &pid)?;
    let now = ids::now();
    for b in store.branches.values_mut().filter(|b| b.project_id == pid) {
        let was = b.default;
        b.default = b.id == bid;
        if was != b.default {
            b.updated_at = now.clone();
        }
    }
    let branch = get_branch(&store, &pid, &bid)?.clone();
    Ok(Json(
        json!({ "branch": render::branch(&branch), "operations": [] }),
    ))
}

/// `DELETE /projects/{project_id}/branches/{branch_id}`
pub async fn delete(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let resp = {
        let mut store = app.lock();
        let branch = get_branch(&store, &pid, &bid)?.clone();
        ensure_no_running_operations(&store, &pid)?;
        if branch.default {
            return Err(ApiError::bad_request(
                "cannot delete the project's default branch",
            ));
        }
        if store
            .branches
            .values()
            .any(|b| b.parent_id.as_deref() == Some(bid.as_str()))
        {
            return Err(ApiError::bad_request(
                "cannot delete a branch that has child branches",
            ));
        }
        let other_roots = store
            .branches
            .values()
            .filter(|b| b.project_id == pid && b.parent_id.is_none() && b.id != bid)
            .count();
        if branch.parent_id.is_none() && other_roots == 0 {
            return Err(ApiError::bad_request(
                "cannot delete the project's root branch",
            ));
        }
        if branch.protected {
            return Err(ApiError::bad_request("cannot delete a protected branch"));
        }
        let eps: Vec<String> = store
            .endpoints
            .values()
            .filter(|e| e.branch_id == bid)
            .map(|e| e.id.clone())
            .collect();
        let mut ops = Vec::new();
        let mut removed = Vec::new();
        for e in &eps {
            ops.push(store.add_operation(&pid, Some(&bid), Some(e), "suspend_compute"));
            removed.extend(store.endpoints.remove(e));
        }
        ops.push(store.add_operation(&pid, Some(&bid), None, "delete_timeline"));
        store.branches.remove(&bid);
        let resp = json!({ "branch": render::branch(&branch), "operations": render::operations(&store, &ops) });
        let mut dbs = history::base_databases(&branch);
        dbs.extend(branch.databases.iter().map(|d| d.pg_name.clone()));
        crate::recovery::keep_branch(&mut store, branch, removed, dbs);
        resp
    };
    crate::recovery::purge_expired(&app).await;
    Ok(Json(resp))
}
