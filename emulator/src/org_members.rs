//! Organization members and their roles, invitations, and the organization's spending limit.
//! Each organization starts with the emulator's user as its admin. Invitations are kept as
//! state (no mail is sent); the spending limit is state only (nothing is billed).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{opt_i64, opt_str, parse_body, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::listing::ListParams;
use crate::render::{USER_EMAIL, USER_ID};
use crate::state::Store;

const ROLES: [&str; 5] = ["admin", "member", "editor", "viewer", "collaborator"];

/// A member of an organization.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub role: String,
    pub joined_at: String,
}

/// An invitation to an organization.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub role: String,
    pub invited_at: String,
}

fn role(body: &Value) -> ApiResult<String> {
    let r = opt_str(body, "role")?.ok_or_else(|| ApiError::bad_request("role is required"))?;
    if ROLES.contains(&r.as_str()) {
        Ok(r)
    } else {
        Err(ApiError::bad_request(format!(
            "role must be one of {}, got {r}",
            ROLES.join(", ")
        )))
    }
}

/// The organization's members (its first access adds the emulator's user as admin), or 404.
fn members<'a>(store: &'a mut Store, org: &str) -> ApiResult<&'a mut Vec<Member>> {
    if !store.organizations.contains_key(org) {
        return Err(ApiError::not_found(format!("organization {org} not found")));
    }
    Ok(store.org_members.entry(org.to_string()).or_insert_with(|| {
        vec![Member {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: USER_ID.into(),
            email: USER_EMAIL.into(),
            role: "admin".into(),
            joined_at: ids::now(),
        }]
    }))
}

fn member_json(org: &str, m: &Member) -> Value {
    json!({ "id": m.id, "user_id": m.user_id, "org_id": org, "role": m.role, "joined_at": m.joined_at })
}

/// `GET /organizations/{org_id}/members?sort_by&sort_order&limit&cursor`
async fn list_members(
    State(app): State<Shared>,
    Path(org): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::parse(&q, &["joined_at", "email", "role"], 500)?;
    let mut store = app.lock();
    let all = members(&mut store, &org)?.clone();
    let (page, pagination) = params.page(
        all,
        |m| match params.sort_by() {
            "email" => m.email.clone(),
            "role" => m.role.clone(),
            _ => m.joined_at.clone(),
        },
        |m| m.id.clone(),
    )?;
    let items: Vec<Value> = page
        .iter()
        .map(|m| json!({ "member": member_json(&org, m), "user": { "email": m.email, "has_mfa": false } }))
        .collect();
    Ok(Json(json!({ "members": items, "pagination": pagination })))
}

fn find<'a>(list: &'a mut [Member], id: &str) -> ApiResult<&'a mut Member> {
    list.iter_mut()
        .find(|m| m.id == id)
        .ok_or_else(|| ApiError::not_found(format!("member {id} not found")))
}

fn admins_besides(list: &[Member], id: &str) -> usize {
    list.iter()
        .filter(|m| m.role == "admin" && m.id != id)
        .count()
}

/// `GET /organizations/{org_id}/members/{member_id}`
async fn get_member(
    State(app): State<Shared>,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let m = find(members(&mut store, &org)?, &id)?;
    Ok(Json(member_json(&org, m)))
}

/// `PATCH /organizations/{org_id}/members/{member_id}` `{role}`: the last admin stays admin.
async fn update_member(
    State(app): State<Shared>,
    Path((org, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let role = role(&parse_body(&body)?)?;
    let mut store = app.lock();
    let list = members(&mut store, &org)?;
    let others = admins_besides(list, &id);
    let m = find(list, &id)?;
    if m.role == "admin" && role != "admin" && others == 0 {
        return Err(ApiError::unprocessable(
            "an organization must keep at least one admin",
        ));
    }
    m.role = role;
    Ok(Json(member_json(&org, m)))
}

/// `DELETE /organizations/{org_id}/members/{member_id}`: the last admin cannot leave.
async fn remove_member(
    State(app): State<Shared>,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let list = members(&mut store, &org)?;
    let others = admins_besides(list, &id);
    if find(list, &id)?.role == "admin" && others == 0 {
        return Err(ApiError::unprocessable(
            "the last admin of an organization cannot be removed",
        ));
    }
    list.retain(|m| m.id != id);
    Ok(Json(json!({})))
}

fn invitation_json(i: &Invitation) -> Value {
    json!({ "id": i.id, "email": i.email, "org_id": i.org_id, "invited_by": USER_ID,
            "invited_at": i.invited_at, "role": i.role })
}

/// `GET /organizations/{org_id}/invitations`
async fn list_invitations(
    State(app): State<Shared>,
    Path(org): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    members(&mut store, &org)?;
    let items: Vec<Value> = store
        .invitations
        .iter()
        .filter(|i| i.org_id == org)
        .map(invitation_json)
        .collect();
    Ok(Json(json!({ "invitations": items })))
}

/// `POST /organizations/{org_id}/invitations` `{invitations: [{email, role}]}`: members and
/// pending invitees are not invited twice.
async fn create_invitations(
    State(app): State<Shared>,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let wanted = match body.get("invitations") {
        Some(Value::Array(a)) if !a.is_empty() => a.clone(),
        _ => {
            return Err(ApiError::bad_request(
                "invitations must be a non-empty array",
            ))
        }
    };
    let mut requested = Vec::new();
    for w in &wanted {
        let email = opt_str(w, "email")?
            .ok_or_else(|| ApiError::bad_request("invitations[].email is required"))?;
        if !crate::project_access::is_email(&email) {
            return Err(ApiError::bad_request(format!(
                "invitations[].email is not an email address: {email}"
            )));
        }
        requested.push((email, role(w)?));
    }
    let mut store = app.lock();
    let list = members(&mut store, &org)?;
    if let Some((e, _)) = requested
        .iter()
        .find(|(e, _)| list.iter().any(|m| m.email.eq_ignore_ascii_case(e)))
    {
        return Err(ApiError::conflict(format!(
            "{e} is already a member of organization {org}"
        )));
    }
    if let Some((e, _)) = requested.iter().find(|(e, _)| {
        store
            .invitations
            .iter()
            .any(|i| i.org_id == org && i.email.eq_ignore_ascii_case(e))
    }) {
        return Err(ApiError::conflict(format!(
            "{e} is already invited to organization {org}"
        )));
    }
    let now = ids::now();
    let made: Vec<Invitation> = requested
        .into_iter()
        .map(|(email, role)| Invitation {
            id: uuid::Uuid::new_v4().to_string(),
            org_id: org.clone(),
            email,
            role,
            invited_at: now.clone(),
        })
        .collect();
    let out: Vec<Value> = made.iter().map(invitation_json).collect();
    store.invitations.extend(made);
    Ok(Json(json!({ "invitations": out })))
}

fn ensure_org(store: &Store, org: &str) -> ApiResult<()> {
    if store.organizations.contains_key(org) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("organization {org} not found")))
    }
}

/// `GET /organizations/{org_id}/billing/spending_limit`: 404 while none is set.
async fn get_spending_limit(
    State(app): State<Shared>,
    Path(org): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    ensure_org(&store, &org)?;
    let cents = store
        .spending_limits
        .get(&org)
        .ok_or_else(|| ApiError::not_found(format!("organization {org} has no spending limit")))?;
    Ok(Json(json!({ "spending_limit_cents": cents })))
}

/// `PUT /organizations/{org_id}/billing/spending_limit` `{spending_limit_cents}`
async fn set_spending_limit(
    State(app): State<Shared>,
    Path(org): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let cents = opt_i64(&parse_body(&body)?, "spending_limit_cents")?
        .ok_or_else(|| ApiError::bad_request("spending_limit_cents is required"))?;
    if cents < 0 {
        return Err(ApiError::bad_request(
            "spending_limit_cents must not be negative",
        ));
    }
    let mut store = app.lock();
    ensure_org(&store, &org)?;
    store.spending_limits.insert(org, cents);
    Ok(Json(json!({ "spending_limit_cents": cents })))
}

/// `DELETE /organizations/{org_id}/billing/spending_limit`
async fn delete_spending_limit(
    State(app): State<Shared>,
    Path(org): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    ensure_org(&store, &org)?;
    store
        .spending_limits
        .remove(&org)
        .ok_or_else(|| ApiError::not_found(format!("organization {org} has no spending limit")))?;
    Ok(Json(json!({})))
}

/// `POST /__emulator/organizations/{org_id}/invitations/{id}/accept`: the invitee follows the
/// invitation's link and becomes a member with the invited role.
async fn accept_invitation(
    State(app): State<Shared>,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let at = store
        .invitations
        .iter()
        .position(|i| i.org_id == org && i.id == id)
        .ok_or_else(|| ApiError::not_found(format!("invitation {id} not found")))?;
    let i = store.invitations.remove(at);
    let m = Member {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: uuid::Uuid::new_v4().to_string(),
        email: i.email,
        role: i.role,
        joined_at: ids::now(),
    };
    let out = member_json(&org, &m);
    members(&mut store, &org)?.push(m);
    Ok(Json(out))
}

/// The control-plane route that accepts an invitation.
pub fn control_routes() -> Router<Shared> {
    Router::new().route(
        "/__emulator/organizations/{org_id}/invitations/{invitation_id}/accept",
        axum::routing::post(accept_invitation),
    )
}

/// The routes of organization members, invitations and the spending limit.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/organizations/{org_id}/members", get(list_members))
        .route(
            "/organizations/{org_id}/members/{member_id}",
            get(get_member).patch(update_member).delete(remove_member),
        )
        .route(
            "/organizations/{org_id}/invitations",
            get(list_invitations).post(create_invitations),
        )
        .route(
            "/organizations/{org_id}/billing/spending_limit",
            get(get_spending_limit)
                .put(set_spending_limit)
                .delete(delete_spending_limit),
        )
}
