//! Postgres values and column descriptions in the shapes Neon's SQL-over-HTTP returns.

use serde_json::{json, Value};
use tokio_postgres::Column;

/// The command tag's first word for a query (`SELECT`, `INSERT`, `CREATE`, ...).
pub fn command_of(query: &str) -> String {
    let mut q = query.trim_start();
    // Skip leading comments.
    loop {
        if let Some(rest) = q.strip_prefix("--") {
            q = rest
                .split_once('\n')
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else if let Some(rest) = q.strip_prefix("/*") {
            q = rest
                .split_once("*/")
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else {
            break;
        }
    }
    let word: String = q.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let word = word.to_ascii_uppercase();
    match word.as_str() {
        "WITH" => {
            let upper = q.to_ascii_uppercase();
            ["INSERT", "UPDATE", "DELETE", "MERGE"]
                .into_iter()
                .find(|k| upper.contains(&format!("{k} ")))
                .unwrap_or("SELECT")
                .to_string()
        }
        "VALUES" | "TABLE" => "SELECT".into(),
        _ => word,
    }
}

/// The storage size of well-known types (`pg_type.typlen`), -1 for variable-length ones.
fn type_size(oid: u32) -> i64 {
    match oid {
        16 | 18 => 1,
        21 => 2,
        23 | 26 | 700 | 1082 | 28 | 29 => 4,
        20 | 701 | 1083 | 1114 | 1184 | 790 => 8,
        1266 => 12,
        1186 | 2950 => 16,
        19 => 64,
        _ => -1,
    }
}

/// A field description: `{name, dataTypeID, tableID, columnID, dataTypeSize, dataTypeModifier, format}`.
pub fn field_json(c: &Column) -> Value {
    let oid = c.type_().oid();
    json!({
        "name": c.name(),
        "dataTypeID": oid,
        "tableID": c.table_oid().unwrap_or(0),
        "columnID": c.column_id().unwrap_or(0),
        "dataTypeSize": type_size(oid),
        "dataTypeModifier": c.type_modifier(),
        "format": "text",
    })
}

/// A text value as JSON when raw text output is off: booleans, small numbers and JSON natively.
pub fn text_to_json(oid: u32, text: &str) -> Value {
    match oid {
        16 => Value::Bool(text == "t"),
        21 | 23 | 26 => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.into())),
        700 | 701 => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.into())),
        114 | 3802 => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.into())),
        _ => Value::String(text.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_come_from_the_first_keyword() {
        assert_eq!(command_of("select 1"), "SELECT");
        assert_eq!(command_of("-- hi\n insert into t values (1)"), "INSERT");
        assert_eq!(command_of("WITH x AS (SELECT 1) DELETE FROM t"), "DELETE");
        assert_eq!(command_of("create table t (id int)"), "CREATE");
    }

    #[test]
    fn text_values_become_json_when_asked() {
        assert_eq!(text_to_json(16, "t"), json!(true));
        assert_eq!(text_to_json(23, "42"), json!(42));
        assert_eq!(text_to_json(3802, "{\"a\":1}"), json!({"a": 1}));
        assert_eq!(
            text_to_json(20, "9007199254740993"),
            json!("9007199254740993")
        );
    }
}
