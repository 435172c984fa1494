//! Operation descriptors: what the client needs to know to call one API operation.
//!
//! The table of every Management API operation is generated from the OpenAPI spec
//! (`src/generated/`); this module holds the hand-written shape it fills in.

use crate::transport::Method;

/// One path parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathParam {
    /// The name in the spec's path template, e.g. `project_id`.
    pub name: &'static str,
    /// The camelCase name JS callers use, e.g. `projectId`.
    pub js_name: &'static str,
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

/// Everything needed to turn arguments into an HTTP request for one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`, e.g. `listProjects`; also the JS method name.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the API base URL, e.g. `/projects/{project_id}`.
    pub path: &'static str,
    /// The path parameters, in template order.
    pub path_params: &'static [PathParam],
    /// The query parameters the spec declares.
    pub query_params: &'static [QueryParam],
    /// Whether, and how, a body is sent.
    pub body: BodyKind,
    /// What a successful answer carries.
    pub response: ResponseFormat,
    /// Whether the spec marks the operation deprecated.
    pub deprecated: bool,
}
