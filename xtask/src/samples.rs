//! `cargo run -p xtask -- samples`: one valid argument object per operation (path
//! parameters in camelCase, required query parameters, a body with every required field),
//! built from the spec's schemas, for contract tests that call every operation.

use crate::naming::camel;
use crate::spec::{entries, flag, items, present, resolve, text};
use yaml_rust2::Yaml;

/// A JSON value, written with keys in spec order.
enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn write(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent + 1);
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(&b.to_string()),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => out.push_str(&quote(s)),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    item.write(out, indent + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&format!("{}]", "  ".repeat(indent)));
            }
            Json::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Obj(fields) => {
                out.push_str("{\n");
                for (i, (key, value)) in fields.iter().enumerate() {
                    out.push_str(&format!("{pad}{}: ", quote(key)));
                    value.write(out, indent + 1);
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                out.push_str(&format!("{}}}", "  ".repeat(indent)));
            }
        }
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `{ "<operationId>": { <arguments> }, ... }` as JSON text.
pub fn samples(root: &Yaml) -> Result<String, String> {
    let mut all = Vec::new();
    for (_, item) in entries(&root["paths"]) {
        for (_, op) in entries(item) {
            let Some(id) = text(&op["operationId"]) else {
                continue;
            };
            let mut args = Vec::new();
            let mut params: Vec<&Yaml> = Vec::new();
            for p in items(&item["parameters"])
                .iter()
                .chain(items(&op["parameters"]))
            {
                let p = match text(&p["$ref"]) {
                    Some(r) => resolve(root, r)?,
                    None => p,
                };
                params.retain(|q| {
                    q["name"].as_str() != p["name"].as_str() || q["in"].as_str() != p["in"].as_str()
                });
                params.push(p);
            }
            for p in params {
                let name = text(&p["name"]).unwrap_or_default();
                match text(&p["in"]) {
                    Some("path") => args.push((camel(name), sample(root, &p["schema"], 0)?)),
                    Some("query") if flag(&p["required"]) => {
                        // An empty list would leave a required parameter off the query string.
                        let value = match sample(root, &p["schema"], 0)? {
                            Json::Arr(list) if list.is_empty() => {
                                Json::Arr(vec![Json::Str("abc123".into())])
                            }
                            value => value,
                        };
                        args.push((name.to_owned(), value));
                    }
                    _ => {}
                }
            }
            let request = match text(&op["requestBody"]["$ref"]) {
                Some(r) => resolve(root, r)?,
                None => &op["requestBody"],
            };
            if present(request) {
                if let Some((_, content)) = entries(&request["content"]).into_iter().next() {
                    args.push(("body".to_owned(), sample(root, &content["schema"], 0)?));
                }
            }
            all.push((id.to_owned(), Json::Obj(args)));
        }
    }
    let mut out = String::new();
    Json::Obj(all).write(&mut out, 0);
    out.push('\n');
    Ok(out)
}

/// A value the schema accepts: required properties only, the first enum value, the
/// smallest allowed number, one item where a list needs one.
fn sample(root: &Yaml, schema: &Yaml, depth: usize) -> Result<Json, String> {
    if depth > 12 {
        return Ok(Json::Null);
    }
    if let Some(r) = text(&schema["$ref"]) {
        return sample(root, resolve(root, r)?, depth + 1);
    }
    if let Some(first) = items(&schema["enum"]).first() {
        return Ok(scalar(first));
    }
    let all_of = items(&schema["allOf"]);
    if !all_of.is_empty() {
        let mut fields = Vec::new();
        for member in all_of {
            if let Json::Obj(more) = sample(root, member, depth + 1)? {
                for (k, v) in more {
                    if !fields.iter().any(|(f, _): &(String, Json)| *f == k) {
                        fields.push((k, v));
                    }
                }
            }
        }
        if let Json::Obj(own) = object(root, schema, depth)? {
            fields.extend(
                own.into_iter()
                    .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
                    .collect::<Vec<_>>(),
            );
        }
        return Ok(Json::Obj(fields));
    }
    for key in ["oneOf", "anyOf"] {
        // The member with the fewest required properties: a richer one would often match
        // the lax members too, and `oneOf` wants exactly one match.
        let members = items(&schema[key]);
        let required_count = |m: &Yaml| -> usize {
            let target = text(&m["$ref"])
                .and_then(|r| resolve(root, r).ok())
                .unwrap_or(m);
            items(&target["required"]).len()
        };
        if let Some(first) = members.iter().min_by_key(|m| required_count(m)) {
            let mut value = sample(root, first, depth + 1)?;
            if let (Json::Obj(fields), Some(tag)) =
                (&mut value, text(&schema["discriminator"]["propertyName"]))
            {
                let reference = text(&first["$ref"]).unwrap_or_default();
                let tag_value = entries(&schema["discriminator"]["mapping"])
                    .into_iter()
                    .find(|(_, t)| t.as_str() == Some(reference))
                    .map(|(v, _)| v);
                if let (Some(v), false) = (tag_value, fields.iter().any(|(k, _)| k == tag)) {
                    fields.insert(0, (tag.to_owned(), Json::Str(v)));
                }
            }
            return Ok(value);
        }
    }
    Ok(match text(&schema["type"]) {
        Some("string") => Json::Str(string(schema)),
        Some("integer") | Some("number") => Json::Num(number(schema).to_string()),
        Some("boolean") => Json::Bool(false),
        Some("array") => {
            let n = schema["minItems"].as_i64().unwrap_or(0).max(0) as usize;
            let mut list = Vec::new();
            for _ in 0..n {
                list.push(sample(root, &schema["items"], depth + 1)?);
            }
            Json::Arr(list)
        }
        _ => object(root, schema, depth)?,
    })
}

fn object(root: &Yaml, schema: &Yaml, depth: usize) -> Result<Json, String> {
    let required: Vec<&str> = items(&schema["required"])
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    let mut fields = Vec::new();
    for (name, prop) in entries(&schema["properties"]) {
        if required.contains(&name.as_str()) {
            fields.push((name, sample(root, prop, depth + 1)?));
        }
    }
    Ok(Json::Obj(fields))
}

/// The smallest number the schema allows, else 1.
fn number(schema: &Yaml) -> i64 {
    let bound = |node: &Yaml| {
        node.as_i64()
            .or_else(|| node.as_f64().map(|f| f.ceil() as i64))
    };
    let mut value = match bound(&schema["minimum"]) {
        Some(min) if flag(&schema["exclusiveMinimum"]) => min + 1,
        Some(min) => min,
        None => 1,
    };
    if let Some(max) = bound(&schema["maximum"]) {
        value = value.min(max);
    }
    value
}

fn scalar(value: &Yaml) -> Json {
    match value {
        Yaml::String(s) => Json::Str(s.clone()),
        Yaml::Integer(i) => Json::Num(i.to_string()),
        Yaml::Real(r) => Json::Num(r.clone()),
        Yaml::Boolean(b) => Json::Bool(*b),
        _ => Json::Null,
    }
}

/// A string that fits the schema's format, pattern and length limits.
fn string(schema: &Yaml) -> String {
    let mut s = match text(&schema["format"]) {
        Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
        Some("date") => "2024-01-01".to_owned(),
        Some("email") => "user@example.com".to_owned(),
        Some("uuid") => "00000000-0000-4000-8000-000000000000".to_owned(),
        Some("uri") | Some("url") => "https://example.com".to_owned(),
        // Lowercase letters and digits satisfy every pattern the spec uses.
        _ => "abc123".to_owned(),
    };
    if let Some(max) = schema["maxLength"].as_i64() {
        s.truncate(max.max(1) as usize);
    }
    let min = schema["minLength"].as_i64().unwrap_or(0).max(0) as usize;
    while s.len() < min {
        s.push('a');
    }
    s
}
