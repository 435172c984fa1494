//! Branch add-ons the agent workflows set up: the Data API and Neon Auth. The emulator keeps
//! their configuration and creates Neon Auth's `neon_auth.users_sync` table; it does not serve
//! the Data API's REST calls or authenticate users.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::app::{get_branch, opt_str, parse_body, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{AuthIntegration, DataApi};

fn default_database(
    app: &Shared,
    pid: &str,
    bid: &str,
    requested: Option<String>,
) -> ApiResult<(String, String, String)> {
    let store = app.lock();
    let b = get_branch(&store, pid, bid)?;
    let db = match requested {
        Some(name) => b.databases.iter().find(|d| d.name == name),
        None => b.databases.first(),
    }
    .ok_or_else(|| ApiError::not_found("database not found"))?;
    Ok((db.name.clone(), db.pg_name.clone(), db.owner_name.clone()))
}

/// `POST .../data-api/{database_name}`
pub async fn create_data_api(
    State(app): State<Shared>,
    Path((pid, bid, db)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    default_database(&app, &pid, &bid, Some(db.clone()))?;
    let mut store = app.lock();
    if store
        .data_apis
        .iter()
        .any(|d| d.branch_id == bid && d.database == db)
    {
        return Err(ApiError::conflict(format!(
            "the Data API is already enabled for database {db}"
        )));
    }
    let url = format!("{}/data-api/{bid}/{db}/rest/v1", app.base_url);
    let settings = body
        .get("settings")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or(json!({}));
    store.data_apis.push(DataApi {
        branch_id: bid.clone(),
        database: db,
        url: url.clone(),
        settings,
    });
    Ok((StatusCode::CREATED, Json(json!({ "url": url }))))
}

pub fn find_data_api<'a>(
    store: &'a crate::state::Store,
    bid: &str,
    db: &str,
) -> ApiResult<&'a DataApi> {
    store
        .data_apis
        .iter()
        .find(|d| d.branch_id == bid && d.database == db)
        .ok_or_else(|| {
            ApiError::not_found(format!("the Data API is not enabled for database {db}"))
        })
}

/// `GET .../data-api/{database_name}`
pub async fn get_data_api(
    State(app): State<Shared>,
    Path((pid, bid, db)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let d = find_data_api(&store, &bid, &db)?;
    Ok(Json(
        json!({ "url": d.url, "status": "active", "settings": d.settings, "available_schemas": ["public"] }),
    ))
}

/// `PATCH .../data-api/{database_name}`
pub async fn update_data_api(
    State(app): State<Shared>,
    Path((pid, bid, db)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    find_data_api(&store, &bid, &db)?;
    if let Some(d) = store
        .data_apis
        .iter_mut()
        .find(|d| d.branch_id == bid && d.database == db)
    {
        if let (Some(cur), Some(new)) = (
            d.settings.as_object_mut(),
            body.get("settings").and_then(Value::as_object),
        ) {
            for (k, v) in new {
                cur.insert(k.clone(), v.clone());
            }
        }
    }
    Ok((StatusCode::CREATED, Json(json!({}))))
}

/// `DELETE .../data-api/{database_name}`
pub async fn delete_data_api(
    State(app): State<Shared>,
    Path((pid, bid, db)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    find_data_api(&store, &bid, &db)?;
    store
        .data_apis
        .retain(|d| !(d.branch_id == bid && d.database == db));
    Ok(Json(json!({})))
}

const USERS_SYNC: &str = "CREATE SCHEMA IF NOT EXISTS neon_auth; \
    CREATE TABLE IF NOT EXISTS neon_auth.users_sync (raw_json jsonb NOT NULL, \
    id text PRIMARY KEY, name text, email text, created_at timestamptz, \
    updated_at timestamptz, deleted_at timestamptz)";

/// `POST /projects/{project_id}/branches/{branch_id}/auth`
pub async fn create_auth(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let provider = opt_str(&body, "auth_provider")?
        .ok_or_else(|| ApiError::bad_request("auth_provider is required"))?;
    if !["mock", "stack", "better_auth"].contains(&provider.as_str()) {
        return Err(ApiError::bad_request(
            "auth_provider must be mock, stack or better_auth",
        ));
    }
    let (db, pg_name, owner) =
        default_database(&app, &pid, &bid, opt_str(&body, "database_name")?)?;
    if app.lock().auth.iter().any(|a| a.branch_id == bid) {
        return Err(ApiError::conflict(
            "Neon Auth is already enabled on this branch",
        ));
    }
    if let Some(pg) = &app.pg {
        let client = pg
            .connect_as(&pg_name, &owner)
            .await
            .map_err(|e| crate::error::pg_internal(&e))?;
        client
            .batch_execute(USERS_SYNC)
            .await
            .map_err(|e| crate::error::pg_internal(&e))?;
        let mut store = app.lock();
        crate::history::record(
            &mut store,
            &bid,
            &db,
            &owner,
            None,
            vec![(USERS_SYNC.to_string(), vec![])],
        );
    }
    let project_id = uuid::Uuid::new_v4().to_string();
    let jwks_url = format!("{}/auth/{project_id}/.well-known/jwks.json", app.base_url);
    let a = AuthIntegration {
        branch_id: bid.clone(),
        provider: provider.clone(),
        provider_project_id: project_id.clone(),
        database: db,
        jwks_url: jwks_url.clone(),
        created_at: ids::now(),
    };
    app.lock().auth.push(a);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "auth_provider": provider, "auth_provider_project_id": project_id,
            "pub_client_key": format!("pck_{}", ids::password()), "secret_server_key": format!("ssk_{}", ids::password()),
            "jwks_url": jwks_url, "schema_name": "neon_auth", "table_name": "users_sync",
            "base_url": format!("{}/auth/{project_id}", app.base_url),
        })),
    ))
}

/// `GET /projects/{project_id}/branches/{branch_id}/auth`
pub async fn get_auth(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let a = store
        .auth
        .iter()
        .find(|a| a.branch_id == bid)
        .ok_or_else(|| ApiError::not_found("Neon Auth is not enabled on this branch"))?;
    Ok(Json(json!({
        "auth_provider": a.provider, "auth_provider_project_id": a.provider_project_id, "branch_id": a.branch_id,
        "db_name": a.database, "created_at": a.created_at, "owned_by": "neon", "jwks_url": a.jwks_url,
        "base_url": format!("{}/auth/{}", app.base_url, a.provider_project_id),
    })))
}

/// `DELETE /projects/{project_id}/branches/{branch_id}/auth`
pub async fn delete_auth(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    if !store.auth.iter().any(|a| a.branch_id == bid) {
        return Err(ApiError::not_found(
            "Neon Auth is not enabled on this branch",
        ));
    }
    store.auth.retain(|a| a.branch_id != bid);
    store.auth_configs.remove(&bid);
    store.auth_users.retain(|u| u.branch_id != bid);
    store.auth_transfers.remove(&bid);
    Ok(Json(json!({})))
}

/// The Data API and Neon Auth routes of a branch.
pub fn routes() -> axum::Router<Shared> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/projects/{project_id}/branches/{branch_id}/data-api/{database_name}",
            get(get_data_api)
                .post(create_data_api)
                .patch(update_data_api)
                .delete(delete_data_api),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/auth",
            get(get_auth).post(create_auth).delete(delete_auth),
        )
}
