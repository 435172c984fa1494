//! The router and the pipeline every request goes through: request ids, CORS, faults,
//! authentication and rate limits.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::app::Shared;
use crate::error::{ApiError, NeonErrorBody};
use crate::faults::FaultAction;
use crate::ratelimit::route_of;
use crate::state::{Database, Role};
use crate::{
    addons, advisors, anonymize, auth_config, auth_email, auth_sections, auth_users,
    backup_schedule, branches, claimable, claimable_neon, control, credentials, endpoints,
    functions, jwks, operations, org_members, orgs, project_access, projects, recovery, restore,
    roles_dbs, snapshots, sql_http, storage, vpc,
};

/// All routes of the emulator.
pub fn router(app: Shared) -> Router {
    let v2 = Router::new()
        .route("/projects", get(projects::list).post(projects::create))
        .route(
            "/projects/{project_id}",
            get(projects::get_one)
                .patch(projects::update)
                .delete(projects::delete),
        )
        .route(
            "/projects/{project_id}/consumption",
            get(orgs::project_consumption),
        )
        .route(
            "/projects/{project_id}/connection_uri",
            get(projects::connection_uri),
        )
        .route("/projects/{project_id}/operations", get(operations::list))
        .route(
            "/projects/{project_id}/operations/{operation_id}",
            get(operations::get_one),
        )
        .route(
            "/projects/{project_id}/branches",
            get(branches::list).post(branches::create),
        )
        .route(
            "/projects/{project_id}/branches/count",
            get(branches::count),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}",
            get(branches::get_one)
                .patch(branches::update)
                .delete(branches::delete),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/restore",
            post(restore::restore_branch),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/schema",
            get(restore::schema),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/compare_schema",
            get(restore::compare_schema),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/set_as_default",
            post(branches::set_as_default),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/endpoints",
            get(endpoints::list_for_branch),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/databases",
            get(roles_dbs::list::<Database>).post(roles_dbs::create_database),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/databases/{database_name}",
            get(roles_dbs::get::<Database>)
                .patch(roles_dbs::update_database)
                .delete(roles_dbs::delete_database),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/roles",
            get(roles_dbs::list::<Role>).post(roles_dbs::create_role),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/roles/{role_name}",
            get(roles_dbs::get::<Role>).delete(roles_dbs::delete_role),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/roles/{role_name}/reveal_password",
            get(roles_dbs::reveal_password),
        )
        .route(
            "/projects/{project_id}/branches/{branch_id}/roles/{role_name}/reset_password",
            post(roles_dbs::reset_password),
        )
        .route(
            "/projects/{project_id}/endpoints",
            get(endpoints::list).post(endpoints::create),
        )
        .route(
            "/projects/{project_id}/endpoints/{endpoint_id}",
            get(endpoints::get_one)
                .patch(endpoints::update)
                .delete(endpoints::delete),
        )
        .route(
            "/projects/{project_id}/endpoints/{endpoint_id}/start",
            post(endpoints::start),
        )
        .route(
            "/projects/{project_id}/endpoints/{endpoint_id}/suspend",
            post(endpoints::suspend),
        )
        .route(
            "/projects/{project_id}/endpoints/{endpoint_id}/restart",
            post(endpoints::restart),
        )
        .route(
            "/consumption_history/projects",
            get(orgs::consumption_history_v1),
        )
        .route(
            "/consumption_history/v2/projects",
            get(orgs::consumption_history_v2_projects),
        )
        .route(
            "/consumption_history/v2/branches",
            get(orgs::consumption_history_v2_branches),
        )
        .route("/organizations/{org_id}", get(orgs::get_organization))
        .route(
            "/organizations/{org_id}/api_keys",
            get(orgs::list_org_api_keys).post(orgs::create_org_api_key),
        )
        .route(
            "/organizations/{org_id}/api_keys/{key_id}",
            axum::routing::delete(orgs::revoke_org_api_key),
        )
        .route(
            "/organizations/{org_id}/projects/transfer",
            post(orgs::transfer_from_org),
        )
        .route("/users/me", get(orgs::current_user))
        .route(
            "/users/me/organizations",
            get(orgs::current_user_organizations),
        )
        .route(
            "/users/me/projects/transfer",
            post(orgs::transfer_from_user),
        )
        .route(
            "/api_keys",
            get(orgs::list_api_keys).post(orgs::create_api_key),
        )
        .route(
            "/api_keys/{key_id}",
            axum::routing::delete(orgs::revoke_api_key),
        )
        .route("/regions", get(orgs::regions))
        .merge(addons::routes())
        .merge(snapshots::routes())
        .merge(storage::routes())
        .merge(org_members::routes())
        .merge(project_access::routes())
        .merge(jwks::routes())
        .merge(backup_schedule::routes())
        .merge(advisors::routes())
        .merge(credentials::routes())
        .merge(recovery::routes())
        .merge(anonymize::routes())
        .merge(auth_config::routes())
        .merge(auth_email::routes())
        .merge(auth_sections::routes())
        .merge(auth_users::routes())
        .merge(vpc::routes())
        .merge(functions::routes())
        .fallback(not_found);
    let v1 = Router::new()
        .route("/database", post(claimable::create))
        .route("/database/{id}", get(claimable::get_one))
        .fallback(not_found);
    Router::new()
        .nest("/api/v2", v2)
        .nest("/api/v1", v1)
        .route(
            "/sql",
            post(sql_http::handle).layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/v2", get(crate::proxy::websocket::handle))
        .route(
            "/claim/{id}",
            get(claimable::claim_page).post(claimable::claim_page_confirm),
        )
        .merge(control::router())
        .merge(claimable_neon::router(&app))
        .merge(claimable_neon::control::router())
        .merge(storage::presigned_routes())
        .merge(org_members::control_routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), pipeline))
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::not_found("not found")
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

fn add_cors(headers: &mut HeaderMap, request_headers: Option<HeaderValue>) {
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
    );
    let allow = request_headers.unwrap_or_else(|| HeaderValue::from_static("*"));
    headers.insert("access-control-allow-headers", allow);
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("x-request-id, retry-after, content-type"),
    );
    headers.insert("access-control-max-age", HeaderValue::from_static("86400"));
}

pub fn bearer_key(headers: &HeaderMap) -> Option<String> {
    let v = headers.get("authorization")?.to_str().ok()?;
    let (scheme, key) = v.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then(|| key.to_string())
}

/// Every request: CORS preflights, faults, auth and rate limits (Management API), request ids.
async fn pipeline(State(app): State<Shared>, mut req: Request, next: Next) -> Response {
    let rid = request_id(req.headers());
    // Handlers that put the id in their bodies (Claimable Neon's errors) read it from here.
    if let Ok(v) = HeaderValue::from_str(&rid) {
        req.headers_mut().insert("x-request-id", v);
    }
    let acrh = req.headers().get("access-control-request-headers").cloned();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = std::time::Instant::now();
    let mut resp = if method == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        guarded(&app, req, next, &method, &path).await
    };
    let is_json = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let status = resp.status();
    if (status.is_client_error() || status.is_server_error())
        && !is_json
        && resp.extensions().get::<NeonErrorBody>().is_none()
    {
        // Framework rejections (bad path encoding, wrong method, body too large) speak plain
        // text: answer them in Neon's error shape like every other error.
        let retry = resp.headers().get("retry-after").cloned();
        let bytes = axum::body::to_bytes(std::mem::take(resp.body_mut()), 64 * 1024)
            .await
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        let message = if text.is_empty() {
            status.canonical_reason().unwrap_or("error").to_lowercase()
        } else {
            text
        };
        resp = ApiError::new(status, message).into_response();
        if let Some(r) = retry {
            resp.headers_mut().insert("retry-after", r);
        }
    }
    if let Some(err) = resp.extensions().get::<NeonErrorBody>().cloned() {
        let status = resp.status();
        let retry = resp.headers().get("retry-after").cloned();
        let body = json!({ "code": err.code, "message": err.message, "request_id": rid });
        resp = (status, Json(body)).into_response();
        if let Some(r) = retry {
            resp.headers_mut().insert("retry-after", r);
        }
    }
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&rid) {
        headers.insert("x-request-id", v);
    }
    add_cors(headers, acrh);
    if app.log_requests {
        crate::log(&format!(
            "{method} {path} -> {} ({} ms) [{rid}]",
            resp.status().as_u16(),
            started.elapsed().as_millis()
        ));
    }
    resp
}

async fn guarded(app: &Shared, req: Request, next: Next, method: &Method, path: &str) -> Response {
    if path.starts_with("/__emulator") {
        return next.run(req).await;
    }
    let fault = app.faults().take(method.as_str(), path);
    if let Some(f) = &fault {
        if let Some(d) = f.delay() {
            tokio::time::sleep(d).await;
        }
        if let Some(resp) = fault_response(f) {
            return resp;
        }
    }
    if path.starts_with("/api/v2") {
        let Some(key) = bearer_key(req.headers()) else {
            return ApiError::new(StatusCode::UNAUTHORIZED, "authentication required")
                .into_response();
        };
        if app
            .lock()
            .api_keys
            .iter()
            .any(|k| k.revoked && k.key == key)
        {
            return ApiError::new(StatusCode::UNAUTHORIZED, "API key has been revoked")
                .into_response();
        }
        let limited = app.limiter().check(&key, &route_of(method.as_str(), path));
        if let Err(wait) = limited {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            let mut resp = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate limit exceeded, too many requests",
            )
            .into_response();
            resp.headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
            return resp;
        }
    }
    let resp = next.run(req).await;
    match fault {
        Some(f) if f.rule.drop_connection => drop_mid_body(resp).await,
        _ => resp,
    }
}

fn fault_response(f: &FaultAction) -> Option<Response> {
    let status = StatusCode::from_u16(f.rule.status?).ok()?;
    let mut resp = if let Some(body) = &f.rule.body {
        (status, Json(body.clone())).into_response()
    } else {
        let message = f.rule.message.clone().unwrap_or_else(|| {
            if status == StatusCode::LOCKED {
                ApiError::locked().message
            } else {
                status
                    .canonical_reason()
                    .unwrap_or("injected fault")
                    .to_lowercase()
            }
        });
        let mut e = ApiError::new(status, message);
        if let Some(c) = &f.rule.code {
            e = e.with_code(c);
        }
        e.into_response()
    };
    if let Some(r) = f.rule.retry_after {
        resp.headers_mut()
            .insert("retry-after", HeaderValue::from(r));
    }
    Some(resp)
}

/// Sends the head and half the body, then fails the stream so the connection is cut.
async fn drop_mid_body(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
    parts
        .headers
        .insert("content-length", HeaderValue::from(bytes.len().max(1)));
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected dropped connection",
        )),
    ];
    let stream = futures_util::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        c
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

use futures_util::StreamExt;
