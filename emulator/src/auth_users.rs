//! Neon Auth's integrations and users. Users are written to the branch's
//! `neon_auth.users_sync` table on the real PostgreSQL as Neon's sync does (deleting one sets
//! `deleted_at`), so apps can join them; the emulator signs no one in.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_project, opt_bool, opt_str, parse_body, Shared};
use crate::auth_config::{config, project_auth_branch};
use crate::error::{pg_internal, ApiError, ApiResult};
use crate::ids;

/// A Neon Auth user of a branch.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub branch_id: String,
    pub email: String,
    pub name: Option<String>,
    pub roles: Vec<String>,
}

/// Runs statements on the database Neon Auth syncs to on `bid`, as its owner, and logs them in
/// the branch's history.
async fn run_sync(
    app: &Shared,
    bid: &str,
    statements: Vec<(String, Vec<Option<String>>)>,
) -> ApiResult<()> {
    let Some(pg) = &app.pg else {
        return Ok(());
    };
    let (db, pg_name, owner) = {
        let store = app.lock();
        let a = store
            .auth
            .iter()
            .find(|a| a.branch_id == bid)
            .ok_or_else(|| ApiError::not_found("Neon Auth is not enabled on this branch"))?;
        let b = store
            .branches
            .get(bid)
            .ok_or_else(|| ApiError::not_found(format!("branch {bid} not found")))?;
        let d = b
            .databases
            .iter()
            .find(|d| d.name == a.database)
            .ok_or_else(|| ApiError::not_found(format!("database {} not found", a.database)))?;
        (d.name.clone(), d.pg_name.clone(), d.owner_name.clone())
    };
    let client = pg
        .connect_as(&pg_name, &owner)
        .await
        .map_err(|e| pg_internal(&e))?;
    for (sql, params) in &statements {
        let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params
            .iter()
            .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect();
        client
            .execute(sql.as_str(), &refs)
            .await
            .map_err(|e| pg_internal(&e))?;
    }
    crate::history::record(&mut app.lock(), bid, &db, &owner, None, statements);
    Ok(())
}

fn raw_json(u: &AuthUser) -> String {
    json!({ "id": u.id, "email": u.email, "name": u.name, "roles": u.roles, "created_at": ids::now() }).to_string()
}

async fn create_user(
    app: &Shared,
    pid: &str,
    bid: &str,
    body: &Value,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let email =
        opt_str(body, "email")?.ok_or_else(|| ApiError::bad_request("email is required"))?;
    if !crate::project_access::is_email(&email) {
        return Err(ApiError::bad_request(format!(
            "email is not an email address: {email}"
        )));
    }
    let user = {
        let mut store = app.lock();
        config(&mut store, pid, bid)?;
        if store
            .auth_users
            .iter()
            .any(|u| u.branch_id == bid && u.email.eq_ignore_ascii_case(&email))
        {
            return Err(ApiError::conflict(format!(
                "a user with email {email} already exists"
            )));
        }
        AuthUser {
            id: uuid::Uuid::new_v4().to_string(),
            branch_id: bid.to_string(),
            email,
            name: opt_str(body, "name")?,
            roles: vec!["user".into()],
        }
    };
    run_sync(app, bid, vec![(
        "INSERT INTO neon_auth.users_sync (raw_json, id, name, email, created_at, updated_at) VALUES ($1::text::jsonb, $2, $3, $4, now(), now())".into(),
        vec![Some(raw_json(&user)), Some(user.id.clone()), user.name.clone(), Some(user.email.clone())],
    )]).await?;
    let id = user.id.clone();
    app.lock().auth_users.push(user);
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

async fn delete_user(app: &Shared, pid: &str, bid: &str, id: &str) -> ApiResult<StatusCode> {
    {
        let mut store = app.lock();
        config(&mut store, pid, bid)?;
        if !store
            .auth_users
            .iter()
            .any(|u| u.branch_id == bid && u.id == id)
        {
            return Err(ApiError::not_found(format!("user {id} not found")));
        }
    }
    run_sync(
        app,
        bid,
        vec![(
            "UPDATE neon_auth.users_sync SET deleted_at = now(), updated_at = now() WHERE id = $1"
                .into(),
            vec![Some(id.to_string())],
        )],
    )
    .await?;
    app.lock()
        .auth_users
        .retain(|u| !(u.branch_id == bid && u.id == id));
    Ok(StatusCode::NO_CONTENT)
}

/// `POST .../branches/{branch_id}/auth/users` `{email, name?}`
async fn create_branch_user(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    create_user(&app, &pid, &bid, &parse_body(&body)?).await
}

/// `DELETE .../branches/{branch_id}/auth/users/{auth_user_id}`
async fn delete_branch_user(
    State(app): State<Shared>,
    Path((pid, bid, id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    delete_user(&app, &pid, &bid, &id).await
}

/// `PUT .../branches/{branch_id}/auth/users/{auth_user_id}/role` `{roles}`
async fn set_roles(
    State(app): State<Shared>,
    Path((pid, bid, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let roles: Vec<String> = match parse_body(&body)?.get("roles") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::bad_request("roles must be an array of non-empty strings"))?,
        _ => return Err(ApiError::bad_request("roles is required")),
    };
    {
        let mut store = app.lock();
        config(&mut store, &pid, &bid)?;
        let u = store
            .auth_users
            .iter_mut()
            .find(|u| u.branch_id == bid && u.id == id)
            .ok_or_else(|| ApiError::not_found(format!("user {id} not found")))?;
        u.roles = roles.clone();
    }
    run_sync(&app, &bid, vec![(
        "UPDATE neon_auth.users_sync SET raw_json = raw_json || jsonb_build_object('roles', $1::text::jsonb), updated_at = now() WHERE id = $2".into(),
        vec![Some(json!(roles).to_string()), Some(id.clone())],
    )]).await?;
    Ok(Json(json!({ "id": id })))
}

/// The `project_id` and validated `auth_provider` of a project-level request body.
fn project_request(body: &Value) -> ApiResult<(String, String)> {
    let pid = opt_str(body, "project_id")?
        .ok_or_else(|| ApiError::bad_request("project_id is required"))?;
    let provider = opt_str(body, "auth_provider")?
        .ok_or_else(|| ApiError::bad_request("auth_provider is required"))?;
    if !["mock", "stack", "better_auth"].contains(&provider.as_str()) {
        return Err(ApiError::bad_request(
            "auth_provider must be mock, stack or better_auth",
        ));
    }
    Ok((pid, provider))
}

/// `POST /projects/auth/user` `{project_id, auth_provider, email, name?}`
async fn create_project_user(
    State(app): State<Shared>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let (pid, _) = project_request(&body)?;
    let bid = project_auth_branch(&app.lock(), &pid)?;
    create_user(&app, &pid, &bid, &body).await
}

/// `DELETE /projects/{project_id}/auth/users/{auth_user_id}`
async fn delete_project_user(
    State(app): State<Shared>,
    Path((pid, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let bid = project_auth_branch(&app.lock(), &pid)?;
    delete_user(&app, &pid, &bid, &id).await
}

/// `POST /projects/auth/create` `{auth_provider, project_id, branch_id, database_name?}`:
/// `createNeonAuth` on that branch.
async fn create_integration(
    State(app): State<Shared>,
    body: Bytes,
) -> ApiResult<axum::response::Response> {
    let parsed = parse_body(&body)?;
    let (pid, _) = project_request(&parsed)?;
    let bid = opt_str(&parsed, "branch_id")?
        .ok_or_else(|| ApiError::bad_request("branch_id is required"))?;
    Ok(
        crate::addons::create_auth(State(app), Path((pid, bid)), body)
            .await?
            .into_response(),
    )
}

fn integration_keys(app: &Shared, a: &crate::state::AuthIntegration) -> Value {
    json!({ "auth_provider": a.provider, "auth_provider_project_id": a.provider_project_id,
            "pub_client_key": format!("pck_{}", ids::password()), "secret_server_key": format!("ssk_{}", ids::password()),
            "jwks_url": a.jwks_url, "schema_name": "neon_auth", "table_name": "users_sync",
            "base_url": format!("{}/auth/{}", app.base_url, a.provider_project_id) })
}

/// The project's integration with `provider` and the branch it is on.
fn integration<'a>(
    store: &'a crate::state::Store,
    pid: &str,
    provider: &str,
) -> ApiResult<(String, &'a crate::state::AuthIntegration)> {
    let bid = project_auth_branch(store, pid)?;
    let a = store
        .auth
        .iter()
        .find(|a| a.branch_id == bid && a.provider == provider)
        .ok_or_else(|| {
            ApiError::not_found(format!("project {pid} has no {provider} integration"))
        })?;
    Ok((bid, a))
}

/// `POST /projects/auth/keys` `{project_id, auth_provider}`: a new pair of SDK keys.
async fn sdk_keys(State(app): State<Shared>, body: Bytes) -> ApiResult<impl IntoResponse> {
    let (pid, provider) = project_request(&parse_body(&body)?)?;
    let store = app.lock();
    let (_, a) = integration(&store, &pid, &provider)?;
    Ok((StatusCode::CREATED, Json(integration_keys(&app, a))))
}

/// `POST /projects/auth/transfer_ownership` `{project_id, auth_provider}`: the link that hands
/// the provider project over; the integration then reads `transfer_status: initiated`.
async fn transfer(State(app): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let (pid, provider) = project_request(&parse_body(&body)?)?;
    let mut store = app.lock();
    let (bid, a) = integration(&store, &pid, &provider)?;
    let url = format!("{}/auth/{}/transfer", app.base_url, a.provider_project_id);
    store.auth_transfers.insert(bid);
    Ok(Json(json!({ "url": url })))
}

/// `GET /projects/{project_id}/auth/integrations`
async fn list_integrations(
    State(app): State<Shared>,
    Path(pid): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let data: Vec<Value> = store.auth.iter()
        .filter(|a| store.branches.get(&a.branch_id).is_some_and(|b| b.project_id == pid))
        .map(|a| {
            let mut v = json!({ "auth_provider": a.provider, "auth_provider_project_id": a.provider_project_id, "branch_id": a.branch_id,
                "db_name": a.database, "created_at": a.created_at, "owned_by": "neon", "jwks_url": a.jwks_url,
                "base_url": format!("{}/auth/{}", app.base_url, a.provider_project_id) });
            if store.auth_transfers.contains(&a.branch_id) {
                v["transfer_status"] = json!("initiated");
            }
            v
        })
        .collect();
    Ok(Json(json!({ "data": data })))
}

/// `DELETE /projects/{project_id}/auth/integration/{auth_provider}` `{delete_data?}`: with
/// `delete_data`, the `neon_auth` schema goes too.
async fn delete_integration(
    State(app): State<Shared>,
    Path((pid, provider)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let delete_data = opt_bool(&parse_body(&body)?, "delete_data")?.unwrap_or(false);
    let bid = integration(&app.lock(), &pid, &provider)?.0;
    if delete_data {
        run_sync(
            &app,
            &bid,
            vec![("DROP SCHEMA IF EXISTS neon_auth CASCADE".into(), vec![])],
        )
        .await?;
    }
    let mut store = app.lock();
    store.auth.retain(|a| a.branch_id != bid);
    store.auth_configs.remove(&bid);
    store.auth_users.retain(|u| u.branch_id != bid);
    store.auth_transfers.remove(&bid);
    Ok(StatusCode::OK)
}

/// The routes of Neon Auth integrations and users.
pub fn routes() -> Router<Shared> {
    const B: &str = "/projects/{project_id}/branches/{branch_id}/auth";
    Router::new()
        .route(&format!("{B}/users"), post(create_branch_user))
        .route(
            &format!("{B}/users/{{auth_user_id}}"),
            delete(delete_branch_user),
        )
        .route(&format!("{B}/users/{{auth_user_id}}/role"), put(set_roles))
        .route("/projects/auth/create", post(create_integration))
        .route("/projects/auth/keys", post(sdk_keys))
        .route("/projects/auth/user", post(create_project_user))
        .route("/projects/auth/transfer_ownership", post(transfer))
        .route(
            "/projects/{project_id}/auth/integrations",
            get(list_integrations),
        )
        .route(
            "/projects/{project_id}/auth/integration/{auth_provider}",
            delete(delete_integration),
        )
        .route(
            "/projects/{project_id}/auth/users/{auth_user_id}",
            delete(delete_project_user),
        )
}
