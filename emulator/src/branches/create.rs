//! `POST /projects/{project_id}/branches`: a branch from a parent (its head, a timestamp or an
//! LSN), with its data or only its schema, and the endpoints asked for.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::records::{branch_connection_uris, copy_databases, materialize, new_branch};
use crate::app::{
    self, ensure_no_running_operations, get_branch, get_project, opt_bool, opt_str, parse_body,
    BusyGuard, Shared,
};
use crate::endpoints::new_endpoint;
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Base};
use crate::ids;
use crate::render;
use crate::state::{Branch, Database};

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
        .map(|e| branch_connection_uris(&store.wire_address, &branch, &e.id));
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
