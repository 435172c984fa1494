//! Branch storage (S3-compatible buckets) and the AI gateway. The emulator keeps buckets and
//! their objects in memory and serves presigned URLs for uploads and downloads itself; it runs
//! no S3 API and no AI models (the gateway's base URL is state only).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, opt_i64, opt_str, parse_body, QueryMap, Shared};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::Store;

/// A bucket of a branch with its objects (key -> bytes and when they were written).
#[derive(Debug, Clone)]
pub struct Bucket {
    pub access_level: String,
    pub created_at: String,
    pub objects: BTreeMap<String, (Bytes, String)>,
}

/// Buckets by branch id, then by name.
pub type Buckets = BTreeMap<String, BTreeMap<String, Bucket>>;

/// The 404 the storage and AI gateway reads answer, with the reason Neon gives.
fn not_enabled(reason: &str, message: String) -> Response {
    let body = json!({ "code": "STORAGE_NOT_ENABLED", "message": message, "reason": reason });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

fn branch_exists(store: &Store, pid: &str, bid: &str) -> bool {
    get_branch(store, pid, bid).is_ok()
}

/// `GET .../branches/{branch_id}/storage`: storage is enabled on every emulated branch.
pub async fn storage(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> Response {
    if !branch_exists(&app.lock(), &pid, &bid) {
        return not_enabled("branch_not_found", format!("branch {bid} not found"));
    }
    Json(
        json!({ "enabled": true, "s3_endpoint": format!("{}/storage/{bid}", app.base_url),
                 "region": "us-east-2", "force_path_style": true }),
    )
    .into_response()
}

/// `GET .../branches/{branch_id}/ai_gateway`
pub async fn ai_gateway(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> Response {
    if !branch_exists(&app.lock(), &pid, &bid) {
        return not_enabled("branch_not_found", format!("branch {bid} not found"));
    }
    Json(json!({ "enabled": true, "base_url": format!("{}/ai-gateway/{bid}", app.base_url) }))
        .into_response()
}

fn bucket_json(name: &str, b: &Bucket) -> Value {
    json!({ "name": name, "access_level": b.access_level, "created_at": b.created_at })
}

fn bucket_mut<'a>(
    store: &'a mut Store,
    pid: &str,
    bid: &str,
    name: &str,
) -> ApiResult<&'a mut Bucket> {
    get_branch(store, pid, bid)?;
    store
        .buckets
        .get_mut(bid)
        .and_then(|m| m.get_mut(name))
        .ok_or_else(|| ApiError::not_found(format!("bucket {name} not found")))
}

/// `GET .../buckets`
pub async fn list_buckets(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let buckets: Vec<Value> = store
        .buckets
        .get(&bid)
        .map(|m| m.iter().map(|(n, b)| bucket_json(n, b)).collect())
        .unwrap_or_default();
    Ok(Json(json!({ "buckets": buckets })))
}

/// `POST .../buckets` `{name, access_level?}`
pub async fn create_bucket(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let name = opt_str(&body, "name")?.ok_or_else(|| ApiError::bad_request("name is required"))?;
    let valid = (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.');
    if !valid {
        return Err(ApiError::bad_request(
            "bucket name must be 3 to 63 lowercase letters, digits, '-' or '.'",
        ));
    }
    let access_level = opt_str(&body, "access_level")?.unwrap_or_else(|| "private".into());
    if !["private", "public_read"].contains(&access_level.as_str()) {
        return Err(ApiError::bad_request(
            "access_level must be private or public_read",
        ));
    }
    let mut store = app.lock();
    get_branch(&store, &pid, &bid)?;
    let buckets = store.buckets.entry(bid).or_default();
    if buckets.contains_key(&name) {
        return Err(ApiError::conflict(format!("bucket {name} already exists")));
    }
    let b = Bucket {
        access_level,
        created_at: ids::now(),
        objects: BTreeMap::new(),
    };
    let out = bucket_json(&name, &b);
    buckets.insert(name, b);
    Ok((StatusCode::CREATED, Json(json!({ "bucket": out }))))
}

/// `DELETE .../buckets/{bucket_name}`
pub async fn delete_bucket(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let mut store = app.lock();
    bucket_mut(&mut store, &pid, &bid, &name)?;
    if let Some(m) = store.buckets.get_mut(&bid) {
        m.remove(&name);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET .../buckets/{bucket_name}/objects?prefix&delimiter&cursor&limit`: keys in order, with
/// the common prefixes up to `delimiter` as folders; `cursor` is the last key of the page.
pub async fn list_objects(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let limit = match q.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::bad_request("limit must be an integer from 1 to 1000"))?,
        None => 1000,
    };
    let prefix = q.get("prefix").cloned().unwrap_or_default();
    let delimiter = q.get("delimiter").filter(|d| !d.is_empty());
    let mut store = app.lock();
    let b = bucket_mut(&mut store, &pid, &bid, &name)?;
    let mut folders: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    let mut last = None;
    let mut truncated = false;
    for (key, (bytes, modified)) in b
        .objects
        .range(q.get("cursor").cloned().unwrap_or_default()..)
    {
        if q.get("cursor") == Some(key) || !key.starts_with(&prefix) {
            continue;
        }
        if objects.len() + folders.len() == limit {
            truncated = true;
            break;
        }
        let rest = &key[prefix.len()..];
        match delimiter.and_then(|d| {
            rest.find(d.as_str())
                .map(|i| format!("{prefix}{}", &rest[..i + d.len()]))
        }) {
            Some(folder) if folders.last() == Some(&folder) => {}
            Some(folder) => folders.push(folder),
            None => objects.push(
                json!({ "key": key, "size": bytes.len(), "last_modified": modified,
                                         "etag": format!("\"{:016x}\"", etag(bytes)) }),
            ),
        }
        last = Some(key.clone());
    }
    let mut out = json!({ "folders": folders, "objects": objects, "prefix": prefix, "is_truncated": truncated });
    if let (true, Some(l)) = (truncated, last) {
        out["next_cursor"] = json!(l);
    }
    Ok(Json(out))
}

/// A content hash for `etag` (FNV-1a: stable across runs).
fn etag(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// `DELETE .../objects/{object_key}`
pub async fn delete_object(
    State(app): State<Shared>,
    Path((pid, bid, name, key)): Path<(String, String, String, String)>,
) -> ApiResult<StatusCode> {
    let mut store = app.lock();
    let b = bucket_mut(&mut store, &pid, &bid, &name)?;
    b.objects
        .remove(&key)
        .ok_or_else(|| ApiError::not_found(format!("object {key} not found")))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE .../objects-by-prefix?prefix=`
pub async fn delete_by_prefix(
    State(app): State<Shared>,
    Path((pid, bid, name)): Path<(String, String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let prefix = q
        .get("prefix")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::bad_request("prefix is required"))?;
    let mut store = app.lock();
    let b = bucket_mut(&mut store, &pid, &bid, &name)?;
    let before = b.objects.len();
    b.objects.retain(|k, _| !k.starts_with(prefix.as_str()));
    Ok(Json(json!({ "deleted": before - b.objects.len() })))
}

/// `GET .../objects/{object_key}/download`
pub async fn download(
    State(app): State<Shared>,
    Path((pid, bid, name, key)): Path<(String, String, String, String)>,
) -> ApiResult<Response> {
    let mut store = app.lock();
    let b = bucket_mut(&mut store, &pid, &bid, &name)?;
    let (bytes, _) = b
        .objects
        .get(&key)
        .ok_or_else(|| ApiError::not_found(format!("object {key} not found")))?;
    Ok((
        [("content-type", "application/octet-stream")],
        bytes.clone(),
    )
        .into_response())
}

/// `POST .../objects/{object_key}/presign` `{operation, content_type?, expires_in_seconds?}`:
/// a URL on the emulator that takes the upload (PUT) or serves the download (GET).
pub async fn presign(
    State(app): State<Shared>,
    Path((pid, bid, name, key)): Path<(String, String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let method = match opt_str(&body, "operation")?.as_deref() {
        Some("upload") => "PUT",
        Some("download") => "GET",
        _ => {
            return Err(ApiError::bad_request(
                "operation must be upload or download",
            ))
        }
    };
    let expires = opt_i64(&body, "expires_in_seconds")?.unwrap_or(3600);
    if !(1..=604_800).contains(&expires) {
        return Err(ApiError::bad_request(
            "expires_in_seconds must be from 1 to 604800",
        ));
    }
    let mut headers = json!({});
    if let (Some(ct), "PUT") = (opt_str(&body, "content_type")?, method) {
        headers["Content-Type"] = json!(ct);
    }
    let mut store = app.lock();
    bucket_mut(&mut store, &pid, &bid, &name)?;
    let expires_at = chrono::Utc::now() + chrono::Duration::seconds(expires);
    let url = format!(
        "{}/storage/{bid}/{name}/{}?X-Amz-Expires={expires}&X-Amz-Date={}",
        app.base_url,
        crate::render::pct(&key),
        expires_at.timestamp()
    );
    Ok(Json(
        json!({ "url": url, "method": method, "headers": headers,
                     "expires_at": expires_at.format("%Y-%m-%dT%H:%M:%SZ").to_string() }),
    ))
}

fn presigned_bucket<'a>(
    store: &'a mut Store,
    bid: &str,
    name: &str,
    q: &QueryMap,
) -> ApiResult<&'a mut Bucket> {
    let until: i64 = q
        .get("X-Amz-Date")
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "not a presigned URL"))?;
    if chrono::Utc::now().timestamp() > until {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "the presigned URL has expired",
        ));
    }
    store
        .buckets
        .get_mut(bid)
        .and_then(|m| m.get_mut(name))
        .ok_or_else(|| ApiError::not_found(format!("bucket {name} not found")))
}

/// `PUT /storage/{branch_id}/{bucket}/{key}` through a presigned URL.
pub async fn presigned_put(
    State(app): State<Shared>,
    Path((bid, name, key)): Path<(String, String, String)>,
    Query(q): Query<QueryMap>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let mut store = app.lock();
    presigned_bucket(&mut store, &bid, &name, &q)?
        .objects
        .insert(key, (body, ids::now()));
    Ok(StatusCode::OK)
}

/// `GET /storage/{branch_id}/{bucket}/{key}` through a presigned URL.
pub async fn presigned_get(
    State(app): State<Shared>,
    Path((bid, name, key)): Path<(String, String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Response> {
    let mut store = app.lock();
    let b = presigned_bucket(&mut store, &bid, &name, &q)?;
    let (bytes, _) = b
        .objects
        .get(&key)
        .ok_or_else(|| ApiError::not_found(format!("object {key} not found")))?;
    Ok(bytes.clone().into_response())
}

/// The Management API routes of storage and the AI gateway.
pub fn routes() -> Router<Shared> {
    const B: &str = "/projects/{project_id}/branches/{branch_id}";
    Router::new()
        .route(&format!("{B}/storage"), get(storage))
        .route(&format!("{B}/ai_gateway"), get(ai_gateway))
        .route(
            &format!("{B}/buckets"),
            get(list_buckets).post(create_bucket),
        )
        .route(
            &format!("{B}/buckets/{{bucket_name}}"),
            delete(delete_bucket),
        )
        .route(
            &format!("{B}/buckets/{{bucket_name}}/objects"),
            get(list_objects),
        )
        .route(
            &format!("{B}/buckets/{{bucket_name}}/objects-by-prefix"),
            delete(delete_by_prefix),
        )
        .route(
            &format!("{B}/buckets/{{bucket_name}}/objects/{{object_key}}"),
            delete(delete_object),
        )
        .route(
            &format!("{B}/buckets/{{bucket_name}}/objects/{{object_key}}/download"),
            get(download),
        )
        .route(
            &format!("{B}/buckets/{{bucket_name}}/objects/{{object_key}}/presign"),
            post(presign),
        )
}

/// Where presigned URLs point (no API key: the signature is the URL).
pub fn presigned_routes() -> Router<Shared> {
    Router::new().route(
        "/storage/{branch_id}/{bucket}/{key}",
        get(presigned_get).put(presigned_put),
    )
}
