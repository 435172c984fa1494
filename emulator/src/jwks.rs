//! JWKS per project: identity providers whose JWTs the Data API and `pg_session_jwt` accept,
//! mapped to Postgres roles that are created on the branch unless `skip_role_creation`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{
    get_branch, get_project, opt_bool, opt_str, parse_body, validate_pg_name, Shared,
};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::Role;

/// The roles a JWKS maps to when the request names none, as on Neon.
const DEFAULT_ROLES: [&str; 3] = ["authenticator", "authenticated", "anonymous"];

/// Neon's limit of JWKS per project.
const MAX_JWKS: usize = 10;

/// A JWKS of a project.
#[derive(Debug, Clone)]
pub struct Jwks {
    pub id: String,
    pub project_id: String,
    pub branch_id: Option<String>,
    pub jwks_url: String,
    pub provider_name: String,
    pub jwt_audience: Option<String>,
    pub role_names: Vec<String>,
    pub created_at: String,
}

fn jwks_json(j: &Jwks) -> Value {
    let mut v = json!({ "id": j.id, "project_id": j.project_id, "jwks_url": j.jwks_url, "provider_name": j.provider_name,
                        "created_at": j.created_at, "updated_at": j.created_at, "role_names": j.role_names });
    if let Some(b) = &j.branch_id {
        v["branch_id"] = json!(b);
    }
    if let Some(a) = &j.jwt_audience {
        v["jwt_audience"] = json!(a);
    }
    v
}

/// `GET /projects/{project_id}/jwks`
async fn list(State(app): State<Shared>, Path(pid): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let items: Vec<Value> = store
        .jwks
        .iter()
        .filter(|j| j.project_id == pid)
        .map(jwks_json)
        .collect();
    Ok(Json(json!({ "jwks": items })))
}

/// `POST /projects/{project_id}/jwks`: the roles are created on `branch_id` (the default branch
/// when absent) where missing, through an `apply_config` operation.
async fn add(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let jwks_url =
        opt_str(&body, "jwks_url")?.ok_or_else(|| ApiError::bad_request("jwks_url is required"))?;
    if !(jwks_url.starts_with("https://") || jwks_url.starts_with("http://")) {
        return Err(ApiError::bad_request("jwks_url must be an http(s) URL"));
    }
    let provider_name = opt_str(&body, "provider_name")?
        .ok_or_else(|| ApiError::bad_request("provider_name is required"))?;
    let role_names: Vec<String> = match body.get("role_names") {
        None | Some(Value::Null) => DEFAULT_ROLES.iter().map(|r| r.to_string()).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ApiError::bad_request("role_names must be a non-empty array of strings")
            })?,
        Some(_) => {
            return Err(ApiError::bad_request(
                "role_names must be an array of strings",
            ))
        }
    };
    for r in &role_names {
        validate_pg_name("role", r)?;
    }
    let create_roles = !opt_bool(&body, "skip_role_creation")?.unwrap_or(false);
    let requested_branch = opt_str(&body, "branch_id")?;
    let branch_id = {
        let store = app.lock();
        get_project(&store, &pid)?;
        if store.jwks.iter().filter(|j| j.project_id == pid).count() >= MAX_JWKS {
            return Err(ApiError::unprocessable(format!(
                "a project has at most {MAX_JWKS} JWKS"
            )));
        }
        match &requested_branch {
            Some(b) => get_branch(&store, &pid, b)?.id.clone(),
            None => store
                .default_branch(&pid)
                .map(|b| b.id.clone())
                .ok_or_else(|| {
                    ApiError::not_found(format!("project {pid} has no default branch"))
                })?,
        }
    };
    if create_roles {
        for r in &role_names {
            app.pg_role(r).await?;
        }
    }
    let mut store = app.lock();
    crate::app::ensure_no_running_operations(&store, &pid)?;
    let op = crate::roles_dbs::config_op(&mut store, &pid, &branch_id)?;
    let now = ids::now();
    if let (true, Some(b)) = (create_roles, store.branches.get_mut(&branch_id)) {
        for r in &role_names {
            if !b.roles.iter().any(|x| &x.name == r) {
                b.roles.push(Role {
                    name: r.clone(),
                    password: ids::password(),
                    protected: false,
                    created_at: now.clone(),
                    updated_at: now.clone(),
                });
            }
        }
    }
    let j = Jwks {
        id: uuid::Uuid::new_v4().to_string(),
        project_id: pid,
        branch_id: requested_branch,
        jwks_url,
        provider_name,
        jwt_audience: opt_str(&body, "jwt_audience")?,
        role_names,
        created_at: now,
    };
    let out =
        json!({ "jwks": jwks_json(&j), "operations": crate::render::operations(&store, &[op]) });
    store.jwks.push(j);
    Ok((StatusCode::CREATED, Json(out)))
}

/// `DELETE /projects/{project_id}/jwks/{jwks_id}` (the roles stay).
async fn remove(
    State(app): State<Shared>,
    Path((pid, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_project(&store, &pid)?;
    let at = store
        .jwks
        .iter()
        .position(|j| j.project_id == pid && j.id == id)
        .ok_or_else(|| ApiError::not_found(format!("JWKS {id} not found")))?;
    Ok(Json(jwks_json(&store.jwks.remove(at))))
}

/// The JWKS routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/projects/{project_id}/jwks", get(list).post(add))
        .route("/projects/{project_id}/jwks/{jwks_id}", delete(remove))
}
