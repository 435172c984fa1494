//! The operation model: path, query and body parameters and the success response of every
//! operation, with the params struct each one takes.

use crate::naming::{camel, doc_lines, field_ident, pascal, snake};
use crate::spec::{entries, flag, items, present, ref_name, resolve, text, EXTRA_FILE, SPEC_FILE};
use crate::types::{description, Field, Kind, Module, Ty, Types};
use yaml_rust2::Yaml;

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A JSON body.
    Json(Ty),
    /// A JSON body on some success statuses and none on others (e.g. 200 and 204).
    MaybeJson(Ty),
    /// No body worth decoding.
    Empty,
    /// Raw bytes (`application/octet-stream`).
    Bytes,
}

/// How the request body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMedia {
    Json,
    /// `multipart/form-data`.
    Multipart,
}

/// One path parameter (its JS name is the camelCase of `name`).
#[derive(Debug, Clone)]
pub struct PathParam {
    pub name: String,
}

/// One query parameter.
#[derive(Debug, Clone)]
pub struct QueryParam {
    pub name: String,
    pub required: bool,
    /// `explode: false` joins arrays with commas.
    pub comma: bool,
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Op {
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub doc: Vec<String>,
    pub deprecated: bool,
    /// What to use instead, for deprecated operations: the `operationId` of the replacement
    /// the description points to, when there is one.
    pub replacement: Option<String>,
    pub path_params: Vec<PathParam>,
    pub query_params: Vec<QueryParam>,
    /// `Some(required)` when the operation takes a body.
    pub body: Option<bool>,
    pub body_media: BodyMedia,
    /// The name of the params struct.
    pub params_type: String,
    /// Whether the params argument can be omitted (no required field).
    pub params_optional: bool,
    pub response: Response,
    /// Whether it comes from `extra-operations.yaml`.
    pub extra: bool,
}

impl Op {
    /// `list_projects`.
    pub fn fn_name(&self) -> String {
        field_ident(&self.id)
    }

    /// `LIST_PROJECTS`.
    pub fn const_name(&self) -> String {
        snake(&self.id).to_ascii_uppercase()
    }
}

/// The HTTP methods the client can send: the runtime's `transport::Method` has exactly these.
const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head"];

/// The fields of an OpenAPI path item that are not operations.
const PATH_ITEM_FIELDS: &[&str] = &["$ref", "summary", "description", "servers", "parameters"];

/// Reads every operation, declaring the params structs and inline body/response types.
pub fn collect(types: &mut Types, extra_ids: &[String]) -> Result<Vec<Op>, String> {
    let root = types.root;
    let mut ops = Vec::new();
    for (path, item) in entries(&root["paths"]) {
        for (method, op) in entries(item) {
            if PATH_ITEM_FIELDS.contains(&method.as_str()) || method.starts_with("x-") {
                continue;
            }
            if !METHODS.contains(&method.as_str()) {
                return Err(unknown_method(&path, &method, op, extra_ids));
            }
            let id = text(&op["operationId"])
                .ok_or_else(|| format!("{method} {path} has no operationId"))?;
            if ops.iter().any(|o: &Op| o.id == id) {
                return Err(format!("operationId `{id}` is used twice"));
            }
            let built = operation(types, &path, &method, item, op)
                .map_err(|e| format!("{id} ({} {path}): {e}", method.to_uppercase()))?;
            ops.push(Op {
                extra: extra_ids.iter().any(|x| x == id),
                ..built
            });
        }
    }
    let replacements: Vec<Option<String>> = ops.iter().map(|op| replacement(op, &ops)).collect();
    for (op, replacement) in ops.iter_mut().zip(replacements) {
        op.replacement = replacement;
    }
    Ok(ops)
}

/// The error for an operation filed under a key that is no method the client can send: the
/// operation table would carry a method the runtime does not know.
fn unknown_method(path: &str, method: &str, op: &Yaml, extra_ids: &[String]) -> String {
    let id = text(&op["operationId"]);
    let operation = match id {
        Some(id) => format!("operation `{id}`"),
        None => "an operation".to_owned(),
    };
    let source = match id {
        Some(id) if extra_ids.iter().any(|x| x == id) => EXTRA_FILE.to_owned(),
        Some(_) => SPEC_FILE.to_owned(),
        None => format!("{SPEC_FILE} or {EXTRA_FILE}"),
    };
    let mut message = format!(
        "{source}: {operation} ({path}) has the HTTP method `{method}`, which the client can not send (it sends {})",
        METHODS.join(", ")
    );
    if METHODS.contains(&method.to_ascii_lowercase().as_str()) {
        message.push_str("; OpenAPI spells methods in lowercase");
    }
    message
}

/// The operation a deprecated one's description sends callers to ("DEPRECATED, use
/// `/projects/{project_id}/branches/{branch_id}/auth` instead"): same method, that path.
fn replacement(op: &Op, ops: &[Op]) -> Option<String> {
    if !op.deprecated {
        return None;
    }
    let text = op.doc.join(" ");
    let lower = text.to_ascii_lowercase();
    let at = lower.find("use `")?;
    let rest = &text[at + 5..];
    let path = &rest[..rest.find('`')?];
    ops.iter()
        .find(|o| o.path == path && o.method == op.method && !o.deprecated)
        .map(|o| o.id.clone())
}

fn operation(
    types: &mut Types,
    path: &str,
    method: &str,
    item: &Yaml,
    op: &Yaml,
) -> Result<Op, String> {
    let root = types.root;
    let id = text(&op["operationId"]).unwrap_or_default().to_owned();
    let stem = pascal(&id);
    let params_type = format!("{stem}Params");
    if !types.is_free(&params_type) {
        return Err(format!(
            "the params type name `{params_type}` is taken by a schema"
        ));
    }

    // Operation-level parameters override path-level ones with the same name and location.
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
            !(q["name"].as_str() == p["name"].as_str() && q["in"].as_str() == p["in"].as_str())
        });
        params.push(p);
    }

    let mut fields = Vec::new();
    let mut path_params = Vec::new();
    // Path parameters in template order.
    for placeholder in placeholders(path) {
        let p = params
            .iter()
            .find(|p| {
                p["in"].as_str() == Some("path") && p["name"].as_str() == Some(placeholder.as_str())
            })
            .ok_or_else(|| format!("the path parameter `{placeholder}` is not declared"))?;
        let js_name = camel(&placeholder);
        let ty = types.ty_of(
            &p["schema"],
            &format!("{stem}{}", pascal(&placeholder)),
            Module::Params,
        )?;
        fields.push(param_field(&js_name, &placeholder, ty, true, p));
        path_params.push(PathParam { name: placeholder });
    }
    let mut query_params = Vec::new();
    for p in params.iter().filter(|p| p["in"].as_str() == Some("query")) {
        let name = text(&p["name"])
            .ok_or("a query parameter has no name")?
            .to_owned();
        let required = flag(&p["required"]);
        let ty = types.ty_of(
            &p["schema"],
            &format!("{stem}{}", pascal(&name)),
            Module::Params,
        )?;
        let comma = flag_is_false(&p["explode"]);
        fields.push(param_field(&name, &name, ty, required, p));
        query_params.push(QueryParam {
            name,
            required,
            comma,
        });
    }

    let mut body = None;
    let mut body_media = BodyMedia::Json;
    let request = match text(&op["requestBody"]["$ref"]) {
        Some(r) => resolve(root, r)?,
        None => &op["requestBody"],
    };
    if present(request) {
        let content = entries(&request["content"]);
        let (media, schema) = content
            .iter()
            .find(|(m, _)| m.contains("json"))
            .or_else(|| content.first())
            .map(|(m, c)| (m.clone(), &c["schema"]))
            .ok_or("the request body has no content")?;
        if media.starts_with("multipart/") {
            body_media = BodyMedia::Multipart;
        }
        let required = flag(&request["required"]);
        let ty = types.ty_of(schema, &format!("{stem}Body"), Module::Models)?;
        let mut field = param_field("body", "body", ty, required, request);
        field.doc = description(request);
        fields.push(field);
        body = Some(required);
    }

    for (i, f) in fields.iter().enumerate() {
        if fields[..i]
            .iter()
            .any(|g| g.json == f.json || g.ident == f.ident)
        {
            return Err(format!("two parameters are both called `{}`", f.json));
        }
    }
    let params_optional = fields.iter().all(|f| !f.required);
    let params_doc = vec![format!(
        "Arguments of `{id}`: {} {path}.",
        method.to_uppercase()
    )];
    types.push_struct(&params_type, params_doc, fields, Module::Params);

    let response = response(types, op, &stem)?;
    let mut doc = Vec::new();
    if let Some(desc) = text(&op["description"]) {
        doc.extend(doc_lines(desc));
    }
    Ok(Op {
        id,
        method: method.to_owned(),
        path: path.to_owned(),
        summary: text(&op["summary"]).map(|s| s.trim().to_owned()),
        doc,
        deprecated: flag(&op["deprecated"]),
        replacement: None,
        path_params,
        query_params,
        body,
        body_media,
        params_type,
        params_optional,
        response,
        extra: false,
    })
}

fn flag_is_false(node: &Yaml) -> bool {
    node.as_bool() == Some(false)
}

fn param_field(json: &str, spec_name: &str, ty: Ty, required: bool, param: &Yaml) -> Field {
    let mut doc = description(param);
    if doc.is_empty() {
        doc = description(&param["schema"]);
    }
    Field {
        json: json.to_owned(),
        ident: field_ident(spec_name),
        ty,
        required,
        nullable: false,
        doc,
        deprecated: flag(&param["deprecated"]),
    }
}

/// The `{name}` placeholders of a path template, in order.
fn placeholders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}

/// The success response: the first 2xx with a body decides the type; other 2xx without one
/// make it optional.
fn response(types: &mut Types, op: &Yaml, stem: &str) -> Result<Response, String> {
    let root = types.root;
    let mut json: Option<Ty> = None;
    let mut bytes = false;
    let mut some_empty = false;
    for (status, resp) in entries(&op["responses"]) {
        if !status.starts_with('2') {
            continue;
        }
        let (resp, context) = match text(&resp["$ref"]) {
            Some(r) => {
                let name = ref_name(r);
                let context = if name.ends_with("Response") {
                    name.to_owned()
                } else {
                    format!("{name}Response")
                };
                (resolve(root, r)?, context)
            }
            None => (resp, format!("{stem}Response")),
        };
        let content = entries(&resp["content"]);
        match content.iter().find(|(m, _)| m.contains("json")) {
            Some((_, c)) if json.is_none() && present(&c["schema"]) => {
                json = Some(types.ty_of(&c["schema"], &context, Module::Models)?);
            }
            Some(_) => {}
            None if content.iter().any(|(m, _)| m == "application/octet-stream") => bytes = true,
            None => some_empty = true,
        }
    }
    Ok(match (json, bytes, some_empty) {
        (Some(ty), _, false) => Response::Json(ty),
        (Some(ty), _, true) => Response::MaybeJson(ty),
        (None, true, _) => Response::Bytes,
        (None, false, _) => Response::Empty,
    })
}

impl Types<'_> {
    /// Declares a struct built here rather than from a schema (the params structs).
    pub fn push_struct(
        &mut self,
        name: &str,
        doc: Vec<String>,
        fields: Vec<Field>,
        module: Module,
    ) {
        self.push_def(name, doc, Kind::Struct(fields), module);
    }
}
