//! Parameters on the wire: like `@neondatabase/serverless`, every value but NULL is sent as
//! the text Postgres parses it from, so the server never guesses at JSON types.

use super::Query;
use serde_json::{Map, Value};

/// The `{query, params}` object for one statement.
pub(super) fn query_json(query: &Query) -> Map<String, Value> {
    let params = query
        .params
        .iter()
        .map(|v| param_text(v).map_or(Value::Null, Value::String))
        .collect();
    let mut map = Map::new();
    map.insert("query".into(), Value::String(query.text.clone()));
    map.insert("params".into(), Value::Array(params));
    map
}

/// The text a parameter is sent as: `None` for NULL, strings as they are, numbers and
/// booleans as Postgres reads them, arrays as array literals (`{1,"a b",NULL}`), objects
/// as JSON text.
pub fn param_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let mut out = String::new();
            array_literal(items, &mut out);
            Some(out)
        }
        Value::Object(_) => Some(value.to_string()),
    }
}

fn array_literal(items: &[Value], out: &mut String) {
    out.push('{');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::Null => out.push_str("NULL"),
            Value::Array(inner) => array_literal(inner, out),
            other => {
                let text = param_text(other).unwrap_or_default();
                out.push('"');
                for c in text.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_become_text_and_null_stays_null() {
        assert_eq!(param_text(&json!(null)), None);
        assert_eq!(param_text(&json!("it's")).as_deref(), Some("it's"));
        assert_eq!(param_text(&json!(42)).as_deref(), Some("42"));
        assert_eq!(param_text(&json!(1.5)).as_deref(), Some("1.5"));
        assert_eq!(param_text(&json!(true)).as_deref(), Some("true"));
    }

    #[test]
    fn arrays_become_postgres_array_literals_with_quoting() {
        let v = json!([1, "a \"b\"", null, ["x\\y"]]);
        assert_eq!(
            param_text(&v).as_deref(),
            Some(r#"{"1","a \"b\"",NULL,{"x\\y"}}"#)
        );
    }

    #[test]
    fn objects_become_json_text() {
        assert_eq!(
            param_text(&json!({"a": [1]})).as_deref(),
            Some(r#"{"a":[1]}"#)
        );
    }
}
