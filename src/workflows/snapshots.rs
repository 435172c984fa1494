//! `snapshots.restore`: a snapshot restored as a new branch or onto an existing one; with a
//! `preview` check, restored without finalizing, inspected by the caller's check (which may
//! run SQL on it), then finalized or discarded; and a branch's backup schedule (`getSchedule`,
//! `setSchedule`).

use super::branches::{branch_args, delete_branch, finalize_restore, BranchRef};
use super::postgres::default_branch;
use super::run::{Boxed, list, text, Phase, Resource, Run, WorkflowOptions, WorkflowResult};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::transport::{BoxFuture, MaybeSendSync};
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// The caller's look at a restored branch before it is finalized: `Ok(true)` finalizes it,
/// `Ok(false)` discards it; an error stops the restore (the branch stays, unfinalized).
pub trait PreviewCheck: MaybeSendSync {
    /// Inspects the restored `branch` (the API's branch object).
    fn check<'a>(&'a self, branch: &'a Json) -> BoxFuture<'a, Result<bool, Error>>;
}

/// What `restore` restores, and where.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestoreParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// The snapshot (required).
    pub snapshot_id: Option<String>,
    /// The branch to restore onto (its place, endpoints and connection string go to the
    /// restored branch when finalized). Default: the snapshot's source branch.
    pub target_branch_id: Option<String>,
    /// The restored branch's name (default: Neon's).
    pub name: Option<String>,
    /// Finalize at once. Default: `true` without `target_branch_id`, `false` with one (so
    /// it can be looked at first); ignored with a preview check.
    pub finalize: Option<bool>,
    /// Keep the restored branch when the preview check says no (default: delete it).
    pub keep_on_abort: bool,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    /// The restored branch.
    pub branch: Json,
    /// Whether it was finalized (took the target's place).
    pub finalized: bool,
    /// Whether the preview check said no and the branch was deleted.
    pub discarded: bool,
}

/// A branch's backup schedule to set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// The root branch snapshots are taken of (default: the project's default branch).
    pub branch_id: Option<String>,
    /// The API's list of schedule items (`[{ frequency: "daily", hour: 3, retention_seconds }]`);
    /// an empty list turns scheduled snapshots off.
    pub schedule: Json,
}

/// The `snapshots` workflows of a client: `client.snapshots()`.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl SnapshotWorkflows<'_> {
    /// Restores a snapshot and waits for it; with `preview`, finalizes or discards after the
    /// check.
    pub async fn restore(&self, params: &RestoreParams, preview: Option<&dyn PreviewCheck>, options: &WorkflowOptions) -> WorkflowResult<Restored> {
        let mut run = Run::new(self.client, "snapshots.restore", options);
        let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
        let snapshot = run.required(params.snapshot_id.as_deref(), "snapshotId")?.to_owned();
        let finalize = preview.is_none() && params.finalize.unwrap_or(params.target_branch_id.is_none());
        let answer = restore(&mut run, &project, &snapshot, params.target_branch_id.as_deref(), params.name.as_deref(), finalize).await?;
        let branch = answer.get("branch").cloned().unwrap_or_default();
        let Some(check) = preview else {
            return Ok(Restored { branch, finalized: finalize, discarded: false });
        };
        let branch_id = text(&branch, "id").unwrap_or_default().to_owned();
        let resources: Vec<Resource> = Resource::of("branch", &branch).into_iter().collect();
        run.progress("preview", Phase::Started, &resources, &[]);
        let keep = check.check(&branch).await.map_err(|e| run.fail("preview", e))?;
        run.progress("preview", Phase::Done, &resources, &[]);
        if keep {
            finalize_restore(&run, &project, &branch_id, None).await?;
            return Ok(Restored { branch, finalized: true, discarded: false });
        }
        if !params.keep_on_abort {
            delete_branch(&mut run, &project, &branch_id).await?;
        }
        Ok(Restored { branch, finalized: false, discarded: !params.keep_on_abort })
    }

    /// The branch's backup schedule: the list of its items (empty when none is set).
    pub async fn get_schedule(&self, target: &BranchRef, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "snapshots.getSchedule", options);
        let (project, branch) = schedule_branch(&run, target.project_id.as_deref(), target.branch_id.as_deref()).await?;
        read_schedule(&run, &project, &branch).await
    }

    /// Sets the branch's backup schedule, then reads it back: returns the schedule now in force.
    pub async fn set_schedule(&self, params: &ScheduleParams, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "snapshots.setSchedule", options);
        let items = match &params.schedule {
            Json::Arr(items) => items,
            _ => return Err(run.invalid("set_schedule", "schedule", "must be an array of schedule items")),
        };
        if !items.iter().all(|i| i.get("frequency").and_then(Json::as_str).is_some()) {
            return Err(run.invalid("set_schedule", "schedule", "every item needs a `frequency` (hourly, daily, weekly, monthly)"));
        }
        let (project, branch) = schedule_branch(&run, params.project_id.as_deref(), params.branch_id.as_deref()).await?;
        let mut args = branch_args(&project, &branch);
        args.set("body", Json::object([("schedule", params.schedule.clone())]));
        run.call("set_schedule", ops::SET_SNAPSHOT_SCHEDULE, args).await?;
        read_schedule(&run, &project, &branch).await
    }
}

/// The project and branch of a schedule call: the given branch, else the default one.
async fn schedule_branch(run: &Run<'_>, project: Option<&str>, branch: Option<&str>) -> WorkflowResult<(String, String)> {
    let project = run.required(project, "projectId")?.to_owned();
    let branch = match branch {
        Some(b) => b.to_owned(),
        None => text(&default_branch(run, &project).await?, "id").unwrap_or_default().to_owned(),
    };
    Ok((project, branch))
}

async fn read_schedule(run: &Run<'_>, project: &str, branch: &str) -> WorkflowResult<Json> {
    let answer = run.call("get_schedule", ops::GET_SNAPSHOT_SCHEDULE, branch_args(project, branch)).await?;
    Ok(Json::Arr(list(&answer, "schedule").to_vec()))
}

/// Restores `snapshot` (onto `target`, as `name`) and waits for every operation it started;
/// the restored branch counts as created by this run. Returns the answer.
pub(crate) fn restore<'a>(
    run: &'a mut Run<'_>,
    project: &'a str,
    snapshot: &'a str,
    target: Option<&'a str>,
    name: Option<&'a str>,
    finalize: bool,
) -> Boxed<'a, WorkflowResult<Json>> {
    Box::pin(async move {
        let mut body = Json::object([("finalize_restore", Json::Bool(finalize))]);
        if let Some(t) = target {
            body.set("target_branch_id", Json::string(t));
        }
        if let Some(n) = name {
            body.set("name", Json::string(n));
        }
        let args = Json::object([
            ("projectId", Json::string(project)),
            ("snapshotId", Json::string(snapshot)),
            ("body", body),
        ]);
        let answer = run.call("restore_snapshot", ops::RESTORE_SNAPSHOT, args).await?;
        let branch = answer.get("branch").cloned().unwrap_or_default();
        let mut resources: Vec<Resource> = Resource::of("branch", &branch).into_iter().collect();
        if let (false, Some(b)) = (finalize, resources.first()) {
            // Unfinalized, the restored branch is new and stands beside the target: a failure
            // leaves it behind. Finalized, it has become the target.
            run.created(b.clone());
        }
        resources.extend(list(&answer, "endpoints").iter().filter_map(|e| Resource::of("endpoint", e)));
        run.wait("wait_for_operations", project, list(&answer, "operations"), &resources).await?;
        Ok(answer)
    })
}
