//! The client's error type: one enum, with a [`ErrorKind`] a caller can switch on.
//!
//! No variant ever holds the API key or a connection-string password.

use std::fmt;

pub use crate::core::client_error::{ClientError, ParamLocation};

/// What went wrong, coarsely, for callers that switch on it (`error.kind` in JS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The API answered with an error status not covered by a more specific kind.
    Api,
    /// 404.
    NotFound,
    /// 401 or 403.
    Auth,
    /// 429, after any retries.
    RateLimit,
    /// 409.
    Conflict,
    /// An awaited Neon operation ended failed, errored or cancelled.
    Operation,
    /// The request or the wait took longer than allowed.
    Timeout,
    /// The caller cancelled.
    Aborted,
    /// No response arrived.
    Network,
    /// A response arrived but could not be decoded.
    Decode,
    /// Bad arguments, caught before anything was sent.
    Client,
    /// A paginated listing handed back a cursor it had already given.
    Pagination,
}

impl ErrorKind {
    /// The kind's name as JS callers see it (`"not_found"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Auth => "auth",
            ErrorKind::RateLimit => "rate_limit",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Operation => "operation",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Network => "network",
            ErrorKind::Decode => "decode",
            ErrorKind::Client => "client",
            ErrorKind::Pagination => "pagination",
        }
    }

    /// The kind an HTTP error status maps to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 | 403 => ErrorKind::Auth,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimit,
            _ => ErrorKind::Api,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer from a Neon API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// Neon's machine-readable `code`, when the body had one.
    pub code: Option<String>,
    /// Neon's `message`, or a description of the body when it had none.
    pub message: String,
    /// The request id from the body's `request_id`, else the `x-request-id` or
    /// `x-neon-ret-request-id` header.
    pub request_id: Option<String>,
    /// The operation that was called, e.g. `getProject`.
    pub operation: Option<String>,
}

/// An awaited Neon operation that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedOperation {
    /// The operation's id.
    pub id: String,
    /// What it did (`create_branch`, `start_compute`, ...).
    pub action: String,
    /// How it ended: `failed`, `error` or `cancelled`.
    pub status: String,
    /// The operation's own error text, when Neon gave one.
    pub error: Option<String>,
}

/// Every way a call can fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The API answered with an error status.
    Api(ApiError),
    /// Awaited operations ended in a failed, error or cancelled state.
    Operation {
        /// Every awaited operation that did not finish.
        failed: Vec<FailedOperation>,
    },
    /// The request, or a wait, ran out of time.
    Timeout {
        /// What timed out and after how long.
        message: String,
    },
    /// The caller cancelled.
    Aborted,
    /// No response arrived; the message names the call (`getProject: network error: …`).
    Network {
        /// The call and the transport's reason.
        message: String,
    },
    /// A response body could not be decoded; `path` locates the offending field.
    Decode {
        /// What could not be decoded.
        message: String,
        /// The offending field (`project.pg_version`), when known.
        path: Option<String>,
    },
    /// Bad arguments or configuration, caught before any request was sent; the cause says which.
    Client(ClientError),
    /// A paginated listing repeated a cursor: iterating on would never end.
    Pagination {
        /// The listing's operation.
        operation: String,
        /// The cursor it handed back twice.
        cursor: String,
    },
}

impl Error {
    /// The coarse kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(api) => ErrorKind::from_status(api.status),
            Error::Operation { .. } => ErrorKind::Operation,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Aborted => ErrorKind::Aborted,
            Error::Network { .. } => ErrorKind::Network,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Client(_) => ErrorKind::Client,
            Error::Pagination { .. } => ErrorKind::Pagination,
        }
    }

    /// The error for a request that got no response; `what` names the call in messages.
    pub(crate) fn from_transport(error: crate::core::transport::TransportError, what: &str, timeout: std::time::Duration) -> Error {
        use crate::core::transport::TransportError;
        match error {
            TransportError::Timeout => Error::Timeout {
                message: crate::core::text::concat(&[
                    what,
                    ": no response within ",
                    &crate::core::text::decimal(timeout.as_secs().saturating_mul(1000).saturating_add(u64::from(timeout.subsec_millis()))),
                    " ms",
                ]),
            },
            TransportError::Aborted => Error::Aborted,
            TransportError::Network { message, .. } => Error::Network { message: crate::core::text::concat(&[what, ": network error: ", &message]) },
        }
    }

    /// The API error details, when the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Piece by piece: `write!` builds its arguments at every call site, which the wasm
        // modules pay for in bytes.
        let write = |f: &mut fmt::Formatter<'_>, parts: &[&str]| parts.iter().try_for_each(|p| f.write_str(p));
        match self {
            Error::Api(api) => {
                if let Some(op) = &api.operation {
                    write(f, &[op, ": "])?;
                }
                let status = crate::core::text::decimal(u64::from(api.status));
                write(f, &["Neon API error ", &status, ": ", &api.message])?;
                if let Some(code) = &api.code {
                    write(f, &[" (code ", code, ")"])?;
                }
                if let Some(id) = &api.request_id {
                    write(f, &[" [request ", id, "]"])?;
                }
                Ok(())
            }
            Error::Operation { failed } => {
                f.write_str("Neon operations did not succeed:")?;
                for op in failed {
                    write(f, &[" ", &op.action, " ", &op.id, " is ", &op.status])?;
                    if let Some(e) = &op.error {
                        write(f, &[" (", e, ")"])?;
                    }
                    f.write_str(";")?;
                }
                Ok(())
            }
            Error::Timeout { message } => f.write_str(message),
            Error::Aborted => f.write_str("the call was aborted"),
            Error::Network { message } => f.write_str(message),
            Error::Decode { message, path: Some(path) } => {
                write(f, &["could not decode the response at `", path, "`: ", message])
            }
            Error::Decode { message, path: None } => write(f, &["could not decode the response: ", message]),
            Error::Client(cause) => cause.fmt(f),
            Error::Pagination { operation, cursor } => write(
                f,
                &[operation, ": the API returned the cursor `", cursor, "` a second time; stopping instead of looping"],
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Constructors of the causes most call sites raise (one copy of each in the wasm modules).
impl Error {
    /// [`ClientError::MissingParameter`].
    #[inline(never)]
    pub fn missing_parameter(operation: &str, name: &str, location: ParamLocation) -> Error {
        Error::Client(ClientError::MissingParameter { operation: operation.into(), name: name.into(), location })
    }

    /// [`ClientError::InvalidParameter`].
    #[inline(never)]
    pub fn invalid_parameter(operation: &str, name: &str, problem: &str) -> Error {
        Error::Client(ClientError::InvalidParameter { operation: operation.into(), name: name.into(), problem: problem.into() })
    }

    /// [`ClientError::InvalidOption`].
    #[inline(never)]
    pub fn invalid_option(option: &str, problem: &str) -> Error {
        Error::Client(ClientError::InvalidOption { option: option.into(), problem: problem.into() })
    }

    /// [`ClientError::Unsupported`].
    #[inline(never)]
    pub fn unsupported(operation: &str, problem: &str) -> Error {
        Error::Client(ClientError::Unsupported { operation: operation.into(), problem: problem.into() })
    }
}

impl From<ClientError> for Error {
    fn from(cause: ClientError) -> Error {
        Error::Client(cause)
    }
}
