//! Sharing projects: permissions granted by email, the projects shared with the current user,
//! and transfer requests (a link that moves a project to whoever accepts it).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_project, opt_i64, opt_str, parse_body, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::render::USER_EMAIL;

/// A project permission granted to an email address.
#[derive(Debug, Clone)]
pub struct Permission {
    pub id: String,
    pub project_id: String,
    pub email: String,
    pub granted_at: String,
    pub revoked_at: Option<String>,
}

/// A pending transfer request of a project.
#[derive(Debug, Clone)]
pub struct TransferRequest {
    pub id: String,
    pub project_id: String,
    pub created_at: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Whether `s` looks like an email address (`local@domain.tld`, as `format: email` requires).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.starts_with('.')
        && domain.contains('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',')
        && !domain.contains('@')
}

fn permission_json(p: &Permission) -> Value {
    let mut v = json!({ "id": p.id, "granted_to_email": p.email, "granted_at": p.granted_at });
    if let Some(r) = &p.revoked_at {
        v["revoked_at"] = json!(r);
    }
    v
}

/// `GET /projects/{project_id}/permissions`: the permissions in force.
async fn list_permissions(
    State(app): State<Shared>,
    Path(pid): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let items: Vec<Value> = store
        .permissions
        .iter()
        .filter(|p| p.project_id == pid && p.revoked_at.is_none())
        .map(permission_json)
        .collect();
    Ok(Json(json!({ "project_permissions": items })))
}

/// `POST /projects/{project_id}/permissions` `{email}`: granting an email that has access
/// already answers that permission.
async fn grant_permission(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let email = opt_str(&parse_body(&body)?, "email")?
        .ok_or_else(|| ApiError::bad_request("email is required"))?;
    if !is_email(&email) {
        return Err(ApiError::bad_request(format!(
            "email is not an email address: {email}"
        )));
    }
    let mut store = app.lock();
    get_project(&store, &pid)?;
    let existing = store.permissions.iter().find(|p| {
        p.project_id == pid && p.revoked_at.is_none() && p.email.eq_ignore_ascii_case(&email)
    });
    if let Some(p) = existing {
        return Ok(Json(permission_json(p)));
    }
    let p = Permission {
        id: uuid::Uuid::new_v4().to_string(),
        project_id: pid,
        email,
        granted_at: ids::now(),
        revoked_at: None,
    };
    let out = permission_json(&p);
    store.permissions.push(p);
    Ok(Json(out))
}

/// `DELETE /projects/{project_id}/permissions/{permission_id}`
async fn revoke_permission(
    State(app): State<Shared>,
    Path((pid, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_project(&store, &pid)?;
    let p = store
        .permissions
        .iter_mut()
        .find(|p| p.project_id == pid && p.id == id && p.revoked_at.is_none())
        .ok_or_else(|| ApiError::not_found(format!("permission {id} not found")))?;
    p.revoked_at = Some(ids::now());
    Ok(Json(permission_json(p)))
}

/// `GET /projects/shared`: projects whose permissions include the current user's email.
async fn list_shared(
    State(app): State<Shared>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let shared = |pid: &str| {
        store.permissions.iter().any(|p| {
            p.project_id == pid
                && p.revoked_at.is_none()
                && p.email.eq_ignore_ascii_case(USER_EMAIL)
        })
    };
    Ok(Json(crate::projects::list_page(&store, &q, |p| {
        shared(&p.id)
    })?))
}

/// Neon's default lifetime of a transfer request.
const TRANSFER_TTL_SECONDS: i64 = 7 * 24 * 3600;

/// `POST /projects/{project_id}/transfer_requests` `{ttl_seconds?}`
async fn create_transfer_request(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let ttl = opt_i64(&parse_body(&body)?, "ttl_seconds")?.unwrap_or(TRANSFER_TTL_SECONDS);
    if !(1..=TRANSFER_TTL_SECONDS).contains(&ttl) {
        return Err(ApiError::bad_request(format!(
            "ttl_seconds must be from 1 to {TRANSFER_TTL_SECONDS}"
        )));
    }
    let mut store = app.lock();
    get_project(&store, &pid)?;
    let r = TransferRequest {
        id: uuid::Uuid::new_v4().to_string(),
        project_id: pid,
        created_at: ids::now(),
        expires_at: chrono::Utc::now() + chrono::Duration::seconds(ttl),
    };
    let out = json!({ "id": r.id, "project_id": r.project_id, "created_at": r.created_at,
                      "expires_at": r.expires_at.format("%Y-%m-%dT%H:%M:%SZ").to_string() });
    store.transfer_requests.push(r);
    Ok((StatusCode::CREATED, Json(out)))
}

/// `PUT /projects/{project_id}/transfer_requests/{request_id}` `{org_id?}`: moves the project
/// to `org_id` (the current user's personal organization when absent); a request is used once.
async fn accept_transfer_request(
    State(app): State<Shared>,
    Path((pid, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let org = opt_str(&parse_body(&body)?, "org_id")?;
    let mut store = app.lock();
    get_project(&store, &pid)?;
    let at = store
        .transfer_requests
        .iter()
        .position(|r| r.id == id && r.project_id == pid)
        .ok_or_else(|| ApiError::not_found(format!("transfer request {id} not found")))?;
    if store.transfer_requests[at].expires_at < chrono::Utc::now() {
        store.transfer_requests.remove(at);
        return Err(ApiError::new(
            StatusCode::GONE,
            format!("transfer request {id} has expired"),
        ));
    }
    let dest = org.unwrap_or_else(|| store.default_org_id.clone());
    if !store.organizations.contains_key(&dest) {
        return Err(ApiError::not_found(format!(
            "organization {dest} not found"
        )));
    }
    store.transfer_requests.remove(at);
    let now = ids::now();
    if let Some(p) = store.projects.get_mut(&pid) {
        p.org_id = dest;
        p.updated_at = now;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The routes of permissions, shared projects and transfer requests.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/projects/shared", get(list_shared))
        .route(
            "/projects/{project_id}/permissions",
            get(list_permissions).post(grant_permission),
        )
        .route(
            "/projects/{project_id}/permissions/{permission_id}",
            delete(revoke_permission),
        )
        .route(
            "/projects/{project_id}/transfer_requests",
            post(create_transfer_request),
        )
        .route(
            "/projects/{project_id}/transfer_requests/{request_id}",
            put(accept_transfer_request),
        )
}
