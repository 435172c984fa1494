//! `/v1/projects/*`: the part of the Management API an agent may use before a claim, forwarded
//! to the emulator's own Management API (same state), with paths canonicalised and bodies
//! checked strictly against an allowlist.

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};
use tower::ServiceExt;

use super::allowlist::{allowlist, body_ok, matches};
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
        .header(
            "authorization",
            format!("Bearer claimable-neon-{}", caller.registration.id),
        )
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .map_err(|_| {
            ServiceError::new(
                Code::InternalError,
                "The proxied request could not be built.",
            )
        })?;
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
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    };
    Ok((status, value))
}

/// The reduced view of a project the service shows before a claim.
pub async fn reduced_project(app: &Shared, caller: &Caller) -> ServiceResult<Value> {
    let segments = [caller.registration.project_id.clone()];
    let (status, v) = management(app, caller, &Method::GET, &segments, None).await?;
    let p = v
        .get("project")
        .filter(|_| status.is_success())
        .ok_or_else(|| ServiceError::new(Code::NotFound, "The project no longer exists."))?;
    let mut out = Map::new();
    for key in [
        "id",
        "name",
        "region_id",
        "created_at",
        "pg_version",
        "branch_logical_size_limit_bytes",
    ] {
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
    let rule = rules
        .iter()
        .find(|r| matches(r, method, segments))
        .ok_or_else(|| {
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
        Some(
            serde_json::from_slice::<Value>(&body)
                .map_err(|_| invalid("Proxy request body is not valid JSON."))?,
        )
    };
    if !body_ok(rule.body, &parsed) {
        return Err(invalid(
            "Proxy request body contains unsupported fields or values.",
        ));
    }
    if segments.len() == 1 {
        return Ok(
            Json(serde_json::json!({ "project": reduced_project(app, caller).await? }))
                .into_response(),
        );
    }
    let (status, value) = management(app, caller, method, segments, parsed).await?;
    Ok((status, Json(value)).into_response())
}

#[cfg(test)]
mod tests {
    use super::canonical_segments;

    #[test]
    fn paths_are_decoded_and_tricks_refused() {
        assert_eq!(
            canonical_segments("p-1/branches/br%2Dx").unwrap(),
            ["p-1", "branches", "br-x"]
        );
        for bad in [
            "p/..", "p/%2E%2E", "p/.", "p//x", "p/a%2Fb", "p/a%00", "p/%zz", "p/%4", "p/%FF",
        ] {
            assert!(canonical_segments(bad).is_err(), "{bad} must be refused");
        }
    }
}
