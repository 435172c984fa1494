//! A native Rust program on tokio: provisions a claimable database (no Neon account needed),
//! creates a table and reads a row back over SQL over HTTP, lists the account's projects
//! and creates a branch in one of them, waiting for its operations.
//!
//! Settings (environment): `NEON_API_KEY` (required), `NEON_BASE_URL` (default Neon's
//! Management API), `NEON_CLAIMABLE_URL` (default `https://neon.new/api/v1`),
//! `NEON_SQL_ENDPOINT` (default: derived from the database's host) and `NEON_PROJECT_ID`
//! (default: the first project listed, or a new one when there is none).
//!
//! With the cargo feature `native` every builder picks the reqwest transport and the tokio
//! runtime by itself: no `.transport(..)` or `.runtime(..)` below.

use neon_edge::api::{CreateProjectBranchParams, CreateProjectParams, ListProjectsParams};
use neon_edge::claimable::{ClaimableClient, CreateClaimable};
use neon_edge::sql::http::TransactionOptions;
use neon_edge::sql::{Query, SqlClient};
use neon_edge::{ApiKey, CallOptions, NeonClient, RequestOptions};
use std::process::ExitCode;

/// The environment variable, or `None` when unset or empty.
fn setting(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

type Failure = Box<dyn std::error::Error>;

async fn claimable_database() -> Result<(), Failure> {
    let mut builder = ClaimableClient::builder();
    if let Some(url) = setting("NEON_CLAIMABLE_URL") {
        builder = builder.base_url(url);
    }
    let db = builder.build()?.create(&CreateClaimable::new("neon-edge-examples"), &RequestOptions::default()).await?;
    println!("claimable database {} ({}), claim at {}, expires {}", db.id, db.status.as_str(), db.claim_url, db.expires_at);

    let url = db.database_url.ok_or("the new database has no connection string")?;
    let mut sql = SqlClient::builder(url.expose());
    if let Some(endpoint) = setting("NEON_SQL_ENDPOINT") {
        sql = sql.endpoint(endpoint);
    }
    let results = sql
        .build()?
        .transaction(
            &[
                Query::new("CREATE TABLE greetings (runtime text NOT NULL, at timestamptz NOT NULL DEFAULT now())"),
                Query::with_params("INSERT INTO greetings (runtime) VALUES ($1) RETURNING runtime, at", vec!["rust-native".into()]),
            ],
            &TransactionOptions::default(),
            &RequestOptions::default(),
        )
        .await?;
    let row = results.get(1).and_then(|r| r.row_objects().into_iter().next()).ok_or("the insert returned no row")?;
    println!("greeting from the database: {}", serde_json::Value::Object(row));
    Ok(())
}

async fn projects_and_branch(api_key: String) -> Result<(), Failure> {
    let mut builder = NeonClient::builder().api_key(ApiKey::fixed(api_key)?);
    if let Some(url) = setting("NEON_BASE_URL") {
        builder = builder.base_url(url);
    }
    let neon = builder.build()?;

    let listed = neon.list_projects(&ListProjectsParams { limit: Some(10), ..Default::default() }, &CallOptions::default()).await?;
    let names: Vec<String> = listed.projects.iter().map(|p| format!("{} ({})", p.name, p.id)).collect();
    println!("{} project(s): {}", listed.projects.len(), names.join(", "));
    let wait = CallOptions { wait: true, ..Default::default() };
    let project_id = match setting("NEON_PROJECT_ID").or_else(|| listed.projects.first().map(|p| p.id.clone())) {
        Some(id) => id,
        None => {
            let body = serde_json::from_value(serde_json::json!({ "project": { "name": "neon-edge-rust-example" } }))?;
            let created = neon.create_project(&CreateProjectParams { body }, &wait).await?;
            println!("created project {} and waited for its operations", created.project.id);
            created.project.id
        }
    };

    let name = format!("neon-edge-rust-{}", std::process::id());
    let body = serde_json::from_value(serde_json::json!({ "branch": { "name": name }, "endpoints": [{ "type": "read_write" }] }))?;
    let created = neon.create_project_branch(&CreateProjectBranchParams { project_id: project_id.clone(), body: Some(body) }, &wait).await?;
    let branch = neon
        .get_project_branch(&neon_edge::api::GetProjectBranchParams { project_id: project_id.clone(), branch_id: created.branch.id.clone() }, &CallOptions::default())
        .await?;
    let b = &branch.branch;
    println!("branch {} ({}) in {project_id} is {} after waiting for {} operation(s)", b.name, b.id, b.current_state, created.operations.len());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(api_key) = setting("NEON_API_KEY") else {
        eprintln!("NEON_API_KEY is not set");
        return ExitCode::from(2);
    };
    // Errors never hold the API key or a password: they are safe to print.
    if let Err(e) = claimable_database().await {
        eprintln!("claimable database: {e}");
        return ExitCode::FAILURE;
    }
    if let Err(e) = projects_and_branch(api_key).await {
        eprintln!("Management API: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
