//! Neon Auth's configuration of a branch: the app name, trusted domains, OAuth providers, the
//! email server, email-and-password sign-in, plugins, webhooks and localhost access. Kept as
//! state (the emulator runs no sign-ins); the deprecated project-level routes act on the
//! branch the project's integration is on.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

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

/// Merges `body` into `section`, each key checked against the type of its current value (and
/// `enums` where the spec lists the values).
fn merge(section: &mut Value, body: &Value, enums: &[(&str, &[&str])]) -> ApiResult<()> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::bad_request("request body must be an object"));
    };
    for (k, v) in obj {
        let current = section
            .get(k)
            .ok_or_else(|| ApiError::bad_request(format!("unknown setting {k}")))?;
        let same = matches!(
            (current, v),
            (Value::Bool(_), Value::Bool(_))
                | (Value::Number(_), Value::Number(_))
                | (Value::String(_), Value::String(_))
                | (Value::Array(_), Value::Array(_))
        );
        if !same {
            return Err(ApiError::bad_request(format!("{k} has the wrong type")));
        }
        if let Some((_, allowed)) = enums.iter().find(|(key, _)| key == k) {
            let ok = match v {
                Value::String(s) => allowed.contains(&s.as_str()),
                Value::Array(a) => a
                    .iter()
                    .all(|x| x.as_str().is_some_and(|s| allowed.contains(&s))),
                _ => false,
            };
            if !ok {
                return Err(ApiError::bad_request(format!(
                    "{k} must be among {}",
                    allowed.join(", ")
                )));
            }
        }
    }
    for (k, v) in obj {
        section[k] = v.clone();
    }
    Ok(())
}

fn oauth_json(p: &OAuthProvider) -> Value {
    let mut v =
        json!({ "id": p.id, "type": if p.client_id.is_some() { "standard" } else { "shared" } });
    if let Some(c) = &p.client_id {
        v["client_id"] = json!(c);
    }
    v
}

/// The email server as answered: an SMTP password is never sent back.
fn email_server_json(v: &Value) -> Value {
    let mut v = v.clone();
    if v.get("password").is_some() {
        v["password"] = json!("********");
    }
    v
}

/// Which branch a route acts on: the path's, or the project's integration branch.
type Target = (String, Option<String>);

fn branch_of(store: &Store, (pid, bid): &Target) -> ApiResult<String> {
    match bid {
        Some(b) => Ok(b.clone()),
        None => project_auth_branch(store, pid),
    }
}

fn with_config<T>(
    app: &Shared,
    t: &Target,
    f: impl FnOnce(&mut AuthConfig) -> ApiResult<T>,
) -> ApiResult<T> {
    let mut store = app.lock();
    let bid = branch_of(&store, t)?;
    f(config(&mut store, &t.0, &bid)?)
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

async fn list_domains(app: Shared, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        let d: Vec<Value> = c
            .domains
            .iter()
            .map(|(d, p)| json!({ "domain": d, "auth_provider": p }))
            .collect();
        Ok(Json(json!({ "domains": d })))
    })
}

async fn add_domain(app: Shared, t: Target, body: Bytes) -> ApiResult<StatusCode> {
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

async fn delete_domains(app: Shared, t: Target, body: Bytes) -> ApiResult<StatusCode> {
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

async fn list_oauth(app: Shared, t: Target) -> ApiResult<Json<Value>> {
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

async fn add_oauth(app: Shared, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
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

async fn update_oauth(app: Shared, t: Target, id: String, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
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

async fn delete_oauth(app: Shared, t: Target, id: String) -> ApiResult<StatusCode> {
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

async fn get_email_server(app: Shared, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| Ok(Json(email_server_json(&c.email_server))))
}

/// A standard (SMTP) server needs all of host, port, username, password, sender email and name;
/// a shared one only the sender.
async fn set_email_server(app: Shared, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let smtp = ["host", "port", "username", "password"];
    let server = if smtp.iter().any(|k| body.get(*k).is_some()) {
        for k in [
            "host",
            "username",
            "password",
            "sender_email",
            "sender_name",
        ] {
            opt_str(&body, k)?.ok_or_else(|| {
                ApiError::bad_request(format!("{k} is required for an SMTP server"))
            })?;
        }
        let port = crate::app::opt_i64(&body, "port")?
            .filter(|p| (1..=65535).contains(p))
            .ok_or_else(|| ApiError::bad_request("port must be from 1 to 65535"))?;
        let s = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
        json!({ "type": "standard", "host": s("host"), "port": port, "username": s("username"), "password": s("password"),
                "sender_email": s("sender_email"), "sender_name": s("sender_name") })
    } else {
        let mut v = Map::new();
        v.insert("type".into(), json!("shared"));
        for k in ["sender_email", "sender_name"] {
            if let Some(s) = opt_str(&body, k)? {
                v.insert(k.into(), json!(s));
            }
        }
        Value::Object(v)
    };
    with_config(&app, &t, |c| {
        c.email_server = server;
        Ok(Json(email_server_json(&c.email_server)))
    })
}

/// The fields of `AuthConfig` the plugin and settings routes read and patch.
#[derive(Clone, Copy)]
enum Section {
    EmailAndPassword,
    Organization,
    MagicLink,
    PhoneNumber,
    Webhooks,
}

impl Section {
    fn of(self, c: &mut AuthConfig) -> &mut Value {
        match self {
            Section::EmailAndPassword => &mut c.email_and_password,
            Section::Organization => &mut c.organization,
            Section::MagicLink => &mut c.magic_link,
            Section::PhoneNumber => &mut c.phone_number,
            Section::Webhooks => &mut c.webhooks,
        }
    }

    fn enums(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Section::EmailAndPassword => &[("email_verification_method", &["link", "otp"])],
            Section::Organization => &[("creator_role", &["admin", "owner"])],
            Section::Webhooks => &[(
                "enabled_events",
                &[
                    "user.before_create",
                    "user.created",
                    "send.otp",
                    "send.magic_link",
                    "organization.invitation.created",
                    "organization.invitation.accepted",
                    "phone_number.verified",
                ],
            )],
            _ => &[],
        }
    }
}

async fn get_section(app: Shared, t: Target, s: Section) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| Ok(Json(s.of(c).clone())))
}

async fn patch_section(app: Shared, t: Target, s: Section, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    if let (Section::Webhooks, Some(url)) = (s, opt_str(&body, "webhook_url")?) {
        if !url.starts_with("https://") && !url.starts_with("http://") {
            return Err(ApiError::bad_request("webhook_url must be an http(s) URL"));
        }
    }
    with_config(&app, &t, |c| {
        let section = s.of(c);
        if let (Section::Webhooks, Some(url)) = (s, body.get("webhook_url")) {
            section["webhook_url"] = url.clone();
        }
        let rest: Map<String, Value> = body
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "webhook_url" || !matches!(s, Section::Webhooks))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        merge(section, &Value::Object(rest), s.enums())?;
        Ok(Json(section.clone()))
    })
}

async fn plugins(app: Shared, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        Ok(Json(
            json!({ "organization": c.organization, "magic_link": c.magic_link, "phone_number": c.phone_number,
            "email_provider": email_server_json(&c.email_server), "email_and_password": c.email_and_password,
            "oauth_providers": c.oauth.iter().map(oauth_json).collect::<Vec<_>>(), "allow_localhost": c.allow_localhost }),
        ))
    })
}

async fn get_localhost(app: Shared, t: Target) -> ApiResult<Json<Value>> {
    with_config(&app, &t, |c| {
        Ok(Json(json!({ "allow_localhost": c.allow_localhost })))
    })
}

async fn set_localhost(app: Shared, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let allow = crate::app::opt_bool(&parse_body(&body)?, "allow_localhost")?
        .ok_or_else(|| ApiError::bad_request("allow_localhost is required"))?;
    with_config(&app, &t, |c| {
        c.allow_localhost = allow;
        Ok(Json(json!({ "allow_localhost": allow })))
    })
}

async fn set_name(app: Shared, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let name = opt_str(&parse_body(&body)?, "name")?
        .filter(|n| !n.is_empty() && n.len() <= 256)
        .ok_or_else(|| ApiError::bad_request("name must be 1 to 256 characters"))?;
    with_config(&app, &t, |c| {
        c.name = name;
        Ok(Json(json!({ "name": c.name })))
    })
}

/// `POST .../auth/send_test_email`: connects to the SMTP server and reads its greeting; sends
/// no mail.
async fn send_test_email(app: Shared, t: Target, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let recipient = opt_str(&body, "recipient_email")?
        .ok_or_else(|| ApiError::bad_request("recipient_email is required"))?;
    if !crate::project_access::is_email(&recipient) {
        return Err(ApiError::bad_request(
            "recipient_email is not an email address",
        ));
    }
    let host = opt_str(&body, "host")?.ok_or_else(|| ApiError::bad_request("host is required"))?;
    let port = crate::app::opt_i64(&body, "port")?
        .and_then(|p| u16::try_from(p).ok())
        .ok_or_else(|| ApiError::bad_request("port must be from 1 to 65535"))?;
    with_config(&app, &t, |_| Ok(()))?;
    let greeting = async {
        use tokio::io::AsyncReadExt;
        let mut s = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).await.map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&buf[..n]).to_string();
        if text.starts_with("220") {
            Ok(())
        } else {
            Err(format!("the server did not greet as SMTP: {}", text.trim()))
        }
    };
    let out = match tokio::time::timeout(std::time::Duration::from_secs(3), greeting).await {
        Ok(Ok(())) => json!({ "success": true }),
        Ok(Err(e)) => {
            json!({ "success": false, "error_message": format!("cannot reach {host}:{port}: {e}") })
        }
        Err(_) => {
            json!({ "success": false, "error_message": format!("{host}:{port} did not answer within 3 s") })
        }
    };
    Ok(Json(out))
}

type P2 = Path<(String, String)>;
type P3 = Path<(String, String, String)>;

/// The routes of Neon Auth's settings, per branch and (deprecated) per project.
pub fn routes() -> Router<Shared> {
    const B: &str = "/projects/{project_id}/branches/{branch_id}/auth";
    const P: &str = "/projects/{project_id}/auth";
    let br = |p: (String, String)| (p.0, Some(p.1));
    let pr = |p: String| (p, None);
    Router::new()
        .route(
            &format!("{B}/domains"),
            get(move |State(a): State<Shared>, Path(p): P2| list_domains(a, br(p)))
                .post(move |State(a): State<Shared>, Path(p): P2, b: Bytes| add_domain(a, br(p), b))
                .delete(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                    delete_domains(a, br(p), b)
                }),
        )
        .route(
            &format!("{P}/domains"),
            get(move |State(a): State<Shared>, Path(p): Path<String>| list_domains(a, pr(p)))
                .post(
                    move |State(a): State<Shared>, Path(p): Path<String>, b: Bytes| {
                        add_domain(a, pr(p), b)
                    },
                )
                .delete(
                    move |State(a): State<Shared>, Path(p): Path<String>, b: Bytes| {
                        delete_domains(a, pr(p), b)
                    },
                ),
        )
        .route(
            &format!("{B}/oauth_providers"),
            get(move |State(a): State<Shared>, Path(p): P2| list_oauth(a, br(p)))
                .post(move |State(a): State<Shared>, Path(p): P2, b: Bytes| add_oauth(a, br(p), b)),
        )
        .route(
            &format!("{P}/oauth_providers"),
            get(move |State(a): State<Shared>, Path(p): Path<String>| list_oauth(a, pr(p))).post(
                move |State(a): State<Shared>, Path(p): Path<String>, b: Bytes| {
                    add_oauth(a, pr(p), b)
                },
            ),
        )
        .route(
            &format!("{B}/oauth_providers/{{oauth_provider_id}}"),
            patch(
                move |State(a): State<Shared>, Path((p, b, id)): P3, body: Bytes| {
                    update_oauth(a, (p, Some(b)), id, body)
                },
            )
            .delete(move |State(a): State<Shared>, Path((p, b, id)): P3| {
                delete_oauth(a, (p, Some(b)), id)
            }),
        )
        .route(
            &format!("{P}/oauth_providers/{{oauth_provider_id}}"),
            patch(
                move |State(a): State<Shared>, Path((p, id)): P2, body: Bytes| {
                    update_oauth(a, (p, None), id, body)
                },
            )
            .delete(move |State(a): State<Shared>, Path((p, id)): P2| {
                delete_oauth(a, (p, None), id)
            }),
        )
        .route(
            &format!("{P}/email_server"),
            get(move |State(a): State<Shared>, Path(p): Path<String>| get_email_server(a, pr(p)))
                .patch(
                    move |State(a): State<Shared>, Path(p): Path<String>, b: Bytes| {
                        set_email_server(a, pr(p), b)
                    },
                ),
        )
        .route(
            &format!("{B}/email_provider"),
            get(move |State(a): State<Shared>, Path(p): P2| get_email_server(a, br(p))).patch(
                move |State(a): State<Shared>, Path(p): P2, b: Bytes| set_email_server(a, br(p), b),
            ),
        )
        .route(
            &format!("{B}/email_and_password"),
            get(move |State(a): State<Shared>, Path(p): P2| {
                get_section(a, br(p), Section::EmailAndPassword)
            })
            .patch(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                patch_section(a, br(p), Section::EmailAndPassword, b)
            }),
        )
        .route(
            &format!("{B}/plugins"),
            get(move |State(a): State<Shared>, Path(p): P2| plugins(a, br(p))),
        )
        .route(
            &format!("{B}/plugins/organization"),
            patch(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                patch_section(a, br(p), Section::Organization, b)
            }),
        )
        .route(
            &format!("{B}/plugins/magic-link"),
            patch(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                patch_section(a, br(p), Section::MagicLink, b)
            }),
        )
        .route(
            &format!("{B}/plugins/phone-number"),
            get(move |State(a): State<Shared>, Path(p): P2| {
                get_section(a, br(p), Section::PhoneNumber)
            })
            .patch(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                patch_section(a, br(p), Section::PhoneNumber, b)
            }),
        )
        .route(
            &format!("{B}/webhooks"),
            get(move |State(a): State<Shared>, Path(p): P2| {
                get_section(a, br(p), Section::Webhooks)
            })
            .put(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                patch_section(a, br(p), Section::Webhooks, b)
            }),
        )
        .route(
            &format!("{B}/allow_localhost"),
            get(move |State(a): State<Shared>, Path(p): P2| get_localhost(a, br(p))).patch(
                move |State(a): State<Shared>, Path(p): P2, b: Bytes| set_localhost(a, br(p), b),
            ),
        )
        .route(
            &format!("{B}/config"),
            patch(move |State(a): State<Shared>, Path(p): P2, b: Bytes| set_name(a, br(p), b)),
        )
        .route(
            &format!("{B}/send_test_email"),
            post(move |State(a): State<Shared>, Path(p): P2, b: Bytes| {
                send_test_email(a, br(p), b)
            }),
        )
}
