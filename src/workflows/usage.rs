//! `usage.*`: consumption as the guide's usage tracking reads it — one project's
//! (`/projects/{id}/consumption`), and many projects' history over a period, every page.

use super::run::{Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::{IfExists, NeonClient};
use crate::management::paginate::Paginator;

/// Which projects' consumption history, over which period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsageParams {
    /// The organization (required).
    pub org_id: Option<String>,
    /// RFC 3339.
    pub from: Option<String>,
    /// RFC 3339.
    pub to: Option<String>,
    /// `hourly`, `daily` or `monthly`.
    pub granularity: Option<String>,
    /// Default: every project of the organization.
    pub project_ids: Vec<String>,
    /// Metrics to report (default: the guide's five).
    pub metrics: Vec<String>,
}

/// The metrics of the guide's usage tracking.
pub const DEFAULT_METRICS: [&str; 5] =
    ["compute_unit_seconds", "root_branch_bytes_month", "child_branch_bytes_month", "instant_restore_bytes_month", "public_network_transfer_bytes"];

/// The `usage` workflows of a client: `client.usage()`.
#[derive(Debug, Clone, Copy)]
pub struct UsageWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl UsageWorkflows<'_> {
    /// One project's consumption in the current period.
    pub async fn project(&self, project_id: &str, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "usage.project", options);
        let project = run.required(Some(project_id), "projectId")?;
        run.call("get_consumption", ops::GET_PROJECT_CONSUMPTION, Json::object([("projectId", Json::string(project))])).await
    }

    /// Many projects' consumption history, every page: one item per project with its periods.
    pub async fn projects(&self, params: &UsageParams, options: &WorkflowOptions) -> WorkflowResult<Vec<Json>> {
        let run = Run::new(self.client, "usage.projects", options);
        let mut args = Json::Obj(Vec::new());
        for (key, name, value) in [
            ("org_id", "orgId", &params.org_id),
            ("from", "from", &params.from),
            ("to", "to", &params.to),
            ("granularity", "granularity", &params.granularity),
        ] {
            args.set(key, Json::string(run.required(value.as_deref(), name)?));
        }
        let strings = |list: &[String]| Json::Arr(list.iter().map(|s| Json::string(s.clone())).collect());
        let metrics: Vec<String> = match params.metrics.is_empty() {
            true => DEFAULT_METRICS.iter().map(|m| (*m).to_owned()).collect(),
            false => params.metrics.clone(),
        };
        args.set("metrics", strings(&metrics));
        if !params.project_ids.is_empty() {
            args.set("project_ids", strings(&params.project_ids));
        }
        let step = "list_consumption";
        let pages = Paginator::new(run.client, ops::GET_CONSUMPTION_HISTORY_PER_PROJECT_V2, args, run.call_options(IfExists::Error))
            .map_err(|e| run.fail(step, e))?;
        Ok(pages.all().await.map_err(|e| run.fail(step, e))?.items)
    }
}
