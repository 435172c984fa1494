//! `/v1/projects/*`: the part of the Management API an agent may use before a claim, forwarded
//! to the emulator's own Management API (same state), with paths canonicalised and bodies
//! checked strictly against an allowlist.

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};
use tower::ServiceExt;

use super::errors::{Code, ServiceError, ServiceResult};
use super::oauth::Caller;
use crate::app::Shared;

fn invalid(message: &str) -> ServiceError {
    ServiceError::new(Code::InvalidRequest, message)
}

/// Percent-decodes the path after the family prefix into segments; `.`, `..`, empty segments,
/// encoded slashes, NUL and bad encodings are refused rather than resolved.
pub fn canonical_segments(rest: &str) -> ServiceResult<Vec<String>> {
    let not_canonical = || invalid("The request path is not canonical.");
    rest.split('/')
        .map(|seg| {
            let bytes = seg.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    let hex = seg.get(i + 1..i + 3).ok_or_else(not_canonical)?;
                    out.push(u8::from_str_radix(hex, 16).map_err(|_| not_canonical())?);
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            let s = String::from_utf8(out).map_err(|_| not_canonical())?;
            if s.is_empty() || s == "." || s == ".." || s.contains(['\0', '/']) {
                return Err(not_canonical());
            }
            Ok(s)
        })
        .collect()
}

fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What a proxied body may hold.
#[derive(Clone, Copy)]
enum BodyRule {
    /// No body (reads and deletes).
    Absent,
    /// `{branch: {name?}}`
    Branch,
    /// `{endpoint: {autoscaling_limit_min_cu?, autoscaling_limit_max_cu?, suspend_timeout_seconds?}}`
    Endpoint,
    /// `{auth_provider: "better_auth", database_name?}`
    Auth,
    /// `{auth_provider?: "neon_auth"}`
    DataApi,
    /// Nothing but an empty object.
    Empty,
}

/// One allowlisted operation: `:x` segments match any value.
struct Rule {
    method: Method,
    path: &'static [&'static str],
    /// A capability only a claimed project has.
    requires_claim: Option<&'static str>,
    scope: Option<&'static str>,
    body: BodyRule,
}

fn allowlist() -> Vec<Rule> {
    let r = |method: Method, path, requires_claim, scope, body| Rule { method, path, requires_claim, scope, body };
    use BodyRule as B;
    vec![
        r(Method::GET, &[":p"], None, None, B::Absent),
        r(Method::GET, &[":p", "branches"], None, None, B::Absent),
        r(Method::GET, &[":p", "endpoints"], None, None, B::Absent),
        r(Method::GET, &[":p", "connection_uri"], None, Some("postgres.read"), B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "databases"], None, None, B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "roles"], None, Some("postgres.read"), B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "auth"], None, None, B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "data-api", ":db"], None, None, B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "credentials"], None, None, B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "storage"], Some("storage"), None, B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "buckets"], Some("storage"), None, B::Absent),
        r(Method::GET, &[":p", "branches", ":b", "functions"], Some("functions"), None, B::Absent),
        r(Method::PATCH, &[":p", "branches", ":b"], None, Some("postgres.write"), B::Branch),
        r(Method::PATCH, &[":p", "endpoints", ":e"], None, Some("postgres.write"), B::Endpoint),
        r(Method::POST, &[":p", "branches", ":b", "auth"], None, Some("auth.configure"), B::Auth),
        r(Method::POST, &[":p", "branches", ":b", "data-api", ":db"], None, Some("data_api.configure"), B::DataApi),
        r(Method::PATCH, &[":p", "branches", ":b", "data-api", ":db"], None, Some("data_api.configure"), B::DataApi),
        r(Method::POST, &[":p", "branches", ":b", "buckets"], Some("storage"), None, B::Empty),
        r(Method::POST, &[":p", "branches", ":b", "credentials"], None, Some("postgres.write"), B::Empty),
        r(Method::DELETE, &[":p", "branches", ":b", "credentials", ":t"], None, Some("postgres.write"), B::Absent),
        r(Method::POST, &[":p", "branches", ":b", "functions", ":f", "deployments"], Some("functions"), None, B::Empty),
    ]
}

fn matches(rule: &Rule, method: &Method, segments: &[String]) -> bool {
    rule.method == method
        && rule.path.len() == segments.len()
        && rule.path.iter().zip(segments).all(|(p, s)| p.starts_with(':') || p == s)
}

/// Only the listed keys, each passing its check.
fn object_with(v: &Value, allowed: &[(&str, &dyn Fn(&Value) -> bool)]) -> bool {
    v.as_object().is_some_and(|o| {
        o.iter().all(|(k, val)| allowed.iter().any(|(name, ok)| name == k && ok(val)))
    })
}

fn number_in(lo: f64, hi: f64) -> impl Fn(&Value) -> bool {
    move |v| v.as_f64().is_some_and(|n| (lo..=hi).contains(&n))
}

fn body_ok(kind: BodyRule, body: &Option<Value>) -> bool {
    let empty = Value::Object(Map::new());
    let v = body.as_ref().unwrap_or(&empty);
    let name = |v: &Value| v.as_str().is_some_and(|s| (1..=256).contains(&s.chars().count()));
    match kind {
        BodyRule::Absent => body.is_none(),
        BodyRule::Empty => v.as_object().is_some_and(Map::is_empty),
        BodyRule::Branch => object_with(v, &[("branch", &|b| object_with(b, &[("name", &name)]))]),
        BodyRule::Endpoint => {
            let min = number_in(0.25, 1.0);
            let max = number_in(0.25, 2.0);
            let suspend = |v: &Value| v.as_i64().is_some_and(|n| (0..=604_800).contains(&n));
            object_with(v, &[("endpoint", &|e| {
                object_with(e, &[("autoscaling_limit_min_cu", &min), ("autoscaling_limit_max_cu", &max), ("suspend_timeout_seconds", &suspend)])
            })])
        }
        BodyRule::Auth => {
            v.get("auth_provider").and_then(Value::as_str) == Some("better_auth")
                && object_with(v, &[("auth_provider", &|_| true), ("database_name", &name)])
        }
        BodyRule::DataApi => object_with(v, &[("auth_provider", &|p| p.as_str() == Some("neon_auth"))]),
    }
}

/// Calls the emulator's Management API as the service's own key for the project would; a 5xx
/// answer becomes `upstream_error`.
async fn management(
    app: &Shared,
    caller: &Caller,
    method: &Method,
    segments: &[String],
    body: Option<Value>,
) -> ServiceResult<(StatusCode, Value)> {
    let path: Vec<String> = segments.iter().map(|s| encode(s)).collect();
    let req = Request::builder()
        .method(method.clone())
        .uri(format!("/api/v2/projects/{}", path.join("/")))
        .header("authorization", format!("Bearer claimable-neon-{}", caller.registration.id))
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .map_err(|_| ServiceError::new(Code::InternalError, "The proxied request could not be built."))?;
    let Ok(resp) = crate::http::router(app.clone()).oneshot(req).await;
    let status = resp.status();
    let upstream_id = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    if status.is_server_error() {
        return Err(ServiceError::new(
            Code::UpstreamError,
            "The Neon Management API failed to answer. Retry the request.",
        )
        .with("upstream_status", status.as_u16())
        .with("upstream_request_id", upstream_id));
    }
    let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
    Ok((status, value))
}

/// The reduced view of a project the service shows before a claim.
pub async fn reduced_project(app: &Shared, caller: &Caller) -> ServiceResult<Value> {
    let segments = [caller.registration.project_id.clone()];
    let (status, v) = management(app, caller, &Method::GET, &segments, None).await?;
    let p = v.get("project").filter(|_| status.is_success()).ok_or_else(|| {
        ServiceError::new(Code::NotFound, "The project no longer exists.")
    })?;
    let mut out = Map::new();
    for key in ["id", "name", "region_id", "created_at", "pg_version", "branch_logical_size_limit_bytes"] {
        if let Some(val) = p.get(key) {
            out.insert(key.to_string(), val.clone());
        }
    }
    Ok(Value::Object(out))
}

/// Forwards an allowlisted Management operation; capability is checked before scope.
pub async fn forward(
    app: &Shared,
    caller: &Caller,
    method: &Method,
    segments: &[String],
    body: Bytes,
) -> ServiceResult<Response> {
    let rules = allowlist();
    let rule = rules.iter().find(|r| matches(r, method, segments)).ok_or_else(|| {
        ServiceError::new(
            Code::RouteNotAllowed,
            "This Neon Management API operation is not available before claim.",
        )
    })?;
    if let Some(cap) = rule.requires_claim {
        return Err(ServiceError::new(
            Code::CapabilityRequiresClaim,
            format!("The {cap} capability is available once the project is claimed."),
        ));
    }
    if let Some(scope) = rule.scope {
        caller.require_scope(scope)?;
    }
    let parsed = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(serde_json::from_slice::<Value>(&body).map_err(|_| invalid("Proxy request body is not valid JSON."))?)
    };
    if !body_ok(rule.body, &parsed) {
        return Err(invalid("Proxy request body contains unsupported fields or values."));
    }
    if segments.len() == 1 {
        return Ok(Json(serde_json::json!({ "project": reduced_project(app, caller).await? })).into_response());
    }
    let (status, value) = management(app, caller, method, segments, parsed).await?;
    Ok((status, Json(value)).into_response())
}
