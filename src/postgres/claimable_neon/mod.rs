//! Claimable Neon (`https://claimable.neon.tech`): a Postgres database for an agent with no
//! account, behind an identity protocol. [`ClaimableNeon::register`] makes a project and hands
//! back an identity assertion — the one durable secret —, and a [`ClaimableNeonSession`] built
//! from that assertion exchanges it for short-lived access tokens on demand to read the
//! credentials, claim the project into a Neon account, delete it, or reach the allowlisted
//! Management API proxy (`managementBaseUrl`, with [`ClaimableNeonSession::access_token`] as
//! the bearer token).
//!
//! The service's stored source serves `/v1/databases/{id}/…` where Neon's CLI calls
//! `/v1/projects/{id}/…`: sessions speak the CLI's paths and, on a `404 not_found`, repeat the
//! call on the other family and keep to it from then on.

mod error;
mod session;
mod token;

pub use error::{ClaimableNeonError, ServiceError};
pub use session::{ClaimCode, ClaimStatus, ClaimableNeonSession, Credentials};

use crate::core::error::Error;
use crate::core::http::{self, Call, DEFAULT_TIMEOUT, USER_AGENT};
use crate::core::json::Json;
use crate::core::options::RequestOptions;
use crate::core::runtime::Runtime;
use crate::core::secret::Secret;
use crate::core::transport::{BoxFuture, Method, Transport};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The service's public origin.
pub const DEFAULT_CLAIMABLE_NEON_ORIGIN: &str = "https://claimable.neon.tech";

/// Checks an origin the way Neon's CLI does: scheme and host (and port) only, `https` except
/// on `localhost` and `127.0.0.1`. Returns it without a trailing slash.
pub fn check_origin(origin: &str) -> Result<String, Error> {
    let bad = |problem: &str| Error::invalid_option("origin", problem);
    let trimmed = origin.strip_suffix('/').unwrap_or(origin);
    let (https, rest) = match (
        trimmed.strip_prefix("https://"),
        trimmed.strip_prefix("http://"),
    ) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        _ => return Err(bad("must start with https://")),
    };
    if rest.is_empty()
        || rest.bytes().any(|b| {
            matches!(b, b'/' | b'?' | b'#' | b'@')
                || b.is_ascii_whitespace()
                || b.is_ascii_control()
        })
    {
        return Err(bad(
            "must be a scheme and host only (no path, query, fragment or credentials)",
        ));
    }
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return Err(bad("its port is not a number")),
        None => rest,
    };
    if !https && host != "localhost" && host != "127.0.0.1" {
        return Err(bad("must use https:// except on localhost or 127.0.0.1"));
    }
    Ok(trimmed.to_owned())
}

/// What [`ClaimableNeon::register`] asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// Capabilities to ask for (`postgres` is always granted; `data_api` and `auth` on request;
    /// others need a claim).
    pub capabilities: Vec<String>,
    /// Who registers (the service's `source`, 1..100 characters).
    pub source: Option<String>,
    /// The Data API settings, passed through as the service's `data_api` (JSON).
    pub data_api: Option<Json>,
}

/// The service's answer about one requested capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityDecision {
    /// The capability as asked.
    pub capability: String,
    /// Whether it was granted.
    pub granted: bool,
    /// Why not (`requires_claim`, `unknown_capability`).
    pub reason: Option<String>,
    /// The service's explanation.
    pub message: Option<String>,
}

/// A new identity and its project. `Debug` hides the assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// `reg_…`.
    pub registration_id: String,
    /// The identity assertion (a JWT): the one durable secret, exchanged for access tokens.
    pub identity_assertion: Secret,
    /// When the assertion expires (Unix seconds).
    pub assertion_expires: u64,
    /// The scopes access tokens will carry.
    pub scopes: Vec<String>,
    /// The Neon project made for it.
    pub project_id: String,
    /// Its default branch.
    pub branch_id: String,
    /// When the project is deleted unless claimed (RFC 3339).
    pub expires_at: String,
    /// One decision per capability.
    pub capabilities: Vec<CapabilityDecision>,
}

/// Builds a [`ClaimableNeon`].
pub struct ClaimableNeonBuilder {
    origin: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    runtime: Option<Arc<dyn Runtime>>,
    timeout: Duration,
    user_agent: Option<String>,
}

impl ClaimableNeonBuilder {
    /// Overrides [`DEFAULT_CLAIMABLE_NEON_ORIGIN`] (the emulator's base URL in tests).
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Sleeping and time for token lifetimes and claim polling (default: the native runtime;
    /// required on wasm32).
    pub fn runtime(mut self, runtime: Arc<dyn Runtime>) -> Self {
        self.runtime = Some(runtime);
        self
    }

    crate::core::http::http_builder_setters!();

    /// Validates the configuration.
    pub fn build(self) -> Result<ClaimableNeon, Error> {
        let origin = check_origin(
            self.origin
                .as_deref()
                .unwrap_or(DEFAULT_CLAIMABLE_NEON_ORIGIN),
        )?;
        let transport = http::check_http(self.transport, self.timeout)?;
        let runtime = match self.runtime {
            Some(runtime) => runtime,
            None => crate::core::runtime::default_runtime()?,
        };
        Ok(ClaimableNeon {
            inner: Arc::new(Service {
                origin,
                transport,
                runtime,
                timeout: self.timeout,
                user_agent: self.user_agent,
            }),
        })
    }
}

/// Attempts at a call the service answers with `retryable: true` (`quota_exceeded`,
/// `upstream_error`, or a 429/5xx without the service's error body): the first and two
/// repeats, [`FIRST_BACKOFF_MS`] then twice that apart. The service sends no `Retry-After`.
pub const ATTEMPTS: u32 = 3;
/// The wait before the first repeat of a retryable call, in milliseconds.
pub const FIRST_BACKOFF_MS: u64 = 250;

/// The connection to one Claimable Neon origin, shared by its sessions.
pub(crate) struct Service {
    pub origin: String,
    pub transport: Arc<dyn Transport>,
    pub runtime: Arc<dyn Runtime>,
    pub timeout: Duration,
    pub user_agent: Option<String>,
}

impl Service {
    /// Sends one request to `path` (after the origin) and returns the body of a 2xx answer.
    /// Boxed so that it is compiled once, not into every caller.
    pub fn request<'a>(
        &'a self,
        op: &'a str,
        method: Method,
        path: &'a str,
        headers: Vec<(String, String)>,
        body: Option<Vec<u8>>,
        options: &'a RequestOptions,
    ) -> BoxFuture<'a, Result<Vec<u8>, ClaimableNeonError>> {
        Box::pin(async move {
            let url = crate::core::text::concat(&[&self.origin, path]);
            let mut attempt = 1;
            loop {
                let call = Call {
                    method,
                    url: url.clone(),
                    headers: headers.clone(),
                    body: body.clone(),
                    timeout: self.timeout,
                    options,
                    user_agent: self.user_agent.as_deref(),
                    what: op,
                };
                let response = http::send(self.transport.as_ref(), call).await?;
                if (200..300).contains(&response.status) {
                    return Ok(response.body);
                }
                let error = ServiceError::from_response(&response, op);
                // The service's `retryable` decides; `token_expired` is the session's to
                // answer (a new exchange), not a repeat of the same token.
                if attempt >= ATTEMPTS || !error.retryable || error.code == "token_expired" {
                    return Err(ClaimableNeonError::from_answer(error));
                }
                let wait = Duration::from_millis(FIRST_BACKOFF_MS << (attempt - 1));
                if crate::core::cancel::until_cancelled(options.cancel.as_ref(), self.runtime.sleep(wait))
                    .await
                    .is_none()
                {
                    return Err(Error::Aborted.into());
                }
                attempt += 1;
            }
        })
    }
}

/// A client of the Claimable Neon service: registers identities and opens sessions on them.
/// Cheap to clone.
#[derive(Clone)]
pub struct ClaimableNeon {
    inner: Arc<Service>,
}

impl fmt::Debug for ClaimableNeon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimableNeon")
            .field("origin", &self.inner.origin)
            .finish()
    }
}

impl ClaimableNeon {
    /// Starts building a client.
    pub fn builder() -> ClaimableNeonBuilder {
        ClaimableNeonBuilder {
            origin: None,
            transport: None,
            runtime: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: Some(USER_AGENT.to_owned()),
        }
    }

    /// The origin requests go to.
    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    /// Registers an anonymous identity (`POST /v1/agent/identity`): a new project, and the
    /// identity assertion that stands for it.
    pub async fn register(
        &self,
        request: &Register,
        options: &RequestOptions,
    ) -> Result<Registration, ClaimableNeonError> {
        const OP: &str = "claimableNeon.register";
        let mut body = Json::object([
            ("type", Json::string("anonymous")),
            (
                "capabilities",
                Json::Arr(
                    request
                        .capabilities
                        .iter()
                        .map(|c| Json::string(c.as_str()))
                        .collect(),
                ),
            ),
        ]);
        if let Some(source) = &request.source {
            if source.is_empty() || source.chars().count() > 100 {
                return Err(Error::invalid_parameter(
                    OP,
                    "source",
                    "source must be 1 to 100 characters",
                )
                .into());
            }
            body.set("source", Json::string(source.as_str()));
        }
        if let Some(data_api) = &request.data_api {
            body.set("data_api", data_api.clone());
        }
        let answer = self
            .inner
            .request(
                OP,
                Method::Post,
                "/v1/agent/identity",
                Vec::new(),
                Some(body.to_text().into_bytes()),
                options,
            )
            .await?;
        Ok(read_registration(&Json::parse(&answer)?)?)
    }

    /// A session on an identity assertion and its project.
    pub fn session(
        &self,
        identity_assertion: Secret,
        project_id: &str,
    ) -> Result<ClaimableNeonSession, Error> {
        ClaimableNeonSession::new(self.inner.clone(), identity_assertion, project_id)
    }
}

fn read_registration(body: &Json) -> Result<Registration, Error> {
    let text = |json: &Json, key: &str| {
        json.required(key, "a string", Json::as_str)
            .map(str::to_owned)
    };
    let project = body.required("project", "an object", |p| p.as_object().map(|_| p))?;
    let strings = |key: &str| -> Result<Vec<String>, Error> {
        let list = body
            .member(key, "an array", Json::as_array)?
            .unwrap_or_default();
        list.iter()
            .map(|s| {
                s.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| decode_error(key))
            })
            .collect()
    };
    let decisions = body
        .member("capabilities", "an array", Json::as_array)?
        .unwrap_or_default();
    let capabilities = decisions
        .iter()
        .map(|d| {
            Ok(CapabilityDecision {
                capability: text(d, "capability")?,
                granted: d.required("granted", "a boolean", |g| match g {
                    Json::Bool(b) => Some(*b),
                    _ => None,
                })?,
                reason: d
                    .member("reason", "a string", Json::as_str)?
                    .map(str::to_owned),
                message: d
                    .member("message", "a string", Json::as_str)?
                    .map(str::to_owned),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Registration {
        registration_id: text(body, "registration_id")?,
        identity_assertion: Secret::new(text(body, "identity_assertion")?),
        assertion_expires: body.required("assertion_expires", "a number", Json::as_u64)?,
        scopes: strings("scopes")?,
        project_id: text(project, "id")?,
        branch_id: text(project, "branch_id")?,
        expires_at: text(project, "expires_at")?,
        capabilities,
    })
}

pub(crate) fn decode_error(path: &str) -> Error {
    Error::Decode {
        message: "unexpected value".into(),
        path: Some(path.into()),
    }
}

#[cfg(test)]
mod tests;
