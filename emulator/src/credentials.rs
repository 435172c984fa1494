//! Scoped service credentials of a branch (storage, AI gateway, functions). Their secrets are
//! answered once and kept only as needed to recognise them; revoked credentials stay listed
//! with `revoked_at`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, opt_str, parse_body, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;

const SCOPES: [&str; 4] = [
    "storage:read",
    "storage:write",
    "ai_gateway:invoke",
    "functions:invoke",
];

/// A service credential.
#[derive(Debug, Clone)]
pub struct Credential {
    pub token_id: String,
    pub branch_id: String,
    pub name: Option<String>,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn credential_json(c: &Credential) -> Value {
    let mut v = json!({ "token_id": c.token_id, "token_id_short": c.token_id.get(..8).unwrap_or(&c.token_id), "scopes": c.scopes,
                        "branch_id": c.branch_id, "principal_type": "user", "created_at": c.created_at });
    if let Some(n) = &c.name {
        v["name"] = json!(n);
    }
    if let Some(r) = &c.revoked_at {
        v["revoked_at"] = json!(r);
    }
    v
}

/// `GET .../branches/{branch_id}/credentials`
async fn list(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let items: Vec<Value> = store
        .credentials
        .iter()
        .filter(|c| c.branch_id == bid)
        .map(credential_json)
        .collect();
    Ok(Json(json!({ "credentials": items })))
}

/// `POST .../branches/{branch_id}/credentials` `{name?, scopes, principal_type: "user"}`
async fn create(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    if opt_str(&body, "principal_type")?.as_deref() != Some("user") {
        return Err(ApiError::bad_request("principal_type must be user"));
    }
    let scopes: Vec<String> = match body.get("scopes") {
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|v| {
                v.as_str()
                    .filter(|s| SCOPES.contains(s))
                    .map(str::to_string)
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                ApiError::bad_request(format!("scopes must be among {}", SCOPES.join(", ")))
            })?,
        _ => return Err(ApiError::bad_request("scopes must be a non-empty array")),
    };
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let c = Credential {
        token_id: uuid::Uuid::new_v4().to_string(),
        branch_id: bid,
        name: opt_str(&body, "name")?,
        scopes,
        created_at: ids::now(),
        revoked_at: None,
    };
    let mut out = credential_json(&c);
    out["api_token"] = json!(format!("napi_{}", ids::api_key_secret()));
    out["s3_secret_access_key"] = json!(ids::password());
    if let Some(o) = out.as_object_mut() {
        o.remove("principal_type");
    }
    store.credentials.push(c);
    Ok((StatusCode::CREATED, Json(out)))
}

/// `DELETE .../branches/{branch_id}/credentials/{token_id}`
async fn revoke(
    State(app): State<Shared>,
    Path((pid, bid, id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let c = store
        .credentials
        .iter_mut()
        .find(|c| c.branch_id == bid && c.token_id == id && c.revoked_at.is_none())
        .ok_or_else(|| ApiError::not_found(format!("credential {id} not found")))?;
    c.revoked_at = Some(ids::now());
    Ok(StatusCode::NO_CONTENT)
}

/// The credential routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/projects/{project_id}/branches/{branch_id}/credentials",
            get(list).post(create),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/credentials/{token_id}",
            delete(revoke),
        )
}
