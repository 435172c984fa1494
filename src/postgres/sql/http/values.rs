//! Parameters on the wire: like `@neondatabase/serverless`, every value but NULL is sent as
//! the text Postgres parses it from, so the server never guesses at JSON types.

use crate::core::json::Json;
use serde_json::Value;

/// The text a parameter is sent as: `None` for NULL, strings as they are, numbers and
/// booleans as Postgres reads them, arrays as array literals (`{1,"a b",NULL}`), objects
/// as JSON text.
pub fn param_text(value: &Value) -> Option<String> {
    wire_param_text(&Json::from(value.clone()))
}

/// [`param_text`] of a core JSON value: a number goes as its JSON text, exactly as written.
pub(crate) fn wire_param_text(value: &Json) -> Option<String> {
    match value {
        Json::Null => None,
        Json::Str(s) | Json::Num(s) => Some(s.clone()),
        Json::Bool(b) => Some(crate::core::text::bool_text(*b).to_owned()),
        Json::Arr(items) => {
            let mut out = String::new();
            array_literal(items, &mut out);
            Some(out)
        }
        Json::Obj(_) => Some(value.to_text()),
    }
}

fn array_literal(items: &[Json], out: &mut String) {
    out.push('{');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Json::Null => out.push_str("NULL"),
            Json::Arr(inner) => array_literal(inner, out),
            other => {
                let text = wire_param_text(other).unwrap_or_default();
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

    #[test]
    fn core_json_numbers_go_as_their_text_and_objects_as_serde_json_writes_them() {
        assert_eq!(wire_param_text(&Json::Num("1.50e3".into())).as_deref(), Some("1.50e3"));
        let object = json!({"b": "\u{8}\u{c}\n\u{1}", "a": [1, 2.5, null, {"c": false}]});
        assert_eq!(param_text(&object), Some(object.to_string()));
    }
}
