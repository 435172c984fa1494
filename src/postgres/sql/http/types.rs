//! What Rust callers send and get back: statements with `serde_json` parameters, and results
//! with `serde_json` rows (the wire module converts at the edge).

use super::SqlError;
use crate::core::error::Error;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

/// One statement and its `$1, $2, …` parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The SQL text.
    pub text: String,
    /// Parameter values; strings, numbers and booleans are sent as text, arrays as
    /// Postgres array literals, objects as JSON text, `null` as SQL NULL.
    pub params: Vec<Value>,
}

impl Query {
    /// A statement without parameters.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            params: Vec::new(),
        }
    }

    /// A statement with parameters.
    pub fn with_params(text: impl Into<String>, params: Vec<Value>) -> Self {
        Query {
            text: text.into(),
            params,
        }
    }
}

/// A result column.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The column's name (`?column?` when unnamed).
    pub name: String,
    /// The type's OID (23 int4, 25 text, 1184 timestamptz, …).
    #[serde(default, rename = "dataTypeID")]
    pub data_type_id: u32,
    /// The table's OID when the column comes straight from one, else 0.
    #[serde(default, rename = "tableID")]
    pub table_id: u32,
}

/// What one statement returned.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// The command tag's verb: `SELECT`, `INSERT`, `CREATE`, …
    pub command: String,
    /// Rows affected or returned, for commands that count them.
    pub row_count: Option<u64>,
    /// The columns, in order.
    pub fields: Vec<Field>,
    /// The rows, each a value per field, in field order.
    pub rows: Vec<Vec<Value>>,
}

impl QueryResult {
    /// The rows as objects keyed by column name (a later column wins over an earlier one
    /// with the same name).
    pub fn row_objects(&self) -> Vec<Map<String, Value>> {
        self.rows
            .iter()
            .map(|row| {
                self.fields
                    .iter()
                    .map(|f| f.name.clone())
                    .zip(row.iter().cloned())
                    .collect()
            })
            .collect()
    }

    /// Decodes every row (as an object keyed by column name) into `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Vec<T>, SqlError> {
        self.row_objects()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                serde_json::from_value(Value::Object(row)).map_err(|e| {
                    SqlError::Request(Error::Decode {
                        message: e.to_string(),
                        path: Some(format!("rows[{i}]")),
                    })
                })
            })
            .collect()
    }
}
