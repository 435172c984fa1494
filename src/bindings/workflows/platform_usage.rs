//! `neon.platform.*` (per-user provisioning from a tier table, tier upgrade),
//! `neon.endpoints.*` (autoscaling, suspension), `neon.usage.*` (consumption),
//! `neon.neonAuth.*` (enablement, the guide's set-up) and `neon.dataApi.*` (enablement).

use super::args::Params;
use super::projects_branches::{compute, with_params};
use super::run::{js, run};
use crate::core::json::Json;
use crate::management::client::NeonClient as CoreClient;
use crate::workflows::{DataApiParams, EndpointTarget, NeonAuthParams, NeonAuthSetupParams, Provisioned, ProvisionParams, Tier, UsageParams};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// `tier: { orgId, compute, quota }` of the arguments.
fn tier(p: &Params<'_>) -> Result<Tier, JsValue> {
    let json = p.json.get("tier").cloned().unwrap_or_default();
    let t = Params { json: &json, workflow: p.workflow };
    Ok(Tier { org_id: t.string("orgId")?, compute: compute(&t)?, quota: json.get("quota").cloned().unwrap_or_default() })
}

fn provisioned(p: Provisioned) -> JsValue {
    js(&Json::object([
        ("project", p.project),
        ("branch", p.branch),
        ("endpoint", p.endpoint),
        ("connectionString", Json::string(p.pooled_connection_string)),
        ("directConnectionString", Json::string(p.direct_connection_string)),
        ("existing", Json::Bool(p.existing)),
    ]))
}

/// `neon.platform`: the agent-platform guide's per-user procedures.
#[wasm_bindgen(js_name = NeonPlatform)]
pub struct JsPlatform {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonPlatform)]
impl JsPlatform {
    /// Provisions (or, on a re-run, finishes) a user's project in the tier's organization:
    /// `{ project, branch, endpoint, connectionString, directConnectionString, existing }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<ProvisionedProject>")]
    pub fn provision(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProvisionParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "platform.provision", |p| {
            let pg = p.number_in_root("pgVersion")?;
            Ok(ProvisionParams {
                name: p.string("name")?,
                tier: tier(p)?,
                region_id: p.string("regionId")?,
                pg_version: pg.map(|v| v as u32),
                branch_name: p.string("branchName")?,
                role_name: p.string("roleName")?,
                database_name: p.string("databaseName")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.platform().provision(&args, &o).await.map(provisioned) })
    }

    /// Moves the project to the tier's organization and applies the tier; resolves to the project.
    #[wasm_bindgen(js_name = upgradeTier, unchecked_return_type = "Promise<Project>")]
    pub fn upgrade_tier(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpgradeTierParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (project, tier) = match with_params(params, "platform.upgradeTier", |p| Ok((p.string("projectId")?.unwrap_or_default(), tier(p)?))) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.platform().upgrade_tier(&project, &tier, &o).await.map(|p| js(&p)) })
    }
}

fn endpoint_target(p: &Params<'_>) -> Result<EndpointTarget, JsValue> {
    Ok(EndpointTarget { project_id: p.string("projectId")?, endpoint_id: p.string("endpointId")?, branch_id: p.string("branchId")? })
}

/// `neon.endpoints`: autoscaling and suspension of existing computes.
#[wasm_bindgen(js_name = NeonEndpoints)]
pub struct JsEndpoints {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonEndpoints)]
impl JsEndpoints {
    /// Applies `compute` (0.25–8 CU, suspension) to one endpoint, a branch's or the project's;
    /// resolves to the endpoints as updated.
    #[wasm_bindgen(js_name = setAutoscaling, unchecked_return_type = "Promise<Endpoint[]>")]
    pub fn set_autoscaling(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SetAutoscalingParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (target, range) = match with_params(params, "endpoints.setAutoscaling", |p| Ok((endpoint_target(p)?, compute(p)?))) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            core.endpoints().set_autoscaling(&target, &range, &o).await.map(|l| js(&Json::Arr(l)))
        })
    }

    /// Keeps the computes always on (`suspend_timeout_seconds: -1`).
    #[wasm_bindgen(js_name = disableSuspend, unchecked_return_type = "Promise<Endpoint[]>")]
    pub fn disable_suspend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EndpointTargetParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let target = match with_params(params, "endpoints.disableSuspend", endpoint_target) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.endpoints().disable_suspend(&target, &o).await.map(|l| js(&Json::Arr(l))) })
    }
}

/// `neon.usage`: consumption.
#[wasm_bindgen(js_name = NeonUsage)]
pub struct JsUsage {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonUsage)]
impl JsUsage {
    /// One project's consumption in the current period.
    #[wasm_bindgen(unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn project(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let project = match with_params(params, "usage.project", |p| p.string("projectId")) {
            Ok(a) => a.unwrap_or_default(),
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.usage().project(&project, &o).await.map(|u| js(&u)) })
    }

    /// Many projects' consumption history over a period, every page.
    #[wasm_bindgen(unchecked_return_type = "Promise<Record<string, unknown>[]>")]
    pub fn projects(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UsageProjectsParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "usage.projects", |p| {
            Ok(UsageParams {
                org_id: p.string("orgId")?,
                from: p.string("from")?,
                to: p.string("to")?,
                granularity: p.string("granularity")?,
                project_ids: p.strings("projectIds")?,
                metrics: p.strings("metrics")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.usage().projects(&args, &o).await.map(|l| js(&Json::Arr(l))) })
    }
}

/// `neon.neonAuth`: Neon Auth set-up.
#[wasm_bindgen(js_name = NeonAuthWorkflows)]
pub struct JsNeonAuth {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonAuthWorkflows)]
impl JsNeonAuth {
    /// Enables Neon Auth for a branch (default: the default branch), or returns it when it is
    /// already enabled.
    #[wasm_bindgen(unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn enable(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NeonAuthEnableParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "neonAuth.enable", |p| {
            Ok(NeonAuthParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                database_name: p.string("databaseName")?,
                auth_provider: p.string("authProvider")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.addons().neon_auth_enable(&args, &o).await.map(|a| js(&a)) })
    }

    /// Sets Neon Auth up as the agent-platform guide does: enabled for the branch, SDK keys,
    /// the OAuth providers and users not there yet, then the synced users read from
    /// `neon_auth.users_sync` over SQL. A re-run adds only what is missing.
    #[wasm_bindgen(unchecked_return_type = "Promise<NeonAuthSetupResult>")]
    pub fn setup(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NeonAuthSetupParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "neonAuth.setup", |p| {
            Ok(NeonAuthSetupParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                database_name: p.string("databaseName")?,
                role_name: p.string("roleName")?,
                auth_provider: p.string("authProvider")?,
                oauth_providers: p.objects("oauthProviders")?,
                users: p.objects("users")?,
                sql_endpoint: p.string("sqlEndpoint")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let done = core.addons().neon_auth_setup(&args, &o).await?;
            let ids = done.created_user_ids.into_iter().map(Json::string).collect();
            Ok(js(&Json::object([
                ("auth", done.auth),
                ("keys", done.keys),
                ("oauthProviders", Json::Arr(done.oauth_providers)),
                ("createdUserIds", Json::Arr(ids)),
                ("syncedUsers", Json::Arr(done.synced_users)),
            ])))
        })
    }
}

/// `neon.dataApi`: Data API enablement.
#[wasm_bindgen(js_name = NeonDataApiWorkflows)]
pub struct JsDataApi {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonDataApiWorkflows)]
impl JsDataApi {
    /// Enables the Data API for a database with Neon Auth (enabled first when needed) or an
    /// external JWKS: `{ dataApi, neonAuth }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<DataApiEnabled>")]
    pub fn enable(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DataApiEnableParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "dataApi.enable", |p| {
            Ok(DataApiParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                database_name: p.string("databaseName")?,
                auth_provider: p.string("authProvider")?,
                fields: p.without(&["projectId", "branchId", "databaseName", "authProvider"]),
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let done = core.addons().data_api_enable(&args, &o).await?;
            Ok(js(&Json::object([("dataApi", done.data_api), ("neonAuth", done.neon_auth.unwrap_or_default())])))
        })
    }
}
