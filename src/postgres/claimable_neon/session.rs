//! [`ClaimableNeonSession`]: the calls made with an access token — credentials, the claim
//! flow, deletion, revocation — and the token itself for the Management API proxy.

use super::error::{ClaimableNeonError, ServiceError};
use super::token::{Acquired, Token, TokenCache};
use super::{decode_error, Service};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::options::RequestOptions;
use crate::core::percent::percent_encode;
use crate::core::secret::Secret;
use crate::core::text::concat;
use crate::core::transport::{BoxFuture, Method};
use crate::postgres::connection_string::ConnectionString;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// A token is renewed this long before the server says it expires (at most half its life),
/// so that a call never sets out with a token about to lapse.
const RENEW_MARGIN_S: f64 = 30.0;
/// How often claim status is polled when the claim answer gave no interval.
const DEFAULT_POLL: Duration = Duration::from_secs(5);

/// What `GET …/credentials` answers. `Debug` hides the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The project.
    pub project_id: String,
    /// Its default branch.
    pub branch_id: String,
    /// The pooled connection string; it stops working once a claim is reconciled.
    pub database_url: ConnectionString,
    /// When the project is deleted unless claimed (RFC 3339).
    pub expires_at: String,
    /// Neon Auth's base URL and JWKS URL, when enabled.
    pub auth: Option<(String, String)>,
    /// The Data API's URL, when enabled.
    pub data_api_url: Option<String>,
}

/// A started claim: show `verification_uri` and `user_code` (or open
/// `verification_uri_complete`) to the person who will own the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimCode {
    /// The code to type at `verification_uri`.
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
    /// The same page with the code filled in.
    pub verification_uri_complete: String,
    /// Seconds until the code expires.
    pub expires_in: u64,
    /// Seconds between status polls, as the service asks.
    pub interval: u64,
}

/// Where a claim attempt stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimStatus {
    /// `pending`, `accepted`, `reconciled`, `expired`, `cancelled`, or newer states.
    pub state: String,
    /// When the attempt expires (RFC 3339), when the service says.
    pub expires_at: Option<String>,
    /// Whether the pre-claim credentials are torn down (the claim is complete).
    pub reconciled: bool,
    /// The service's explanation, when it gave one.
    pub message: Option<String>,
}

/// A session on one identity assertion: access tokens are exchanged on demand, cached until
/// shortly before they expire, re-exchanged once when the service answers `token_expired`,
/// and shared by concurrent callers (one exchange however many calls wait). Cheap to clone.
/// `Debug` shows neither the assertion nor a token.
#[derive(Clone)]
pub struct ClaimableNeonSession {
    inner: Arc<Inner>,
}

struct Inner {
    service: Arc<Service>,
    assertion: Secret,
    project_id: String,
    /// Set once the service answered on `/v1/databases/…` after a 404 on `/v1/projects/…`.
    databases_paths: AtomicBool,
    tokens: TokenCache,
}

impl fmt::Debug for ClaimableNeonSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimableNeonSession")
            .field("origin", &self.inner.service.origin)
            .field("project_id", &self.inner.project_id)
            .finish_non_exhaustive()
    }
}

impl ClaimableNeonSession {
    pub(crate) fn new(
        service: Arc<Service>,
        assertion: Secret,
        project_id: &str,
    ) -> Result<ClaimableNeonSession, Error> {
        const OP: &str = "claimableNeon.session";
        if assertion.expose().trim().is_empty() {
            return Err(Error::invalid_parameter(
                OP,
                "identityAssertion",
                "identityAssertion is missing or empty",
            ));
        }
        if project_id.trim().is_empty() {
            return Err(Error::invalid_parameter(
                OP,
                "projectId",
                "projectId is missing or empty",
            ));
        }
        Ok(ClaimableNeonSession {
            inner: Arc::new(Inner {
                service,
                assertion,
                project_id: project_id.to_owned(),
                databases_paths: AtomicBool::new(false),
                tokens: TokenCache::new(),
            }),
        })
    }

    /// The project this session acts on.
    pub fn project_id(&self) -> &str {
        &self.inner.project_id
    }

    /// The base URL of the allowlisted Management API proxy (`<origin>/v1`): a Management
    /// client with this base URL and [`access_token`](Self::access_token) as its key reaches it.
    pub fn management_base_url(&self) -> String {
        concat(&[&self.inner.service.origin, "/v1"])
    }

    /// How many token exchanges this session has started.
    pub fn exchanges(&self) -> u64 {
        self.inner.tokens.exchanges()
    }

    /// A valid access token: the cached one, else a new exchange of the assertion (shared
    /// with any concurrent caller).
    pub async fn access_token(
        &self,
        options: &RequestOptions,
    ) -> Result<Secret, ClaimableNeonError> {
        let now = self.inner.service.runtime.now_ms();
        let lease = match self.inner.tokens.acquire(now).await? {
            Acquired::Cached(token) => return Ok(token),
            Acquired::Exchange(lease) => lease,
        };
        let result = self.exchange(options).await;
        lease.finish(result)
    }

    async fn exchange(&self, options: &RequestOptions) -> Result<Token, ClaimableNeonError> {
        const OP: &str = "claimableNeon.token";
        let service = &self.inner.service;
        let started = service.runtime.now_ms();
        let form = concat(&[
            "grant_type=",
            &percent_encode(JWT_BEARER),
            "&assertion=",
            &percent_encode(self.inner.assertion.expose()),
            "&resource=",
            &percent_encode(&concat(&[&service.origin, "/"])),
        ]);
        let body = service
            .request(
                OP,
                Method::Post,
                "/v1/oauth2/token",
                form_header(),
                Some(form.into_bytes()),
                options,
            )
            .await?;
        let body = Json::parse(&body)?;
        let token = body.required("access_token", "a string", Json::as_str)?;
        let expires_in = body.required("expires_in", "a number", Json::as_u64)? as f64;
        let margin = RENEW_MARGIN_S.min(expires_in / 2.0);
        Ok(Token {
            secret: Secret::new(token),
            renew_at_ms: started + (expires_in - margin) * 1000.0,
        })
    }

    /// Revokes the current access token, if any was issued (`POST /v1/oauth2/revoke`); the
    /// next call exchanges the assertion again.
    pub async fn revoke(&self, options: &RequestOptions) -> Result<(), ClaimableNeonError> {
        const OP: &str = "claimableNeon.revoke";
        let Some(token) = self.inner.tokens.current() else {
            return Ok(());
        };
        self.inner.tokens.forget(&token);
        let form = concat(&[
            "token=",
            &percent_encode(token.expose()),
            "&token_type_hint=access_token",
        ]);
        self.inner
            .service
            .request(
                OP,
                Method::Post,
                "/v1/oauth2/revoke",
                form_header(),
                Some(form.into_bytes()),
                options,
            )
            .await?;
        Ok(())
    }

    /// Reads the project's connection string and services (`GET …/credentials`).
    pub async fn credentials(
        &self,
        options: &RequestOptions,
    ) -> Result<Credentials, ClaimableNeonError> {
        let body = self
            .project_call(
                "claimableNeon.credentials",
                Method::Get,
                "/credentials",
                options,
            )
            .await?;
        let body = Json::parse(&body)?;
        let text = |json: &Json, key: &str| {
            json.required(key, "a string", Json::as_str)
                .map(str::to_owned)
        };
        let url = text(&body, "database_url")?;
        let database_url =
            ConnectionString::parse(&url).map_err(|_| decode_error("database_url"))?;
        let services = body.member("services", "an object", |s| s.as_object().map(|_| s))?;
        let service = |key: &str| services.and_then(|s| s.get(key)).filter(|s| !s.is_null());
        let auth = match service("auth") {
            Some(auth) => Some((text(auth, "base_url")?, text(auth, "jwks_url")?)),
            None => None,
        };
        let data_api_url = match service("data_api") {
            Some(data_api) => Some(text(data_api, "url")?),
            None => None,
        };
        Ok(Credentials {
            project_id: text(&body, "project_id")?,
            branch_id: text(&body, "branch_id")?,
            database_url,
            expires_at: text(&body, "expires_at")?,
            auth,
            data_api_url,
        })
    }

    /// Starts a claim (`POST …/claim`); a previous pending attempt is cancelled by the service.
    pub async fn claim(&self, options: &RequestOptions) -> Result<ClaimCode, ClaimableNeonError> {
        let body = self
            .project_call("claimableNeon.claim", Method::Post, "/claim", options)
            .await?;
        let body = Json::parse(&body)?;
        let text = |key: &str| {
            body.required(key, "a string", Json::as_str)
                .map(str::to_owned)
        };
        Ok(ClaimCode {
            user_code: text("user_code")?,
            verification_uri: text("verification_uri")?,
            verification_uri_complete: text("verification_uri_complete")?,
            expires_in: body.required("expires_in", "a number", Json::as_u64)?,
            interval: body.required("interval", "a number", Json::as_u64)?,
        })
    }

    /// Reads the current claim attempt (`GET …/claim`); `not_found` when none was started.
    pub async fn claim_status(
        &self,
        options: &RequestOptions,
    ) -> Result<ClaimStatus, ClaimableNeonError> {
        let body = self
            .project_call("claimableNeon.claimStatus", Method::Get, "/claim", options)
            .await?;
        let body = Json::parse(&body)?;
        let optional = |key: &str| {
            body.member(key, "a string", Json::as_str)
                .map(|v| v.map(str::to_owned))
        };
        Ok(ClaimStatus {
            state: body.required("state", "a string", Json::as_str)?.to_owned(),
            expires_at: optional("expires_at")?,
            reconciled: matches!(body.get("reconciled"), Some(Json::Bool(true))),
            message: optional("message")?,
        })
    }

    /// Polls the claim every `interval` (the claim answer's) until it is reconciled, telling
    /// `on_progress` each state it reads. An attempt that ends `expired` or `cancelled` is
    /// [`ClaimableNeonError::ClaimEnded`]. Once reconciled the service revokes the session's
    /// tokens and refuses the assertion with `project_claimed`: read during the wait, that
    /// answer means the claim completed.
    pub async fn wait_for_claim(
        &self,
        interval: Duration,
        on_progress: &mut dyn FnMut(&ClaimStatus),
        options: &RequestOptions,
    ) -> Result<ClaimStatus, ClaimableNeonError> {
        let interval = if interval.is_zero() {
            DEFAULT_POLL
        } else {
            interval
        };
        let runtime = self.inner.service.runtime.clone();
        loop {
            let status = match self.claim_status(options).await {
                Ok(status) => status,
                Err(ClaimableNeonError::DeadAssertion(e)) if e.code == "project_claimed" => {
                    ClaimStatus {
                        state: "reconciled".to_owned(),
                        expires_at: None,
                        reconciled: true,
                        message: Some(e.message),
                    }
                }
                Err(e) => return Err(e),
            };
            on_progress(&status);
            match status.state.as_str() {
                "reconciled" => return Ok(status),
                "expired" | "cancelled" => {
                    return Err(ClaimableNeonError::ClaimEnded {
                        state: status.state,
                    })
                }
                _ => {}
            }
            if crate::core::cancel::until_cancelled(
                options.cancel.as_ref(),
                runtime.sleep(interval),
            )
            .await
            .is_none()
            {
                return Err(Error::Aborted.into());
            }
        }
    }

    /// Deletes the project (`DELETE …`); the assertion is dead afterwards.
    pub async fn delete(&self, options: &RequestOptions) -> Result<(), ClaimableNeonError> {
        self.project_call("claimableNeon.delete", Method::Delete, "", options)
            .await
            .map(drop)
    }

    /// A call on the project's own routes, in the path family the service answers on.
    async fn project_call(
        &self,
        op: &str,
        method: Method,
        suffix: &str,
        options: &RequestOptions,
    ) -> Result<Vec<u8>, ClaimableNeonError> {
        let path = |databases: bool| {
            let family = if databases {
                "/v1/databases/"
            } else {
                "/v1/projects/"
            };
            concat(&[family, &percent_encode(&self.inner.project_id), suffix])
        };
        let databases = self.inner.databases_paths.load(Ordering::Relaxed);
        match self.authorized(op, method, &path(databases), options).await {
            Err(ClaimableNeonError::Service(e))
                if !databases && e.status == 404 && e.code == "not_found" =>
            {
                let answer = self.authorized(op, method, &path(true), options).await;
                if answer.is_ok() {
                    self.inner.databases_paths.store(true, Ordering::Relaxed);
                }
                answer.map_err(|other| match other {
                    // The other family has no such route either: report the first answer.
                    ClaimableNeonError::Service(second) if second.status == 404 => {
                        ClaimableNeonError::Service(e)
                    }
                    other => other,
                })
            }
            answer => answer,
        }
    }

    /// Sends with a bearer token; a token the service calls expired (or no longer valid) is
    /// dropped and the call repeated once with a new exchange.
    ///
    /// Boxed, like [`Service::request`]: compiled once rather than into every caller's
    /// state machine (the wasm module pays for each copy).
    fn authorized<'a>(
        &'a self,
        op: &'a str,
        method: Method,
        path: &'a str,
        options: &'a RequestOptions,
    ) -> BoxFuture<'a, Result<Vec<u8>, ClaimableNeonError>> {
        Box::pin(async move {
            let mut repeated = false;
            loop {
                let token = self.access_token(options).await?;
                let headers = vec![(
                    "Authorization".to_owned(),
                    concat(&["Bearer ", token.expose()]),
                )];
                match self
                    .inner
                    .service
                    .request(op, method, path, headers, None, options)
                    .await
                {
                    Err(ClaimableNeonError::Service(e)) if !repeated && is_stale_token(&e) => {
                        self.inner.tokens.forget(&token);
                        repeated = true;
                    }
                    answer => return answer,
                }
            }
        })
    }
}

fn is_stale_token(error: &ServiceError) -> bool {
    error.status == 401 && (error.code == "token_expired" || error.code == "unauthorized")
}

fn form_header() -> Vec<(String, String)> {
    vec![(
        "Content-Type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )]
}
