//! `postgres.connectionString`: the connection string of a branch's database, picking the
//! default branch and the only role and database when the caller names none; and the pick of
//! a connection string from a create response's `connection_uris` (the pooled one derived
//! from `pooler_host`, with no extra request).

use super::run::{Boxed, list, text, Resource, Run, WorkflowOptions, WorkflowResult};
use crate::core::json::Json;
use crate::management::api::operations as ops;
use crate::management::client::NeonClient;

/// What `connection_string` connects to; everything but `project_id` is optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionStringParams {
    /// The project (required).
    pub project_id: Option<String>,
    /// Default: the project's default branch.
    pub branch_id: Option<String>,
    /// Default: the branch's read-write endpoint.
    pub endpoint_id: Option<String>,
    /// Default: the branch's only database (an error lists them when there are several).
    pub database_name: Option<String>,
    /// Default: the branch's only role (an error lists them when there are several).
    pub role_name: Option<String>,
    /// The pooled connection string (`-pooler` host; the default) or the direct one.
    pub pooled: bool,
}

impl Default for ConnectionStringParams {
    fn default() -> Self {
        ConnectionStringParams {
            project_id: None,
            branch_id: None,
            endpoint_id: None,
            database_name: None,
            role_name: None,
            pooled: true,
        }
    }
}

/// The `postgres` workflows of a client: `client.postgres()`.
#[derive(Debug, Clone, Copy)]
pub struct PostgresWorkflows<'a> {
    pub(crate) client: &'a NeonClient,
}

impl PostgresWorkflows<'_> {
    /// The connection string `params` describe.
    pub async fn connection_string(&self, params: &ConnectionStringParams, options: &WorkflowOptions) -> WorkflowResult<String> {
        let run = Run::new(self.client, "postgres.connectionString", options);
        let project = run.required(params.project_id.as_deref(), "projectId")?.to_owned();
        resolve(&run, &project, params).await
    }
}

/// Resolves a connection string within a running workflow.
pub(crate) fn resolve<'a>(run: &'a Run<'_>, project: &'a str, params: &'a ConnectionStringParams) -> Boxed<'a, WorkflowResult<String>> {
    Box::pin(async move {
        let mut branch = params.branch_id.clone();
        if branch.is_none() && (params.role_name.is_none() || params.database_name.is_none()) {
            branch = Some(default_branch(run, project).await?.get("id").and_then(Json::as_str).unwrap_or_default().to_owned());
        }
        let branch_args = |b: &str| Json::object([("projectId", Json::string(project)), ("branchId", Json::string(b))]);
        let role = match &params.role_name {
            Some(r) => r.clone(),
            None => {
                let b = branch.as_deref().unwrap_or_default();
                let body = run.call("list_roles", ops::LIST_PROJECT_BRANCH_ROLES, branch_args(b)).await?;
                only(run, "pick_role", list(&body, "roles"), "role", "roleName")?
            }
        };
        let database = match &params.database_name {
            Some(d) => d.clone(),
            None => {
                let b = branch.as_deref().unwrap_or_default();
                let body = run.call("list_databases", ops::LIST_PROJECT_BRANCH_DATABASES, branch_args(b)).await?;
                only(run, "pick_database", list(&body, "databases"), "database", "databaseName")?
            }
        };
        let mut args = Json::object([
            ("projectId", Json::string(project)),
            ("role_name", Json::string(role)),
            ("database_name", Json::string(database)),
            ("pooled", Json::Bool(params.pooled)),
        ]);
        if let Some(b) = &branch {
            args.set("branch_id", Json::string(b.clone()));
        }
        if let Some(e) = &params.endpoint_id {
            args.set("endpoint_id", Json::string(e.clone()));
        }
        let body = run.call("get_connection_uri", ops::GET_CONNECTION_URI, args).await?;
        match text(&body, "uri") {
            Some(uri) => Ok(uri.to_owned()),
            None => Err(run.fail("get_connection_uri", crate::core::error::Error::Decode { message: "the answer has no `uri`".into(), path: Some("uri".into()) })),
        }
    })
}

/// The name of the only item of `items`; with none or several, a client error listing them.
fn only(run: &Run<'_>, step: &'static str, items: &[Json], what: &str, param: &str) -> WorkflowResult<String> {
    let names: Vec<String> = items.iter().filter_map(|i| text(i, "name")).map(str::to_owned).collect();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => {
            let count = crate::core::text::decimal(names.len() as u64);
            let plural = if names.len() == 1 { "" } else { "s" };
            let choices = crate::core::text::join(&names, ", ");
            let problem = crate::core::text::concat(&[
                "the branch has ", &count, " ", what, plural, " (", &choices, "): pass `", param, "` to pick one",
            ]);
            Err(run.invalid(step, param, &problem))
        }
    }
}

/// The project's default branch (by its `default` flag, not its name).
pub(crate) fn default_branch<'a>(run: &'a Run<'_>, project: &'a str) -> Boxed<'a, WorkflowResult<Json>> {
    Box::pin(async move {
        let body = run.call("find_default_branch", ops::LIST_PROJECT_BRANCHES, Json::object([("projectId", Json::string(project))])).await?;
        list(&body, "branches")
            .iter()
            .find(|b| b.get("default") == Some(&Json::Bool(true)))
            .cloned()
            .ok_or_else(|| run.fail("find_default_branch", crate::core::error::Error::unsupported(
                "branches.getDefault",
                "the project has no default branch",
            )))
    })
}

/// The connection string of a create response's first `connection_uris` entry: the pooled
/// one has the `pooler_host` in place of the `host` (no request needed).
pub(crate) fn pick_connection_uri(body: &Json, pooled: bool) -> Option<String> {
    let first = list(body, "connection_uris").first()?;
    let uri = text(first, "connection_uri")?;
    let params = first.get("connection_parameters");
    let host = params.and_then(|p| text(p, "host"));
    let pooler = params.and_then(|p| text(p, "pooler_host"));
    match (pooled, host, pooler) {
        (true, Some(host), Some(pooler)) => {
            // The host follows the credentials' `@`; replace it there only.
            let at = uri.find('@').map_or(0, |i| i + 1);
            let (head, tail) = uri.split_at(at);
            if tail.contains(host) {
                return Some(crate::core::text::concat(&[head, &tail.replacen(host, pooler, 1)]));
            }
            // A string that names its endpoint in `options` (as Neon accepts from clients
            // without SNI, and the emulator writes): the pooler is the endpoint id + `-pooler`.
            let label = |h: &'_ str| h.split('.').next().unwrap_or_default().to_owned();
            let option = |l: &str| crate::core::text::concat(&["endpoint%3D", l]);
            let (direct, pooled) = (option(&label(host)), option(&label(pooler)));
            Some(crate::core::text::concat(&[head, &tail.replacen(&direct, &pooled, 1)]))
        }
        _ => Some(uri.to_owned()),
    }
}

/// The connection string of a freshly created resource: from the create answer, else
/// resolved (a branch whose parent has several roles or databases answers without one).
pub(crate) async fn connection_of(
    run: &Run<'_>,
    project: &str,
    body: &Json,
    branch: Option<&Resource>,
    endpoint: Option<&Resource>,
    pooled: bool,
) -> WorkflowResult<String> {
    if let Some(uri) = pick_connection_uri(body, pooled) {
        return Ok(uri);
    }
    let params = ConnectionStringParams {
        project_id: Some(project.to_owned()),
        branch_id: branch.map(|b| b.id.clone()),
        endpoint_id: endpoint.map(|e| e.id.clone()),
        pooled,
        ..ConnectionStringParams::default()
    };
    resolve(run, project, &params).await
}
