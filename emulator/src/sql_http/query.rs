//! Running one statement: text parameters, then the rows in Neon's JSON shape.

use serde_json::{json, Map, Value};
use tokio_postgres::{Client, SimpleQueryMessage};

use super::error::SqlError;
use crate::pg::quote_ident;
use crate::sql_values::{command_of, field_json, text_to_json};

/// A JSON parameter as Postgres text input (`None` for null).
fn param_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// The SQL literal of a text parameter (`NULL` for none).
pub(super) fn literal(v: &Option<String>) -> String {
    match v {
        None => "NULL".into(),
        Some(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

/// Output options from the request headers.
#[derive(Clone, Copy)]
pub(super) struct Output {
    pub(super) raw_text: bool,
    pub(super) array_mode: bool,
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

/// Runs one statement and answers its rows, fields and count the way Neon does.
pub(super) async fn run_one(
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

/// The statement and text parameters of a `{ "query", "params" }` object.
pub(super) fn parse_query(v: &Value) -> Result<(String, Vec<Option<String>>), SqlError> {
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
