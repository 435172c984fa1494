//! `checkpoints.*`: the agent-platform guide's snapshot versioning. A checkpoint is a
//! snapshot of a root branch; the list is the version history; `rollback` restores one with
//! `finalize_restore: true` (same connection string), waits for every operation and deletes
//! the orphaned `(old)` branch; `preview` restores one beside production as a branch with
//! its own connection string.

use super::branches::{branch_args, delete_branch};
use super::postgres::{resolve, ConnectionStringParams};
use super::run::{list, text, Resource, Run, WorkflowOptions, WorkflowResult};
use super::snapshots::restore;
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// A checkpoint to take.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckpointParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// The root branch to snapshot.
    pub branch_id: Option<String>,
    /// The checkpoint's name; with `if_exists: Return` a checkpoint of that name is
    /// returned instead of taking another.
    pub name: Option<String>,
    /// When it expires (RFC 3339).
    pub expires_at: Option<String>,
}

/// A snapshot of a project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SnapshotRef {
    /// The project (required).
    pub project_id: Option<String>,
    /// The snapshot (required).
    pub snapshot_id: Option<String>,
}

/// What a rollback did.
#[derive(Debug, Clone, PartialEq)]
pub struct RolledBack {
    /// The restored branch, now in the target's place (same endpoints, same connection string).
    pub branch: Json,
    /// The ids of the `(old)` branches deleted.
    pub deleted_branch_ids: Vec<String>,
}

/// A preview of a checkpoint: a branch beside production with its own compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The branch (the API's branch object).
    pub branch: Json,
    /// The connection string of the preview's database (holds the password).
    pub connection_string: String,
    /// Whether the preview branch was found already there (`if_exists: Return`).
    pub existing: bool,
}

/// The `checkpoints` workflows of a client: `client.checkpoints()`.
#[derive(Debug, Clone, Copy)]
pub struct CheckpointWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl CheckpointWorkflows<'_> {
    /// Snapshots a root branch (a non-root branch is refused, naming its parent) and waits
    /// for the snapshot; returns the snapshot.
    pub async fn create(&self, params: &CheckpointParams, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let mut run = Run::new(self.client, "checkpoints.create", options);
        let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
        let branch_id = run.required(params.branch_id.as_deref(), "branchId")?.to_owned();
        if let (true, Some(name)) = (run.reuse(), &params.name) {
            let body = run.call("find_checkpoint", ops::LIST_SNAPSHOTS, project_args(&project)).await?;
            if let Some(found) = list(&body, "snapshots").iter().find(|s| text(s, "name") == Some(name.as_str())) {
                run.settle("wait_for_operations", &project, &[]).await?;
                return Ok(found.clone());
            }
        }
        let branch = run.call("get_branch", ops::GET_PROJECT_BRANCH, branch_args(&project, &branch_id)).await?;
        if let Some(parent) = branch.get("branch").and_then(|b| text(b, "parent_id")) {
            let problem = crate::core::text::concat(&[
                "branch ", &branch_id, " is not a root branch (its parent is ", parent,
                "): only root branches can be snapshotted",
            ]);
            return Err(run.invalid("get_branch", "branchId", &problem));
        }
        let mut args = branch_args(&project, &branch_id);
        if let Some(n) = &params.name {
            args.set("name", Json::string(n.clone()));
        }
        if let Some(e) = &params.expires_at {
            args.set("expires_at", Json::string(e.clone()));
        }
        let answer = run.call("create_snapshot", ops::CREATE_SNAPSHOT, args).await?;
        let snapshot = answer.get("snapshot").cloned().unwrap_or_default();
        let resources: Vec<Resource> = Resource::of("snapshot", &snapshot).into_iter().collect();
        if let Some(s) = resources.first() {
            run.created(s.clone());
        }
        run.wait("wait_for_operations", &project, list(&answer, "operations"), &resources).await?;
        Ok(snapshot)
    }

    /// The project's checkpoints, newest first: its version history.
    pub async fn list(&self, project_id: &str, options: &WorkflowOptions) -> WorkflowResult<Vec<Json>> {
        let run = Run::new(self.client, "checkpoints.list", options);
        let project = run.required(Some(project_id), "projectId")?;
        let body = run.call("list_snapshots", ops::LIST_SNAPSHOTS, project_args(project)).await?;
        let mut snapshots = list(&body, "snapshots").to_vec();
        // RFC 3339 times in one zone sort as text. An insertion sort: a project holds a
        // handful of snapshots, and `sort_by` costs the wasm module kilobytes.
        for i in 1..snapshots.len() {
            let mut j = i;
            while let (Some(later), Some(earlier)) = (snapshots.get(j), j.checked_sub(1).and_then(|k| snapshots.get(k))) {
                if text(later, "created_at") <= text(earlier, "created_at") {
                    break;
                }
                snapshots.swap(j, j - 1);
                j -= 1;
            }
        }
        Ok(snapshots)
    }

    /// Renames a checkpoint or changes its expiry (`expires_at: Some(None)` clears it).
    pub async fn update(
        &self,
        target: &SnapshotRef,
        name: Option<&str>,
        expires_at: Option<Option<&str>>,
        options: &WorkflowOptions,
    ) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "checkpoints.update", options);
        let (project, snapshot) = snapshot_ids(&run, target)?;
        let mut fields = Json::Obj(Vec::new());
        if let Some(n) = name {
            fields.set("name", Json::string(n));
        }
        match expires_at {
            Some(Some(at)) => fields.set("expires_at", Json::string(at)),
            Some(None) => fields.set("expires_at", Json::Null),
            None => {}
        }
        let mut args = snapshot_args(project, snapshot);
        args.set("body", Json::object([("snapshot", fields)]));
        let answer = run.call("update_snapshot", ops::UPDATE_SNAPSHOT, args).await?;
        Ok(answer.get("snapshot").cloned().unwrap_or_default())
    }

    /// Deletes a checkpoint and waits for it to go. A checkpoint already gone counts as deleted.
    pub async fn delete(&self, target: &SnapshotRef, options: &WorkflowOptions) -> WorkflowResult<()> {
        let run = Run::new(self.client, "checkpoints.delete", options);
        let (project, snapshot) = snapshot_ids(&run, target)?;
        let answer = match run.call("delete_snapshot", ops::DELETE_SNAPSHOT, snapshot_args(project, snapshot)).await {
            Err(e) if e.cause.api().is_some_and(|a| a.status == 404) => return Ok(()),
            other => other?,
        };
        let resources = vec![Resource { kind: "snapshot", id: snapshot.to_owned(), name: None }];
        run.wait("wait_for_operations", project, list(&answer, "operations"), &resources).await.map(drop)
    }

    /// Rolls the snapshot's branch (or `target_branch_id`) back to the checkpoint: restore
    /// with `finalize_restore: true`, wait for every operation (connecting earlier may see the
    /// old data), then delete the orphaned `<name> (old)` branches — also those an
    /// interrupted rollback left. The branch keeps its connection string.
    ///
    /// Resumable: when the branch in the target's place was already restored from this
    /// snapshot and the `(old)` branch it replaced is still there (a run failed between restore
    /// and clean-up), the re-run does not restore again; it only deletes what was left.
    pub async fn rollback(&self, target: &SnapshotRef, target_branch_id: Option<&str>, options: &WorkflowOptions) -> WorkflowResult<RolledBack> {
        let mut run = Run::new(self.client, "checkpoints.rollback", options);
        let (project, snapshot) = snapshot_ids(&run, target)?;
        let (project, snapshot) = (project.to_owned(), snapshot.to_owned());
        let current = match target_branch_id {
            Some(b) => run.call("get_branch", ops::GET_PROJECT_BRANCH, branch_args(&project, b)).await?,
            None => source_branch(&run, &project, &snapshot).await?,
        };
        let current = current.get("branch").cloned().unwrap_or_default();
        let branch_id = text(&current, "id").unwrap_or_default().to_owned();
        let name = text(&current, "name").unwrap_or_default().to_owned();
        // An earlier rollback may still be running: a restore now would answer 423.
        run.settle("wait_for_operations", &project, &[]).await?;
        let orphan = crate::core::text::concat(&[&name, " (old)"]);
        let left = old_branches(&run, &project, &orphan).await?;
        let interrupted = text(&current, "restored_from") == Some(snapshot.as_str())
            && left.iter().any(|b| text(b, "restored_as") == Some(branch_id.as_str()));
        let (branch, left) = if interrupted {
            (current, left)
        } else {
            let answer = restore(&mut run, &project, &snapshot, Some(&branch_id), None, true).await?;
            run.settle("wait_for_operations", &project, &[]).await?;
            (answer.get("branch").cloned().unwrap_or_default(), old_branches(&run, &project, &orphan).await?)
        };
        let mut deleted = Vec::new();
        for old in &left {
            let id = text(old, "id").unwrap_or_default().to_owned();
            delete_branch(&mut run, &project, &id).await?;
            deleted.push(id);
        }
        Ok(RolledBack { branch, deleted_branch_ids: deleted })
    }

    /// Restores a checkpoint beside production (`finalize_restore: false`) as a branch named
    /// `name` with its own compute; production is untouched. With `if_exists: Return` a
    /// branch of that name is reused.
    pub async fn preview(&self, target: &SnapshotRef, name: Option<&str>, options: &WorkflowOptions) -> WorkflowResult<Preview> {
        let mut run = Run::new(self.client, "checkpoints.preview", options);
        let (project, snapshot) = snapshot_ids(&run, target)?;
        let (project, snapshot) = (project.to_owned(), snapshot.to_owned());
        let mut existing = None;
        if let (true, Some(n)) = (run.reuse(), name) {
            existing = super::branches::find_by_name(&run, &project, n).await?;
            if existing.is_some() {
                run.settle("wait_for_operations", &project, &[]).await?;
            }
        }
        let found = existing.is_some();
        let branch = match existing {
            Some(b) => b,
            None => restore(&mut run, &project, &snapshot, None, name, false).await?.get("branch").cloned().unwrap_or_default(),
        };
        let params = ConnectionStringParams {
            project_id: Some(project.clone()),
            branch_id: text(&branch, "id").map(str::to_owned),
            ..ConnectionStringParams::default()
        };
        let connection_string = resolve(&run, &project, &params).await?;
        Ok(Preview { branch, connection_string, existing: found })
    }
}

/// The branch a rollback restores onto by default: the snapshot's source branch, or — when
/// an earlier rollback replaced that branch (and deleted it as `(old)`) — the project's
/// default branch, which took its place. Answers `{"branch": ...}`.
async fn source_branch(run: &Run<'_>, project: &str, snapshot: &str) -> WorkflowResult<Json> {
    let body = run.call("find_checkpoint", ops::LIST_SNAPSHOTS, project_args(project)).await?;
    let found = list(&body, "snapshots").iter().find(|s| text(s, "id") == Some(snapshot)).cloned();
    let Some(source) = found.as_ref().and_then(|s| text(s, "source_branch_id")) else {
        return Err(run.invalid("find_checkpoint", "snapshotId", "the project has no such snapshot, or it names no source branch"));
    };
    let mut found = match run.call("get_branch", ops::GET_PROJECT_BRANCH, branch_args(project, source)).await {
        Err(e) if e.cause.api().is_some_and(|a| a.status == 404) => {
            return Ok(Json::object([("branch", super::postgres::default_branch(run, project).await?)]));
        }
        other => other?,
    };
    // A source replaced by a finalized restore (an interrupted rollback's `(old)` branch):
    // the branch in its place is the one to roll back. Bounded, in case of a cycle.
    for _ in 0..8 {
        let Some(next) = found.get("branch").and_then(|b| text(b, "restored_as")).map(str::to_owned) else { break };
        match run.call("get_branch", ops::GET_PROJECT_BRANCH, branch_args(project, &next)).await {
            Ok(b) => found = b,
            Err(e) if e.cause.api().is_some_and(|a| a.status == 404) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}

/// The project's branches named `orphan` (`<name> (old)`).
async fn old_branches(run: &Run<'_>, project: &str, orphan: &str) -> WorkflowResult<Vec<Json>> {
    let args = Json::object([("projectId", Json::string(project)), ("search", Json::string(orphan))]);
    let body = run.call("find_old_branches", ops::LIST_PROJECT_BRANCHES, args).await?;
    Ok(list(&body, "branches").iter().filter(|b| text(b, "name") == Some(orphan)).cloned().collect())
}

fn project_args(project: &str) -> Json {
    Json::object([("projectId", Json::string(project))])
}

fn snapshot_args(project: &str, snapshot: &str) -> Json {
    Json::object([("projectId", Json::string(project)), ("snapshotId", Json::string(snapshot))])
}

fn snapshot_ids<'t>(run: &Run<'_>, target: &'t SnapshotRef) -> WorkflowResult<(&'t str, &'t str)> {
    Ok((run.required(target.project_id.as_deref(), "projectId")?, run.required(target.snapshot_id.as_deref(), "snapshotId")?))
}
