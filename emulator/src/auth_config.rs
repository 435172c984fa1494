//! Neon Auth's configuration of a branch: the app name, trusted domains, OAuth providers, the
//! email server, email-and-password sign-in, plugins, webhooks and localhost access. Kept as
//! state (the emulator runs no sign-ins); the deprecated project-level routes act on the
//! branch the project's integration is on.

use axum::body::Bytes;
use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, get_project, opt_str, parse_body, Shared};
use crate::error::{ApiError, ApiResult};
use crate::state::Store;

const PROVIDERS: [&str; 3] = ["mock", "stack", "better_auth"];
const OAUTH: [&str; 4] = ["google", "github", "microsoft", "vercel"];

/// One branch's Neon Auth settings.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub name: String,
    pub allow_localhost: bool,
    pub domains: Vec<(String, String)>,
    pub oauth: Vec<OAuthProvider>,
    pub email_server: Value,
    pub email_and_password: Value,
    pub organization: Value,
    pub magic_link: Value,
    pub phone_number: Value,
    pub webhooks: Value,
}

/// An OAuth provider; its secret is kept but never answered.
#[derive(Debug, Clone)]
pub struct OAuthProvider {
    pub id: String,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub microsoft_tenant_id: Option<String>,
}

impl AuthConfig {
    fn new(name: String) -> AuthConfig {
        AuthConfig {
            name,
            allow_localhost: true,
            domains: Vec::new(),
            oauth: Vec::new(),
            email_server: json!({ "type": "shared", "sender_email": "auth@mail.myneon.app", "sender_name": "Neon Auth" }),
            email_and_password: json!({ "enabled": true, "email_verification_method": "otp", "require_email_verification": false,
                "auto_sign_in_after_verification": true, "send_verification_email_on_sign_up": false,
                "send_verification_email_on_sign_in": false, "disable_sign_up": false }),
            organization: json!({ "enabled": false, "organization_limit": 5, "membership_limit": 100, "creator_role": "owner", "send_invitation_email": true }),
            magic_link: json!({ "enabled": false, "expires_in": 300, "disable_sign_up": false }),
            phone_number: json!({ "enabled": false, "otp_expires_in": 300 }),
            webhooks: json!({ "enabled": false, "enabled_events": [], "timeout_seconds": 5 }),
        }
    }
}

/// The branch's settings; Neon Auth must be enabled on it.
pub fn config<'a>(store: &'a mut Store, pid: &str, bid: &str) -> ApiResult<&'a mut AuthConfig> {
    let name = get_project(store, pid)?.name.clone();
    get_branch(store, pid, bid)?;
    if !store.auth.iter().any(|a| a.branch_id == bid) {
        return Err(ApiError::not_found(
            "Neon Auth is not enabled on this branch",
        ));
    }
    Ok(store
        .auth_configs
        .entry(bid.to_string())
        .or_insert_with(|| AuthConfig::new(name)))
}

/// The branch the project's Neon Auth integration is on (its default branch's first).
pub fn project_auth_branch(store: &Store, pid: &str) -> ApiResult<String> {
    get_project(store, pid)?;
    let default = store.default_branch(pid).map(|b| b.id.clone());
    let on_project: Vec<&String> = store
        .auth
        .iter()
        .map(|a| &a.branch_id)
        .filter(|b| store.branches.get(*b).is_some_and(|x| x.project_id == pid))
        .collect();
    on_project
        .iter()
        .find(|b| Some(**b) == default.as_ref())
        .or(on_project.first())
        .map(|b| b.to_string())
        .ok_or_else(|| ApiError::not_found(format!("Neon Auth is not enabled on project {pid}")))
}

fn oauth_json(p: &OAuthProvider) -> Value {
    let mut v =
        json!({ "id": p.id, "type": if p.client_id.is_some() { "standard" } else { "shared" } });
    if let Some(c) = &p.client_id {
        v["client_id"] = json!(c);
    }
    v
}

/// What a route acts on: the project, the branch in its path (none on the deprecated
/// project-level routes, which act on the project's integration branch), the OAuth provider
/// in its path, and its last segment (which names a settings section).
pub struct Target {
    project_id: String,
    branch_id: Option<String>,
    provider_id: Option<String>,
    pub last: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Target {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(mut m) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let project_id = m
            .remove("project_id")
            .ok_or_else(|| ApiError::not_found("no project in the path").into_response())?;
        Ok(Target {
            project_id,
            branch_id: m.remove("branch_id"),
            provider_id: m.remove("oauth_provider_id"),
            last: parts
                .uri
                .path()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
        })
    }
}

pub fn with_config<T>(
    app: &Shared,
    t: &Target,
    f: impl FnOnce(&mut AuthConfig) -> ApiResult<T>,
) -> ApiResult<T> {
    let mut store = app.lock();
    let bid = match &t.branch_id {
        Some(b) => b.clone(),
        None => project_auth_branch(&store, &t.project_id)?,
    };
    f(config(&mut store, &t.project_id, &bid)?)
}

fn provider(body: &Value) -> ApiResult<String> {
    let p = opt_str(body, "auth_provider")?
        .ok_or_else(|| ApiError::bad_request("auth_provider is required"))?;
    if PROVIDERS.contains(&p.as_str()) {
        Ok(p)
    } else {
        Err(ApiError::bad_request(
            "auth_provider must be mock, stack or better_auth",
        ))
    }
}

async fn list_domains(State(app): State<Shared>, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        let d: Vec<Value> = c
            .domains
            .iter()
            .map(|(d, p)| json!({ "domain": d, "auth_provider": p }))
            .collect();
        Ok(Json(json!({ "domains": d })))
    })
}

async fn add_domain(State(app): State<Shared>, t: Target, body: Bytes) -> ApiResult<StatusCode> {
    let body = parse_body(&body)?;
    let domain =
        opt_str(&body, "domain")?.ok_or_else(|| ApiError::bad_request("domain is required"))?;
    if !(domain.starts_with("https://") || domain.starts_with("http://")) {
        return Err(ApiError::bad_request(
            "domain must be a URL such as https://app.example.com",
        ));
    }
    let p = provider(&body)?;
    with_config(&app, &t, |c| {
        if !c.domains.iter().any(|(d, _)| d == &domain) {
            c.domains.push((domain, p));
        }
        Ok(StatusCode::CREATED)
    })
}

async fn delete_domains(
    State(app): State<Shared>,
    t: Target,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let body = parse_body(&body)?;
    provider(&body)?;
    let gone: Vec<String> = match body.get("domains") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|d| d.get("domain").and_then(Value::as_str).map(str::to_string))
            .collect(),
        _ => {
            return Err(ApiError::bad_request(
                "domains must be an array of {domain}",
            ))
        }
    };
    with_config(&app, &t, |c| {
        c.domains.retain(|(d, _)| !gone.contains(d));
        Ok(StatusCode::OK)
    })
}

async fn list_oauth(State(app): State<Shared>, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        Ok(Json(
            json!({ "providers": c.oauth.iter().map(oauth_json).collect::<Vec<_>>() }),
        ))
    })
}

fn credentials(p: &mut OAuthProvider, body: &Value) -> ApiResult<()> {
    if let Some(v) = opt_str(body, "client_id")? {
        p.client_id = Some(v);
    }
    if let Some(v) = opt_str(body, "client_secret")? {
        p.client_secret = Some(v);
    }
    if let Some(v) = opt_str(body, "microsoft_tenant_id")? {
        p.microsoft_tenant_id = Some(v);
    }
    if p.client_id.is_some() != p.client_secret.is_some() {
        return Err(ApiError::bad_request(
            "client_id and client_secret go together",
        ));
    }
    Ok(())
}

async fn add_oauth(State(app): State<Shared>, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let id = opt_str(&body, "id")?
        .filter(|i| OAUTH.contains(&i.as_str()))
        .ok_or_else(|| ApiError::bad_request("id must be google, github, microsoft or vercel"))?;
    with_config(&app, &t, |c| {
        if c.oauth.iter().any(|p| p.id == id) {
            return Err(ApiError::conflict(format!(
                "OAuth provider {id} is already configured"
            )));
        }
        let mut p = OAuthProvider {
            id,
            client_id: None,
            client_secret: None,
            microsoft_tenant_id: None,
        };
        credentials(&mut p, &body)?;
        let out = oauth_json(&p);
        c.oauth.push(p);
        Ok(Json(out))
    })
}

async fn update_oauth(State(app): State<Shared>, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let id = t.provider_id.clone().unwrap_or_default();
    with_config(&app, &t, |c| {
        let p = c
            .oauth
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::not_found(format!("OAuth provider {id} not found")))?;
        credentials(p, &body)?;
        Ok(Json(oauth_json(p)))
    })
}

async fn delete_oauth(State(app): State<Shared>, t: Target) -> ApiResult<StatusCode> {
    let id = t.provider_id.clone().unwrap_or_default();
    with_config(&app, &t, |c| {
        let before = c.oauth.len();
        c.oauth.retain(|p| p.id != id);
        if c.oauth.len() == before {
            return Err(ApiError::not_found(format!(
                "OAuth provider {id} not found"
            )));
        }
        Ok(StatusCode::OK)
    })
}

async fn plugins(State(app): State<Shared>, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        Ok(Json(
            json!({ "organization": c.organization, "magic_link": c.magic_link, "phone_number": c.phone_number,
            "email_provider": crate::auth_email::email_server_json(&c.email_server), "email_and_password": c.email_and_password,
            "oauth_providers": c.oauth.iter().map(oauth_json).collect::<Vec<_>>(), "allow_localhost": c.allow_localhost }),
        ))
    })
}

async fn get_localhost(State(app): State<Shared>, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        Ok(Json(json!({ "allow_localhost": c.allow_localhost })))
    })
}

async fn set_localhost(
    State(app): State<Shared>,
    t: Target,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let allow = crate::app::opt_bool(&parse_body(&body)?, "allow_localhost")?
        .ok_or_else(|| ApiError::bad_request("allow_localhost is required"))?;
    with_config(&app, &t, |c| {
        c.allow_localhost = allow;
        Ok(Json(json!({ "allow_localhost": allow })))
    })
}

async fn set_name(State(app): State<Shared>, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let name = opt_str(&parse_body(&body)?, "name")?
        .filter(|n| !n.is_empty() && n.len() <= 256)
        .ok_or_else(|| ApiError::bad_request("name must be 1 to 256 characters"))?;
    with_config(&app, &t, |c| {
        c.name = name;
        Ok(Json(json!({ "name": c.name })))
    })
}

/// The routes of Neon Auth's settings, per branch and (deprecated) per project.
pub fn routes() -> Router<Shared> {
    const B: &str = "/projects/{project_id}/branches/{branch_id}/auth";
    const P: &str = "/projects/{project_id}/auth";
    let mut r = Router::new();
    for base in [B, P] {
        r = r
            .route(
                &format!("{base}/domains"),
                get(list_domains).post(add_domain).delete(delete_domains),
            )
            .route(
                &format!("{base}/oauth_providers"),
                get(list_oauth).post(add_oauth),
            )
            .route(
                &format!("{base}/oauth_providers/{{oauth_provider_id}}"),
                patch(update_oauth).delete(delete_oauth),
            );
    }
    r.route(&format!("{B}/plugins"), get(plugins))
        .route(
            &format!("{B}/allow_localhost"),
            get(get_localhost).patch(set_localhost),
        )
        .route(&format!("{B}/config"), patch(set_name))
}
