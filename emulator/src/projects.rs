//! Projects: create (with default branch, endpoint, role, database), list, get, update, delete,
//! and connection URIs.

mod create;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::app::{
    self, get_branch, get_project, opt_i64, opt_str, parse_body, query_flag, QueryMap, Shared,
};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::render;
use crate::state::{Project, Store};
pub use create::{create, create_project, NewProject};

fn merge(mut base: Value, overlay: Option<&Value>) -> Value {
    if let (Some(b), Some(Value::Object(o))) = (base.as_object_mut(), overlay) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

/// `GET /projects`
pub async fn list(State(app): State<Shared>, Query(q): Query<QueryMap>) -> ApiResult<Json<Value>> {
    crate::recovery::purge_expired(&app).await;
    let store = app.lock();
    let org = q.get("org_id");
    if crate::app::query_flag(&q, "recoverable") {
        return Ok(Json(
            json!({ "projects": crate::recovery::recoverable_projects(&store),
                               "applications": {}, "integrations": {} }),
        ));
    }
    Ok(Json(list_page(&store, &q, |p| {
        org.is_none_or(|o| &p.org_id == o)
    })?))
}

/// A page of the listed projects `keep` selects (claimable ones never), searched by name or
/// id, in creation order, with a `{cursor}` pagination: `listProjects`, `listSharedProjects`.
pub fn list_page(store: &Store, q: &QueryMap, keep: impl Fn(&Project) -> bool) -> ApiResult<Value> {
    let limit: usize = match q.get("limit") {
        Some(l) => l
            .parse()
            .map_err(|_| ApiError::bad_request("limit must be an integer"))?,
        None => 10,
    };
    if !(1..=400).contains(&limit) {
        return Err(ApiError::bad_request("limit must be between 1 and 400"));
    }
    let search = q
        .get("search")
        .map(|s| s.to_lowercase())
        .filter(|s| !s.is_empty());
    let mut all: Vec<&Project> = store
        .projects
        .values()
        .filter(|p| !p.claimable && keep(p))
        .filter(|p| {
            search
                .as_ref()
                .is_none_or(|s| p.name.to_lowercase().contains(s) || p.id.contains(s.as_str()))
        })
        .collect();
    all.sort_by_key(|p| p.seq);
    let start = match q.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => all
            .iter()
            .position(|p| &p.id == c)
            .map(|i| i + 1)
            .unwrap_or(all.len()),
        None => 0,
    };
    let page: Vec<&Project> = all.iter().skip(start).take(limit).copied().collect();
    let mut body = json!({
        "projects": page.iter().map(|p| render::project_list_item(p)).collect::<Vec<_>>(),
        "applications": {},
        "integrations": {},
    });
    if let (Some(last), Some(obj)) = (page.last(), body.as_object_mut()) {
        obj.insert("pagination".into(), json!({ "cursor": last.id }));
    }
    Ok(body)
}

/// `GET /projects/{project_id}`
pub async fn get_one(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let p = get_project(&store, &id)?;
    Ok(Json(json!({ "project": render::project(p) })))
}

/// `PATCH /projects/{project_id}`
pub async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let p = app::sub_object(&body, "project")?;
    let name = opt_str(&p, "name")?;
    let retention = opt_i64(&p, "history_retention_seconds")?;
    let mut store = app.lock();
    get_project(&store, &id)?;
    let project = store
        .projects
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("project not found"))?;
    if let Some(n) = name {
        app::validate_display_name("project", &n)?;
        project.name = n;
    }
    if let Some(r) = retention {
        project.history_retention_seconds = r;
    }
    if let Some(s) = p.get("settings") {
        project.settings = merge(project.settings.clone(), Some(s));
    }
    if let Some(s) = p.get("default_endpoint_settings") {
        project.default_endpoint_settings =
            merge(project.default_endpoint_settings.clone(), Some(s));
    }
    project.updated_at = ids::now();
    let project = project.clone();
    Ok(Json(
        json!({ "project": render::project(&project), "operations": [] }),
    ))
}

/// Removes a project and everything in it from the store for good; returns physical databases
/// to drop.
pub fn remove_project(store: &mut Store, id: &str) -> Vec<String> {
    let branch_ids: Vec<String> = store
        .project_branches(id)
        .iter()
        .map(|b| b.id.clone())
        .collect();
    store.forget_project_records(id, &branch_ids);
    detach_project(store, id)
}

/// Takes a project, its branches, endpoints, operations and snapshots out of the store (what
/// hangs off them stays, for a recovery); returns their physical databases.
pub fn detach_project(store: &mut Store, id: &str) -> Vec<String> {
    let mut dbs = Vec::new();
    store.projects.remove(id);
    let branch_ids: Vec<String> = store
        .branches
        .values()
        .filter(|b| b.project_id == id)
        .map(|b| b.id.clone())
        .collect();
    for b in branch_ids {
        if let Some(b) = store.branches.remove(&b) {
            dbs.extend(crate::history::base_databases(&b));
            dbs.extend(b.databases.into_iter().map(|d| d.pg_name));
        }
    }
    store.endpoints.retain(|_, e| e.project_id != id);
    store.operations.retain(|_, o| o.project_id != id);
    let snaps: Vec<String> = store
        .snapshots
        .values()
        .filter(|s| s.project_id == id)
        .map(|s| s.id.clone())
        .collect();
    for s in snaps {
        if let Some(s) = store.snapshots.remove(&s) {
            dbs.extend(s.databases.into_iter().map(|d| d.pg_name));
        }
    }
    dbs
}

/// `DELETE /projects/{project_id}`
pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    crate::recovery::purge_expired(&app).await;
    let mut store = app.lock();
    let p = get_project(&store, &id)?.clone();
    crate::recovery::keep_project(&mut store, &id, |store| detach_project(store, &id))?;
    Ok(Json(json!({ "project": render::project(&p) })))
}

/// `GET /projects/{project_id}/connection_uri`
pub async fn connection_uri(
    State(app): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let database = q
        .get("database_name")
        .ok_or_else(|| ApiError::bad_request("database_name is required"))?;
    let role_name = q
        .get("role_name")
        .ok_or_else(|| ApiError::bad_request("role_name is required"))?;
    let store = app.lock();
    get_project(&store, &id)?;
    let branch = match q.get("branch_id") {
        Some(b) => get_branch(&store, &id, b)?,
        None => store
            .default_branch(&id)
            .ok_or_else(|| ApiError::not_found("default branch not found"))?,
    };
    let ep = match q.get("endpoint_id") {
        Some(e) => app::get_endpoint(&store, &id, e)?,
        None => store.branch_rw_endpoint(&branch.id).ok_or_else(|| {
            ApiError::not_found(format!("branch {} has no read_write endpoint", branch.id))
        })?,
    };
    let role = branch
        .roles
        .iter()
        .find(|r| &r.name == role_name)
        .ok_or_else(|| ApiError::not_found(format!("role {role_name} not found")))?;
    if !branch.databases.iter().any(|d| &d.name == database) {
        return Err(ApiError::not_found(format!(
            "database {database} not found"
        )));
    }
    let uri = render::connection_uri(
        &store.wire_address,
        &role.name,
        &role.password,
        &ep.id,
        query_flag(&q, "pooled"),
        database,
    );
    Ok(Json(json!({ "uri": uri })))
}
