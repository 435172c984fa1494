//! Functions of a branch and their deployments. State only: the emulator keeps each
//! deployment's code archive and environment variable names but runs no code (a deployment
//! completes at once; `invocation_url` is not served).

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, opt_str, parse_body, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::listing::ListParams;
use crate::state::Store;

/// Runtimes the spec lists.
const RUNTIMES: [&str; 1] = ["nodejs24"];

/// A deployment of a function.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: i64,
    pub runtime: String,
    pub environment: Vec<String>,
    pub zip_bytes: usize,
    pub created_at: String,
}

/// A function of a branch; its last deployment is the active one.
#[derive(Debug, Clone)]
pub struct Function {
    pub id: String,
    pub branch_id: String,
    pub slug: String,
    pub name: String,
    pub created_at: String,
    pub deployments: Vec<Deployment>,
}

fn deployment_json(d: &Deployment) -> Value {
    json!({ "id": d.id, "status": "completed", "memory_mib": 256, "runtime": d.runtime,
            "created_at": d.created_at, "environment": d.environment })
}

fn function_json(app: &Shared, f: &Function) -> Value {
    let mut v = json!({ "id": f.id, "slug": f.slug, "name": f.name, "created_at": f.created_at,
                        "invocation_url": format!("{}/functions/{}/{}", app.base_url, f.branch_id, f.slug) });
    if let Some(d) = f.deployments.last() {
        v["current_deployment"] = deployment_json(d);
        v["active_deployment"] = deployment_json(d);
    }
    v
}

fn find<'a>(store: &'a mut Store, pid: &str, bid: &str, slug: &str) -> ApiResult<&'a mut Function> {
    get_branch(store, pid, bid)?;
    store
        .functions
        .iter_mut()
        .find(|f| f.branch_id == bid && f.slug == slug)
        .ok_or_else(|| ApiError::not_found(format!("function {slug} not found")))
}

/// `GET .../functions?limit&cursor` (newest first).
async fn list(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::parse(&q, &["created_at"], 1000)?;
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let mine: Vec<&Function> = store
        .functions
        .iter()
        .filter(|f| f.branch_id == bid)
        .collect();
    let (page, pagination) = params.page(mine, |f| f.created_at.clone(), |f| f.slug.clone())?;
    let items: Vec<Value> = page.into_iter().map(|f| function_json(&app, f)).collect();
    Ok(Json(
        json!({ "functions": items, "pagination": pagination }),
    ))
}

/// `GET .../functions/{slug}`
async fn get_one(
    State(app): State<Shared>,
    Path((pid, bid, slug)): Path<(String, String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let f = find(&mut store, &pid, &bid, &slug)?.clone();
    Ok(Json(json!({ "function": function_json(&app, &f) })))
}

/// `PATCH .../functions/{slug}` `{name}`
async fn update(
    State(app): State<Shared>,
    Path((pid, bid, slug)): Path<(String, String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let name = opt_str(&parse_body(&body)?, "name")?
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::bad_request("name is required"))?;
    let mut store = app.lock();
    let f = find(&mut store, &pid, &bid, &slug)?;
    f.name = name;
    let f = f.clone();
    Ok(Json(json!({ "function": function_json(&app, &f) })))
}

/// `DELETE .../functions/{slug}`
async fn remove(
    State(app): State<Shared>,
    Path((pid, bid, slug)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let mut store = app.lock();
    find(&mut store, &pid, &bid, &slug)?;
    store
        .functions
        .retain(|f| !(f.branch_id == bid && f.slug == slug));
    Ok(StatusCode::NO_CONTENT)
}

/// The names in an `environment` field: a JSON object, or `KEY=value` lines (values are not kept).
fn env_names(text: &str) -> ApiResult<Vec<String>> {
    if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(text) {
        return Ok(o.keys().cloned().collect());
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.split_once('=')
                .map(|(k, _)| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .ok_or_else(|| {
                    ApiError::bad_request("environment must be a JSON object or KEY=value lines")
                })
        })
        .collect()
}

/// `POST .../functions/{slug}/deployments` (multipart: `zip`, `runtime`, `environment`): the
/// first deployment creates the function and must carry `zip`; later ones inherit what they omit.
async fn deploy(
    State(app): State<Shared>,
    Path((pid, bid, slug)): Path<(String, String, String)>,
    mut form: Multipart,
) -> ApiResult<impl IntoResponse> {
    let valid_slug = !slug.is_empty()
        && slug.len() <= 63
        && slug
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if !valid_slug {
        return Err(ApiError::bad_request(
            "slug must be 1 to 63 lowercase letters, digits or '-'",
        ));
    }
    let (mut zip, mut runtime, mut environment) = (None, None, None);
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("malformed multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiError::bad_request(format!("malformed multipart body: {e}")))?;
        match name.as_str() {
            "zip" => zip = Some(bytes.len()),
            "runtime" => runtime = Some(String::from_utf8_lossy(&bytes).to_string()),
            "environment" => environment = Some(env_names(&String::from_utf8_lossy(&bytes))?),
            other => return Err(ApiError::bad_request(format!("unknown field {other}"))),
        }
    }
    if zip.is_none() && runtime.is_none() && environment.is_none() {
        return Err(ApiError::bad_request(
            "a deployment needs at least one of zip, runtime or environment",
        ));
    }
    if let Some(r) = runtime.as_ref().filter(|r| !RUNTIMES.contains(&r.as_str())) {
        return Err(ApiError::bad_request(format!(
            "runtime must be one of {}, got {r}",
            RUNTIMES.join(", ")
        )));
    }
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let now = ids::now();
    let at = match store
        .functions
        .iter()
        .position(|f| f.branch_id == bid && f.slug == slug)
    {
        Some(i) => i,
        None => {
            if zip.is_none() {
                return Err(ApiError::bad_request(
                    "the first deployment of a function must include zip",
                ));
            }
            store.functions.push(Function {
                id: uuid::Uuid::new_v4().to_string(),
                branch_id: bid.clone(),
                slug: slug.clone(),
                name: slug.clone(),
                created_at: now.clone(),
                deployments: Vec::new(),
            });
            store.functions.len() - 1
        }
    };
    let f = &mut store.functions[at];
    let last = f.deployments.last().cloned();
    let d = Deployment {
        id: f.deployments.len() as i64 + 1,
        runtime: runtime
            .or_else(|| last.as_ref().map(|d| d.runtime.clone()))
            .unwrap_or_else(|| RUNTIMES[0].to_string()),
        environment: environment
            .or_else(|| last.as_ref().map(|d| d.environment.clone()))
            .unwrap_or_default(),
        zip_bytes: zip
            .or_else(|| last.as_ref().map(|d| d.zip_bytes))
            .unwrap_or_default(),
        created_at: now,
    };
    let out = json!({ "deployment": deployment_json(&d) });
    f.deployments.push(d);
    Ok((StatusCode::CREATED, Json(out)))
}

/// The function routes.
pub fn routes() -> Router<Shared> {
    const F: &str = "/projects/{project_id}/branches/{branch_id}/functions";
    Router::new()
        .route(F, get(list))
        .route(
            &format!("{F}/{{slug}}"),
            get(get_one).patch(update).delete(remove),
        )
        .route(&format!("{F}/{{slug}}/deployments"), post(deploy))
}
