//! `POST /v1/agent/identity`: registers an anonymous identity with a new project and signs its
//! identity assertion.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

use super::errors::{Code, ServiceError, ServiceResult};
use super::state::{iso, now, Registration, Status};
use super::SCOPES;
use crate::app::Shared;
use crate::ids;
use crate::projects::create_project;
use crate::state::Organization;

/// Capabilities in the order decisions are listed.
const CAPABILITIES: [&str; 6] = [
    "postgres",
    "data_api",
    "auth",
    "storage",
    "functions",
    "ai_gateway",
];

/// Granted before a claim (postgres always).
const GRANTABLE: [&str; 3] = ["postgres", "data_api", "auth"];

/// The scopes a granted capability brings.
fn scopes_of(capability: &str) -> &'static [&'static str] {
    match capability {
        "postgres" => &["postgres.read", "postgres.write"],
        "data_api" => &["data_api.query", "data_api.configure"],
        "auth" => &["auth.configure"],
        _ => &[],
    }
}

/// The handle of the emulator organization that owns unclaimed projects.
const ORG_HANDLE: &str = "claimable-neon";

fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::new(Code::InvalidRequest, message)
}

/// The request body, validated as strictly as the service's schema (plus the CLI's `data_api`).
struct Request {
    capabilities: Vec<String>,
}

fn parse(raw: &Bytes) -> ServiceResult<Request> {
    let body: Value = serde_json::from_slice(raw)
        .map_err(|_| invalid("The request body must be a JSON object."))?;
    let Value::Object(obj) = body else {
        return Err(invalid("The request body must be a JSON object."));
    };
    if let Some(k) = obj
        .keys()
        .find(|k| !["type", "capabilities", "source", "data_api"].contains(&k.as_str()))
    {
        return Err(invalid(format!(
            "Unknown field \"{k}\" in the registration request."
        )));
    }
    if obj.get("type").and_then(Value::as_str) != Some("anonymous") {
        return Err(invalid("type must be \"anonymous\"."));
    }
    let capabilities = match obj.get("capabilities") {
        None => Vec::new(),
        Some(Value::Array(list)) if list.len() <= 20 => list
            .iter()
            .map(|c| c.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid("capabilities must be strings."))?,
        Some(_) => {
            return Err(invalid(
                "capabilities must be an array of at most 20 strings.",
            ))
        }
    };
    match obj.get("source") {
        None => {}
        Some(Value::String(s)) if (1..=100).contains(&s.chars().count()) => {}
        Some(_) => return Err(invalid("source must be a string of 1 to 100 characters.")),
    }
    if obj.get("data_api").is_some_and(|d| !d.is_object()) {
        return Err(invalid("data_api must be an object."));
    }
    Ok(Request { capabilities })
}

/// One capability decision per asked capability (and postgres), in the service's order.
fn decide(asked: &[String]) -> (Vec<Value>, Vec<&'static str>) {
    let mut decisions = Vec::new();
    let mut granted = Vec::new();
    for cap in CAPABILITIES {
        if cap != "postgres" && !asked.iter().any(|a| a == cap) {
            continue;
        }
        if GRANTABLE.contains(&cap) {
            granted.push(cap);
            decisions.push(json!({ "capability": cap, "granted": true }));
        } else {
            decisions.push(json!({ "capability": cap, "granted": false, "reason": "requires_claim",
                "message": format!("The {cap} capability is available once the project is claimed.") }));
        }
    }
    let mut unknown: Vec<&String> = asked
        .iter()
        .filter(|a| !CAPABILITIES.contains(&a.as_str()))
        .collect();
    unknown.dedup();
    for cap in unknown {
        decisions.push(json!({ "capability": cap, "granted": false, "reason": "unknown_capability",
            "message": format!("Unknown capability \"{cap}\". Known capabilities: {}.", CAPABILITIES.join(", ")) }));
    }
    (decisions, granted)
}

/// Who is registering: the first `x-forwarded-for` address, else the direct caller.
fn client_of(headers: &HeaderMap) -> String {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| "direct".into())
}

/// The organization unclaimed projects belong to, made on first use.
fn service_org(app: &Shared) -> String {
    let mut store = app.lock();
    if let Some(o) = store
        .organizations
        .values()
        .find(|o| o.handle == ORG_HANDLE)
    {
        return o.id.clone();
    }
    let now = ids::now();
    let org = Organization {
        id: ids::org_id(),
        name: "Claimable Neon".into(),
        handle: ORG_HANDLE.into(),
        plan: "free_v3".into(),
        created_at: now.clone(),
        updated_at: now,
    };
    let id = org.id.clone();
    store.organizations.insert(id.clone(), org);
    id
}

/// `POST /v1/agent/identity`
pub async fn register(
    State(app): State<Shared>,
    headers: HeaderMap,
    raw: Bytes,
) -> ServiceResult<impl IntoResponse> {
    let req = parse(&raw)?;
    let client = client_of(&headers);
    let ttl = {
        let mut reg = app.claimable_neon.lock();
        let limit = reg.config.registration_limit;
        let used = reg.per_client.entry(client).or_insert(0);
        if limit > 0 && *used >= limit {
            return Err(ServiceError::new(
                Code::QuotaExceeded,
                "Too many anonymous registrations from this origin. Try again later.",
            ));
        }
        *used += 1;
        reg.config.project_ttl
    };
    let (decisions, granted) = decide(&req.capabilities);
    let np = crate::claimable::instant_project(service_org(&app), false);
    let created = create_project(&app, np).await.map_err(|e| {
        ServiceError::new(
            Code::UpstreamError,
            format!("Neon could not create the project: {}", e.message),
        )
    })?;
    let scopes: Vec<&'static str> = SCOPES
        .iter()
        .copied()
        .filter(|s| granted.iter().any(|c| scopes_of(c).contains(s)))
        .collect();
    let now = now();
    let expires_at = now + ttl;
    let registration_id = format!("reg_{}", uuid::Uuid::new_v4());
    let jti = uuid::Uuid::new_v4().to_string();
    let mut claims = Map::new();
    claims.insert("iss".into(), app.base_url.clone().into());
    claims.insert("sub".into(), registration_id.clone().into());
    claims.insert("aud".into(), format!("{}/", app.base_url).into());
    claims.insert("jti".into(), jti.clone().into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), expires_at.into());
    claims.insert("typ".into(), "assertion".into());
    claims.insert("registration_id".into(), registration_id.clone().into());
    let assertion = app.claimable_neon.signer.sign(&claims);
    app.claimable_neon.lock().registrations.insert(
        registration_id.clone(),
        Registration {
            id: registration_id.clone(),
            project_id: created.project_id.clone(),
            branch_id: created.branch_id.clone(),
            scopes: scopes.clone(),
            expires_at,
            status: Status::Active,
            assertion_jti: jti,
            claim: None,
            frozen: false,
            issued: Vec::new(),
            expired_tokens: Default::default(),
            revoked_tokens: Default::default(),
        },
    );
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "registration_id": registration_id,
            "identity_assertion": assertion, "claim_token": assertion,
            "assertion_expires": expires_at, "scopes": scopes,
            "project": { "id": created.project_id, "branch_id": created.branch_id, "expires_at": iso(expires_at) },
            "capabilities": decisions,
            "claim": { "start_url": format!("{}/claim?registration_id={registration_id}", app.base_url) },
        })),
    ))
}
