//! `branches.*`: a branch with its own compute and connection string (`createAndConnect`),
//! the default branch (`getDefault`, `setDefault`), a reset from the parent that keeps the
//! connection string (`resetFromParent`), schema diffs (`compareSchema`) and the second step
//! of a restore (`finalizeRestore`).

use super::postgres::{connection_of, default_branch, resolve, ConnectionStringParams};
use super::run::{Boxed, list, text, Resource, Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// The compute units Neon's autoscaling accepts.
pub const MIN_CU: f64 = 0.25;
/// The compute units Neon's autoscaling accepts.
pub const MAX_CU: f64 = 8.0;

/// A compute's size and suspension, checked before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Compute {
    /// Autoscaling floor, 0.25–8 CU.
    pub min_cu: Option<f64>,
    /// Autoscaling ceiling, 0.25–8 CU, not below `min_cu`.
    pub max_cu: Option<f64>,
    /// Seconds of inactivity before suspending: `-1` never, `0` Neon's default.
    pub suspend_timeout_seconds: Option<i64>,
}

impl Compute {
    /// The endpoint fields (`autoscaling_limit_min_cu`, ...) after checking the range; `Err`
    /// names the field at fault and why.
    pub(crate) fn endpoint_fields(&self) -> Result<Vec<(String, Json)>, (&'static str, String)> {
        let mut fields = Vec::new();
        for (value, name, field) in [
            (self.min_cu, "minCu", "autoscaling_limit_min_cu"),
            (self.max_cu, "maxCu", "autoscaling_limit_max_cu"),
        ] {
            if let Some(cu) = value {
                if !(MIN_CU..=MAX_CU).contains(&cu) {
                    return Err((name, crate::core::text::concat(&[name, " must be between 0.25 and 8 compute units"])));
                }
                fields.push((field.to_owned(), number(cu)));
            }
        }
        if let (Some(min), Some(max)) = (self.min_cu, self.max_cu) {
            if min > max {
                return Err(("minCu", "minCu must not be above maxCu".to_owned()));
            }
        }
        if let Some(s) = self.suspend_timeout_seconds {
            if s < -1 {
                return Err(("suspendTimeoutSeconds", "suspendTimeoutSeconds must be -1 (never), 0 (default) or more".to_owned()));
            }
            let text = match s {
                -1 => "-1".to_owned(),
                s => crate::core::text::decimal(s.unsigned_abs()),
            };
            fields.push(("suspend_timeout_seconds".to_owned(), Json::Num(text)));
        }
        Ok(fields)
    }
}

/// A compute-unit count as JSON number text: quarters only (0.25 steps), so no float
/// formatting is needed.
fn number(cu: f64) -> Json {
    let quarters = (cu * 4.0).round() as u64;
    let whole = crate::core::text::decimal(quarters / 4);
    let frac = match quarters % 4 {
        1 => ".25",
        2 => ".5",
        3 => ".75",
        _ => "",
    };
    Json::Num(crate::core::text::concat(&[&whole, frac]))
}

/// What `create_and_connect` creates.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateBranchParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// The branch's name (default: Neon's).
    pub name: Option<String>,
    /// The parent branch (default: the project's default branch).
    pub parent_id: Option<String>,
    /// Other branch fields (`parent_timestamp`, `parent_lsn`, `init_source`, ...).
    pub branch: Json,
    /// The read-write compute's size and suspension.
    pub compute: Compute,
    /// The pooled connection string (the default) or the direct one.
    pub pooled: bool,
}

impl Default for CreateBranchParams {
    fn default() -> Self {
        CreateBranchParams {
            project_id: None,
            name: None,
            parent_id: None,
            branch: Json::Obj(Vec::new()),
            compute: Compute::default(),
            pooled: true,
        }
    }
}

/// A branch ready to connect to.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchConnection {
    /// The branch (the API's branch object).
    pub branch: Json,
    /// Its read-write endpoint.
    pub endpoint: Json,
    /// The connection string (holds the password).
    pub connection_string: String,
    /// Whether the branch was found already there (`if_exists: Return`).
    pub existing: bool,
}

/// A branch of a project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BranchRef {
    /// The project (required).
    pub project_id: Option<String>,
    /// The branch.
    pub branch_id: Option<String>,
}

/// What `compare_schema` compares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompareSchemaParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// The branch.
    pub branch_id: Option<String>,
    /// The database.
    pub database_name: Option<String>,
    /// Default: the branch's parent.
    pub base_branch_id: Option<String>,
    /// The branch's LSN to compare at (instead of its head).
    pub lsn: Option<String>,
    /// The branch's moment to compare at (RFC 3339).
    pub timestamp: Option<String>,
    /// The base branch's LSN to compare at.
    pub base_lsn: Option<String>,
    /// The base branch's moment to compare at (RFC 3339).
    pub base_timestamp: Option<String>,
}

/// The `branches` workflows of a client: `client.branches()`.
#[derive(Debug, Clone, Copy)]
pub struct BranchWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl BranchWorkflows<'_> {
    /// Creates a branch with a read-write compute, waits for its operations and returns it
    /// with its endpoint and connection string. With `if_exists: Return` a branch of the
    /// same name is looked up first and completed (a compute added when it has none).
    pub async fn create_and_connect(&self, params: &CreateBranchParams, options: &WorkflowOptions) -> WorkflowResult<BranchConnection> {
        let mut run = Run::new(self.client, "branches.createAndConnect", options);
        create_and_connect(&mut run, params).await
    }

    /// The project's default branch (by its `default` flag, not its name).
    pub async fn get_default(&self, project_id: &str, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "branches.getDefault", options);
        let project = run.required(Some(project_id), "projectId")?.to_owned();
        default_branch(&run, &project).await
    }

    /// Makes the branch the project's default and waits for it; returns the branch.
    pub async fn set_default(&self, target: &BranchRef, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "branches.setDefault", options);
        let (project, branch) = ids(&run, target)?;
        let body = run.call("set_default", ops::SET_DEFAULT_PROJECT_BRANCH, branch_args(project, branch)).await?;
        let resources = branch_resource(&body);
        run.wait("wait_for_operations", project, list(&body, "operations"), &resources).await?;
        Ok(body.get("branch").cloned().unwrap_or_default())
    }

    /// Resets the branch to its parent's current state: same id, same endpoints, same
    /// connection string. `preserve_under_name` keeps the state before the reset as a branch
    /// of that name. Returns the branch.
    pub async fn reset_from_parent(&self, target: &BranchRef, preserve_under_name: Option<&str>, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "branches.resetFromParent", options);
        let (project, branch) = ids(&run, target)?;
        let current = run.call("get_branch", ops::GET_PROJECT_BRANCH, branch_args(project, branch)).await?;
        let Some(parent) = current.get("branch").and_then(|b| text(b, "parent_id")).map(str::to_owned) else {
            return Err(run.invalid("get_branch", "branchId", "the branch has no parent (a root branch) and cannot be reset from one"));
        };
        let mut body = Json::object([("source_branch_id", Json::string(parent))]);
        if let Some(name) = preserve_under_name {
            body.set("preserve_under_name", Json::string(name));
        }
        let mut args = branch_args(project, branch);
        args.set("body", body);
        let answer = run.call("restore_branch", ops::RESTORE_PROJECT_BRANCH, args).await?;
        let resources = branch_resource(&answer);
        run.wait("wait_for_operations", project, list(&answer, "operations"), &resources).await?;
        Ok(answer.get("branch").cloned().unwrap_or_default())
    }

    /// The schema differences of a database between the branch and its parent (or
    /// `base_branch_id`), optionally at LSNs or timestamps: `{ diff }`.
    pub async fn compare_schema(&self, params: &CompareSchemaParams, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "branches.compareSchema", options);
        let target = BranchRef { project_id: params.project_id.clone(), branch_id: params.branch_id.clone() };
        let (project, branch) = ids(&run, &target)?;
        let database = run.required(params.database_name.as_deref(), "databaseName")?;
        let mut args = branch_args(project, branch);
        args.set("db_name", Json::string(database));
        for (key, value) in [
            ("base_branch_id", &params.base_branch_id),
            ("lsn", &params.lsn),
            ("timestamp", &params.timestamp),
            ("base_lsn", &params.base_lsn),
            ("base_timestamp", &params.base_timestamp),
        ] {
            if let Some(v) = value {
                args.set(key, Json::string(v.clone()));
            }
        }
        run.call("compare_schema", ops::GET_PROJECT_BRANCH_SCHEMA_COMPARISON, args).await
    }

    /// The second step of a restore made without finalizing: the restored branch takes the
    /// place (and the computes) of the branch it was restored onto, which is renamed
    /// (`name`, else Neon's `<name> (old)`). Waits for the swap.
    pub async fn finalize_restore(&self, target: &BranchRef, name: Option<&str>, options: &WorkflowOptions) -> WorkflowResult<()> {
        let run = Run::new(self.client, "branches.finalizeRestore", options);
        let (project, branch) = ids(&run, target)?;
        finalize_restore(&run, project, branch, name).await
    }
}

/// The project and branch ids of `target`, both required.
fn ids<'t>(run: &Run<'_>, target: &'t BranchRef) -> WorkflowResult<(&'t str, &'t str)> {
    Ok((run.required(target.project_id.as_deref(), "projectId")?, run.required(target.branch_id.as_deref(), "branchId")?))
}

/// `{projectId, branchId}`.
pub(crate) fn branch_args(project: &str, branch: &str) -> Json {
    Json::object([("projectId", Json::string(project)), ("branchId", Json::string(branch))])
}

fn branch_resource(body: &Json) -> Vec<Resource> {
    body.get("branch").and_then(|b| Resource::of("branch", b)).into_iter().collect()
}

/// `finalizeRestore` within a running workflow.
pub(crate) async fn finalize_restore(run: &Run<'_>, project: &str, branch: &str, name: Option<&str>) -> WorkflowResult<()> {
    let mut args = branch_args(project, branch);
    let body = match name {
        Some(n) => Json::object([("name", Json::string(n))]),
        None => Json::Obj(Vec::new()),
    };
    args.set("body", body);
    let answer = run.call("finalize_restore", ops::FINALIZE_RESTORE_BRANCH, args).await?;
    let resources = vec![Resource { kind: "branch", id: branch.to_owned(), name: None }];
    run.wait("wait_for_operations", project, list(&answer, "operations"), &resources).await.map(drop)
}

/// The branch named `name`, if the project has one.
pub(crate) async fn find_by_name(run: &Run<'_>, project: &str, name: &str) -> WorkflowResult<Option<Json>> {
    let args = Json::object([("projectId", Json::string(project)), ("search", Json::string(name))]);
    let body = run.call("find_branch", ops::LIST_PROJECT_BRANCHES, args).await?;
    Ok(list(&body, "branches").iter().find(|b| text(b, "name") == Some(name)).cloned())
}

/// The body of `createAndConnect`, shared with development and point-in-time branches.
pub(crate) async fn create_and_connect(run: &mut Run<'_>, params: &CreateBranchParams) -> WorkflowResult<BranchConnection> {
    let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
    let endpoint_fields = params.compute.endpoint_fields().map_err(|(name, problem)| run.invalid("validate", name, &problem))?;
    if params.branch.as_object().is_none() {
        return Err(run.invalid("validate", "branch", "the branch fields must be an object"));
    }
    let mut endpoint = Json::object([("type", Json::string("read_write"))]);
    for (k, v) in endpoint_fields {
        endpoint.set(&k, v);
    }
    if let (true, Some(name)) = (run.reuse(), &params.name) {
        if let Some(branch) = find_by_name(run, &project, name).await? {
            return connect_existing(run, &project, branch, endpoint, params.pooled).await;
        }
    }
    let mut branch = params.branch.clone();
    if let Some(name) = &params.name {
        branch.set("name", Json::string(name.clone()));
    }
    if let Some(parent) = &params.parent_id {
        branch.set("parent_id", Json::string(parent.clone()));
    }
    let args = Json::object([
        ("projectId", Json::string(project.clone())),
        ("body", Json::object([("branch", branch), ("endpoints", Json::Arr(vec![endpoint]))])),
    ]);
    let body = run.call("create_branch", ops::CREATE_PROJECT_BRANCH, args).await?;
    let branch = body.get("branch").cloned().unwrap_or_default();
    let endpoint = list(&body, "endpoints").first().cloned().unwrap_or_default();
    let branch_res = Resource::of("branch", &branch);
    let endpoint_res = Resource::of("endpoint", &endpoint);
    // The endpoint goes with its branch: deleting the branch deletes it.
    if let Some(b) = &branch_res {
        run.created(b.clone());
    }
    let resources: Vec<Resource> = branch_res.iter().chain(endpoint_res.iter()).cloned().collect();
    run.wait("wait_for_operations", &project, list(&body, "operations"), &resources).await?;
    let connection_string = connection_of(run, &project, &body, branch_res.as_ref(), endpoint_res.as_ref(), params.pooled).await?;
    Ok(BranchConnection { branch, endpoint, connection_string, existing: false })
}

/// A branch found already there: a read-write compute added when it has none, unfinished
/// operations waited for, then its connection string.
async fn connect_existing(run: &Run<'_>, project: &str, branch: Json, endpoint: Json, pooled: bool) -> WorkflowResult<BranchConnection> {
    let branch_id = text(&branch, "id").unwrap_or_default().to_owned();
    let mut resources: Vec<Resource> = Resource::of("branch", &branch).into_iter().collect();
    let endpoints = run.call("list_endpoints", ops::LIST_PROJECT_BRANCH_ENDPOINTS, branch_args(project, &branch_id)).await?;
    let found = list(&endpoints, "endpoints").iter().find(|e| text(e, "type") == Some("read_write")).cloned();
    let endpoint = match found {
        Some(e) => e,
        None => {
            let mut endpoint = endpoint;
            endpoint.set("branch_id", Json::string(branch_id.clone()));
            let args = Json::object([
                ("projectId", Json::string(project)),
                ("body", Json::object([("endpoint", endpoint)])),
            ]);
            let body = run.call("create_endpoint", ops::CREATE_PROJECT_ENDPOINT, args).await?;
            body.get("endpoint").cloned().unwrap_or_default()
        }
    };
    resources.extend(Resource::of("endpoint", &endpoint));
    run.settle("wait_for_operations", project, &resources).await?;
    let params = ConnectionStringParams {
        project_id: Some(project.to_owned()),
        branch_id: Some(branch_id),
        endpoint_id: text(&endpoint, "id").map(str::to_owned),
        pooled,
        ..ConnectionStringParams::default()
    };
    let connection_string = resolve(run, project, &params).await?;
    Ok(BranchConnection { branch, endpoint, connection_string, existing: true })
}

/// A branch of the past: `timestamp` or `lsn` (exactly one), from `parent_id` (default: the
/// project's default branch), with its own compute.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PointInTimeParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// The parent branch (default: the project's default branch).
    pub parent_id: Option<String>,
    /// The new branch's name (default: Neon's).
    pub name: Option<String>,
    /// RFC 3339.
    pub timestamp: Option<String>,
    /// The LSN to branch from (instead of `timestamp`).
    pub lsn: Option<String>,
    /// The read-write compute's size and suspension.
    pub compute: Compute,
}

/// Preview branches to clean up: those whose name starts with `name_prefix`, made before
/// `created_before`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CleanupParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// Only branches whose name starts with this.
    pub name_prefix: Option<String>,
    /// RFC 3339 (UTC, as the API writes `created_at`).
    pub created_before: Option<String>,
}

/// What a cleanup did.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleanup {
    /// The branches deleted.
    pub deleted: Vec<Json>,
    /// Branches left alone because other branches descend from them, each with the names
    /// of its children.
    pub refused: Vec<(Json, Vec<String>)>,
}

impl BranchWorkflows<'_> {
    /// A branch at a past point in time (point-in-time recovery) with its own compute and
    /// connection string; production is untouched.
    pub async fn point_in_time(&self, params: &PointInTimeParams, options: &WorkflowOptions) -> WorkflowResult<BranchConnection> {
        let mut run = Run::new(self.client, "branches.pointInTime", options);
        let point = match (&params.timestamp, &params.lsn) {
            (Some(t), None) => ("parent_timestamp", t.clone()),
            (None, Some(l)) => ("parent_lsn", l.clone()),
            _ => return Err(run.invalid("validate", "timestamp", "give exactly one of `timestamp` and `lsn`")),
        };
        let create = CreateBranchParams {
            project_id: params.project_id.clone(),
            name: params.name.clone(),
            parent_id: params.parent_id.clone(),
            branch: Json::object([(point.0, Json::string(point.1))]),
            compute: params.compute,
            pooled: true,
        };
        create_and_connect(&mut run, &create).await
    }

    /// Deletes the preview branches made before a time; refuses (and names) those with
    /// children, the default branch and protected ones are never touched. Re-running it
    /// deletes what an interrupted run left.
    pub async fn cleanup_previews(&self, params: &CleanupParams, options: &WorkflowOptions) -> WorkflowResult<Cleanup> {
        let mut run = Run::new(self.client, "branches.cleanupPreviews", options);
        let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
        let prefix = run.required(params.name_prefix.as_deref(), "namePrefix")?.to_owned();
        let before = run.required(params.created_before.as_deref(), "createdBefore")?.to_owned();
        let body = run.call("list_branches", ops::LIST_PROJECT_BRANCHES, Json::object([("projectId", Json::string(project.clone()))])).await?;
        let branches = list(&body, "branches").to_vec();
        let mut done = Cleanup { deleted: Vec::new(), refused: Vec::new() };
        for branch in &branches {
            let name = text(branch, "name").unwrap_or_default();
            let expired = text(branch, "created_at").is_some_and(|at| at < before.as_str());
            let kept = branch.get("default") == Some(&Json::Bool(true)) || branch.get("protected") == Some(&Json::Bool(true));
            if !name.starts_with(prefix.as_str()) || !expired || kept {
                continue;
            }
            let id = text(branch, "id").unwrap_or_default();
            let children: Vec<String> = branches
                .iter()
                .filter(|b| text(b, "parent_id") == Some(id))
                .filter_map(|b| text(b, "name").map(str::to_owned))
                .collect();
            if !children.is_empty() {
                done.refused.push((branch.clone(), children));
                continue;
            }
            delete_branch(&mut run, &project, id).await?;
            done.deleted.push(branch.clone());
        }
        Ok(done)
    }
}

/// Deletes a branch and waits for it to go.
pub(crate) fn delete_branch<'a>(run: &'a mut Run<'_>, project: &'a str, branch: &'a str) -> Boxed<'a, WorkflowResult<()>> {
    Box::pin(async move {
        let answer = run.call("delete_branch", ops::DELETE_PROJECT_BRANCH, branch_args(project, branch)).await?;
        let resources = vec![Resource { kind: "branch", id: branch.to_owned(), name: None }];
        run.wait("wait_for_operations", project, list(&answer, "operations"), &resources).await?;
        run.removed(branch);
        Ok(())
    })
}
