//! Shared application state and small helpers used by every handler.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::faults::Faults;
use crate::pg::PgCluster;
use crate::ratelimit::RateLimiter;
use crate::state::{Branch, Endpoint, Project, Store};

/// Everything a request handler can reach.
pub struct App {
    pub store: Mutex<Store>,
    pub pg: Option<Arc<PgCluster>>,
    pub base_url: String,
    pub log_requests: bool,
    pub faults: Mutex<Faults>,
    pub limiter: Mutex<RateLimiter>,
    /// Live wire-protocol and WebSocket connections.
    pub connections: crate::proxy::Connections,
    /// Claimable Neon: its signing key and registrations.
    pub claimable_neon: crate::claimable_neon::Service,
}

/// The handlers' view of the app.
pub type Shared = Arc<App>;

/// Query parameters as a plain map (never rejects a request).
pub type QueryMap = HashMap<String, String>;

impl App {
    /// Locks the store; a poisoned lock still holds consistent data for an emulator.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Locks the fault rules.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Locks the rate limiter.
    pub fn limiter(&self) -> MutexGuard<'_, RateLimiter> {
        self.limiter.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a physical database (a copy of `template` when given), if PostgreSQL is attached.
    /// A new, empty database is given to `owner` (Neon's database owner role).
    pub async fn pg_create(
        &self,
        name: &str,
        template: Option<&str>,
        owner: Option<&str>,
    ) -> ApiResult<()> {
        let Some(pg) = &self.pg else {
            return Ok(());
        };
        pg.create_database(name, template)
            .await
            .map_err(ApiError::internal)?;
        if let (None, Some(owner)) = (template, owner) {
            if let Err(e) = pg.prepare_database(name, owner).await {
                let _ = pg.drop_database(name).await;
                return Err(ApiError::internal(e));
            }
        }
        Ok(())
    }

    /// Creates Neon role `name` in PostgreSQL (no-op without PostgreSQL).
    pub async fn pg_role(&self, name: &str) -> ApiResult<()> {
        match &self.pg {
            Some(pg) => pg.ensure_role(name).await.map_err(ApiError::internal),
            None => Ok(()),
        }
    }

    /// Drops physical databases, ignoring failures (the emulator state is already updated).
    pub async fn pg_drop_all(&self, names: Vec<String>) {
        if let Some(pg) = &self.pg {
            for n in names {
                let _ = pg.drop_database(&n).await;
            }
        }
    }
}

/// Parses a JSON request body; an empty body is `{}`.
pub fn parse_body(body: &Bytes) -> ApiResult<Value> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(Map::new()));
    }
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("request body is not valid JSON: {e}")))?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(ApiError::bad_request("request body must be a JSON object"))
    }
}

/// `body[key]` as an object (absent → empty object).
pub fn sub_object(body: &Value, key: &str) -> ApiResult<Value> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(Value::Object(Map::new())),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be an object"))),
    }
}

/// An optional string field.
pub fn opt_str(v: &Value, key: &str) -> ApiResult<Option<String>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
    }
}

/// An optional number field.
pub fn opt_f64(v: &Value, key: &str) -> ApiResult<Option<f64>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a number"))),
    }
}

/// An optional integer field.
pub fn opt_i64(v: &Value, key: &str) -> ApiResult<Option<i64>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("{key} must be an integer"))),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be an integer"))),
    }
}

/// An optional boolean field.
pub fn opt_bool(v: &Value, key: &str) -> ApiResult<Option<bool>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a boolean"))),
    }
}

/// A query flag such as `pooled=true`.
pub fn query_flag(q: &QueryMap, key: &str) -> bool {
    q.get(key).is_some_and(|v| v == "true" || v == "1")
}

/// The project `id`, or 404.
pub fn get_project<'a>(store: &'a Store, id: &str) -> ApiResult<&'a Project> {
    store
        .projects
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("project {id} not found")))
}

/// The branch `id` of the project, or 404.
pub fn get_branch<'a>(store: &'a Store, project_id: &str, id: &str) -> ApiResult<&'a Branch> {
    get_project(store, project_id)?;
    store
        .branches
        .get(id)
        .filter(|b| b.project_id == project_id)
        .ok_or_else(|| ApiError::not_found(format!("branch {id} not found")))
}

/// The endpoint `id` of the project, or 404.
pub fn get_endpoint<'a>(store: &'a Store, project_id: &str, id: &str) -> ApiResult<&'a Endpoint> {
    get_project(store, project_id)?;
    store
        .endpoints
        .get(id)
        .filter(|e| e.project_id == project_id)
        .ok_or_else(|| ApiError::not_found(format!("endpoint {id} not found")))
}

/// Fails with 423 while the project has unfinished operations.
pub fn ensure_no_running_operations(store: &Store, project_id: &str) -> ApiResult<()> {
    if store.has_running_operations(project_id) {
        Err(ApiError::locked())
    } else {
        Ok(())
    }
}

/// Validates a project or branch display name: 1 to 256 characters, as Neon accepts.
pub fn validate_display_name(kind: &str, name: &str) -> ApiResult<()> {
    if name.is_empty() || name.len() > 256 {
        return Err(ApiError::bad_request(format!(
            "{kind} name must be 1 to 256 characters long"
        )));
    }
    Ok(())
}

/// Validates a Postgres object name the way Neon does (non-empty, at most 63 bytes).
pub fn validate_pg_name(kind: &str, name: &str) -> ApiResult<()> {
    if name.is_empty() || name.len() > 63 {
        return Err(ApiError::bad_request(format!(
            "{kind} name must be 1 to 63 bytes long"
        )));
    }
    if name.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "{kind} name must not contain NUL"
        )));
    }
    if kind == "role" && crate::pg_roles::is_reserved_role(name) {
        return Err(ApiError::bad_request(format!(
            "role name {name} is reserved"
        )));
    }
    Ok(())
}

/// Marks a project busy while a mutation copies databases outside the store lock, so a
/// concurrent mutation gets 423 as it would while the operations run.
pub struct BusyGuard {
    app: Shared,
    project_id: String,
}

impl BusyGuard {
    /// Marks `project_id` busy; call with the store lock held, as the last step under it.
    pub fn mark(app: &Shared, store: &mut Store, project_id: &str) -> BusyGuard {
        store.busy.insert(project_id.to_string());
        BusyGuard {
            app: app.clone(),
            project_id: project_id.to_string(),
        }
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.app.lock().busy.remove(&self.project_id);
    }
}
