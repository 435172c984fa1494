//! Why a call was refused before anything was sent: [`ClientError`], the cause inside
//! [`Error::Client`](crate::core::error::Error::Client), grouped so callers can match it,
//! with a stable [`reason`](ClientError::reason) (`error.reason` in JS).
//!
//! Messages are written from the fields piece by piece (no `format!`: `core::fmt`'s argument
//! machinery is heavy in the wasm modules) and read as they did when the cause was a string.
//! No cause holds the API key, a password or a connection string.

use std::fmt;

/// Where an operation's parameter goes; it also phrases the message of a missing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// A `{placeholder}` of the URL path.
    ///
    /// A missing one reads ``getProject: missing required path parameter `projectId` ``.
    Path,
    /// The query string.
    Query,
    /// The request body: ``createProject: missing required `body` ``.
    Body,
    /// A named argument of a call that is not an API operation: `request: path is required`.
    Argument,
}

/// The cause of a client error. New causes may be added: match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientError {
    /// A required parameter is absent.
    MissingParameter {
        /// The operation (`getProject`) or call (`request`) it belongs to.
        operation: String,
        /// The parameter's name as callers write it (`projectId`).
        name: String,
        /// Where it goes.
        location: ParamLocation,
    },
    /// A parameter has the wrong type or an unusable value.
    InvalidParameter {
        /// The operation or call it belongs to; empty when the message names none.
        operation: String,
        /// The parameter's name (`projectId`, `args` for the whole argument object).
        name: String,
        /// What is wrong, as the message says it after `operation: `.
        problem: String,
    },
    /// A request body that cannot be sent: a form body that is not an object of fields, a
    /// field of the wrong type, or a value JSON cannot encode.
    InvalidBody {
        /// The form field at fault, if one is.
        field: Option<String>,
        /// What is wrong.
        problem: &'static str,
    },
    /// A client or call option (or a store or hook given as one) has the wrong shape:
    /// `retry.maxAttempts must be a positive integer`.
    InvalidOption {
        /// The option's path (`retry.maxAttempts`).
        option: String,
        /// What it must be (`must be a positive integer`).
        problem: String,
    },
    /// A base URL option is not `http(s)://host[:port][/path]`.
    InvalidBaseUrl {
        /// The option (`baseUrl`, `endpoint`).
        option: &'static str,
        /// The URL as given, with any credentials replaced by `***`.
        url: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// No API key, or an empty one.
    MissingApiKey,
    /// An API key that cannot be used: not text, not sendable in a header, or a key
    /// function that threw, rejected or returned something else. Never holds the key.
    InvalidApiKey {
        /// What is wrong (the whole message).
        problem: &'static str,
    },
    /// No operation has this `operationId`.
    UnknownOperation {
        /// The id asked for.
        id: String,
    },
    /// A raw request's path that could leave the base URL or carry a query.
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A client was built without something it needs on this target.
    NotConfigured {
        /// `transport` or `runtime`.
        what: &'static str,
    },
    /// A caller-supplied store's method threw or rejected.
    StoreFailed {
        /// The method (`rateLimit.store.acquire`, `operationDurations.get`).
        what: String,
        /// The message it failed with.
        message: String,
    },
    /// A well-formed call this operation or client does not support: a body for an operation
    /// that takes none, paginating an operation without a cursor, an HTTP method `request`
    /// cannot send, waiting on an operation without a project, asking for a page while one
    /// is in flight.
    Unsupported {
        /// The operation or call.
        operation: String,
        /// What it cannot do.
        problem: String,
    },
}

impl ClientError {
    /// The cause's stable snake_case name (`"missing_parameter"`), `error.reason` in JS.
    pub fn reason(&self) -> &'static str {
        match self {
            ClientError::MissingParameter { .. } => "missing_parameter",
            ClientError::InvalidParameter { .. } => "invalid_parameter",
            ClientError::InvalidBody { .. } => "invalid_body",
            ClientError::InvalidOption { .. } => "invalid_option",
            ClientError::InvalidBaseUrl { .. } => "invalid_base_url",
            ClientError::MissingApiKey => "missing_api_key",
            ClientError::InvalidApiKey { .. } => "invalid_api_key",
            ClientError::UnknownOperation { .. } => "unknown_operation",
            ClientError::InvalidPath { .. } => "invalid_path",
            ClientError::NotConfigured { .. } => "not_configured",
            ClientError::StoreFailed { .. } => "store_failed",
            ClientError::Unsupported { .. } => "unsupported",
        }
    }
}

/// `": "` after a non-empty operation, so that a message without one starts at its problem.
fn separator(operation: &str) -> &'static str {
    if operation.is_empty() {
        ""
    } else {
        ": "
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b, c, d, e): (&str, &str, &str, &str, &str) = match self {
            ClientError::MissingParameter { operation, name, location } => {
                let (before, after) = match location {
                    ParamLocation::Path => ("missing required path parameter `", "`"),
                    ParamLocation::Query => ("missing required query parameter `", "`"),
                    ParamLocation::Body => ("missing required `", "`"),
                    ParamLocation::Argument => ("", " is required"),
                };
                (operation, separator(operation), before, name, after)
            }
            ClientError::InvalidParameter { operation, problem, .. } | ClientError::Unsupported { operation, problem } => {
                (operation, separator(operation), problem, "", "")
            }
            ClientError::InvalidBody { field: Some(field), problem } => ("form field `", field, "` ", problem, ""),
            ClientError::InvalidBody { field: None, problem } => (problem, "", "", "", ""),
            ClientError::InvalidOption { option, problem } => (option, " ", problem, "", ""),
            ClientError::InvalidBaseUrl { option, url, problem } => (option, " `", url, "` is not a valid base URL: ", problem),
            ClientError::MissingApiKey => ("apiKey is missing or empty", "", "", "", ""),
            ClientError::InvalidApiKey { problem } => (problem, "", "", "", ""),
            ClientError::UnknownOperation { id } => ("unknown operation `", id, "`", "", ""),
            ClientError::InvalidPath { path, problem } => ("request: path `", path, "` ", problem, ""),
            ClientError::NotConfigured { what } => {
                // Only a transport depends on the target: wasm32 has `fetch`, native has none.
                let target = if *what == "transport" { " for this target" } else { "" };
                ("no ", what, " configured", target, "")
            }
            ClientError::StoreFailed { what, message } => (what, " failed: ", message, "", ""),
        };
        write_five(f, a, b, c, d, e)
    }
}

/// The message's pieces, in order.
#[inline(never)]
fn write_five(f: &mut fmt::Formatter<'_>, a: &str, b: &str, c: &str, d: &str, e: &str) -> fmt::Result {
    f.write_str(a)?;
    f.write_str(b)?;
    f.write_str(c)?;
    f.write_str(d)?;
    f.write_str(e)
}

impl std::error::Error for ClientError {}
