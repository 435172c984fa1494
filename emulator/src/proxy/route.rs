//! Which branch database a connection reaches: the endpoint it names, checked against the
//! emulator's endpoints, roles and databases the way Neon's proxy checks them. Shared by the
//! wire protocol, its WebSocket form and SQL over HTTP.

use crate::state::Store;

/// Neon's answer when a client names no endpoint.
pub const NO_ENDPOINT: &str = "Endpoint ID is not specified. Either please upgrade the postgres client library (libpq) for SNI support or pass the endpoint ID (first part of the domain name) as a parameter: '?options=endpoint%3D<endpoint-id>'. See more at https://neon.tech/sni";

/// Why a connection is refused: a SQLSTATE and Neon's message.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }
}

/// A connection's target once its credentials are checked.
#[derive(Debug, Clone)]
pub struct Route {
    pub endpoint_id: String,
    pub branch_id: String,
    /// The physical database on the PostgreSQL server.
    pub pg_name: String,
    /// Whether the endpoint was suspended through the API (the wire protocol refuses it, SQL
    /// over HTTP wakes it).
    pub suspended: bool,
}

/// The endpoint id named by `label` (`ep-x` or `ep-x-pooler`): the pooler is the same compute.
pub fn endpoint_id(label: &str) -> &str {
    label.strip_suffix("-pooler").unwrap_or(label)
}

/// The endpoint a Postgres `options` value names (`endpoint=ep-…`, or the older `project=ep-…`),
/// and the options left for PostgreSQL.
pub fn split_options(options: &str) -> (Option<String>, String) {
    let mut endpoint = None;
    let mut rest = Vec::new();
    for token in options.split_whitespace() {
        let named = ["endpoint=", "--endpoint=", "project=", "--project="]
            .iter()
            .find_map(|p| token.strip_prefix(p));
        match named {
            Some(id) if endpoint.is_none() => endpoint = Some(endpoint_id(id).to_string()),
            Some(_) => {}
            None => rest.push(token),
        }
    }
    (endpoint, rest.join(" "))
}

/// Checks `user`/`password` and `database` on `endpoint_id`.
pub fn resolve(
    store: &Store,
    endpoint_id: &str,
    user: &str,
    password: &str,
    database: &str,
) -> Result<Route, Refusal> {
    let ep = store.endpoints.get(endpoint_id).ok_or_else(|| {
        Refusal::new(
            "XX000",
            "The requested endpoint could not be found, or you don't have access to it. Please check the provided ID and try again.",
        )
    })?;
    if ep.disabled {
        return Err(Refusal::new(
            "XX000",
            "The endpoint has been disabled. Enable it using Neon API and retry.",
        ));
    }
    let branch = store.branches.get(&ep.branch_id).ok_or_else(|| {
        Refusal::new(
            "XX000",
            format!("The branch of endpoint {endpoint_id} does not exist."),
        )
    })?;
    let role = branch.roles.iter().find(|r| r.name == user);
    if role.is_none_or(|r| r.password != password) {
        return Err(Refusal::new(
            "28P01",
            format!("password authentication failed for user '{user}'"),
        ));
    }
    let db = branch
        .databases
        .iter()
        .find(|d| d.name == database)
        .ok_or_else(|| Refusal::new("3D000", format!("database \"{database}\" does not exist")))?;
    Ok(Route {
        endpoint_id: endpoint_id.to_string(),
        branch_id: ep.branch_id.clone(),
        pg_name: db.pg_name.clone(),
        suspended: ep.target_state != "active",
    })
}

/// Neon's refusal of a suspended endpoint.
pub fn suspended(endpoint_id: &str) -> Refusal {
    Refusal::new(
        "XX000",
        format!("Couldn't connect to compute node: endpoint {endpoint_id} is suspended. Start it using Neon API and retry."),
    )
}

/// Whether a live connection on `route` must be closed: its endpoint was deleted, disabled,
/// suspended or moved to another branch (a finalized restore), or its branch was deleted.
pub fn is_stale(store: &Store, route: &Route) -> bool {
    match store.endpoints.get(&route.endpoint_id) {
        None => true,
        Some(ep) => {
            ep.disabled
                || ep.target_state != "active"
                || ep.branch_id != route.branch_id
                || !store.branches.contains_key(&route.branch_id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_name_the_endpoint_and_keep_the_rest() {
        assert_eq!(
            split_options("endpoint=ep-a-1-pooler -c search_path=x"),
            (Some("ep-a-1".into()), "-c search_path=x".into())
        );
        assert_eq!(
            split_options("project=ep-b"),
            (Some("ep-b".into()), String::new())
        );
        assert_eq!(split_options("-c a=b"), (None, "-c a=b".into()));
    }
}
