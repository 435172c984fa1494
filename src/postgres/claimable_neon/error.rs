//! The errors of Claimable Neon: the service's error body (`{ "error": { code, … } }`) read
//! into [`ServiceError`], and [`ClaimableNeonError`], which sets a dead identity assertion
//! apart from every other failure because only that one means "forget the stored assertion".

use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::transport::HttpResponse;
use std::fmt;

/// The codes after which the stored identity assertion can never be exchanged again.
const DEAD_ASSERTION_CODES: [&str; 3] = ["invalid_grant", "project_expired", "project_claimed"];

/// An error answer of the Claimable Neon service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The HTTP status.
    pub status: u16,
    /// The service's `code` (`token_expired`, `claim_in_progress`, …); `unknown_error` when the
    /// body had none.
    pub code: String,
    /// The service's `message`, else a description of the status.
    pub message: String,
    /// Whether repeating the call may succeed: the service's `retryable`, else 429 and 5xx.
    pub retryable: bool,
    /// `proxy` or `upstream`, when the service said.
    pub origin: Option<String>,
    /// The request id from the body, else the `x-request-id` header.
    pub request_id: Option<String>,
    /// The claim's state, on `claim_in_progress`.
    pub claim_state: Option<String>,
    /// The scope the token lacked, on `scope_insufficient`.
    pub required_scope: Option<String>,
    /// The call that failed (`claimableNeon.credentials`).
    pub operation: String,
}

impl ServiceError {
    /// Reads an error answer; a body that is not the service's error object still yields an
    /// error (`unknown_error`), never a decode failure.
    pub fn from_response(response: &HttpResponse, operation: &str) -> ServiceError {
        let parsed = Json::parse(&response.body).ok();
        let error = parsed
            .as_ref()
            .and_then(|b| b.get("error"))
            .filter(|e| matches!(e, Json::Obj(_)));
        let text = |key: &str| {
            error
                .and_then(|e| e.get(key))
                .and_then(Json::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let status = response.status;
        let message = text("message")
            .unwrap_or_else(|| crate::core::response::describe_unparsed_body(response));
        let retryable = match error.and_then(|e| e.get("retryable")) {
            Some(Json::Bool(b)) => *b,
            _ => status == 429 || status >= 500,
        };
        ServiceError {
            status,
            code: text("code").unwrap_or_else(|| "unknown_error".to_owned()),
            message,
            retryable,
            origin: text("origin"),
            request_id: text("request_id")
                .or_else(|| response.header("x-request-id").map(str::to_owned)),
            claim_state: text("claim_state"),
            required_scope: text("required_scope"),
            operation: operation.to_owned(),
        }
    }

    /// Whether this answer says the identity assertion is dead (`invalid_grant`,
    /// `project_expired`, `project_claimed`).
    pub fn is_dead_assertion(&self) -> bool {
        DEAD_ASSERTION_CODES.contains(&self.code.as_str())
    }
}

/// Every way a Claimable Neon call can fail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimableNeonError {
    /// The stored identity assertion can never be exchanged again (`invalid_grant`,
    /// `project_expired`, `project_claimed`): forget it, and register again if need be.
    DeadAssertion(Box<ServiceError>),
    /// Any other error answer of the service.
    Service(Box<ServiceError>),
    /// A claim attempt ended without the project being claimed (`expired`, `cancelled`).
    ClaimEnded {
        /// The attempt's final state.
        state: String,
    },
    /// Bad input, no response, a timeout, an abort or an undecodable answer.
    Other(Error),
}

impl ClaimableNeonError {
    /// The service's answer, for the two kinds that have one.
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            ClaimableNeonError::DeadAssertion(e) | ClaimableNeonError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Whether repeating the call may succeed.
    pub fn is_retryable(&self) -> bool {
        self.service().is_some_and(|e| e.retryable)
    }

    pub(crate) fn from_answer(error: ServiceError) -> ClaimableNeonError {
        if error.is_dead_assertion() {
            ClaimableNeonError::DeadAssertion(Box::new(error))
        } else {
            ClaimableNeonError::Service(Box::new(error))
        }
    }
}

impl From<Error> for ClaimableNeonError {
    fn from(error: Error) -> Self {
        ClaimableNeonError::Other(error)
    }
}

impl fmt::Display for ClaimableNeonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let write = |f: &mut fmt::Formatter<'_>, parts: &[&str]| {
            parts.iter().try_for_each(|p| f.write_str(p))
        };
        match self {
            ClaimableNeonError::DeadAssertion(e) | ClaimableNeonError::Service(e) => {
                write(
                    f,
                    &[
                        &e.operation,
                        ": Claimable Neon error ",
                        &crate::core::text::decimal(u64::from(e.status)),
                        ": ",
                        &e.message,
                        " (code ",
                        &e.code,
                        ")",
                    ],
                )?;
                if let Some(id) = &e.request_id {
                    write(f, &[" [request ", id, "]"])?;
                }
                Ok(())
            }
            ClaimableNeonError::ClaimEnded { state } => write(
                f,
                &[
                    "the claim attempt ended ",
                    state,
                    " before the project was claimed",
                ],
            ),
            ClaimableNeonError::Other(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ClaimableNeonError {}
