//! Checks JSON values against the schemas of Neon's official OpenAPI spec
//! (`@neondatabase/api-client`'s `public-v2-for-users.gen.yaml`).

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

fn spec_path() -> PathBuf {
    if let Ok(p) = std::env::var("NEON_OPENAPI_SPEC") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/@neondatabase/api-client/public-v2-for-users.gen.yaml")
}

/// The spec, loaded once; fails loudly when `npm ci` has not installed it.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = spec_path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read the Neon OpenAPI spec at {path:?} ({e}): run `npm ci` at the repository root or set NEON_OPENAPI_SPEC")
        });
        serde_yaml::from_str(&text).expect("the spec is valid YAML")
    })
}

fn resolve<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    let mut cur = v;
    for _ in 0..20 {
        match cur.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let ptr = r.trim_start_matches('#');
                cur = root
                    .pointer(ptr)
                    .unwrap_or_else(|| panic!("unresolvable $ref {r}"));
            }
            None => return cur,
        }
    }
    cur
}

/// The JSON schema of a documented response.
pub fn response_schema(path: &str, method: &str, status: u16) -> Value {
    let root = spec();
    let op = root["paths"]
        .get(path)
        .and_then(|p| p.get(method))
        .unwrap_or_else(|| panic!("{method} {path} is not in the spec"));
    let responses = &op["responses"];
    let r = responses
        .get(status.to_string())
        .or_else(|| responses.get("default"))
        .unwrap_or_else(|| panic!("{method} {path} documents no {status} response"));
    let r = resolve(root, r);
    r["content"]["application/json"]["schema"].clone()
}

/// A component schema by name.
pub fn component(name: &str) -> Value {
    spec()["components"]["schemas"][name].clone()
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    if v.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        return;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(root, s, v, at, errors);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(any) = schema.get(key).and_then(Value::as_array) {
            let ok = any.iter().any(|s| {
                let mut e = Vec::new();
                check(root, s, v, at, &mut e);
                e.is_empty()
            });
            if !ok {
                errors.push(format!("{at}: matches none of {key}"));
            }
        }
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        if !type_ok(t, v) {
            errors.push(format!("{at}: expected {t}, got {v}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        if v.as_f64().is_some_and(|x| x < min) {
            errors.push(format!("{at}: {v} is below the minimum {min}"));
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    errors.push(format!("{at}: missing required property {r}"));
                }
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, val, &format!("{at}.{k}"), errors),
                None => {
                    if let Some(ap) = schema.get("additionalProperties") {
                        if ap == &Value::Bool(false) && props.is_some() {
                            errors.push(format!("{at}: unexpected property {k}"));
                        } else if ap.is_object() {
                            check(root, ap, val, &format!("{at}.{k}"), errors);
                        }
                    }
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            check(root, items, item, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Every way `v` breaks `schema`.
pub fn violations(schema: &Value, v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(spec(), schema, v, "$", &mut errors);
    errors
}

/// Asserts that a response body follows the documented schema of `method path` for `status`.
pub fn assert_response(path: &str, method: &str, status: u16, body: &Value) {
    let schema = response_schema(path, method, status);
    let errors = violations(&schema, body);
    assert!(
        errors.is_empty(),
        "{method} {path} ({status}) breaks the spec:\n{}\nbody: {body:#}",
        errors.join("\n")
    );
}
