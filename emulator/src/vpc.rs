//! VPC endpoints: assigned to an organization per region, then set as restrictions on its
//! projects. State only: the emulator has no VPC, and a restricted project's SQL over HTTP still
//! answers on loopback.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_project, opt_str, parse_body, Shared};
use crate::error::{ApiError, ApiResult};
use crate::state::Store;

/// A VPC endpoint assigned to an organization in a region.
#[derive(Debug, Clone)]
pub struct VpcEndpoint {
    pub org_id: String,
    pub region_id: String,
    pub id: String,
    pub label: String,
}

/// A project restricted to a VPC endpoint.
#[derive(Debug, Clone)]
pub struct VpcRestriction {
    pub project_id: String,
    pub id: String,
    pub label: String,
}

fn check_org_region(store: &Store, org: &str, region: &str) -> ApiResult<()> {
    if !store.organizations.contains_key(org) {
        return Err(ApiError::not_found(format!("organization {org} not found")));
    }
    if !crate::orgs::REGIONS.iter().any(|r| r.0 == region) {
        return Err(ApiError::bad_request(format!("unknown region {region}")));
    }
    Ok(())
}

fn label(body: &Bytes) -> ApiResult<String> {
    opt_str(&parse_body(body)?, "label")?
        .filter(|l| !l.is_empty())
        .ok_or_else(|| ApiError::bad_request("label is required"))
}

/// `vpce-` followed by hex, as AWS names them.
fn check_id(id: &str) -> ApiResult<()> {
    let ok = id
        .strip_prefix("vpce-")
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{id} is not a VPC endpoint id (vpce-<hex>)"
        )))
    }
}

fn endpoint_json(e: &VpcEndpoint) -> Value {
    json!({ "vpc_endpoint_id": e.id, "label": e.label })
}

/// `GET /organizations/{org_id}/vpc/region/{region_id}/vpc_endpoints`
async fn list_in_region(
    State(app): State<Shared>,
    Path((org, region)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    check_org_region(&store, &org, &region)?;
    let items: Vec<Value> = store
        .vpc_endpoints
        .iter()
        .filter(|e| e.org_id == org && e.region_id == region)
        .map(endpoint_json)
        .collect();
    Ok(Json(json!({ "endpoints": items })))
}

/// `GET /organizations/{org_id}/vpc/vpc_endpoints`
async fn list_all(State(app): State<Shared>, Path(org): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.lock();
    if !store.organizations.contains_key(&org) {
        return Err(ApiError::not_found(format!("organization {org} not found")));
    }
    let items: Vec<Value> = store
        .vpc_endpoints
        .iter()
        .filter(|e| e.org_id == org)
        .map(|e| json!({ "vpc_endpoint_id": e.id, "label": e.label, "region_id": e.region_id }))
        .collect();
    Ok(Json(json!({ "endpoints": items })))
}

/// The projects of `org` in `region` restricted to `id`.
fn restricted(store: &Store, org: &str, region: &str, id: &str) -> Vec<String> {
    store
        .vpc_restrictions
        .iter()
        .filter(|r| {
            r.id == id
                && store
                    .projects
                    .get(&r.project_id)
                    .is_some_and(|p| p.org_id == org && p.region_id == region)
        })
        .map(|r| r.project_id.clone())
        .collect()
}

/// `GET .../vpc_endpoints/{vpc_endpoint_id}`
async fn details(
    State(app): State<Shared>,
    Path((org, region, id)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    check_org_region(&store, &org, &region)?;
    let e = store
        .vpc_endpoints
        .iter()
        .find(|e| e.org_id == org && e.region_id == region && e.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "VPC endpoint {id} is not assigned to organization {org}"
            ))
        })?;
    let projects = restricted(&store, &org, &region, &id);
    Ok(Json(
        json!({ "vpc_endpoint_id": e.id, "label": e.label, "state": "accepted",
                     "num_restricted_projects": projects.len(), "example_restricted_projects": projects.iter().take(3).collect::<Vec<_>>() }),
    ))
}

/// `POST .../vpc_endpoints/{vpc_endpoint_id}` `{label}`: assigns it, or relabels it.
async fn assign(
    State(app): State<Shared>,
    Path((org, region, id)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let label = label(&body)?;
    check_id(&id)?;
    let mut store = app.lock();
    check_org_region(&store, &org, &region)?;
    match store
        .vpc_endpoints
        .iter_mut()
        .find(|e| e.org_id == org && e.region_id == region && e.id == id)
    {
        Some(e) => e.label = label,
        None => store.vpc_endpoints.push(VpcEndpoint {
            org_id: org,
            region_id: region,
            id,
            label,
        }),
    }
    Ok(Json(json!({})))
}

/// `DELETE .../vpc_endpoints/{vpc_endpoint_id}`: refused while projects are restricted to it.
async fn unassign(
    State(app): State<Shared>,
    Path((org, region, id)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    check_org_region(&store, &org, &region)?;
    let at = store
        .vpc_endpoints
        .iter()
        .position(|e| e.org_id == org && e.region_id == region && e.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "VPC endpoint {id} is not assigned to organization {org}"
            ))
        })?;
    let projects = restricted(&store, &org, &region, &id);
    if !projects.is_empty() {
        return Err(ApiError::bad_request(format!(
            "VPC endpoint {id} still restricts projects {}",
            projects.join(", ")
        )));
    }
    store.vpc_endpoints.remove(at);
    Ok(Json(json!({})))
}

/// `GET /projects/{project_id}/vpc_endpoints`
async fn list_project(
    State(app): State<Shared>,
    Path(pid): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_project(&store, &pid)?;
    let items: Vec<Value> = store
        .vpc_restrictions
        .iter()
        .filter(|r| r.project_id == pid)
        .map(|r| json!({ "vpc_endpoint_id": r.id, "label": r.label }))
        .collect();
    Ok(Json(json!({ "endpoints": items })))
}

/// `POST /projects/{project_id}/vpc_endpoints/{vpc_endpoint_id}` `{label}`: the endpoint must be
/// assigned to the project's organization in the project's region.
async fn restrict(
    State(app): State<Shared>,
    Path((pid, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let label = label(&body)?;
    let mut store = app.lock();
    let p = get_project(&store, &pid)?;
    let (org, region) = (p.org_id.clone(), p.region_id.clone());
    if !store
        .vpc_endpoints
        .iter()
        .any(|e| e.org_id == org && e.region_id == region && e.id == id)
    {
        return Err(ApiError::bad_request(format!(
            "VPC endpoint {id} is not assigned to organization {org} in {region}"
        )));
    }
    match store
        .vpc_restrictions
        .iter_mut()
        .find(|r| r.project_id == pid && r.id == id)
    {
        Some(r) => r.label = label,
        None => store.vpc_restrictions.push(VpcRestriction {
            project_id: pid,
            id,
            label,
        }),
    }
    Ok(Json(json!({})))
}

/// `DELETE /projects/{project_id}/vpc_endpoints/{vpc_endpoint_id}`
async fn unrestrict(
    State(app): State<Shared>,
    Path((pid, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    get_project(&store, &pid)?;
    let before = store.vpc_restrictions.len();
    store
        .vpc_restrictions
        .retain(|r| !(r.project_id == pid && r.id == id));
    if store.vpc_restrictions.len() == before {
        return Err(ApiError::not_found(format!(
            "project {pid} is not restricted to VPC endpoint {id}"
        )));
    }
    Ok(Json(json!({})))
}

/// The VPC endpoint routes.
pub fn routes() -> Router<Shared> {
    const R: &str = "/organizations/{org_id}/vpc/region/{region_id}/vpc_endpoints";
    Router::new()
        .route(R, get(list_in_region))
        .route(
            &format!("{R}/{{vpc_endpoint_id}}"),
            get(details).post(assign).delete(unassign),
        )
        .route("/organizations/{org_id}/vpc/vpc_endpoints", get(list_all))
        .route("/projects/{project_id}/vpc_endpoints", get(list_project))
        .route(
            "/projects/{project_id}/vpc_endpoints/{vpc_endpoint_id}",
            post(restrict).delete(unrestrict),
        )
}
