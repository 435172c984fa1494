//! Writes `operations.rs` (the descriptor table) and `methods.rs` (one typed method per
//! operation on `NeonClient`).

use crate::emit_types::rust_ty;
use crate::naming::{push_doc, rust_str};
use crate::operations::{BodyMedia, Op, Response};

/// The body of `operations.rs`: one line of text per operation (the shape
/// `src/operation.rs` reads), each behind a documented constant.
pub fn emit_table(ops: &[Op]) -> Result<String, String> {
    let mut out = String::from("crate::management::operation::operation_table! {\n");
    for op in ops {
        let mut doc = vec![format!("`{} {}`", op.method.to_uppercase(), op.path)];
        if let Some(summary) = &op.summary {
            doc[0].push_str(&format!(": {summary}"));
        }
        push_doc(&mut out, "    ", &doc);
        out.push_str(&format!(
            "    {} = {};\n",
            op.const_name(),
            rust_str(&table_line(op)?)
        ));
    }
    out.push_str("}\n");
    Ok(out)
}

/// `listProjects GET /projects?cursor&limit`: see `src/operation.rs` for the shape.
pub fn table_line(op: &Op) -> Result<String, String> {
    let token = |what: &str, text: &str| {
        if text.is_empty() || text.contains(|c: char| c.is_whitespace() || "?&!,".contains(c)) {
            Err(format!("{}: the {what} `{text}` does not fit the operation table", op.id))
        } else {
            Ok(())
        }
    };
    token("operationId", &op.id)?;
    token("path", &op.path)?;
    let mut line = format!("{} {} {}", op.id, op.method.to_uppercase(), op.path);
    for p in &op.path_params {
        // The client derives the JS name from the spec name at run time.
        if !p.name.starts_with(|c: char| c.is_ascii_lowercase())
            || !p.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!(
                "{}: the path parameter `{}` is not snake_case, so its JS name can not be derived",
                op.id, p.name
            ));
        }
    }
    for (i, q) in op.query_params.iter().enumerate() {
        token("query parameter", &q.name)?;
        line.push(if i == 0 { '?' } else { '&' });
        line.push_str(&q.name);
        if q.required {
            line.push('!');
        }
        if q.comma {
            line.push(',');
        }
    }
    match (op.body, op.body_media) {
        (None, _) => {}
        (Some(_), BodyMedia::Multipart) => line.push_str(" multipart"),
        (Some(true), BodyMedia::Json) => line.push_str(" body"),
        (Some(false), BodyMedia::Json) => line.push_str(" body?"),
    }
    if op.response == Response::Bytes {
        line.push_str(" bytes");
    }
    if op.deprecated {
        line.push_str(" deprecated");
    }
    Ok(line)
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
    out.push_str("use crate::core::error::Error;\nuse crate::management::client::{CallOptions, NeonClient};\n\n");
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
        let op_ref = format!("operations::{}", op.const_name());
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
                out.push_str(&format!(
                    "        let args = crate::management::invoke::encode_params({op_ref}, params)?;\n"
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
