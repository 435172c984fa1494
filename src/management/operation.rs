//! Operation descriptors: what the client needs to know to call one API operation.
//!
//! The table of every Management API operation is generated from the OpenAPI spec
//! (`src/generated/operations.rs`) as one line of text per operation; this module holds the
//! hand-written reader of those lines. A line reads like the request it describes:
//!
//! ```text
//! <operationId> <METHOD> <path template>[?<query>&<query>...][ <flag>...]
//! listProjects GET /projects?cursor&limit&search&org_id&timeout&recoverable
//! getConnectionURI GET /projects/{project_id}/connection_uri?branch_id&endpoint_id&database_name!&role_name!&pooled
//! createProjectBranch POST /projects/{project_id}/branches body?
//! ```
//!
//! - Path parameters are the template's `{placeholders}`, in order; their JS names are the
//!   camelCase of the snake_case spec names (`project_id` -> `projectId`).
//! - A query parameter is its spec name, then `!` when required and `,` when arrays are joined
//!   by commas (OpenAPI `explode: false`).
//! - Flags: `body` (a JSON body is required), `body?` (optional), `multipart` (a required
//!   `multipart/form-data` body), `bytes` (the answer is raw bytes), `deprecated`.
//!
//! Text costs far fewer compressed bytes in the wasm module than a table of pointers. A
//! malformed line cannot panic: its missing parts read as empty. A method outside
//! GET/POST/PUT/PATCH/DELETE/HEAD is refused twice before it could be read: by the generator,
//! and at compile time by [`check_line`], which `operation_table!` runs on every line.

use crate::core::transport::Method;

/// One path parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathParam {
    /// The name in the spec's path template, e.g. `project_id`.
    pub name: &'static str,
}

impl PathParam {
    /// The camelCase name JS callers use, e.g. `projectId`.
    pub fn js_name(&self) -> String {
        let mut out = String::with_capacity(self.name.len());
        let mut upper = false;
        for c in self.name.chars() {
            match c {
                '_' => upper = true,
                c if upper => {
                    out.push(c.to_ascii_uppercase());
                    upper = false;
                }
                c => out.push(c),
            }
        }
        out
    }
}

/// How a query parameter is written to the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; arrays are repeated as `name=a&name=b` (OpenAPI `form`, `explode: true`).
    FormExploded,
    /// Arrays joined by commas: `name=a,b` (OpenAPI `form`, `explode: false`).
    FormComma,
}

/// One query parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryParam {
    /// The name in the spec, used as-is by JS callers and on the wire.
    pub name: &'static str,
    /// Whether the spec requires it.
    pub required: bool,
    /// How array values are encoded.
    pub style: QueryStyle,
}

impl QueryParam {
    /// Reads `name`, `name!` (required), `name,` (comma-joined) or `name!,`.
    fn parse(text: &'static str) -> QueryParam {
        let style = if text.as_bytes().contains(&b',') { QueryStyle::FormComma } else { QueryStyle::FormExploded };
        QueryParam { name: cut(cut(text, b',').0, b'!').0, required: text.as_bytes().contains(&b'!'), style }
    }
}

/// Whether an operation takes a JSON request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// No request body.
    None,
    /// A JSON body the caller must supply.
    Required,
    /// A JSON body the caller may supply.
    Optional,
    /// A `multipart/form-data` body the caller must supply: `body`'s fields become the form's
    /// parts (strings, numbers and booleans as text, bytes as files).
    Multipart,
}

/// What a successful answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFormat {
    /// JSON (or nothing).
    Json,
    /// Raw bytes (`application/octet-stream`).
    Bytes,
}

impl ResponseFormat {
    /// The `Accept` header for this format.
    pub fn accept(self) -> &'static str {
        match self {
            ResponseFormat::Json => "application/json",
            ResponseFormat::Bytes => "application/octet-stream",
        }
    }
}

/// Everything needed to turn arguments into an HTTP request for one operation: one line of
/// the generated table (see the [module docs](self) for its shape), read by the accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    line: &'static str,
}

impl Operation {
    /// The operation a table line describes (only the generated table makes them).
    pub(crate) const fn new(line: &'static str) -> Operation {
        Operation { line }
    }

    /// The line cut into its parts.
    fn parts(self) -> Parts {
        let (id, rest) = cut(self.line, b' ');
        let (method, rest) = cut(rest, b' ');
        let (target, flags) = cut(rest, b' ');
        let (path, query) = cut(target, b'?');
        Parts { id, method, path, query, flags }
    }

    fn has_flag(self, flag: &str) -> bool {
        self.parts().flags.split(' ').any(|f| f == flag)
    }

    /// The spec's `operationId`, e.g. `listProjects`; also the JS method name.
    pub fn id(self) -> &'static str {
        self.parts().id
    }

    /// The HTTP method.
    pub fn method(self) -> Method {
        Method::parse(self.parts().method).unwrap_or(Method::Get)
    }

    /// The path template relative to the API base URL, e.g. `/projects/{project_id}`.
    pub fn path(self) -> &'static str {
        self.parts().path
    }

    /// The path parameters, in template order.
    pub fn path_params(self) -> impl Iterator<Item = PathParam> {
        let mut rest = self.path();
        std::iter::from_fn(move || next_placeholder(&mut rest).map(|(_, param)| param))
    }

    /// The query parameters the spec declares.
    pub fn query_params(self) -> impl Iterator<Item = QueryParam> {
        self.parts().query.split('&').filter(|q| !q.is_empty()).map(QueryParam::parse)
    }

    /// Whether, and how, a body is sent.
    pub fn body(self) -> BodyKind {
        if self.has_flag("body") {
            BodyKind::Required
        } else if self.has_flag("body?") {
            BodyKind::Optional
        } else if self.has_flag("multipart") {
            BodyKind::Multipart
        } else {
            BodyKind::None
        }
    }

    /// What a successful answer carries.
    pub fn response(self) -> ResponseFormat {
        if self.has_flag("bytes") {
            ResponseFormat::Bytes
        } else {
            ResponseFormat::Json
        }
    }

    /// Whether the spec marks the operation deprecated.
    pub fn deprecated(self) -> bool {
        self.has_flag("deprecated")
    }
}

/// The parts of a table line (see the module docs).
struct Parts {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    query: &'static str,
    flags: &'static str,
}

/// `text` before the first `sep` and after it; all of `text` and `""` when there is none.
fn cut(text: &'static str, sep: u8) -> (&'static str, &'static str) {
    // A byte search: every separator is ASCII (a `char` pattern's searcher measured a quarter
    // of planning a call, `bench/RESULTS.md`), so both sides stay on character boundaries.
    match text.bytes().position(|b| b == sep) {
        Some(i) => (text.get(..i).unwrap_or(text), text.get(i + 1..).unwrap_or("")),
        None => (text, ""),
    }
}

/// The text of a path template up to its next `{placeholder}`, and that placeholder;
/// `rest` moves past it.
pub(crate) fn next_placeholder(rest: &mut &'static str) -> Option<(&'static str, PathParam)> {
    let (before, after) = rest.split_once('{')?;
    let (name, after) = after.split_once('}')?;
    *rest = after;
    Some((before, PathParam { name }))
}

/// The table's text: one line per operation (the format: the [module docs](self)), in
/// [`all_operations`] order.
pub fn table_text() -> &'static str {
    crate::management::generated::operations::TABLE
}

/// Every operation, in spec order.
pub fn all_operations() -> impl Iterator<Item = Operation> {
    table_text().split_terminator('\n').map(Operation::new)
}

/// The operation with this `operationId`: the line that starts with it and a space (a byte
/// comparison per line; cutting each line into its parts made the lookup most of a call's
/// own time for the operations late in the table).
pub fn operation(id: &str) -> Option<Operation> {
    if id.contains(' ') {
        return None;
    }
    all_operations().find(|op| op.line.strip_prefix(id).is_some_and(|rest| rest.starts_with(' ')))
}

/// Checks a table line at compile time: its second word must be one of the methods the
/// client sends, spelled as on the wire (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`).
/// Panicking in a `const` is a build error naming the line, so [`Operation::method`] never
/// has to guess.
// Evaluated only in `const` items (`operation_table!`), where indexing out of bounds or the
// `panic!` below is a compile error, never a panic at run time.
#[allow(clippy::indexing_slicing, clippy::panic)]
pub const fn check_line(line: &str) {
    const METHODS: [&[u8]; 6] = [b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD"];
    let bytes = line.as_bytes();
    let mut start = 0;
    while start < bytes.len() && bytes[start] != b' ' {
        start += 1;
    }
    start += 1;
    let mut end = start;
    while end < bytes.len() && bytes[end] != b' ' {
        end += 1;
    }
    let mut m = 0;
    while m < METHODS.len() {
        let method = METHODS[m];
        if end >= start && end - start == method.len() {
            let mut i = 0;
            while i < method.len() && bytes[start + i] == method[i] {
                i += 1;
            }
            if i == method.len() {
                return;
            }
        }
        m += 1;
    }
    panic!("an operation table line names no HTTP method the client sends (GET, POST, PUT, PATCH, DELETE, HEAD)");
}

/// Declares the generated table: one documented constant per operation and `TABLE`, all the
/// lines joined (so the wasm module holds one string, not one per operation).
macro_rules! operation_table {
    ($($(#[$doc:meta])* $name:ident = $line:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: $crate::management::operation::Operation = {
                $crate::management::operation::check_line($line);
                $crate::management::operation::Operation::new($line)
            };
        )*
        /// Every operation, one line each, in spec order.
        pub(crate) const TABLE: &str = concat!($($line, "\n"),*);
    };
}
pub(crate) use operation_table;

#[cfg(test)]
mod tests {
    use super::*;

    /// The line an operation's accessors describe, written back in the table's shape.
    fn write_line(op: Operation) -> String {
        let mut line = format!("{} {} {}", op.id(), op.method().as_str(), op.path());
        for (i, q) in op.query_params().enumerate() {
            line.push(if i == 0 { '?' } else { '&' });
            line.push_str(q.name);
            if q.required {
                line.push('!');
            }
            if q.style == QueryStyle::FormComma {
                line.push(',');
            }
        }
        match op.body() {
            BodyKind::None => {}
            BodyKind::Required => line.push_str(" body"),
            BodyKind::Optional => line.push_str(" body?"),
            BodyKind::Multipart => line.push_str(" multipart"),
        }
        if op.response() == ResponseFormat::Bytes {
            line.push_str(" bytes");
        }
        if op.deprecated() {
            line.push_str(" deprecated");
        }
        line
    }

    #[test]
    fn every_table_line_reads_back_whole() {
        let mut ids = Vec::new();
        for op in all_operations() {
            assert_eq!(write_line(op), op.line);
            assert_eq!(operation(op.id()).map(|found| found.line), Some(op.line), "ids are unique");
            ids.push(op.id());
        }
        assert!(ids.len() >= 164, "{}", ids.len());
    }

    #[test]
    fn a_line_reads_into_its_parts() {
        let op = Operation::new("listThings PATCH /a/{project_id}/b/{role_name}?ids&tags!,&sort! body? bytes deprecated");
        assert_eq!(op.id(), "listThings");
        assert_eq!(op.method(), Method::Patch);
        assert_eq!(op.path(), "/a/{project_id}/b/{role_name}");
        let names: Vec<String> = op.path_params().map(|p| p.js_name()).collect();
        assert_eq!(names, ["projectId", "roleName"]);
        let query: Vec<_> = op.query_params().map(|q| (q.name, q.required, q.style)).collect();
        assert_eq!(
            query,
            [
                ("ids", false, QueryStyle::FormExploded),
                ("tags", true, QueryStyle::FormComma),
                ("sort", true, QueryStyle::FormExploded)
            ]
        );
        assert_eq!(op.body(), BodyKind::Optional);
        assert_eq!(op.response(), ResponseFormat::Bytes);
        assert!(op.deprecated());
    }

    #[test]
    fn a_malformed_line_reads_as_empty_parts() {
        for line in ["", "x", "x GET", "x BREW /a/{b", "x GET ?&!"] {
            let op = Operation::new(line);
            assert_eq!(op.path_params().count(), 0, "{line}");
            let _ = (op.id(), op.method(), op.path(), op.body(), op.response(), op.deprecated());
            let _ = op.query_params().count();
        }
    }

    #[test]
    fn only_the_methods_the_client_sends_pass_the_table_check() {
        for line in ["a GET /a", "a POST /a body", "a PUT /a", "a PATCH /a", "a DELETE /a", "a HEAD /a"] {
            check_line(line);
        }
        for line in ["a BREW /a", "a get /a", "a GE /a", "a GETS /a", "a", "", "a  /a"] {
            assert!(std::panic::catch_unwind(|| check_line(line)).is_err(), "{line:?} passed");
        }
    }

    #[test]
    fn js_names_are_the_camel_case_of_snake_case_names() {
        let js = |name| PathParam { name }.js_name();
        assert_eq!(js("project_id"), "projectId");
        assert_eq!(js("vpc_endpoint_id"), "vpcEndpointId");
        assert_eq!(js("slug"), "slug");
    }
}
