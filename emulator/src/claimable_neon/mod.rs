//! Claimable Neon (`https://claimable.neon.tech`): anonymous agent identities that own a
//! Neon project until a human claims it. Served at the emulator's root, so the emulator's base
//! URL is the service's origin (Neon's CLI accepts only a scheme and host as origin).
//!
//! An identity assertion (an Ed25519-signed JWT) is exchanged for short-lived access tokens;
//! with one, an agent reads its project's credentials, starts a claim, deletes the project, or
//! reaches an allowlisted part of the Management API through [`proxy`]. The human side of a claim
//! is the `/claim` form and the control routes of [`control`].

mod allowlist;
mod claim;
pub mod control;
mod errors;
mod identity;
mod oauth;
mod project;
mod proxy;
mod state;
mod tokens;

use axum::middleware;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::Shared;

pub use state::Service;

/// The scopes the service knows, in the order it lists them.
const SCOPES: [&str; 10] = [
    "postgres.read",
    "postgres.write",
    "data_api.query",
    "data_api.configure",
    "auth.configure",
    "storage.read",
    "storage.write",
    "functions.deploy",
    "functions.invoke",
    "ai_gateway.invoke",
];

/// The service's routes (the control routes are in [`control::router`]).
pub fn router(app: &Shared) -> Router<Shared> {
    Router::new()
        .route("/health", get(health))
        .route("/.well-known/jwks.json", get(jwks))
        .route(
            "/.well-known/oauth-protected-resource",
            get(protected_resource),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(authorization_server),
        )
        .route("/v1/agent/identity", post(identity::register))
        .route(
            "/v1/agent/identity/claim",
            post(claim::start_with_claim_token),
        )
        .route("/v1/oauth2/token", post(oauth::token))
        .route("/v1/oauth2/revoke", post(oauth::revoke))
        .route("/v1/projects/{*rest}", any(project::projects_route))
        .route("/v1/databases/{*rest}", any(project::databases_route))
        .route("/v1/{*rest}", any(no_route))
        .route("/claim", get(claim::form).post(claim::submit))
        .layer(middleware::from_fn_with_state(
            app.base_url.clone(),
            errors::add_request_id,
        ))
}

async fn no_route() -> errors::ServiceError {
    errors::ServiceError::no_route()
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "service": "claimable-neon" }))
}

async fn jwks(axum::extract::State(app): axum::extract::State<Shared>) -> Json<Value> {
    Json(app.claimable_neon.signer.jwks())
}

async fn protected_resource(
    axum::extract::State(app): axum::extract::State<Shared>,
) -> Json<Value> {
    let origin = &app.base_url;
    Json(json!({
        "resource": format!("{origin}/"), "authorization_servers": [origin],
        "bearer_methods_supported": ["header"], "scopes_supported": SCOPES,
    }))
}

async fn authorization_server(
    axum::extract::State(app): axum::extract::State<Shared>,
) -> Json<Value> {
    let origin = &app.base_url;
    Json(json!({
        "issuer": origin,
        "token_endpoint": format!("{origin}/v1/oauth2/token"),
        "revocation_endpoint": format!("{origin}/v1/oauth2/revoke"),
        "jwks_uri": format!("{origin}/.well-known/jwks.json"),
        "grant_types_supported": [oauth::JWT_BEARER],
        "token_endpoint_auth_methods_supported": ["none"],
    }))
}
