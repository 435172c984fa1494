//! `POST /v1/oauth2/token` (the jwt-bearer grant: an identity assertion for an access token),
//! `POST /v1/oauth2/revoke`, and the checks of an access token presented as `Bearer`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Map, Value};

use super::errors::{Code, ServiceError, ServiceResult};
use super::state::{now, Registration};
use super::tokens::Invalid;
use crate::app::Shared;

/// The OAuth grant type of an assertion exchange.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn grant(message: &str) -> ServiceError {
    ServiceError::new(Code::InvalidGrant, message)
}

fn unauthorized(message: &str) -> ServiceError {
    ServiceError::new(Code::Unauthorized, message)
}

fn form(raw: &Bytes) -> HashMap<String, String> {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// Checks issuer and audience of verified claims.
fn ours(app: &Shared, claims: &Map<String, Value>) -> bool {
    let aud = format!("{}/", app.base_url);
    claims.get("iss").and_then(Value::as_str) == Some(app.base_url.as_str())
        && claims.get("aud").and_then(Value::as_str) == Some(aud.as_str())
}

fn claim_str<'a>(claims: &'a Map<String, Value>, key: &str) -> &'a str {
    claims.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// `POST /v1/oauth2/token`
pub async fn token(State(app): State<Shared>, raw: Bytes) -> ServiceResult<Json<Value>> {
    let f = form(&raw);
    if f.get("grant_type").map(String::as_str) != Some(JWT_BEARER) {
        return Err(ServiceError::new(
            Code::InvalidRequest,
            format!("grant_type must be {JWT_BEARER}."),
        ));
    }
    let Some(assertion) = f.get("assertion").filter(|a| !a.is_empty()) else {
        return Err(ServiceError::new(
            Code::InvalidRequest,
            "assertion is required.",
        ));
    };
    if let Some(resource) = f.get("resource") {
        // Neon's CLI accepts plain http only for `localhost`: that name is this origin too.
        let named = resource
            .trim_end_matches('/')
            .replacen("://localhost:", "://127.0.0.1:", 1);
        if named != app.base_url {
            return Err(grant("The requested resource is not this service."));
        }
    }
    let claims = app
        .claimable_neon
        .signer
        .verify(assertion)
        .map_err(|e| match e {
            Invalid::Malformed => grant("The assertion is not a valid token."),
            Invalid::Signature => grant("Token signature is not valid."),
        })?;
    if claim_str(&claims, "typ") != "assertion" {
        return Err(grant("The token is not an identity assertion."));
    }
    if !ours(&app, &claims) {
        return Err(grant("The assertion was issued for another service."));
    }
    let now = now();
    let mut registry = app.claimable_neon.lock();
    let ttl = registry.config.access_token_ttl;
    let reg = registry
        .registrations
        .get_mut(claim_str(&claims, "registration_id"))
        .filter(|r| r.assertion_jti == claim_str(&claims, "jti"))
        .ok_or_else(|| grant("The assertion does not name a known identity."))?;
    reg.refresh(now);
    reg.usable()?;
    if reg.frozen {
        return Err(grant(
            "New access-token issuance is frozen while this project is being claimed.",
        ));
    }
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) <= now {
        return Err(grant("The identity assertion has expired."));
    }
    let exp = (now + ttl).min(reg.expires_at);
    if exp <= now {
        return Err(ServiceError::new(
            Code::ProjectExpired,
            "This project expired before it was claimed.",
        ));
    }
    let jti = uuid::Uuid::new_v4().to_string();
    let scope = reg.scopes.join(" ");
    let mut access = Map::new();
    access.insert("iss".into(), app.base_url.clone().into());
    access.insert("sub".into(), reg.id.clone().into());
    access.insert("aud".into(), format!("{}/", app.base_url).into());
    access.insert("jti".into(), jti.clone().into());
    access.insert("iat".into(), now.into());
    access.insert("exp".into(), exp.into());
    access.insert("typ".into(), "access".into());
    access.insert("registration_id".into(), reg.id.clone().into());
    access.insert("project_id".into(), reg.project_id.clone().into());
    access.insert("scope".into(), scope.clone().into());
    reg.issued.push(jti);
    let token = app.claimable_neon.signer.sign(&access);
    Ok(Json(json!({
        "access_token": token, "token_type": "Bearer", "expires_in": exp - now, "scope": scope,
    })))
}

/// `POST /v1/oauth2/revoke`: tokens that do not verify are ignored, as RFC 7009 asks.
pub async fn revoke(State(app): State<Shared>, raw: Bytes) -> ServiceResult<StatusCode> {
    let f = form(&raw);
    let Some(token) = f.get("token").filter(|t| !t.is_empty()) else {
        return Err(ServiceError::new(
            Code::InvalidRequest,
            "token is required.",
        ));
    };
    if let Ok(claims) = app.claimable_neon.signer.verify(token) {
        if claim_str(&claims, "typ") == "access" && ours(&app, &claims) {
            let mut registry = app.claimable_neon.lock();
            if let Some(reg) = registry
                .registrations
                .get_mut(claim_str(&claims, "registration_id"))
            {
                reg.revoked_tokens
                    .insert(claim_str(&claims, "jti").to_string());
            }
        }
    }
    Ok(StatusCode::OK)
}

/// The caller an access token speaks for.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The registration as it stands (its attempt refreshed).
    pub registration: Registration,
}

impl Caller {
    /// `scope_insufficient` unless the token carries `scope`.
    pub fn require_scope(&self, scope: &'static str) -> ServiceResult<()> {
        if self.registration.scopes.contains(&scope) {
            return Ok(());
        }
        Err(ServiceError::new(
            Code::ScopeInsufficient,
            format!("This operation needs the {scope} scope."),
        )
        .with("required_scope", scope))
    }
}

/// Checks `Authorization: Bearer <access token>`. A project that expired answers
/// `project_expired` before the token's own expiry (which the project's caps) is looked at.
pub fn authenticate(app: &Shared, headers: &HeaderMap) -> ServiceResult<Caller> {
    let Some(token) = crate::http::bearer_key(headers) else {
        return Err(unauthorized(
            "Present an access token as `Authorization: Bearer <token>`.",
        ));
    };
    let claims = app
        .claimable_neon
        .signer
        .verify(&token)
        .map_err(|_| unauthorized("This access token is not valid."))?;
    if claim_str(&claims, "typ") != "access" {
        return Err(unauthorized(
            "This is not an access token. Exchange your identity assertion at /v1/oauth2/token.",
        ));
    }
    if !ours(app, &claims) {
        return Err(unauthorized(
            "This access token was issued for another service.",
        ));
    }
    let jti = claim_str(&claims, "jti");
    let now = now();
    let mut registry = app.claimable_neon.lock();
    let reg = registry
        .registrations
        .get_mut(claim_str(&claims, "registration_id"))
        .ok_or_else(|| unauthorized("This access token is not valid."))?;
    reg.refresh(now);
    if reg.revoked_tokens.contains(jti) || reg.status == super::state::Status::Deleted {
        return Err(unauthorized("This access token has been revoked."));
    }
    if reg.status == super::state::Status::Expired {
        reg.usable()?;
    }
    let expired = claims.get("exp").and_then(Value::as_i64).unwrap_or(0) <= now
        || reg.expired_tokens.contains(jti);
    if expired {
        return Err(ServiceError::new(
            Code::TokenExpired,
            "This access token has expired.",
        ));
    }
    Ok(Caller {
        registration: reg.clone(),
    })
}
