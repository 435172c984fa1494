//! What the emulator tells about a project beyond its objects: the security advisor (run on
//! the real database), the libraries its PostgreSQL can preload, and who the caller is.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, get_project, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::render::USER_ID;

const LEVELS: [&str; 3] = ["INFO", "WARN", "ERROR"];

/// The security issue Neon's advisor reports for a table the Data API exposes without
/// row-level security.
fn rls_disabled(schema: &str, table: &str) -> Value {
    json!({
        "name": "rls_disabled_in_public", "title": "RLS Disabled in Public", "level": "ERROR",
        "facing": "EXTERNAL", "categories": ["SECURITY"],
        "description": "Detects cases where row level security (RLS) has not been enabled on tables in schemas exposed to the Data API",
        "detail": format!("Table `{schema}.{table}` is public, but RLS has not been enabled."),
        "remediation": "ALTER TABLE ... ENABLE ROW LEVEL SECURITY and add policies for the roles the Data API uses",
        "metadata": { "schema": schema, "name": table, "type": "table" },
        "cache_key": format!("rls_disabled_in_public_{schema}_{table}"),
    })
}

/// `GET /projects/{project_id}/advisors?branch_id&database_name&category&min_severity`: needs
/// the Data API on the database; reports the exposed tables without row-level security.
async fn advisors(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let min = match q.get("min_severity") {
        None => 0,
        Some(s) => LEVELS.iter().position(|l| l == s).ok_or_else(|| {
            ApiError::bad_request(format!("min_severity must be INFO, WARN or ERROR, got {s}"))
        })?,
    };
    let category = q.get("category").cloned();
    if category
        .as_deref()
        .is_some_and(|c| c != "SECURITY" && c != "PERFORMANCE")
    {
        return Err(ApiError::bad_request(
            "category must be SECURITY or PERFORMANCE",
        ));
    }
    let (pg_name, owner, schemas) = {
        let store = app.lock();
        get_project(&store, &pid)?;
        let b = match q.get("branch_id") {
            Some(bid) => get_branch(&store, &pid, bid)?,
            None => store.default_branch(&pid).ok_or_else(|| {
                ApiError::not_found(format!("project {pid} has no default branch"))
            })?,
        };
        let db = match q.get("database_name") {
            Some(n) => b.databases.iter().find(|d| &d.name == n),
            None => b.databases.first(),
        }
        .ok_or_else(|| ApiError::not_found("database not found"))?;
        let api = crate::addons::find_data_api(&store, &b.id, &db.name).map_err(|_| {
            ApiError::bad_request(format!(
                "the advisor needs the Data API enabled on database {}",
                db.name
            ))
        })?;
        let schemas: Vec<String> = api
            .settings
            .get("db_schemas")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .filter(|v: &Vec<String>| !v.is_empty())
            .unwrap_or_else(|| vec!["public".into()]);
        (db.pg_name.clone(), db.owner_name.clone(), schemas)
    };
    let mut issues = Vec::new();
    if let (Some(pg), true) = (
        &app.pg,
        category.as_deref() != Some("PERFORMANCE") && min <= 2,
    ) {
        let client = pg
            .connect_as(&pg_name, &owner)
            .await
            .map_err(|e| crate::error::pg_internal(&e))?;
        let rows = client
            .query(
                "SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity ORDER BY 1, 2",
                &[&schemas],
            )
            .await
            .map_err(|e| crate::error::pg_internal(&e))?;
        issues.extend(rows.iter().map(|r| rls_disabled(r.get(0), r.get(1))));
    }
    Ok(Json(json!({ "issues": issues })))
}

/// `GET /projects/{project_id}/available_preload_libraries`: the libraries the emulator's
/// PostgreSQL ships (contrib modules that load through `shared_preload_libraries`).
async fn preload_libraries(
    State(app): State<Shared>,
    Path(pid): Path<String>,
) -> ApiResult<Json<Value>> {
    let version = get_project(&app.lock(), &pid)?.pg_version.to_string();
    let lib = |name: &str, description: &str, is_default: bool| {
        json!({ "library_name": name, "description": description, "is_default": is_default,
                "is_experimental": false, "version": version })
    };
    Ok(Json(json!({ "libraries": [
        lib("pg_stat_statements", "Tracks planning and execution statistics of all SQL statements", true),
        lib("auto_explain", "Logs the execution plans of slow statements", false),
        lib("pg_prewarm", "Loads relation data into the buffer cache", false),
    ] })))
}

/// `GET /auth`: the account the API key belongs to.
async fn auth_details(State(app): State<Shared>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let key = crate::http::bearer_key(&headers).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "authentication required",
        )
    })?;
    let store = app.lock();
    let org = store
        .api_keys
        .iter()
        .find(|k| k.key == key)
        .and_then(|k| k.org_id.clone());
    Ok(Json(match org {
        Some(org) => json!({ "account_id": org, "auth_method": "api_key_org" }),
        None => json!({ "account_id": USER_ID, "auth_method": "api_key_user" }),
    }))
}

/// The routes of the advisor, preload libraries and auth details.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/projects/{project_id}/advisors", get(advisors))
        .route(
            "/projects/{project_id}/available_preload_libraries",
            get(preload_libraries),
        )
        .route("/auth", get(auth_details))
}
