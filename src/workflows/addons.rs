//! `neonAuth.enable` and `dataApi.enable`: the guide's Neon Auth set-up step (enable it for
//! a branch) and Data API enablement for a database, with Neon Auth (enabled first when the
//! branch has none) or an external JWKS. Both look first, so a re-run returns what an earlier
//! run enabled instead of failing on a 409.

use super::branches::branch_args;
use super::postgres::default_branch;
use super::run::{text, Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// Where to enable Neon Auth.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeonAuthParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// Default: the project's default branch.
    pub branch_id: Option<String>,
    /// The database it syncs users into (`neon_auth.users_sync`); default: Neon's.
    pub database_name: Option<String>,
    /// `better_auth` (default), `stack` or `mock`.
    pub auth_provider: Option<String>,
}

/// Where and how to enable the Data API.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataApiParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// Default: the project's default branch.
    pub branch_id: Option<String>,
    /// The database to expose (required).
    pub database_name: Option<String>,
    /// `neon_auth` (default: Neon Auth is enabled on the branch first when it has none) or
    /// `external` (with `jwks_url`).
    pub auth_provider: Option<String>,
    /// Other fields of the request (`jwks_url`, `provider_name`, `jwt_audience`, `settings`, ...);
    /// `Null` for none.
    pub fields: Json,
}

/// What `data_api_enable` enabled.
#[derive(Debug, Clone, PartialEq)]
pub struct DataApiEnabled {
    /// The Data API as the API describes it (`url`, ...).
    pub data_api: Json,
    /// Neon Auth of the branch, when the Data API uses it.
    pub neon_auth: Option<Json>,
}

/// The add-on workflows of a client: `client.addons()`.
#[derive(Debug, Clone, Copy)]
pub struct AddonWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl AddonWorkflows<'_> {
    /// Enables Neon Auth for a branch, or returns it when it is already enabled.
    pub async fn neon_auth_enable(&self, params: &NeonAuthParams, options: &WorkflowOptions) -> WorkflowResult<Json> {
        let run = Run::new(self.client, "neonAuth.enable", options);
        let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
        let branch = branch_of(&run, &project, params.branch_id.as_deref()).await?;
        enable_auth(&run, &project, &branch, params.database_name.as_deref(), params.auth_provider.as_deref()).await
    }

    /// Enables the Data API for a database (with Neon Auth, enabled first when needed, or an
    /// external JWKS), or returns it when it is already enabled.
    pub async fn data_api_enable(&self, params: &DataApiParams, options: &WorkflowOptions) -> WorkflowResult<DataApiEnabled> {
        let run = Run::new(self.client, "dataApi.enable", options);
        let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
        let database = run.required(params.database_name.as_deref(), "databaseName")?.to_owned();
        let provider = params.auth_provider.as_deref().unwrap_or("neon_auth");
        if !matches!(provider, "neon_auth" | "external") {
            return Err(run.invalid("validate", "authProvider", "must be \"neon_auth\" or \"external\""));
        }
        if provider == "external" && params.fields.get("jwks_url").is_none() {
            return Err(run.invalid("validate", "jwks_url", "an external auth provider needs `jwks_url`"));
        }
        if !params.fields.is_null() && params.fields.as_object().is_none() {
            return Err(run.invalid("validate", "params", "the Data API fields must be an object"));
        }
        let branch = branch_of(&run, &project, params.branch_id.as_deref()).await?;
        let neon_auth = match provider {
            "neon_auth" => Some(enable_auth(&run, &project, &branch, Some(&database), None).await?),
            _ => None,
        };
        let mut args = branch_args(&project, &branch);
        args.set("databaseName", Json::string(database));
        if let Some(found) = look_up(&run, "find_data_api", ops::GET_PROJECT_BRANCH_DATA_API, args.clone()).await? {
            return Ok(DataApiEnabled { data_api: found, neon_auth });
        }
        let mut body = match &params.fields {
            Json::Null => Json::Obj(Vec::new()),
            fields => fields.clone(),
        };
        body.set("auth_provider", Json::string(provider));
        args.set("body", body);
        let data_api = run.call("enable_data_api", ops::CREATE_PROJECT_BRANCH_DATA_API, args).await?;
        Ok(DataApiEnabled { data_api, neon_auth })
    }
}

/// The branch to work on: the one given, else the default one.
pub(super) async fn branch_of(run: &Run<'_>, project: &str, branch: Option<&str>) -> WorkflowResult<String> {
    match branch {
        Some(b) => Ok(b.to_owned()),
        None => Ok(text(&default_branch(run, project).await?, "id").unwrap_or_default().to_owned()),
    }
}

/// The body of a GET, or `None` on a 404 (not enabled).
async fn look_up(run: &Run<'_>, step: &'static str, op: crate::management::operation::Operation, args: Json) -> WorkflowResult<Option<Json>> {
    match run.call(step, op, args).await {
        Ok(body) => Ok(Some(body)),
        Err(e) if e.cause.api().is_some_and(|a| a.status == 404) => Ok(None),
        Err(e) => Err(e),
    }
}

pub(super) async fn enable_auth(run: &Run<'_>, project: &str, branch: &str, database: Option<&str>, provider: Option<&str>) -> WorkflowResult<Json> {
    if let Some(found) = look_up(run, "find_neon_auth", ops::GET_NEON_AUTH, branch_args(project, branch)).await? {
        return Ok(found);
    }
    let mut body = Json::object([("auth_provider", Json::string(provider.unwrap_or("better_auth")))]);
    if let Some(db) = database {
        body.set("database_name", Json::string(db));
    }
    let mut args = branch_args(project, branch);
    args.set("body", body);
    run.call("enable_neon_auth", ops::CREATE_NEON_AUTH, args).await?;
    // The create answers with the provider's keys; the branch's auth as a GET describes it
    // is what a re-run returns, so both runs answer alike.
    run.call("get_neon_auth", ops::GET_NEON_AUTH, branch_args(project, branch)).await
}
