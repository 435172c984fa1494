//! `projects.*`: a project with a ready connection string (`createAndConnect`), and project
//! transfers between organizations in batches the API accepts (`transfer`,
//! `transferFromUser`).

use super::postgres::{connection_of, default_branch, resolve, ConnectionStringParams};
use super::run::{list, text, Resource, Run, WorkflowOptions, WorkflowResult};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// The most projects one transfer request may carry.
pub const TRANSFER_BATCH: usize = 400;

/// What `create_and_connect` creates.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateProjectParams {
    /// The project's fields as `createProject` takes them under `project` (`name`,
    /// `region_id`, `pg_version`, `org_id`, `branch`, `default_endpoint_settings`, ...).
    pub project: Json,
    /// The pooled connection string (the default) or the direct one.
    pub pooled: bool,
}

impl Default for CreateProjectParams {
    fn default() -> Self {
        CreateProjectParams { project: Json::Obj(Vec::new()), pooled: true }
    }
}

/// A project ready to connect to.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectConnection {
    /// The project.
    pub project: Json,
    /// Its default branch.
    pub branch: Json,
    /// The connection string of the default branch's database (holds the password).
    pub connection_string: String,
    /// Whether the project was found already there (`if_exists: Return`) rather than created.
    pub existing: bool,
}

/// Projects to move to another organization.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransferParams {
    /// The organization they are in (`None`: the personal account, `transferFromUser`).
    pub from_org_id: Option<String>,
    /// The organization they go to.
    pub to_org_id: Option<String>,
    /// The projects, any number: sent in batches of at most [`TRANSFER_BATCH`].
    pub project_ids: Vec<String>,
}

/// One transfer request's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferBatch {
    /// The projects it carried.
    pub project_ids: Vec<String>,
    /// `None` when they moved; else why not.
    pub error: Option<Error>,
}

/// The `projects` workflows of a client: `client.projects()`.
#[derive(Debug, Clone, Copy)]
pub struct ProjectWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl ProjectWorkflows<'_> {
    /// Creates a project, waits for its operations and returns it with the connection string
    /// of its default branch. With `if_exists: Return` a project of the same `name` is
    /// looked up first and, when found, its unfinished operations are waited for and its
    /// connection string returned: a re-run after a failure finishes instead of duplicating.
    pub async fn create_and_connect(&self, params: &CreateProjectParams, options: &WorkflowOptions) -> WorkflowResult<ProjectConnection> {
        let mut run = Run::new(self.client, "projects.createAndConnect", options);
        if params.project.as_object().is_none() {
            return Err(run.invalid("validate", "project", "the project fields must be an object"));
        }
        create_and_connect(&mut run, params).await
    }

    /// Moves projects from one organization to another, in batches of at most 400 (the API's
    /// limit), one result per batch; a failed batch does not stop the others.
    pub async fn transfer(&self, params: &TransferParams, options: &WorkflowOptions) -> WorkflowResult<Vec<TransferBatch>> {
        let run = Run::new(self.client, "projects.transfer", options);
        let from = run.required(params.from_org_id.as_deref(), "fromOrgId")?.to_owned();
        transfer(&run, Some(&from), params).await
    }

    /// Moves projects of the personal account to an organization, in batches of at most 400.
    pub async fn transfer_from_user(&self, params: &TransferParams, options: &WorkflowOptions) -> WorkflowResult<Vec<TransferBatch>> {
        let run = Run::new(self.client, "projects.transferFromUser", options);
        transfer(&run, None, params).await
    }
}

/// The body of `createAndConnect`, shared with the per-user provisioning.
pub(crate) async fn create_and_connect(run: &mut Run<'_>, params: &CreateProjectParams) -> WorkflowResult<ProjectConnection> {
    let name = text(&params.project, "name").map(str::to_owned);
    if let (true, Some(name)) = (run.reuse(), &name) {
        if let Some(project) = find_by_name(run, name, text(&params.project, "org_id")).await? {
            return connect_existing(run, project, params.pooled).await;
        }
    }
    let body = run
        .call("create_project", ops::CREATE_PROJECT, Json::object([("body", Json::object([("project", params.project.clone())]))]))
        .await?;
    let project = body.get("project").cloned().unwrap_or_default();
    let project_id = text(&project, "id").unwrap_or_default().to_owned();
    let mut resources: Vec<Resource> = Resource::of("project", &project).into_iter().collect();
    if let Some(p) = resources.first() {
        run.created(p.clone());
    }
    let branch = body.get("branch").cloned().unwrap_or_default();
    resources.extend(Resource::of("branch", &branch));
    run.wait("wait_for_operations", &project_id, list(&body, "operations"), &resources).await?;
    let branch_resource = Resource::of("branch", &branch);
    let connection_string = connection_of(run, &project_id, &body, branch_resource.as_ref(), None, params.pooled).await?;
    Ok(ProjectConnection { project, branch, connection_string, existing: false })
}

/// The project named `name` (in `org_id` when given), looked up through the listing's
/// `search` and matched exactly.
pub(crate) async fn find_by_name(run: &Run<'_>, name: &str, org_id: Option<&str>) -> WorkflowResult<Option<Json>> {
    let mut args = Json::object([("search", Json::string(name)), ("limit", Json::Num("400".into()))]);
    if let Some(org) = org_id {
        args.set("org_id", Json::string(org));
    }
    let body = run.call("find_project", ops::LIST_PROJECTS, args).await?;
    Ok(list(&body, "projects").iter().find(|p| text(p, "name") == Some(name)).cloned())
}

/// A project found already there: its unfinished operations waited for, its default branch
/// and connection string.
async fn connect_existing(run: &Run<'_>, project: Json, pooled: bool) -> WorkflowResult<ProjectConnection> {
    let project_id = text(&project, "id").unwrap_or_default().to_owned();
    let resources: Vec<Resource> = Resource::of("project", &project).into_iter().collect();
    run.settle("wait_for_operations", &project_id, &resources).await?;
    let branch = default_branch(run, &project_id).await?;
    let params = ConnectionStringParams {
        project_id: Some(project_id.clone()),
        branch_id: text(&branch, "id").map(str::to_owned),
        pooled,
        ..ConnectionStringParams::default()
    };
    let connection_string = resolve(run, &project_id, &params).await?;
    Ok(ProjectConnection { project, branch, connection_string, existing: true })
}

async fn transfer(run: &Run<'_>, from: Option<&str>, params: &TransferParams) -> WorkflowResult<Vec<TransferBatch>> {
    let to = run.required(params.to_org_id.as_deref(), "toOrgId")?;
    if params.project_ids.is_empty() {
        return Err(run.invalid("validate", "projectIds", "name at least one project to transfer"));
    }
    let mut batches = Vec::new();
    for chunk in params.project_ids.chunks(TRANSFER_BATCH) {
        let ids = Json::Arr(chunk.iter().map(|id| Json::string(id.clone())).collect());
        let body = Json::object([("destination_org_id", Json::string(to)), ("project_ids", ids)]);
        let (op, mut args) = match from {
            Some(org) => (ops::TRANSFER_PROJECTS_FROM_ORG_TO_ORG, Json::object([("sourceOrgId", Json::string(org))])),
            None => (ops::TRANSFER_PROJECTS_FROM_USER_TO_ORG, Json::object(Vec::<(String, Json)>::new())),
        };
        args.set("body", body);
        let error = run.call("transfer_batch", op, args).await.err().map(|e| e.cause);
        batches.push(TransferBatch { project_ids: chunk.to_vec(), error });
    }
    Ok(batches)
}
