//! Neon's SQL-over-HTTP endpoint (`POST /sql`): the `Neon-Connection-String` header names a
//! role, password, endpoint host and database handed out by the emulator; the query (or a batch
//! of queries in one transaction) runs on the real PostgreSQL database behind it.

mod error;
mod query;
mod target;
#[cfg(test)]
mod tests;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;
use crate::sql_values::command_of;
use error::SqlError;
pub use query::execute_text;
use query::{parse_query, run_one, Output};
use target::{parse_connection_string, resolve, Target};

fn header_true(h: &HeaderMap, name: &str) -> bool {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn begin_statement(h: &HeaderMap) -> String {
    let mut s = String::from("BEGIN");
    let level = h
        .get("neon-batch-isolation-level")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let level = match level.to_ascii_lowercase().replace([' ', '_'], "").as_str() {
        "serializable" => " ISOLATION LEVEL SERIALIZABLE",
        "repeatableread" => " ISOLATION LEVEL REPEATABLE READ",
        "readuncommitted" => " ISOLATION LEVEL READ UNCOMMITTED",
        "readcommitted" => " ISOLATION LEVEL READ COMMITTED",
        _ => "",
    };
    s.push_str(level);
    if header_true(h, "neon-batch-read-only") {
        s.push_str(" READ ONLY");
    }
    if header_true(h, "neon-batch-deferrable") {
        s.push_str(" DEFERRABLE");
    }
    s
}

async fn execute(app: &Shared, headers: &HeaderMap, body: &Bytes) -> Result<Value, SqlError> {
    let conn = headers
        .get("neon-connection-string")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| SqlError::bad("08P01", "missing Neon-Connection-String header"))?;
    let info = parse_connection_string(conn)
        .ok_or_else(|| SqlError::bad("08P01", "invalid connection string"))?;
    let req: Value = serde_json::from_slice(body)
        .map_err(|e| SqlError::bad("08P01", format!("invalid JSON body: {e}")))?;
    let target = resolve(app, &info)?;
    let pg = app.pg.clone().ok_or_else(|| {
        SqlError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "XX000",
            "the emulator has no PostgreSQL server (start it with --pg-auto or --pg-url)",
        )
    })?;
    let out = Output {
        raw_text: header_true(headers, "neon-raw-text-output"),
        array_mode: header_true(headers, "neon-array-mode"),
    };
    let client = pg.connect_as(&target.pg_name, &target.role).await?;
    if let Some(queries) = req.get("queries") {
        let list = queries
            .as_array()
            .ok_or_else(|| SqlError::bad("08P01", "queries must be an array"))?;
        let parsed = list
            .iter()
            .map(parse_query)
            .collect::<Result<Vec<_>, _>>()?;
        let begin = begin_statement(headers);
        client.simple_query(&begin).await?;
        let mut results = Vec::new();
        for (q, p) in &parsed {
            match run_one(&client, q, p, out).await {
                Ok(r) => results.push(r),
                Err(e) => {
                    let _ = client.simple_query("ROLLBACK").await;
                    return Err(e);
                }
            }
        }
        client.simple_query("COMMIT").await?;
        log_request(app, &target, Some(begin), parsed);
        Ok(json!({ "results": results }))
    } else {
        let (q, p) = parse_query(&req)?;
        let result = run_one(&client, &q, &p, out).await?;
        log_request(app, &target, None, vec![(q, p)]);
        Ok(result)
    }
}

/// Whether replaying a statement can change anything (plain reads are left out of history).
fn changes_state(query: &str) -> bool {
    command_of(query) != "SELECT" || query.contains('(')
}

/// Records a successful request in the branch's history for point-in-time branching.
fn log_request(
    app: &Shared,
    target: &Target,
    begin: Option<String>,
    statements: Vec<(String, Vec<Option<String>>)>,
) {
    if begin.as_deref().is_some_and(|b| b.contains("READ ONLY")) {
        return;
    }
    let statements: Vec<_> = statements
        .into_iter()
        .filter(|(q, _)| changes_state(q))
        .collect();
    if statements.is_empty() {
        return;
    }
    let mut store = app.lock();
    crate::history::record(
        &mut store,
        &target.branch_id,
        &target.database,
        &target.role,
        begin,
        statements,
    );
}

/// `POST /sql`
pub async fn handle(State(app): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    match execute(&app, &headers, &body).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}
