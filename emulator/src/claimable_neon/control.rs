//! `/__emulator/claimable-neon/*`: what tests and demos drive from outside — shorter lifetimes,
//! the registration limit, expiring tokens, and the human side of a claim (accept, reconcile,
//! expire) — plus the console page `/claim` redirects to.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::claim;
use super::errors::{Code, ServiceError, ServiceResult};
use super::state::Status;
use crate::app::{QueryMap, Shared};
use crate::projects::remove_project;

const P: &str = "/__emulator/claimable-neon/projects/{project_id}";

/// The control routes.
pub fn router() -> Router<Shared> {
    Router::new()
        .route(
            "/__emulator/claimable-neon/config",
            get(get_config).post(set_config),
        )
        .route(
            "/__emulator/claimable-neon/registrations",
            get(registrations),
        )
        .route("/__emulator/claimable-neon/console", get(console))
        .route(&format!("{P}/expire-tokens"), post(expire_tokens))
        .route(&format!("{P}/claim/accept"), post(accept))
        .route(&format!("{P}/claim/reconcile"), post(reconcile))
        .route(&format!("{P}/claim/expire"), post(expire_attempt))
        .route(&format!("{P}/expire"), post(expire_project))
}

fn invalid(message: String) -> ServiceError {
    ServiceError::new(Code::InvalidRequest, message)
}

fn object(raw: &Bytes) -> ServiceResult<serde_json::Map<String, Value>> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(Default::default());
    }
    match serde_json::from_slice(raw) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(invalid("the body must be a JSON object".into())),
    }
}

fn config_json(app: &Shared) -> Json<Value> {
    let c = app.claimable_neon.lock().config.clone();
    Json(json!({
        "access_token_ttl_seconds": c.access_token_ttl, "project_ttl_seconds": c.project_ttl,
        "claim_ttl_seconds": c.claim_ttl, "registration_limit": c.registration_limit,
    }))
}

async fn get_config(State(app): State<Shared>) -> Json<Value> {
    config_json(&app)
}

/// `{access_token_ttl_seconds?, project_ttl_seconds?, claim_ttl_seconds?, registration_limit?}`;
/// setting the limit starts its counts afresh. The durations apply to what is issued next.
async fn set_config(State(app): State<Shared>, raw: Bytes) -> ServiceResult<Json<Value>> {
    let body = object(&raw)?;
    let known = [
        "access_token_ttl_seconds",
        "project_ttl_seconds",
        "claim_ttl_seconds",
        "registration_limit",
    ];
    if let Some(k) = body.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(invalid(format!("unknown setting {k}")));
    }
    let num = |k: &str, min: i64| -> ServiceResult<Option<i64>> {
        match body.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .filter(|n| *n >= min)
                .map(Some)
                .ok_or_else(|| invalid(format!("{k} must be an integer of at least {min}"))),
        }
    };
    let (at, pt, ct, limit) = (
        num("access_token_ttl_seconds", 1)?,
        num("project_ttl_seconds", 1)?,
        num("claim_ttl_seconds", 1)?,
        num("registration_limit", 0)?,
    );
    {
        let mut reg = app.claimable_neon.lock();
        if let Some(v) = at {
            reg.config.access_token_ttl = v;
        }
        if let Some(v) = pt {
            reg.config.project_ttl = v;
        }
        if let Some(v) = ct {
            reg.config.claim_ttl = v;
        }
        if let Some(v) = limit {
            reg.config.registration_limit = u32::try_from(v).unwrap_or(u32::MAX);
            reg.per_client.clear();
        }
    }
    Ok(config_json(&app))
}

async fn registrations(State(app): State<Shared>) -> Json<Value> {
    let reg = app.claimable_neon.lock();
    let list: Vec<Value> = reg
        .registrations
        .values()
        .map(|r| {
            json!({
                "registration_id": r.id, "project_id": r.project_id,
                "status": format!("{:?}", r.status).to_lowercase(),
                "claim_state": r.claim.as_ref().map(|a| a.state.name()),
                "user_code": r.claim.as_ref().map(|a| a.user_code.clone()),
                "frozen": r.frozen,
            })
        })
        .collect();
    Json(json!({ "registrations": list }))
}

/// Every access token issued so far for the project answers `token_expired` from now on.
async fn expire_tokens(
    State(app): State<Shared>,
    Path(project_id): Path<String>,
) -> ServiceResult<Json<Value>> {
    let n = app.claimable_neon.with_project(&project_id, |r| {
        let issued = r.issued.clone();
        r.expired_tokens.extend(issued);
        Ok(r.issued.len())
    })?;
    Ok(Json(json!({ "expired_tokens": n })))
}

/// `{org_id?}`
async fn accept(
    State(app): State<Shared>,
    Path(project_id): Path<String>,
    raw: Bytes,
) -> ServiceResult<Json<Value>> {
    let body = object(&raw)?;
    let org = match body.get("org_id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("org_id must be a string".into())),
    };
    Ok(Json(claim::accept(&app, &project_id, org)?))
}

async fn reconcile(
    State(app): State<Shared>,
    Path(project_id): Path<String>,
) -> ServiceResult<Json<Value>> {
    Ok(Json(claim::reconcile(&app, &project_id)?))
}

async fn expire_attempt(
    State(app): State<Shared>,
    Path(project_id): Path<String>,
) -> ServiceResult<Json<Value>> {
    Ok(Json(claim::expire_attempt(&app, &project_id)?))
}

/// The unclaimed project's time runs out: it is deleted, and its identity answers `project_expired`.
async fn expire_project(
    State(app): State<Shared>,
    Path(project_id): Path<String>,
) -> ServiceResult<Json<Value>> {
    app.claimable_neon.with_project(&project_id, |r| {
        if r.status != Status::Active {
            return Err(invalid(format!(
                "project {project_id} is no longer unclaimed"
            )));
        }
        r.status = Status::Expired;
        r.expires_at = r.expires_at.min(super::state::now());
        Ok(())
    })?;
    let dbs = remove_project(&mut app.lock(), &project_id);
    app.pg_drop_all(dbs).await;
    Ok(Json(
        json!({ "project_id": project_id, "status": "expired" }),
    ))
}

/// Where `POST /claim` sends the human: the emulator's stand-in for Neon's console transfer page.
async fn console(Query(q): Query<QueryMap>) -> Html<String> {
    let p: String = q
        .get("p")
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><title>Accept project transfer</title><h1>Transfer project {p}</h1>\
         <form method=post action=\"/__emulator/claimable-neon/projects/{p}/claim/accept\"><button>Accept into my account</button></form>\
         <form method=post action=\"/__emulator/claimable-neon/projects/{p}/claim/reconcile\"><button>Accept and finish (reconcile)</button></form>"
    ))
}
