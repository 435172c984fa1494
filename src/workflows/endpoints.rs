//! `endpoints.*`: the guide's autoscaling and suspension changes on existing computes —
//! a new range (checked: 0.25–8 CU) on one endpoint, a branch's or a project's, and suspension
//! turned off on critical ones (`suspend_timeout_seconds: -1`).

use super::branches::Compute;
use super::run::{list, text, Resource, Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// Which endpoints to change: one (`endpoint_id`), a branch's (`branch_id`) or, with
/// neither, every endpoint of the project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointTarget {
    /// The project (required).
    pub project_id: Option<String>,
    /// One endpoint (default: every endpoint of the branch or project).
    pub endpoint_id: Option<String>,
    /// Every endpoint of this branch (when no `endpoint_id`).
    pub branch_id: Option<String>,
}

/// The `endpoints` workflows of a client: `client.endpoints()`.
#[derive(Debug, Clone, Copy)]
pub struct EndpointWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl EndpointWorkflows<'_> {
    /// Applies an autoscaling range and/or suspend timeout to the target's endpoints and
    /// waits for them; returns the endpoints as updated.
    pub async fn set_autoscaling(&self, target: &EndpointTarget, compute: &Compute, options: &WorkflowOptions) -> WorkflowResult<Vec<Json>> {
        let run = Run::new(self.client, "endpoints.setAutoscaling", options);
        let project = run.required(target.project_id.as_deref(), "projectId")?;
        let fields = compute.endpoint_fields().map_err(|(n, p)| run.invalid("validate", n, &p))?;
        if fields.is_empty() {
            return Err(run.invalid("validate", "compute", "name at least one of minCu, maxCu and suspendTimeoutSeconds"));
        }
        update(&run, project, target, &fields).await
    }

    /// Keeps the target's computes always on (no cold starts; idle compute is billed).
    pub async fn disable_suspend(&self, target: &EndpointTarget, options: &WorkflowOptions) -> WorkflowResult<Vec<Json>> {
        let run = Run::new(self.client, "endpoints.disableSuspend", options);
        let project = run.required(target.project_id.as_deref(), "projectId")?;
        let fields = vec![("suspend_timeout_seconds".to_owned(), Json::Num("-1".into()))];
        update(&run, project, target, &fields).await
    }
}

async fn update(run: &Run<'_>, project: &str, target: &EndpointTarget, fields: &[(String, Json)]) -> WorkflowResult<Vec<Json>> {
    match &target.endpoint_id {
        Some(id) => Ok(vec![update_one(run, project, id, fields).await?]),
        None => {
            update_all(run, project, target.branch_id.as_deref(), fields).await?;
            let body = run.call("list_endpoints", ops::LIST_PROJECT_ENDPOINTS, project_args(project)).await?;
            Ok(of_branch(list(&body, "endpoints"), target.branch_id.as_deref()).cloned().collect())
        }
    }
}

fn project_args(project: &str) -> Json {
    Json::object([("projectId", Json::string(project))])
}

fn of_branch<'j>(endpoints: &'j [Json], branch: Option<&'j str>) -> impl Iterator<Item = &'j Json> {
    endpoints.iter().filter(move |e| branch.is_none_or(|b| text(e, "branch_id") == Some(b)))
}

/// Applies `fields` to one endpoint and waits; returns it.
async fn update_one(run: &Run<'_>, project: &str, endpoint: &str, fields: &[(String, Json)]) -> WorkflowResult<Json> {
    let args = Json::object([
        ("projectId", Json::string(project)),
        ("endpointId", Json::string(endpoint)),
        ("body", Json::object([("endpoint", Json::Obj(fields.to_vec()))])),
    ]);
    let body = run.call("update_endpoint", ops::UPDATE_PROJECT_ENDPOINT, args).await?;
    let resources = vec![Resource { kind: "endpoint", id: endpoint.to_owned(), name: None }];
    run.wait("wait_for_operations", project, list(&body, "operations"), &resources).await?;
    Ok(body.get("endpoint").cloned().unwrap_or_default())
}

/// Applies `fields` to every endpoint of the project (of `branch` when given), one after the
/// other (a project takes one change at a time).
pub(crate) async fn update_all(run: &Run<'_>, project: &str, branch: Option<&str>, fields: &[(String, Json)]) -> WorkflowResult<()> {
    let body = run.call("list_endpoints", ops::LIST_PROJECT_ENDPOINTS, project_args(project)).await?;
    for endpoint in of_branch(list(&body, "endpoints"), branch) {
        if let Some(id) = text(endpoint, "id") {
            update_one(run, project, id, fields).await?;
        }
    }
    Ok(())
}
