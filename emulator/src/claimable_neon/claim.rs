//! The claim flow: an agent asks for a user code, a human submits it on `/claim` (issuance of
//! new access tokens freezes), the project moves to the human's account (accepted), then the
//! pre-claim credentials are torn down (reconciled).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use rand::Rng;
use serde_json::{json, Value};

use super::errors::{Code, ServiceError, ServiceResult};
use super::state::{iso, now, Attempt, AttemptState, Status};
use crate::app::{QueryMap, Shared};
use crate::ids;

/// Seconds an agent should wait between status polls.
const POLL_INTERVAL: i64 = 5;

/// Characters of a user code (no 0/O, 1/I/L).
const CODE_CHARS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn user_code() -> String {
    let mut rng = rand::thread_rng();
    let c: String = (0..8)
        .map(|_| CODE_CHARS[rng.gen_range(0..CODE_CHARS.len())] as char)
        .collect();
    format!("{}-{}", &c[..4], &c[4..])
}

/// A user code as typed: upper case, without the dash or spaces.
fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Starts a claim attempt for `registration_id` (cancelling a pending one that was not submitted).
pub fn start(app: &Shared, registration_id: &str) -> ServiceResult<Value> {
    let now = now();
    let mut registry = app.claimable_neon.lock();
    let ttl = registry.config.claim_ttl;
    let reg = registry
        .registrations
        .get_mut(registration_id)
        .ok_or_else(ServiceError::no_route)?;
    reg.refresh(now);
    reg.usable()?;
    if reg.frozen {
        return Err(reg.claim_in_progress());
    }
    let code = user_code();
    reg.claim = Some(Attempt {
        user_code: code.clone(),
        expires_at: now + ttl,
        state: AttemptState::Pending,
        transfer_id: None,
    });
    let origin = &app.base_url;
    Ok(json!({
        "user_code": code, "verification_uri": format!("{origin}/claim"),
        "verification_uri_complete": format!("{origin}/claim?user_code={code}"),
        "expires_in": ttl, "interval": POLL_INTERVAL,
    }))
}

/// `GET …/claim`
pub fn status(app: &Shared, registration_id: &str) -> ServiceResult<Value> {
    let mut registry = app.claimable_neon.lock();
    let reg = registry
        .registrations
        .get_mut(registration_id)
        .ok_or_else(ServiceError::no_route)?;
    reg.refresh(now());
    let a = reg.claim.as_ref().ok_or_else(|| {
        ServiceError::new(
            Code::NotFound,
            "No claim has been started for this project.",
        )
    })?;
    let mut v = json!({
        "state": a.state.name(), "expires_at": iso(a.expires_at),
        "reconciled": a.state == AttemptState::Reconciled,
    });
    if a.state == AttemptState::Accepted {
        v["message"] =
            "The project moved, but pre-claim credential teardown is not yet reconciled.".into();
    }
    Ok(v)
}

/// `POST /v1/agent/identity/claim` `{claim_token}`: a claim started with the assertion itself.
pub async fn start_with_claim_token(
    State(app): State<Shared>,
    raw: Bytes,
) -> ServiceResult<Json<Value>> {
    let invalid = || {
        ServiceError::new(
            Code::InvalidRequest,
            "The body must be {\"claim_token\": \"<identity assertion>\"}.",
        )
    };
    let body: Value = serde_json::from_slice(&raw).map_err(|_| invalid())?;
    let obj = body
        .as_object()
        .filter(|o| o.len() == 1)
        .ok_or_else(invalid)?;
    let token = obj
        .get("claim_token")
        .and_then(Value::as_str)
        .ok_or_else(invalid)?;
    let claims = app
        .claimable_neon
        .signer
        .verify(token)
        .map_err(|_| ServiceError::new(Code::InvalidGrant, "Token signature is not valid."))?;
    let rid = claims
        .get("registration_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let known = claims.get("typ").and_then(Value::as_str) == Some("assertion")
        && app
            .claimable_neon
            .lock()
            .registrations
            .get(rid)
            .is_some_and(|r| r.assertion_jti == jti);
    if !known {
        return Err(ServiceError::new(
            Code::InvalidGrant,
            "The claim token does not name a known identity.",
        ));
    }
    Ok(Json(start(&app, rid)?))
}

/// `GET /claim`: the form a human types the user code into.
pub async fn form(Query(q): Query<QueryMap>) -> Html<String> {
    let code: String = q.get("user_code").map(|c| normalise(c)).unwrap_or_default();
    Html(format!(
        "<!doctype html><title>Claim your Neon project</title><h1>Claim a Neon project</h1>\
         <form method=post action=/claim><label>Code <input name=user_code value=\"{code}\" \
         autocomplete=off></label><button>Continue</button></form>"
    ))
}

/// `POST /claim` (form `user_code`): starts the project transfer and freezes token issuance;
/// answers 303 to the console page where the human accepts it.
pub async fn submit(State(app): State<Shared>, raw: Bytes) -> ServiceResult<Response> {
    let code = form_urlencoded::parse(&raw)
        .find(|(k, _)| k == "user_code")
        .map(|(_, v)| normalise(&v))
        .unwrap_or_default();
    let now = now();
    let mut registry = app.claimable_neon.lock();
    let reg = registry.registrations.values_mut().find(|r| {
        r.claim
            .as_ref()
            .is_some_and(|a| normalise(&a.user_code) == code)
            && !code.is_empty()
    });
    let refused = || {
        ServiceError::new(
            Code::InvalidGrant,
            "This claim code is not valid, was already used, or has expired.",
        )
    };
    let reg = reg.ok_or_else(refused)?;
    reg.refresh(now);
    if reg.status != Status::Active {
        return Err(refused());
    }
    let project_id = reg.project_id.clone();
    let a = reg.claim.as_mut().ok_or_else(refused)?;
    if a.state != AttemptState::Pending || a.transfer_id.is_some() {
        return Err(refused());
    }
    let transfer = uuid::Uuid::new_v4().to_string();
    a.transfer_id = Some(transfer.clone());
    reg.frozen = true;
    let location = format!(
        "{}/__emulator/claimable-neon/console?p={project_id}&tr={transfer}",
        app.base_url
    );
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// The human accepts the transfer: the project moves to `org_id` (the emulator's default
/// organization when absent) and shows in the Management API. A started attempt is submitted
/// first, as if the code had been typed.
pub fn accept(app: &Shared, project_id: &str, org_id: Option<String>) -> ServiceResult<Value> {
    let org = {
        let store = app.lock();
        let org = org_id.unwrap_or_else(|| store.default_org_id.clone());
        if !store.organizations.contains_key(&org) {
            return Err(ServiceError::new(
                Code::InvalidRequest,
                format!("organization {org} does not exist"),
            ));
        }
        org
    };
    app.claimable_neon.with_project(project_id, |reg| {
        reg.refresh(now());
        reg.usable()?;
        let a = reg.pending_attempt("accept")?;
        a.transfer_id
            .get_or_insert_with(|| uuid::Uuid::new_v4().to_string());
        a.state = AttemptState::Accepted;
        reg.frozen = true;
        Ok(())
    })?;
    let mut store = app.lock();
    if let Some(p) = store.projects.get_mut(project_id) {
        p.org_id = org.clone();
        p.claimable = false;
        p.updated_at = ids::now();
    }
    Ok(json!({ "project_id": project_id, "org_id": org, "state": "accepted" }))
}

/// Pre-claim credentials are torn down: every role password of the project rotates (the
/// pre-claim `database_url` is refused from now on) and the identity is done.
pub fn reconcile(app: &Shared, project_id: &str) -> ServiceResult<Value> {
    let accepted = app.claimable_neon.with_project(project_id, |reg| {
        Ok(reg
            .claim
            .as_ref()
            .is_some_and(|a| a.state == AttemptState::Accepted))
    })?;
    if !accepted {
        accept(app, project_id, None)?;
    }
    {
        let mut store = app.lock();
        let branch_ids: Vec<String> = store
            .project_branches(project_id)
            .iter()
            .map(|b| b.id.clone())
            .collect();
        for bid in branch_ids {
            if let Some(b) = store.branches.get_mut(&bid) {
                for role in &mut b.roles {
                    role.password = ids::password();
                    role.updated_at = ids::now();
                }
            }
        }
    }
    app.claimable_neon.with_project(project_id, |reg| {
        if let Some(a) = &mut reg.claim {
            a.state = AttemptState::Reconciled;
        }
        reg.frozen = false;
        reg.status = Status::Claimed;
        Ok(json!({ "project_id": project_id, "state": "reconciled" }))
    })
}

/// The claim attempt runs out of time: state expired, issuance thaws.
pub fn expire_attempt(app: &Shared, project_id: &str) -> ServiceResult<Value> {
    app.claimable_neon.with_project(project_id, |reg| {
        let a = reg.pending_attempt("expire")?;
        a.state = AttemptState::Expired;
        a.expires_at = now();
        reg.frozen = false;
        Ok(json!({ "project_id": project_id, "state": "expired" }))
    })
}
