//! Branches: create from a parent (at a timestamp or LSN), list, count, get, update, set as
//! default, delete.

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
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Base};
use crate::ids;
use crate::projects::new_endpoint;
use crate::render;
use crate::state::{Branch, Database, Role, Store};

/// Copies of a parent's databases with fresh physical names: (copy, physical source).
pub fn copy_databases(store: &mut Store, dbs: &[Database]) -> Vec<(Database, String)> {
    let now = ids::now();
    dbs.iter()
        .map(|d| {
            let copy = Database {
                id: store.next_database_id(),
                name: d.name.clone(),
                owner_name: d.owner_name.clone(),
                pg_name: ids::pg_database_name(),
                created_at: now.clone(),
                updated_at: now.clone(),
            };
            (copy, d.pg_name.clone())
        })
        .collect()
}

/// Creates the physical copies; drops those made so far when one fails.
pub async fn materialize(app: &Shared, copies: &[(Database, String)]) -> ApiResult<()> {
    let mut made = Vec::new();
    for (copy, source) in copies {
        if let Err(e) = app.pg_create(&copy.pg_name, Some(source), None).await {
            app.pg_drop_all(made).await;
            return Err(e);
        }
        made.push(copy.pg_name.clone());
    }
    Ok(())
}

/// A new branch record with the given contents.
pub fn new_branch(
    store: &mut Store,
    project_id: &str,
    name: Option<String>,
    databases: Vec<Database>,
    roles: Vec<Role>,
) -> Branch {
    let now = ids::now();
    let id = ids::branch_id();
    Branch {
        id: id.clone(),
        seq: store.next_seq(),
        project_id: project_id.to_string(),
        parent_id: None,
        parent_lsn: None,
        parent_timestamp: None,
        name: name.unwrap_or(id),
        default: false,
        protected: false,
        ready_at: store.settle_time(),
        state_changed_at: now.clone(),
        created_at: now.clone(),
        updated_at: now,
        databases,
        roles,
        restore_status: None,
        restored_from: None,
        restored_as: None,
        restore_target: None,
        init_source: "parent-data".into(),
        expires_at: None,
        last_reset_at: None,
        lsn: 0x1_4E0_000,
        start_lsn: 0x1_4E0_000,
        base: Base::Empty,
        log: Vec::new(),
    }
}

/// Connection URIs of a branch through an endpoint, one per database with its owner.
pub fn branch_connection_uris(b: &Branch, endpoint_id: &str) -> Vec<Value> {
    b.databases
        .iter()
        .filter_map(|d| {
            let r = b.roles.iter().find(|r| r.name == d.owner_name)?;
            Some(render::connection_details(endpoint_id, r, &d.name))
        })
        .collect()
}

fn check_timestamp(parent: &Branch, ts: &str) -> ApiResult<()> {
    let t = chrono::DateTime::parse_from_rfc3339(ts)
        .map_err(|_| ApiError::bad_request("parent_timestamp must be an RFC 3339 timestamp"))?;
    if t > chrono::Utc::now() + chrono::Duration::seconds(5) {
        return Err(ApiError::bad_request("parent_timestamp is in the future"));
    }
    if let Ok(created) = chrono::DateTime::parse_from_rfc3339(&parent.created_at) {
        if t < created - chrono::Duration::seconds(1) {
            return Err(ApiError::bad_request(format!(
                "parent_timestamp {ts} is before the creation of branch {}",
                parent.id
            )));
        }
    }
    Ok(())
}

/// `POST /projects/{project_id}/branches`
pub async fn create(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let b = app::sub_object(&body, "branch")?;
    let endpoints_req: Vec<Value> = match body.get("endpoints") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(ApiError::bad_request("endpoints must be an array")),
    };
    let parent_lsn = opt_str(&b, "parent_lsn")?;
    let init_source = opt_str(&b, "init_source")?;
    if init_source
        .as_deref()
        .is_some_and(|s| s != "schema-only" && s != "parent-data")
    {
        return Err(ApiError::bad_request(
            "init_source must be parent-data or schema-only",
        ));
    }
    let parent_timestamp = opt_str(&b, "parent_timestamp")?;
    let (copies, point, head, roles, parent_id, _busy) = {
        let mut store = app.lock();
        get_project(&store, &pid)?;
        ensure_no_running_operations(&store, &pid)?;
        let parent = match opt_str(&b, "parent_id")? {
            Some(id) => get_branch(&store, &pid, &id)?.clone(),
            None => store
                .default_branch(&pid)
                .ok_or_else(|| ApiError::not_found("default branch not found"))?
                .clone(),
        };
        if b.get("parent_lsn").is_some() && b.get("parent_timestamp").is_some() {
            return Err(ApiError::bad_request(
                "specify either parent_lsn or parent_timestamp, not both",
            ));
        }
        if let Some(ts) = &parent_timestamp {
            check_timestamp(&parent, ts)?;
        }
        let point = history::point(&parent, parent_lsn.as_deref(), parent_timestamp.as_deref())?;
        for e in &endpoints_req {
            let t = e.get("type").and_then(Value::as_str).unwrap_or("");
            if t != "read_write" && t != "read_only" {
                return Err(ApiError::bad_request(
                    "endpoint type must be read_write or read_only",
                ));
            }
        }
        let copies = match point {
            Some(_) if init_source.as_deref() != Some("schema-only") => Vec::new(),
            _ => copy_databases(&mut store, &parent.databases),
        };
        let busy = BusyGuard::mark(&app, &mut store, &pid);
        (
            copies,
            point,
            parent.lsn,
            parent.roles.clone(),
            parent.id.clone(),
            busy,
        )
    };
    let schema_only = init_source.as_deref() == Some("schema-only");
    let databases: Vec<Database> = match point {
        _ if schema_only => schema_copies(&app, &copies).await?,
        Some(lsn) => history::materialize_at(&app, &parent_id, lsn).await?,
        None => {
            materialize(&app, &copies).await?;
            copies.into_iter().map(|(c, _)| c).collect()
        }
    };
    let schema_base = if schema_only {
        match history::base_copies(&app, &databases).await {
            Ok(b) => Some(b),
            Err(e) => {
                app.pg_drop_all(databases.into_iter().map(|d| d.pg_name).collect())
                    .await;
                return Err(e);
            }
        }
    } else {
        None
    };
    let parent = {
        let store = app.lock();
        get_branch(&store, &pid, &parent_id).cloned()
    };
    let parent = match parent {
        Ok(p) => p,
        Err(e) => {
            app.pg_drop_all(databases.into_iter().map(|d| d.pg_name).collect())
                .await;
            return Err(e);
        }
    };
    let at = point.unwrap_or(head);
    let mut store = app.lock();
    let mut branch = new_branch(&mut store, &pid, opt_str(&b, "name")?, databases, roles);
    branch.parent_id = Some(parent.id.clone());
    branch.parent_lsn = Some(history::lsn_string(at));
    branch.parent_timestamp = Some(parent_timestamp.unwrap_or_else(ids::now));
    branch.base = Base::Parent {
        branch_id: parent.id.clone(),
        lsn: at,
    };
    branch.lsn = at;
    branch.start_lsn = at;
    branch.protected = opt_bool(&b, "protected")?.unwrap_or(false);
    branch.expires_at = opt_str(&b, "expires_at")?;
    if let Some(src) = init_source {
        branch.init_source = src;
    }
    if let Some(base) = schema_base {
        branch.base = base;
    }
    let defaults = store
        .projects
        .get(&pid)
        .map(|p| p.default_endpoint_settings.clone())
        .unwrap_or(json!({}));
    let mut ops = vec![store.add_operation(&pid, Some(&branch.id), None, "create_branch")];
    let mut eps = Vec::new();
    for e in &endpoints_req {
        let kind = e
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("read_write");
        let mut settings = defaults.clone();
        if let (Some(s), Some(o)) = (settings.as_object_mut(), e.as_object()) {
            for (k, v) in o {
                s.insert(k.clone(), v.clone());
            }
        }
        let ep = new_endpoint(&mut store, &pid, &branch.id, kind, &settings);
        ops.push(store.add_operation(&pid, Some(&branch.id), Some(&ep.id), "start_compute"));
        eps.push(ep);
    }
    let region = store
        .projects
        .get(&pid)
        .map(|p| p.region_id.clone())
        .unwrap_or_default();
    let uris = eps
        .iter()
        .find(|e| e.kind == "read_write")
        .map(|e| branch_connection_uris(&branch, &e.id));
    let mut resp = json!({
        "branch": render::branch(&branch),
        "endpoints": eps.iter().map(|e| render::endpoint(e, &region)).collect::<Vec<_>>(),
        "operations": render::operations(&store, &ops),
        "roles": branch.roles.iter().map(|r| render::role(&branch.id, r)).collect::<Vec<_>>(),
        "databases": branch.databases.iter().map(|d| render::database(&branch.id, d)).collect::<Vec<_>>(),
    });
    if let (Some(u), Some(o)) = (uris, resp.as_object_mut()) {
        o.insert("connection_uris".into(), Value::Array(u));
    }
    for ep in eps {
        store.endpoints.insert(ep.id.clone(), ep);
    }
    store.branches.insert(branch.id.clone(), branch);
    Ok((StatusCode::CREATED, Json(resp)))
}

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
    let branches: Vec<Value> = search_filter(&store, &pid, &q)
        .into_iter()
        .map(render::branch)
        .collect();
    Ok(Json(
        json!({ "branches": branches, "annotations": {}, "pagination": { "sort_by": "updated_at", "sort_order": "DESC" } }),
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
    let (resp, dbs) = {
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
        for e in &eps {
            ops.push(store.add_operation(&pid, Some(&bid), Some(e), "suspend_compute"));
            store.endpoints.remove(e);
        }
        ops.push(store.add_operation(&pid, Some(&bid), None, "delete_timeline"));
        store.branches.remove(&bid);
        let resp = json!({ "branch": render::branch(&branch), "operations": render::operations(&store, &ops) });
        let mut dbs = history::base_databases(&branch);
        dbs.extend(branch.databases.into_iter().map(|d| d.pg_name));
        (resp, dbs)
    };
    app.pg_drop_all(dbs).await;
    Ok(Json(resp))
}

/// Empty databases owned like the parent's, holding the parent's schema but none of its data
/// (`init_source: schema-only`).
async fn schema_copies(app: &Shared, copies: &[(Database, String)]) -> ApiResult<Vec<Database>> {
    let mut made: Vec<Database> = Vec::new();
    for (copy, source) in copies {
        let result = async {
            app.pg_create(&copy.pg_name, None, Some(&copy.owner_name))
                .await?;
            if let Some(pg) = &app.pg {
                let schema = pg.dump_schema(source).await.map_err(ApiError::internal)?;
                let conn = pg
                    .connect_as(&copy.pg_name, &copy.owner_name)
                    .await
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                conn.batch_execute(&schema).await.map_err(|e| {
                    ApiError::internal(format!("cannot apply the parent's schema: {e}"))
                })?;
            }
            Ok::<(), ApiError>(())
        }
        .await;
        if let Err(e) = result {
            made.push(copy.clone());
            app.pg_drop_all(made.into_iter().map(|d| d.pg_name).collect())
                .await;
            return Err(e);
        }
        made.push(copy.clone());
    }
    Ok(made)
}
