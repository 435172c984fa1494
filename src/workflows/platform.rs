//! The agent-platform guide's per-user procedures: `provision` a user's project in the
//! organization of their tier (sponsored or paid) with the tier's autoscaling and quotas,
//! and `upgrade_tier` (transfer to the paid organization, then apply its quotas and
//! autoscaling). The tier table is data the caller passes ([`Tier`]).
//!
//! Both are keyed by what they touch — the project's name in its organization, the project's
//! organization — so a re-run after a failure finds what the first run made and finishes
//! configuring it.

use super::branches::Compute;
use super::postgres::{pick_connection_uri, resolve, ConnectionStringParams};
use super::projects::find_by_name;
use super::run::{list, text, Resource, Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// One row of the caller's tier table: where the tier's projects live and what they may use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tier {
    /// The organization of the tier (the sponsored or the paid one).
    pub org_id: Option<String>,
    /// Autoscaling range and suspension of the tier's computes.
    pub compute: Compute,
    /// The project quota (`settings.quota`: `active_time_seconds`, `compute_time_seconds`,
    /// `written_data_bytes`, `data_transfer_bytes`, `logical_size_bytes`), as the API takes it.
    pub quota: Json,
}

/// A user's project to provision.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProvisionParams {
    /// The project's name: the key a re-run finds it by (unique per user).
    pub name: Option<String>,
    /// The tier: quotas and autoscaling applied to the project.
    pub tier: Tier,
    /// The region (default: Neon's).
    pub region_id: Option<String>,
    /// The Postgres major version (default: Neon's).
    pub pg_version: Option<u32>,
    /// Names of the default branch, role and database.
    pub branch_name: Option<String>,
    /// The default role's name.
    pub role_name: Option<String>,
    /// The default database's name.
    pub database_name: Option<String>,
}

/// A provisioned project.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// The project (the API's project object).
    pub project: Json,
    /// The default branch.
    pub branch: Json,
    /// Its read-write endpoint.
    pub endpoint: Json,
    /// Pooled connection string (serverless); holds the password.
    pub pooled_connection_string: String,
    /// Direct connection string (long-running servers); holds the password.
    pub direct_connection_string: String,
    /// Whether the project was already there (a re-run), and was (re)configured.
    pub existing: bool,
}

/// The per-user workflows of a client: `client.platform()`.
#[derive(Debug, Clone, Copy)]
pub struct PlatformWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl PlatformWorkflows<'_> {
    /// Provisions a user's project in the tier's organization, or finishes one an earlier
    /// run made: autoscaling (checked: 0.25–8 CU) and suspension on its default endpoint,
    /// the tier's quotas, the named branch, role and database; both connection strings.
    pub async fn provision(&self, params: &ProvisionParams, options: &WorkflowOptions) -> WorkflowResult<Provisioned> {
        let mut run = Run::new(self.client, "platform.provision", options);
        let name = run.required(params.name.as_deref(), "name")?.to_owned();
        let org = run.required(params.tier.org_id.as_deref(), "tier.orgId")?.to_owned();
        let endpoint_fields = params.tier.compute.endpoint_fields().map_err(|(n, p)| run.invalid("validate", n, &p))?;
        let quota = checked_quota(&run, &params.tier.quota)?;
        if let Some(project) = find_by_name(&run, &name, Some(&org)).await? {
            let project_id = text(&project, "id").unwrap_or_default().to_owned();
            let resources: Vec<Resource> = Resource::of("project", &project).into_iter().collect();
            run.settle("wait_for_operations", &project_id, &resources).await?;
            apply_tier(&run, &project_id, &params.tier).await?;
            return connect(&run, project, None, true).await;
        }
        let mut branch = Json::Obj(Vec::new());
        for (key, value) in [("name", &params.branch_name), ("role_name", &params.role_name), ("database_name", &params.database_name)] {
            if let Some(v) = value {
                branch.set(key, Json::string(v.clone()));
            }
        }
        let mut fields = Json::object([
            ("name", Json::string(name)),
            ("org_id", Json::string(org)),
            ("branch", branch),
            ("default_endpoint_settings", Json::Obj(endpoint_fields)),
            ("settings", Json::object([("quota", quota)])),
        ]);
        if let Some(region) = &params.region_id {
            fields.set("region_id", Json::string(region.clone()));
        }
        if let Some(v) = params.pg_version {
            fields.set("pg_version", Json::Num(crate::core::text::decimal(u64::from(v))));
        }
        let body = run
            .call("create_project", ops::CREATE_PROJECT, Json::object([("body", Json::object([("project", fields)]))]))
            .await?;
        let project = body.get("project").cloned().unwrap_or_default();
        let project_id = text(&project, "id").unwrap_or_default().to_owned();
        if let Some(p) = Resource::of("project", &project) {
            run.created(p);
        }
        let resources = super::run::resources_in(&body);
        run.wait("wait_for_operations", &project_id, list(&body, "operations"), &resources).await?;
        connect(&run, project, Some(&body), false).await
    }

    /// Moves a user's project to the tier's organization (skipped when it is there already:
    /// a re-run) and applies the tier's quotas and autoscaling to it and its endpoints.
    /// Returns the project as it is afterwards.
    pub async fn upgrade_tier(&self, project_id: &str, tier: &Tier, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "platform.upgradeTier", options);
        let project = run.required(Some(project_id), "projectId")?;
        let org = run.required(tier.org_id.as_deref(), "tier.orgId")?;
        tier.compute.endpoint_fields().map_err(|(n, p)| run.invalid("validate", n, &p))?;
        checked_quota(&run, &tier.quota)?;
        let current = run.call("get_project", ops::GET_PROJECT, project_args(project)).await?;
        let from = current.get("project").and_then(|p| text(p, "org_id")).unwrap_or_default().to_owned();
        if from != org {
            let body = Json::object([
                ("destination_org_id", Json::string(org)),
                ("project_ids", Json::Arr(vec![Json::string(project)])),
            ]);
            let args = Json::object([("sourceOrgId", Json::string(from)), ("body", body)]);
            run.call("transfer_project", ops::TRANSFER_PROJECTS_FROM_ORG_TO_ORG, args).await?;
        }
        run.settle("wait_for_operations", project, &[]).await?;
        apply_tier(&run, project, tier).await?;
        let after = run.call("get_project", ops::GET_PROJECT, project_args(project)).await?;
        Ok(after.get("project").cloned().unwrap_or_default())
    }
}

fn project_args(project: &str) -> Json {
    Json::object([("projectId", Json::string(project))])
}

/// The quota object, which must be an object (or absent).
fn checked_quota(run: &Run<'_>, quota: &Json) -> WorkflowResult<Json> {
    match quota {
        Json::Null => Ok(Json::Obj(Vec::new())),
        Json::Obj(_) => Ok(quota.clone()),
        _ => Err(run.invalid("validate", "tier.quota", "the quota must be an object")),
    }
}

/// The tier's quotas and default endpoint settings on the project, its autoscaling and
/// suspension on every endpoint; waits for the changes.
async fn apply_tier(run: &Run<'_>, project: &str, tier: &Tier) -> WorkflowResult<()> {
    let fields = tier.compute.endpoint_fields().map_err(|(n, p)| run.invalid("validate", n, &p))?;
    let mut update = Json::object([("settings", Json::object([("quota", checked_quota(run, &tier.quota)?)]))]);
    if !fields.is_empty() {
        update.set("default_endpoint_settings", Json::Obj(fields.clone()));
    }
    let mut args = project_args(project);
    args.set("body", Json::object([("project", update)]));
    let body = run.call("apply_quotas", ops::UPDATE_PROJECT, args).await?;
    run.wait("wait_for_operations", project, list(&body, "operations"), &[]).await?;
    if fields.is_empty() {
        return Ok(());
    }
    super::endpoints::update_all(run, project, None, &fields).await
}

/// The project's default branch, its read-write endpoint and both connection strings (from
/// the create answer when there is one).
async fn connect(run: &Run<'_>, project: Json, created: Option<&Json>, existing: bool) -> WorkflowResult<Provisioned> {
    let project_id = text(&project, "id").unwrap_or_default().to_owned();
    let branch = match created.and_then(|b| b.get("branch")) {
        Some(b) => b.clone(),
        None => super::postgres::default_branch(run, &project_id).await?,
    };
    let branch_id = text(&branch, "id").unwrap_or_default().to_owned();
    let endpoint = match created.and_then(|b| list(b, "endpoints").first()) {
        Some(e) => e.clone(),
        None => {
            let body = run.call("list_endpoints", ops::LIST_PROJECT_BRANCH_ENDPOINTS, super::branches::branch_args(&project_id, &branch_id)).await?;
            list(&body, "endpoints").iter().find(|e| text(e, "type") == Some("read_write")).cloned().unwrap_or_default()
        }
    };
    let mut uris = Vec::new();
    for pooled in [true, false] {
        let picked = created.and_then(|b| pick_connection_uri(b, pooled));
        let uri = match picked {
            Some(uri) => uri,
            None => {
                let params = ConnectionStringParams {
                    project_id: Some(project_id.clone()),
                    branch_id: Some(branch_id.clone()),
                    endpoint_id: text(&endpoint, "id").map(str::to_owned),
                    pooled,
                    ..ConnectionStringParams::default()
                };
                resolve(run, &project_id, &params).await?
            }
        };
        uris.push(uri);
    }
    let direct = uris.pop().unwrap_or_default();
    let pooled = uris.pop().unwrap_or_default();
    Ok(Provisioned { project, branch, endpoint, pooled_connection_string: pooled, direct_connection_string: direct, existing })
}
