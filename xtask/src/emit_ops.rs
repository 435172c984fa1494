//! Writes `operations.rs` (the descriptor table) and `methods.rs` (one typed method per
//! operation on `NeonClient`).

use crate::emit_types::rust_ty;
use crate::naming::{push_doc, rust_str, shouty};
use crate::operations::{BodyMedia, Op, Response};
use std::collections::BTreeMap;

/// The body of `operations.rs`.
pub fn emit_table(ops: &[Op]) -> String {
    let mut out = String::new();
    out.push_str(
        "use crate::operation::{BodyKind, Operation, PathParam, QueryParam, QueryStyle, ResponseFormat};\n",
    );
    out.push_str("use crate::transport::Method;\n\n");

    // One constant per distinct path parameter, shared by the operations.
    let mut path_params = BTreeMap::new();
    for op in ops {
        for p in &op.path_params {
            path_params.insert(p.name.clone(), p.js_name.clone());
        }
    }
    for (name, js_name) in &path_params {
        out.push_str(&format!(
            "const P_{}: PathParam = PathParam {{ name: {}, js_name: {} }};\n",
            shouty(name),
            rust_str(name),
            rust_str(js_name)
        ));
    }
    out.push_str(
        "\nconst fn query(name: &'static str, required: bool, style: QueryStyle) -> QueryParam {\n",
    );
    out.push_str("    QueryParam { name, required, style }\n}\n");

    for op in ops {
        out.push('\n');
        let mut doc = vec![format!("`{} {}`", op.method.to_uppercase(), op.path)];
        if let Some(summary) = &op.summary {
            doc[0].push_str(&format!(": {summary}"));
        }
        push_doc(&mut out, "", &doc);
        out.push_str(&format!(
            "pub const {}: Operation = Operation {{\n",
            op.const_name()
        ));
        out.push_str(&format!("    id: {},\n", rust_str(&op.id)));
        out.push_str(&format!(
            "    method: Method::{},\n",
            method_variant(&op.method)
        ));
        out.push_str(&format!("    path: {},\n", rust_str(&op.path)));
        let pp: Vec<String> = op
            .path_params
            .iter()
            .map(|p| format!("P_{}", shouty(&p.name)))
            .collect();
        out.push_str(&format!("    path_params: &[{}],\n", pp.join(", ")));
        if op.query_params.is_empty() {
            out.push_str("    query_params: &[],\n");
        } else {
            out.push_str("    query_params: &[\n");
            for q in &op.query_params {
                let style = if q.comma { "FormComma" } else { "FormExploded" };
                out.push_str(&format!(
                    "        query({}, {}, QueryStyle::{style}),\n",
                    rust_str(&q.name),
                    q.required
                ));
            }
            out.push_str("    ],\n");
        }
        let body = match (op.body, op.body_media) {
            (None, _) => "None",
            (Some(_), BodyMedia::Multipart) => "Multipart",
            (Some(true), BodyMedia::Json) => "Required",
            (Some(false), BodyMedia::Json) => "Optional",
        };
        out.push_str(&format!("    body: BodyKind::{body},\n"));
        let response = if op.response == Response::Bytes { "Bytes" } else { "Json" };
        out.push_str(&format!("    response: ResponseFormat::{response},\n"));
        out.push_str(&format!("    deprecated: {},\n}};\n", op.deprecated));
    }

    out.push_str("\n/// Every operation, in spec order.\n");
    out.push_str("pub const OPERATIONS: &[Operation] = &[\n");
    for op in ops {
        out.push_str(&format!("    {},\n", op.const_name()));
    }
    out.push_str("];\n\n");
    out.push_str("/// The operation with this `operationId`.\n");
    out.push_str("pub fn operation(id: &str) -> Option<&'static Operation> {\n");
    out.push_str("    OPERATIONS.iter().find(|op| op.id == id)\n}\n");
    out
}

fn method_variant(method: &str) -> &'static str {
    match method {
        "get" => "Get",
        "post" => "Post",
        "put" => "Put",
        "patch" => "Patch",
        "delete" => "Delete",
        _ => "Head",
    }
}

/// The Rust return type of an operation's method.
pub fn return_type(response: &Response) -> String {
    match response {
        Response::Json(ty) => rust_ty(ty),
        Response::MaybeJson(ty) => format!("Option<{}>", rust_ty(ty)),
        Response::Empty => "()".into(),
        Response::Bytes => "Vec<u8>".into(),
    }
}

/// The body of `methods.rs`.
pub fn emit_methods(ops: &[Op]) -> String {
    let mut out = String::new();
    out.push_str("use super::models::*;\nuse super::operations;\nuse super::params::*;\n");
    out.push_str("use crate::client::{CallOptions, NeonClient};\nuse crate::error::Error;\n\n");
    out.push_str("impl NeonClient {\n");
    for (i, op) in ops.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_doc(&mut out, "    ", &method_doc(op));
        if op.deprecated {
            let note = match &op.replacement {
                Some(id) => format!(
                    "deprecated in the Neon API spec: use `{}` instead",
                    crate::naming::field_ident(id)
                ),
                None => "deprecated in the Neon API spec".to_owned(),
            };
            out.push_str(&format!("    #[deprecated(note = {})]\n", rust_str(&note)));
        }
        out.push_str(&format!(
            "    pub async fn {}(&self, params: &{}, options: &CallOptions) -> Result<{}, Error> {{\n",
            op.fn_name(),
            op.params_type,
            return_type(&op.response)
        ));
        let op_ref = format!("&operations::{}", op.const_name());
        match &op.response {
            Response::Json(_) | Response::MaybeJson(_) => {
                out.push_str(&format!(
                    "        self.invoke({op_ref}, params, options).await\n"
                ));
            }
            Response::Empty => {
                // Whatever body a success carries is read and dropped, never a decode error.
                out.push_str(&format!(
                    "        self.invoke::<_, serde::de::IgnoredAny>({op_ref}, params, options).await.map(|_| ())\n"
                ));
            }
            Response::Bytes => {
                out.push_str("        let args = serde_json::to_value(params)\n");
                out.push_str(&format!(
                    "            .map_err(|e| Error::client(format!(\"{}: parameters could not be encoded: {{e}}\")))?;\n",
                    op.id
                ));
                out.push_str(&format!(
                    "        Ok(self.execute({op_ref}, &args, options).await?.body)\n"
                ));
            }
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    out
}

fn method_doc(op: &Op) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(summary) = &op.summary {
        doc.push(summary.clone());
        doc.push(String::new());
    }
    if !op.doc.is_empty() {
        doc.extend(op.doc.iter().cloned());
        doc.push(String::new());
    }
    doc.push(format!(
        "`{} {}` (`{}`; JS: `client.{}(params, options)`).",
        op.method.to_uppercase(),
        op.path,
        op.id,
        op.id
    ));
    if op.extra {
        doc.push(String::new());
        doc.push("Not in the published OpenAPI spec: described by Neon's documentation and declared in `xtask/extra-operations.yaml`.".into());
    }
    if op.body_media == BodyMedia::Multipart {
        doc.push(String::new());
        doc.push(
            "The body is sent as `multipart/form-data`: its string, number and boolean fields as text parts, bytes as files.".into(),
        );
    }
    doc
}
