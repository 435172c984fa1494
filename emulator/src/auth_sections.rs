//! Neon Auth's settings sections of a branch: email-and-password sign-in, the organization,
//! magic-link and phone-number plugins, and webhooks. Each is patched key by key, every value
//! checked against the type (and the values the spec lists) of the setting it replaces.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde_json::{Map, Value};

use crate::app::{opt_str, parse_body, Shared};
use crate::auth_config::{with_config, AuthConfig, Target};
use crate::error::{ApiError, ApiResult};

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
    /// The section a path ends with.
    fn named(segment: &str) -> ApiResult<Section> {
        Ok(match segment {
            "email_and_password" => Section::EmailAndPassword,
            "organization" => Section::Organization,
            "magic-link" => Section::MagicLink,
            "phone-number" => Section::PhoneNumber,
            "webhooks" => Section::Webhooks,
            other => {
                return Err(ApiError::not_found(format!(
                    "no Neon Auth settings named {other}"
                )))
            }
        })
    }

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

async fn get_section(State(app): State<Shared>, t: Target) -> ApiResult<Json<Value>> {
    let s = Section::named(&t.last)?;
    with_config(&app, &t, |c| Ok(Json(s.of(c).clone())))
}

async fn patch_section(
    State(app): State<Shared>,
    t: Target,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let s = Section::named(&t.last)?;
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

/// The routes of the settings sections.
pub fn routes() -> Router<Shared> {
    const B: &str = "/projects/{project_id}/branches/{branch_id}/auth";
    Router::new()
        .route(
            &format!("{B}/email_and_password"),
            get(get_section).patch(patch_section),
        )
        .route(&format!("{B}/plugins/organization"), patch(patch_section))
        .route(&format!("{B}/plugins/magic-link"), patch(patch_section))
        .route(
            &format!("{B}/plugins/phone-number"),
            get(get_section).patch(patch_section),
        )
        .route(
            &format!("{B}/webhooks"),
            get(get_section).put(patch_section),
        )
}
