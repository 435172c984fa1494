//! Deleted projects and branches are kept for Neon's 7-day recovery period, databases included,
//! and can be recovered until then; afterwards they are gone for good (their databases
//! dropped) the next time the emulator looks.

use std::time::Instant;

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::app::{get_project, Shared};
use crate::error::{ApiError, ApiResult};
use crate::render;
use crate::state::{Branch, Endpoint, Project, Snapshot, Store};

/// How long a deleted project or branch can be recovered.
const RECOVERY_DAYS: i64 = 7;

/// When a deletion happened and until when it can be undone.
#[derive(Debug, Clone)]
pub struct Deletion {
    pub deleted_at: String,
    pub until: DateTime<Utc>,
}

impl Deletion {
    fn now() -> Deletion {
        Deletion {
            deleted_at: crate::ids::now(),
            until: Utc::now() + chrono::Duration::days(RECOVERY_DAYS),
        }
    }

    fn until_text(&self) -> String {
        self.until.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    fn expired(&self) -> bool {
        Utc::now() > self.until
    }

    /// A branch's `recovery` object.
    fn recovery_json(&self) -> Value {
        json!({ "deleted_at": self.deleted_at, "recoverable_until": self.until_text(), "deletion_method": "user" })
    }
}

/// A deleted project with everything it had, and the databases to drop once it is purged.
#[derive(Debug, Clone)]
pub struct DeletedProject {
    pub project: Project,
    pub branches: Vec<Branch>,
    pub endpoints: Vec<Endpoint>,
    pub snapshots: Vec<Snapshot>,
    pub databases: Vec<String>,
    pub deletion: Deletion,
}

/// A deleted branch with its endpoints, and the databases to drop once it is purged.
#[derive(Debug, Clone)]
pub struct DeletedBranch {
    pub branch: Branch,
    pub endpoints: Vec<Endpoint>,
    pub databases: Vec<String>,
    pub deletion: Deletion,
}

impl Store {
    /// Forgets what hangs off a branch that is gone for good (its add-ons, buckets,
    /// credentials and backup schedule).
    pub fn forget_branch_records(&mut self, branch_id: &str) {
        self.buckets.remove(branch_id);
        self.backup_schedules.remove(branch_id);
        self.credentials.retain(|c| c.branch_id != branch_id);
        self.data_apis.retain(|d| d.branch_id != branch_id);
        self.auth.retain(|a| a.branch_id != branch_id);
        self.anonymized.remove(branch_id);
        self.auth_configs.remove(branch_id);
        self.auth_users.retain(|u| u.branch_id != branch_id);
        self.auth_transfers.remove(branch_id);
        self.functions.retain(|f| f.branch_id != branch_id);
    }

    /// Forgets what hangs off a project that is gone for good (permissions, transfer requests,
    /// JWKS), given the ids of its branches.
    pub fn forget_project_records(&mut self, project_id: &str, branch_ids: &[String]) {
        self.permissions.retain(|p| p.project_id != project_id);
        self.transfer_requests
            .retain(|r| r.project_id != project_id);
        self.jwks.retain(|j| j.project_id != project_id);
        self.vpc_restrictions.retain(|r| r.project_id != project_id);
        for b in branch_ids {
            self.forget_branch_records(b);
        }
    }
}

/// Keeps a project that was just taken out of the store (with `remove`, which answers its
/// databases) for recovery.
pub fn keep_project(
    store: &mut Store,
    id: &str,
    remove: impl FnOnce(&mut Store) -> Vec<String>,
) -> ApiResult<()> {
    let project = get_project(store, id)?.clone();
    let branches: Vec<Branch> = store
        .branches
        .values()
        .filter(|b| b.project_id == id)
        .cloned()
        .collect();
    let endpoints: Vec<Endpoint> = store
        .endpoints
        .values()
        .filter(|e| e.project_id == id)
        .cloned()
        .collect();
    let snapshots: Vec<Snapshot> = store
        .snapshots
        .values()
        .filter(|s| s.project_id == id)
        .cloned()
        .collect();
    let databases = remove(store);
    let deleted = DeletedProject {
        project,
        branches,
        endpoints,
        snapshots,
        databases,
        deletion: Deletion::now(),
    };
    store.deleted_projects.insert(id.to_string(), deleted);
    Ok(())
}

/// Keeps a branch that was just taken out of the store, with its endpoints and databases.
pub fn keep_branch(
    store: &mut Store,
    branch: Branch,
    endpoints: Vec<Endpoint>,
    databases: Vec<String>,
) {
    let deleted = DeletedBranch {
        branch,
        endpoints,
        databases,
        deletion: Deletion::now(),
    };
    store
        .deleted_branches
        .insert(deleted.branch.id.clone(), deleted);
}

/// Forgets deletions past their recovery period (all of them when `everything`) and answers
/// the databases to drop.
pub fn purge(store: &mut Store, everything: bool) -> Vec<String> {
    let mut dbs = Vec::new();
    let gone: Vec<String> = store
        .deleted_projects
        .iter()
        .filter(|(_, d)| everything || d.deletion.expired())
        .map(|(k, _)| k.clone())
        .collect();
    for id in gone {
        if let Some(d) = store.deleted_projects.remove(&id) {
            let mut branch_ids: Vec<String> = d.branches.iter().map(|b| b.id.clone()).collect();
            let orphans: Vec<String> = store
                .deleted_branches
                .values()
                .filter(|b| b.branch.project_id == id)
                .map(|b| b.branch.id.clone())
                .collect();
            for b in orphans {
                if let Some(b) = store.deleted_branches.remove(&b) {
                    dbs.extend(b.databases);
                    branch_ids.push(b.branch.id);
                }
            }
            store.forget_project_records(&id, &branch_ids);
            dbs.extend(d.databases);
        }
    }
    let gone: Vec<String> = store
        .deleted_branches
        .iter()
        .filter(|(_, d)| everything || d.deletion.expired())
        .map(|(k, _)| k.clone())
        .collect();
    for id in gone {
        if let Some(d) = store.deleted_branches.remove(&id) {
            store.forget_branch_records(&id);
            dbs.extend(d.databases);
        }
    }
    dbs
}

/// Drops the databases of deletions past their recovery period.
pub async fn purge_expired(app: &Shared) {
    let dbs = purge(&mut app.lock(), false);
    app.pg_drop_all(dbs).await;
}

/// The project's deleted branches, as `include_deleted=true` lists them.
pub fn deleted_branches(store: &Store, project_id: &str) -> Vec<Branch> {
    store
        .deleted_branches
        .values()
        .filter(|d| d.branch.project_id == project_id && !d.deletion.expired())
        .map(|d| d.branch.clone())
        .collect()
}

/// A listed `Branch` object: with its `recovery` when it is a deleted one.
pub fn listed_branch_json(store: &Store, b: &Branch) -> Value {
    let mut v = render::branch(b);
    if let Some(d) = store.deleted_branches.get(&b.id) {
        v["recovery"] = d.deletion.recovery_json();
    }
    v
}

/// The recoverable deleted projects, as `listProjects?recoverable=true` lists them.
pub fn recoverable_projects(store: &Store) -> Vec<Value> {
    store
        .deleted_projects
        .values()
        .filter(|d| !d.deletion.expired())
        .map(|d| {
            let mut v = render::project_list_item(&d.project);
            v["deleted_at"] = json!(d.deletion.deleted_at);
            v["recoverable_until"] = json!(d.deletion.until_text());
            v
        })
        .collect()
}

/// Endpoints come back idle.
fn idle(mut e: Endpoint) -> Endpoint {
    e.target_state = "idle".into();
    e.settle_at = Instant::now();
    e
}

/// `POST /projects/{project_id}/recover`
async fn recover_project(
    State(app): State<Shared>,
    Path(pid): Path<String>,
) -> ApiResult<Json<Value>> {
    purge_expired(&app).await;
    let mut store = app.lock();
    let d = store.deleted_projects.remove(&pid).ok_or_else(|| {
        ApiError::not_found(format!(
            "project {pid} is not deleted or can no longer be recovered"
        ))
    })?;
    let branches: Vec<Value> = d.branches.iter().map(render::branch).collect();
    for b in d.branches {
        store.branches.insert(b.id.clone(), b);
    }
    for e in d.endpoints {
        store.endpoints.insert(e.id.clone(), idle(e));
    }
    for s in d.snapshots {
        store.snapshots.insert(s.id.clone(), s);
    }
    let out = json!({ "project": render::project(&d.project), "branches": branches });
    store.projects.insert(pid, d.project);
    Ok(Json(out))
}

/// `POST /projects/{project_id}/branches/{branch_id}/recover`: the parent must still exist.
async fn recover_branch(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    purge_expired(&app).await;
    let mut store = app.lock();
    let region = get_project(&store, &pid)?.region_id.clone();
    let d = store
        .deleted_branches
        .get(&bid)
        .filter(|d| d.branch.project_id == pid)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "branch {bid} is not deleted or can no longer be recovered"
            ))
        })?;
    if let Some(parent) = d
        .branch
        .parent_id
        .as_ref()
        .filter(|p| !store.branches.contains_key(*p))
    {
        return Err(ApiError::bad_request(format!(
            "the parent branch {parent} of branch {bid} no longer exists"
        )));
    }
    let Some(d) = store.deleted_branches.remove(&bid) else {
        return Err(ApiError::not_found(format!("branch {bid} not found")));
    };
    let mut branch = d.branch;
    branch.expires_at = None;
    let endpoints: Vec<Endpoint> = d.endpoints.into_iter().map(idle).collect();
    let out = json!({ "branch": render::branch(&branch), "endpoints": endpoints.iter().map(|e| render::endpoint(e, &region)).collect::<Vec<_>>() });
    for e in endpoints {
        store.endpoints.insert(e.id.clone(), e);
    }
    store.branches.insert(bid, branch);
    Ok(Json(out))
}

/// The recovery routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/projects/{project_id}/recover", post(recover_project))
        .route(
            "/projects/{project_id}/branches/{branch_id}/recover",
            post(recover_branch),
        )
}
