//! Neon's SQL-over-HTTP endpoint (`POST /sql`): the `Neon-Connection-String` header names a
//! role, password, endpoint host and database handed out by the emulator; the query (or a batch
//! of queries in one transaction) runs on the real PostgreSQL database behind it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use tokio_postgres::{Client, SimpleQueryMessage};

use crate::app::Shared;
use crate::endpoints::wake;
use crate::pg::quote_ident;
use crate::sql_values::{command_of, field_json, text_to_json};

/// An error answered the way Neon's proxy does: status 400 with Postgres error fields.
struct SqlError {
    status: StatusCode,
    body: Value,
}

impl SqlError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        SqlError {
            status,
            body: json!({ "message": message.into(), "code": code }),
        }
    }
    fn bad(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl From<tokio_postgres::Error> for SqlError {
    fn from(e: tokio_postgres::Error) -> Self {
        let Some(db) = e.as_db_error() else {
            return SqlError::bad("08006", e.to_string());
        };
        let mut m = Map::new();
        m.insert("message".into(), json!(db.message()));
        m.insert("code".into(), json!(db.code().code()));
        m.insert("severity".into(), json!(db.severity()));
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), json!(v));
            }
        };
        put("detail", db.detail().map(str::to_string));
        put("hint", db.hint().map(str::to_string));
        match db.position() {
            Some(tokio_postgres::error::ErrorPosition::Original(p)) => {
                put("position", Some(p.to_string()))
            }
            Some(tokio_postgres::error::ErrorPosition::Internal { position, query }) => {
                put("internalPosition", Some(position.to_string()));
                put("internalQuery", Some(query.clone()));
            }
            None => {}
        }
        put("where", db.where_().map(str::to_string));
        put("schema", db.schema().map(str::to_string));
        put("table", db.table().map(str::to_string));
        put("column", db.column().map(str::to_string));
        put("dataType", db.datatype().map(str::to_string));
        put("constraint", db.constraint().map(str::to_string));
        put("file", db.file().map(str::to_string));
        put("line", db.line().map(|l| l.to_string()));
        put("routine", db.routine().map(str::to_string));
        SqlError {
            status: StatusCode::BAD_REQUEST,
            body: Value::Object(m),
        }
    }
}

impl IntoResponse for SqlError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// The parts of a `postgresql://` URL the emulator needs.
#[derive(Debug, PartialEq)]
pub struct ConnInfo {
    pub user: String,
    pub password: String,
    pub host: String,
    pub database: String,
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `postgres[ql]://user:password@host[:port]/database[?params]`.
pub fn parse_connection_string(s: &str) -> Option<ConnInfo> {
    let rest = s
        .strip_prefix("postgresql://")
        .or_else(|| s.strip_prefix("postgres://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let (auth, hostpath) = rest.rsplit_once('@')?;
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (hostport, db) = hostpath.split_once('/').unwrap_or((hostpath, ""));
    let host = hostport.split(':').next()?.to_lowercase();
    let database = if db.is_empty() {
        pct_decode(user)
    } else {
        pct_decode(db)
    };
    Some(ConnInfo {
        user: pct_decode(user),
        password: pct_decode(password),
        host,
        database,
    })
}

/// The database a request runs on.
struct Target {
    pg_name: String,
    branch_id: String,
    database: String,
    role: String,
}

/// Finds the physical database behind a connection string, checking role and password.
fn resolve(app: &Shared, info: &ConnInfo) -> Result<Target, SqlError> {
    let label = info.host.split('.').next().unwrap_or("");
    let endpoint_id = label.strip_suffix("-pooler").unwrap_or(label);
    let mut store = app.lock();
    let ep = store.endpoints.get(endpoint_id).cloned().ok_or_else(|| {
        SqlError::bad(
            "XX000",
            format!("endpoint {endpoint_id} not found (host {})", info.host),
        )
    })?;
    if ep.disabled {
        return Err(SqlError::bad(
            "XX000",
            format!("endpoint {endpoint_id} is disabled"),
        ));
    }
    let branch = store
        .branches
        .get(&ep.branch_id)
        .ok_or_else(|| SqlError::bad("XX000", "branch of the endpoint not found"))?;
    let role = branch.roles.iter().find(|r| r.name == info.user);
    if role.is_none_or(|r| r.password != info.password) {
        return Err(SqlError::bad(
            "28P01",
            format!("password authentication failed for user '{}'", info.user),
        ));
    }
    let db = branch
        .databases
        .iter()
        .find(|d| d.name == info.database)
        .ok_or_else(|| {
            SqlError::bad(
                "3D000",
                format!("database \"{}\" does not exist", info.database),
            )
        })?;
    let pg_name = db.pg_name.clone();
    let target = Target {
        pg_name,
        branch_id: ep.branch_id.clone(),
        database: info.database.clone(),
        role: info.user.clone(),
    };
    wake(&mut store, endpoint_id);
    Ok(target)
}

fn param_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn literal(v: &Option<String>) -> String {
    match v {
        None => "NULL".into(),
        Some(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

/// Output options from the request headers.
#[derive(Clone, Copy)]
struct Output {
    raw_text: bool,
    array_mode: bool,
}

fn header_true(h: &HeaderMap, name: &str) -> bool {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Runs a query with text parameters (typed by the server, like the extended protocol with
/// unspecified types) and returns the rows as Postgres text output.
pub async fn execute_text(
    client: &Client,
    query: &str,
    params: &[Option<String>],
) -> Result<Vec<SimpleQueryMessage>, tokio_postgres::Error> {
    if params.is_empty() {
        return client.simple_query(query).await;
    }
    let name = quote_ident("neon_emulator_http");
    client
        .simple_query(&format!("PREPARE {name} AS {query}"))
        .await?;
    let args: Vec<String> = params.iter().map(literal).collect();
    let result = client
        .simple_query(&format!("EXECUTE {name}({})", args.join(", ")))
        .await;
    let _ = client.simple_query(&format!("DEALLOCATE {name}")).await;
    result
}

async fn run_one(
    client: &Client,
    query: &str,
    params: &[Option<String>],
    out: Output,
) -> Result<Value, SqlError> {
    let stmt = client.prepare(query).await?;
    if stmt.params().len() != params.len() {
        return Err(SqlError::bad(
            "08P01",
            format!(
                "bind message supplies {} parameters, but prepared statement \"\" requires {}",
                params.len(),
                stmt.params().len()
            ),
        ));
    }
    let messages = execute_text(client, query, params).await?;
    let columns = stmt.columns();
    let mut rows = Vec::new();
    let mut count: Option<u64> = None;
    for m in messages {
        match m {
            SimpleQueryMessage::Row(r) => {
                let vals: Vec<Value> = (0..r.len())
                    .map(|i| {
                        let text = r.get(i);
                        match (text, out.raw_text) {
                            (None, _) => Value::Null,
                            (Some(t), true) => Value::String(t.to_string()),
                            (Some(t), false) => text_to_json(
                                columns.get(i).map(|c| c.type_().oid()).unwrap_or(25),
                                t,
                            ),
                        }
                    })
                    .collect();
                rows.push(vals);
            }
            SimpleQueryMessage::CommandComplete(n) => count = Some(n),
            _ => {}
        }
    }
    let command = command_of(query);
    let counted = matches!(
        command.as_str(),
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "COPY" | "FETCH" | "MOVE"
    );
    let row_values: Vec<Value> = if out.array_mode {
        rows.into_iter().map(Value::Array).collect()
    } else {
        rows.into_iter()
            .map(|r| {
                let mut m = Map::new();
                for (c, v) in columns.iter().zip(r) {
                    m.insert(c.name().to_string(), v);
                }
                Value::Object(m)
            })
            .collect()
    };
    Ok(json!({
        "command": command,
        "rowCount": if counted { json!(count.unwrap_or(0)) } else { Value::Null },
        "rows": row_values,
        "fields": columns.iter().map(field_json).collect::<Vec<_>>(),
        "rowAsArray": out.array_mode,
    }))
}

fn parse_query(v: &Value) -> Result<(String, Vec<Option<String>>), SqlError> {
    let q = v
        .get("query")
        .and_then(Value::as_str)
        .ok_or_else(|| SqlError::bad("08P01", "query must be a string"))?;
    let params = match v.get("params") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.iter().map(param_text).collect(),
        Some(_) => return Err(SqlError::bad("08P01", "params must be an array")),
    };
    Ok((q.to_string(), params))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_strings_split_into_role_password_host_and_database() {
        let c = parse_connection_string(
            "postgresql://neondb_owner:npg%40x@ep-a-b-1-pooler.localhost/neondb?sslmode=require",
        )
        .expect("parses");
        assert_eq!(c.user, "neondb_owner");
        assert_eq!(c.password, "npg@x");
        assert_eq!(c.host, "ep-a-b-1-pooler.localhost");
        assert_eq!(c.database, "neondb");
        assert!(parse_connection_string("mysql://x").is_none());
    }

    #[test]
    fn literals_double_their_quotes() {
        assert_eq!(literal(&Some("it's".into())), "'it''s'");
        assert_eq!(literal(&None), "NULL");
    }
}
