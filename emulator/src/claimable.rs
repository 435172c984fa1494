//! Claimable Postgres (`/api/v1/database`): instant databases that expire after 72 hours
//! unless claimed; UNCLAIMED -> CLAIMING -> CLAIMED.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::projects::{create_project, NewProject};
use crate::render;
use crate::state::{Claimable, Store};

/// How long an unclaimed database lives.
pub const EXPIRY_HOURS: i64 = 72;

fn not_found() -> ApiError {
    ApiError::bad_request("Database not found")
}

/// The pooled connection string of `project_id`'s default branch, database and its owner (what
/// Claimable Postgres and Claimable Neon hand out). Neon's carries `channel_binding=require`,
/// which needs TLS; the emulator's plaintext loopback strings leave it out so that libpq accepts
/// the password exchange.
pub fn pooled_connection_string(store: &Store, project_id: &str) -> Option<String> {
    let branch = store.default_branch(project_id)?;
    let ep = store.branch_rw_endpoint(&branch.id)?;
    let db = branch.databases.first()?;
    let role = branch.roles.iter().find(|r| r.name == db.owner_name)?;
    Some(render::connection_uri(
        &store.wire_address,
        &role.name,
        &role.password,
        &ep.id,
        true,
        &db.name,
    ))
}

fn body(store: &Store, base_url: &str, c: &Claimable) -> Value {
    let conn = if c.status == "CLAIMED" {
        None
    } else {
        pooled_connection_string(store, &c.project_id)
    };
    json!({
        "id": c.id, "status": c.status, "neon_project_id": c.project_id,
        "connection_string": conn, "claim_url": format!("{base_url}/claim/{}", c.id),
        "expires_at": c.expires_at, "created_at": c.created_at, "updated_at": c.updated_at,
    })
}

/// The project behind an instant database (neon.new, Claimable Neon): main branch, owner role
/// and database as Neon names them, the smallest compute, hidden from listings until claimed.
pub fn instant_project(org_id: String, logical_replication: bool) -> NewProject {
    NewProject {
        name: None,
        region_id: "aws-us-east-2".into(),
        pg_version: 17,
        org_id,
        settings: json!({ "allowed_ips": { "ips": [], "protected_branches_only": false },
                          "enable_logical_replication": logical_replication }),
        default_endpoint_settings: json!({ "autoscaling_limit_min_cu": 0.25, "autoscaling_limit_max_cu": 0.25, "suspend_timeout_seconds": 0 }),
        history_retention_seconds: 21_600,
        store_passwords: true,
        branch_name: "main".into(),
        role_name: "neondb_owner".into(),
        database_name: "neondb".into(),
        claimable: true,
    }
}

/// `POST /api/v1/database`
pub async fn create(State(app): State<Shared>, raw: Bytes) -> ApiResult<impl IntoResponse> {
    let failed = || ApiError::internal("Failed to create the database.");
    let req: Value = serde_json::from_slice(&raw).map_err(|_| failed())?;
    let Some(obj) = req.as_object() else {
        return Err(failed());
    };
    let referrer = match obj.get("ref") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err(ApiError::bad_request("Missing referrer")),
    };
    let logical = obj
        .get("enable_logical_replication")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let org_id = app.lock().default_org_id.clone();
    let np = instant_project(org_id, logical);
    let created = create_project(&app, np).await.map_err(|_| failed())?;
    let mut store = app.lock();
    let created_at = ids::now_millis_plus(0);
    let c = Claimable {
        id: uuid::Uuid::now_v7().to_string(),
        status: "UNCLAIMED".into(),
        project_id: created.project_id,
        referrer,
        enable_logical_replication: logical,
        created_at: created_at.clone(),
        updated_at: created_at,
        expires_at: ids::now_millis_plus(EXPIRY_HOURS),
    };
    let resp = body(&store, &app.base_url, &c);
    store.claimables.insert(c.id.clone(), c);
    Ok((StatusCode::CREATED, Json(resp)))
}

/// `GET /api/v1/database/{id}`
pub async fn get_one(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.lock();
    let c = store.claimables.get(&id).ok_or_else(not_found)?;
    Ok(Json(body(&store, &app.base_url, c)))
}

/// Moves a claimable database to `status` (or the next one), as claiming in a browser would.
pub fn advance(app: &Shared, id: &str, status: Option<&str>) -> ApiResult<Value> {
    let mut store = app.lock();
    let c = store.claimables.get(id).ok_or_else(not_found)?.clone();
    let next = match status {
        Some(s @ ("UNCLAIMED" | "CLAIMING" | "CLAIMED")) => s.to_string(),
        Some(other) => return Err(ApiError::bad_request(format!("unknown status {other}"))),
        None => match c.status.as_str() {
            "UNCLAIMED" => "CLAIMING".into(),
            _ => "CLAIMED".into(),
        },
    };
    if next == "CLAIMED" {
        if let Some(p) = store.projects.get_mut(&c.project_id) {
            p.claimable = false;
        }
    }
    if let Some(c) = store.claimables.get_mut(id) {
        c.status = next;
        c.updated_at = ids::now_millis_plus(0);
    }
    let c = store.claimables.get(id).ok_or_else(not_found)?;
    Ok(body(&store, &app.base_url, c))
}

/// `GET /claim/{id}`: opening the claim link starts claiming.
pub async fn claim_page(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Html<String>> {
    let status = app
        .lock()
        .claimables
        .get(&id)
        .map(|c| c.status.clone())
        .ok_or_else(not_found)?;
    if status == "UNCLAIMED" {
        advance(&app, &id, Some("CLAIMING"))?;
    }
    Ok(Html(format!(
        "<!doctype html><title>Claim database</title><h1>Claim database {id}</h1>\
         <form method=post><button>Claim into my emulated Neon account</button></form>"
    )))
}

/// `POST /claim/{id}`: confirms the claim.
pub async fn claim_page_confirm(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(advance(&app, &id, Some("CLAIMED"))?))
}
