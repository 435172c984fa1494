//! The bearer-authenticated routes of an agent's own project, under both path families the
//! service has used: `/v1/projects/:id/…` (Neon's CLI) and `/v1/databases/:id/…` (the service's
//! source). What is not one of them under `/v1/projects` goes to the Management API [`proxy`].

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::claim;
use super::errors::{Code, ServiceError, ServiceResult};
use super::oauth::{authenticate, Caller};
use super::proxy;
use super::state::{iso, Status};
use crate::app::Shared;
use crate::projects::remove_project;

/// `/v1/projects/{*rest}`
pub async fn projects_route(State(app): State<Shared>, req: Request) -> Response {
    route(app, req, false).await.into_response()
}

/// `/v1/databases/{*rest}`
pub async fn databases_route(State(app): State<Shared>, req: Request) -> Response {
    route(app, req, true).await.into_response()
}

async fn route(app: Shared, req: Request, databases: bool) -> ServiceResult<Response> {
    let (parts, body) = req.into_parts();
    let prefix = if databases {
        "/v1/databases/"
    } else {
        "/v1/projects/"
    };
    let rest = parts.uri.path().strip_prefix(prefix).unwrap_or_default();
    let segments = proxy::canonical_segments(rest)?;
    let caller = authenticate(&app, &parts.headers)?;
    let reg = &caller.registration;
    if segments.first() != Some(&reg.project_id) {
        return Err(ServiceError::new(
            Code::RouteNotAllowed,
            "An agent token can act only on its own project.",
        ));
    }
    let tail: Vec<&str> = segments[1..].iter().map(String::as_str).collect();
    let method = parts.method.clone();
    let status_read = method == Method::GET && tail == ["claim"];
    if !status_read {
        if reg.status == Status::Claimed {
            reg.usable()?;
        }
        if reg.frozen {
            return Err(reg.claim_in_progress());
        }
    }
    let body = axum::body::to_bytes(body, 1024 * 1024)
        .await
        .map_err(|_| ServiceError::new(Code::InvalidRequest, "The request body is too large."))?;
    match (&method, tail.as_slice()) {
        (&Method::GET, ["claim"]) => Ok(Json(claim::status(&app, &reg.id)?).into_response()),
        (&Method::POST, ["claim"]) => Ok(Json(claim::start(&app, &reg.id)?).into_response()),
        (&Method::GET, ["credentials"]) => {
            caller.require_scope("postgres.read")?;
            credentials(&app, &caller).map(IntoResponse::into_response)
        }
        (&Method::DELETE, []) => {
            caller.require_scope("postgres.write")?;
            delete(&app, &caller).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        (&Method::GET, []) if databases => {
            let project = proxy::reduced_project(&app, &caller).await?;
            Ok(Json(project).into_response())
        }
        _ if databases => Err(ServiceError::no_route()),
        _ => proxy::forward(&app, &caller, &method, &segments, body).await,
    }
}

fn credentials(app: &Shared, caller: &Caller) -> ServiceResult<Json<serde_json::Value>> {
    let reg = &caller.registration;
    let store = app.lock();
    let url =
        crate::claimable::pooled_connection_string(&store, &reg.project_id).ok_or_else(|| {
            ServiceError::new(Code::InternalError, "The project has no connection string.")
        })?;
    // The emulator does not serve the Data API or Neon Auth, so `services` stays empty.
    Ok(Json(json!({
        "project_id": reg.project_id, "branch_id": reg.branch_id, "database_url": url,
        "expires_at": iso(reg.expires_at), "services": {},
    })))
}

async fn delete(app: &Shared, caller: &Caller) -> ServiceResult<()> {
    let reg = &caller.registration;
    let dbs = {
        let mut store = app.lock();
        remove_project(&mut store, &reg.project_id)
    };
    app.pg_drop_all(dbs).await;
    if let Some(r) = app.claimable_neon.lock().registrations.get_mut(&reg.id) {
        r.status = Status::Deleted;
    }
    Ok(())
}
