//! The `/sql` bodies over the core [`Json`] value, without serde: requests are built from
//! [`WireQuery`]s and answers read into [`WireResult`]s whose numbers keep their JSON text.
//! The Rust API ([`Query`], [`QueryResult`]) converts to and from these at its edge; the JS
//! bindings use them as they are, so the npm module ships no serde_json and no float code.

use super::values::wire_param_text;
use super::{Field, Query, QueryResult};
use crate::core::error::Error;
use crate::core::json::{within, Json};

/// One statement as it is sent: its text and parameters (see [`wire_param_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireQuery {
    pub text: String,
    pub params: Vec<Json>,
}

impl WireQuery {
    /// A statement without parameters.
    pub fn new(text: impl Into<String>) -> Self {
        WireQuery { text: text.into(), params: Vec::new() }
    }
}

impl From<&Query> for WireQuery {
    fn from(query: &Query) -> Self {
        WireQuery { text: query.text.clone(), params: query.params.iter().cloned().map(Json::from).collect() }
    }
}

/// What one statement returned, its values as the server wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireResult {
    pub command: String,
    pub row_count: Option<u64>,
    pub fields: Vec<Field>,
    /// Each row's values in field order.
    pub rows: Vec<Vec<Json>>,
}

/// Fails, naming the cell, on a number serde_json cannot hold.
impl TryFrom<WireResult> for QueryResult {
    type Error = Error;

    fn try_from(wire: WireResult) -> Result<Self, Error> {
        let mut rows = Vec::with_capacity(wire.rows.len());
        for (i, row) in wire.rows.into_iter().enumerate() {
            let cells = row.into_iter().enumerate().map(|(j, cell)| {
                serde_json::Value::try_from(cell).map_err(|e| within(&format!("rows[{i}][{j}]"), e))
            });
            rows.push(cells.collect::<Result<_, _>>()?);
        }
        Ok(QueryResult { command: wire.command, row_count: wire.row_count, fields: wire.fields, rows })
    }
}

/// The `{query, params}` object of one statement; every parameter but NULL goes as text.
pub(super) fn query_body(query: &WireQuery) -> Json {
    let params = query.params.iter().map(|p| wire_param_text(p).map_or(Json::Null, Json::Str)).collect();
    Json::object([("query", Json::string(query.text.as_str())), ("params", Json::Arr(params))])
}

/// The `{queries: [...]}` body of a transaction.
pub(super) fn transaction_body(queries: &[WireQuery]) -> Json {
    Json::object([("queries", Json::Arr(queries.iter().map(query_body).collect()))])
}

/// Reads the answer to one statement.
pub(super) fn read_result(mut body: Json) -> Result<WireResult, Error> {
    if !matches!(body, Json::Obj(_)) {
        return Err(Error::Decode { message: "expected an object".into(), path: None });
    }
    let command = body.present("command", "a string", Json::as_str)?.unwrap_or_default().to_owned();
    let row_count = body.member("rowCount", "a non-negative integer", Json::as_u64)?;
    let fields = body
        .present("fields", "an array", Json::as_array)?
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, field)| read_field(field).map_err(|e| within(&format!("fields[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    let rows = body.take_array("rows")?.into_iter().map(|row| row_values(row, &fields)).collect();
    Ok(WireResult { command, row_count, fields, rows })
}

/// Reads the answer to a transaction: one result per statement.
pub(super) fn read_transaction(mut body: Json) -> Result<Vec<WireResult>, Error> {
    body.required("results", "an array", Json::as_array)?;
    body.take_array("results")?
        .into_iter()
        .enumerate()
        .map(|(i, result)| read_result(result).map_err(|e| within(&format!("results[{i}]"), e)))
        .collect()
}

fn read_field(field: &Json) -> Result<Field, Error> {
    let oid = |key| field.present(key, "a type or table OID", |v| v.as_u64().and_then(|n| u32::try_from(n).ok()));
    Ok(Field {
        name: field.required("name", "a string", Json::as_str)?.to_owned(),
        data_type_id: oid("dataTypeID")?.unwrap_or(0),
        table_id: oid("tableID")?.unwrap_or(0),
    })
}

fn row_values(row: Json, fields: &[Field]) -> Vec<Json> {
    match row {
        Json::Arr(values) => values,
        // A server that ignored array mode: take the values in field order.
        Json::Obj(mut members) => fields
            .iter()
            // A repeated key gives its last value, as `JSON.parse` would; a column read
            // twice gets it once.
            .map(|field| match members.iter_mut().rev().find(|(k, _)| *k == field.name) {
                Some((_, value)) => std::mem::take(value),
                None => Json::Null,
            })
            .collect(),
        other => vec![other],
    }
}
