//! Neon Auth set up as the agent-platform guide describes it: enabled for a branch, SDK keys,
//! OAuth providers, users, then the users as the branch's database holds them
//! (`neon_auth.users_sync`, read over SQL). Resumable: a re-run keeps what an earlier run made
//! (Neon Auth enabled, providers configured, users whose email is taken) and adds the rest.

use super::addons::{branch_of, enable_auth, AddonWorkflows};
use super::branches::branch_args;
use super::postgres::{resolve, ConnectionStringParams};
use super::run::{list, text, Run, WorkflowOptions, WorkflowResult};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::options::RequestOptions;
use crate::management::api::operations as ops;
use crate::postgres::sql::http::WireQuery;
use crate::postgres::sql::{SqlClient, SqlError};
use std::fmt;

/// What Neon Auth to set up, and on which branch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeonAuthSetupParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// Default: the project's default branch.
    pub branch_id: Option<String>,
    /// The database users are synced into; default: the branch's only database.
    pub database_name: Option<String>,
    /// The role reading `neon_auth.users_sync`; default: the branch's only role.
    pub role_name: Option<String>,
    /// `better_auth` (default), `stack` or `mock`.
    pub auth_provider: Option<String>,
    /// OAuth providers the branch should have: `{ "id": "google" }` (Neon's shared keys) or
    /// with `client_id` and `client_secret`.
    pub oauth_providers: Vec<Json>,
    /// Users the branch should have: `{ "email": .., "name": .. }`.
    pub users: Vec<Json>,
    /// Where SQL over HTTP goes (default: derived from the connection string's host, as on
    /// Neon; the emulator's `/sql` for local runs).
    pub sql_endpoint: Option<String>,
}

/// Neon Auth as set up. `Debug` leaves out the SDK keys (they are secrets).
#[derive(Clone, PartialEq)]
pub struct NeonAuthSetup {
    /// The branch's Neon Auth as the API describes it.
    pub auth: Json,
    /// The SDK keys (`pub_client_key`, `secret_server_key`, `jwks_url`, ...).
    pub keys: Json,
    /// The branch's OAuth providers after the run.
    pub oauth_providers: Vec<Json>,
    /// The ids of the users this run created (the others were there already).
    pub created_user_ids: Vec<String>,
    /// The synced users, from `neon_auth.users_sync` (`id`, `email`, `name`; deleted ones left
    /// out), oldest first.
    pub synced_users: Vec<Json>,
}

impl fmt::Debug for NeonAuthSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NeonAuthSetup")
            .field("auth", &self.auth)
            .field("keys", &"<redacted>")
            .field("oauth_providers", &self.oauth_providers)
            .field("created_user_ids", &self.created_user_ids)
            .field("synced_users", &self.synced_users)
            .finish()
    }
}

const SYNCED_USERS: &str =
    "SELECT id, email, name FROM neon_auth.users_sync WHERE deleted_at IS NULL ORDER BY created_at, email";

impl AddonWorkflows<'_> {
    /// Sets Neon Auth up as the agent-platform guide does: enables it for the branch (default:
    /// the default one), creates SDK keys, adds the OAuth providers and users not there yet,
    /// and reads the synced users from `neon_auth.users_sync` over SQL.
    pub async fn neon_auth_setup(&self, params: &NeonAuthSetupParams, options: &WorkflowOptions) -> WorkflowResult<NeonAuthSetup> {
        let run = Run::new(self.client, "neonAuth.setup", options);
        setup(&run, params).await
    }
}

/// Runs the guide's steps in order.
async fn setup(run: &Run<'_>, params: &NeonAuthSetupParams) -> WorkflowResult<NeonAuthSetup> {
    let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
    for (i, user) in params.users.iter().enumerate() {
        if user.get("email").and_then(Json::as_str).is_none() {
            let problem = crate::core::text::concat(&["user ", &i.to_string(), " needs an `email`"]);
            return Err(run.invalid("validate", "users", &problem));
        }
    }
    if let Some(i) = params.oauth_providers.iter().position(|p| p.get("id").and_then(Json::as_str).is_none()) {
        let problem = crate::core::text::concat(&["provider ", &i.to_string(), " needs an `id` (google, github, microsoft)"]);
        return Err(run.invalid("validate", "oauthProviders", &problem));
    }
    let branch = branch_of(run, &project, params.branch_id.as_deref()).await?;
    let auth = enable_auth(run, &project, &branch, params.database_name.as_deref(), params.auth_provider.as_deref()).await?;

    let provider = text(&auth, "auth_provider").or(params.auth_provider.as_deref()).unwrap_or("better_auth");
    let body = Json::object([("project_id", Json::string(project.as_str())), ("auth_provider", Json::string(provider))]);
    let keys = run.call("create_sdk_keys", ops::CREATE_NEON_AUTH_PROVIDER_SDK_KEYS, Json::object([("body", body)])).await?;

    let listed = run.call("list_oauth_providers", ops::LIST_BRANCH_NEON_AUTH_OAUTH_PROVIDERS, branch_args(&project, &branch)).await?;
    let present: Vec<String> = list(&listed, "providers").iter().filter_map(|p| text(p, "id")).map(str::to_owned).collect();
    for wanted in &params.oauth_providers {
        if present.iter().any(|id| Some(id.as_str()) == text(wanted, "id")) {
            continue;
        }
        let mut args = branch_args(&project, &branch);
        args.set("body", wanted.clone());
        already_there(run.call("add_oauth_provider", ops::ADD_BRANCH_NEON_AUTH_OAUTH_PROVIDER, args).await)?;
    }
    let listed = run.call("list_oauth_providers", ops::LIST_BRANCH_NEON_AUTH_OAUTH_PROVIDERS, branch_args(&project, &branch)).await?;

    let mut created_user_ids = Vec::new();
    for user in &params.users {
        let mut args = branch_args(&project, &branch);
        args.set("body", user.clone());
        if let Some(made) = already_there(run.call("create_user", ops::CREATE_BRANCH_NEON_AUTH_NEW_USER, args).await)? {
            created_user_ids.extend(text(&made, "id").map(str::to_owned));
        }
    }

    let target = ConnectionStringParams {
        project_id: Some(project.clone()),
        branch_id: Some(branch.clone()),
        database_name: params.database_name.clone().or_else(|| text(&auth, "database_name").map(str::to_owned)),
        role_name: params.role_name.clone(),
        pooled: false,
        ..ConnectionStringParams::default()
    };
    let connection = resolve(run, &project, &target).await?;
    let synced_users = synced_users(run, connection, params.sql_endpoint.as_deref()).await?;
    Ok(NeonAuthSetup { auth, keys, oauth_providers: list(&listed, "providers").to_vec(), created_user_ids, synced_users })
}

/// A create's answer, or `None` when a 409 says it is already there (an earlier run made it).
fn already_there(result: WorkflowResult<Json>) -> WorkflowResult<Option<Json>> {
    match result {
        Ok(made) => Ok(Some(made)),
        Err(e) if e.cause.api().is_some_and(|a| a.status == 409) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `neon_auth.users_sync` over SQL, each row as `{id, email, name}`.
async fn synced_users(run: &Run<'_>, connection: String, endpoint: Option<&str>) -> WorkflowResult<Vec<Json>> {
    let step = "read_synced_users";
    let mut builder = SqlClient::builder(connection).transport(run.client.transport().clone());
    if let Some(url) = endpoint {
        builder = builder.endpoint(url);
    }
    let db = builder.build().map_err(|e| run.fail(step, sql_cause(e)))?;
    let call = run.call_options(crate::management::client::IfExists::Error);
    let options = RequestOptions { timeout: call.timeout, cancel: call.cancel, deadline: call.deadline };
    let result = db.query_wire(&WireQuery::new(SYNCED_USERS), &options).await.map_err(|e| run.fail(step, sql_cause(e)))?;
    let names: Vec<&str> = result.fields.iter().map(|f| f.name.as_str()).collect();
    Ok(result
        .rows
        .into_iter()
        .map(|row| Json::Obj(names.iter().map(|n| (*n).to_owned()).zip(row).collect()))
        .collect())
}

/// A SQL failure as the workflow error's cause: a failed request as it is; a refused statement
/// or an unreadable connection string (never quoted) as the step's unsupported state.
fn sql_cause(e: SqlError) -> Error {
    match e {
        SqlError::Request(e) => e,
        other => Error::unsupported("neonAuth.setup", &other.to_string()),
    }
}
