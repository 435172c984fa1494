//! The Management client: turns operations and arguments into HTTP requests and sends each
//! call once through the [`policies`](crate::management::policies) (pacing, retries, the
//! deadline). The layers that call it again — `ifExists`, operation waits, pagination — sit
//! above it ([`invoke`](crate::management::invoke) puts them together for callers).

use crate::management::args::{self, Args, RequestBody};
use crate::core::cancel::{until_cancelled, CancelToken};
use crate::management::config::{normalize_base_url, ApiKey, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT};
use crate::core::error::{ClientError, Error};
use crate::core::options::RequestOptions;
use crate::management::operation::Operation;
use crate::management::durations::{DurationStore, MemoryDurations};
use crate::management::policies::rate_limit::{RateLimitConfig, RateLimiter};
use crate::management::policies::{FirstOutcome, Policies, Target};
use crate::management::policies::retry::{Jitter, RetryPolicy};
use crate::core::runtime::Runtime;
use crate::core::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use std::sync::Arc;
use std::time::Duration;

mod first_attempt;
pub use first_attempt::FirstAttempt;

/// Per-call options.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Overrides the client's timeout for this call.
    pub timeout: Option<Duration>,
    /// Cancels the call when fired, including pending retries and waits.
    pub cancel: Option<CancelToken>,
    /// A deadline for the whole call: every attempt, retry wait and operation wait.
    pub deadline: Option<Duration>,
    /// Overrides the client's retry policy for this call.
    pub retry: Option<RetryPolicy>,
    /// Waits for the operations a mutating call returns before resolving.
    pub wait: bool,
    /// What a create that answers 409 "already exists" resolves to.
    pub if_exists: IfExists,
}

impl CallOptions {
    /// The options every request has (timeout, cancel, deadline).
    pub fn request(&self) -> RequestOptions {
        RequestOptions { timeout: self.timeout, cancel: self.cancel.clone(), deadline: self.deadline }
    }
}

impl From<RequestOptions> for CallOptions {
    fn from(options: RequestOptions) -> CallOptions {
        CallOptions { timeout: options.timeout, cancel: options.cancel, deadline: options.deadline, ..CallOptions::default() }
    }
}

/// What a create that answers 409 "already exists" resolves to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IfExists {
    /// Fail with the 409 conflict error.
    #[default]
    Error,
    /// Look the existing resource up and resolve to it.
    Return,
}

/// Builds a [`NeonClient`].
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    runtime: Option<Arc<dyn Runtime>>,
    timeout: Duration,
    user_agent: Option<String>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimiter>,
    rate_limit_default: bool,
    durations: Option<Arc<dyn DurationStore>>,
}

impl ClientBuilder {
    /// The retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::disabled`] for none).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client-side rate limiter; `None` turns pacing off. Default: Neon's limits, in memory.
    pub fn rate_limiter(mut self, limiter: Option<RateLimiter>) -> Self {
        self.rate_limit = limiter;
        self.rate_limit_default = false;
        self
    }

    /// Where operation waits learn action durations. Default: this process's memory
    /// ([`MemoryDurations::process_wide`]); a store shared by isolates makes first waits rare.
    pub fn operation_durations(mut self, store: Arc<dyn DurationStore>) -> Self {
        self.durations = Some(store);
        self
    }

    /// The API key source (required).
    pub fn api_key(mut self, key: ApiKey) -> Self {
        self.api_key = Some(key);
        self
    }

    /// Overrides [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The runtime that sleeps and tells the time. Default natively: `TokioRuntime` with the
    /// cargo feature `native`, else [`StdRuntime`](crate::core::runtime::StdRuntime); required
    /// on wasm32.
    pub fn runtime(mut self, runtime: Arc<dyn Runtime>) -> Self {
        self.runtime = Some(runtime);
        self
    }

    crate::core::http::http_builder_setters!();

    /// Validates the configuration.
    pub fn build(self) -> Result<NeonClient, Error> {
        let api_key = self.api_key.ok_or(ClientError::MissingApiKey)?;
        let base_url = normalize_base_url("baseUrl", self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let transport = crate::management::config::check_http(self.transport, self.timeout)?;
        let runtime = match self.runtime {
            Some(rt) => rt,
            None => crate::core::runtime::default_runtime()?,
        };
        let limiter = match (self.rate_limit, self.rate_limit_default) {
            (Some(l), _) => Some(l),
            (None, true) => Some(RateLimiter::in_memory(RateLimitConfig::default())?),
            (None, false) => None,
        };
        let jitter = Jitter::seeded(runtime.now_ms());
        Ok(NeonClient {
            inner: Arc::new(Inner {
                api_key,
                base_url,
                transport,
                runtime,
                timeout: self.timeout,
                user_agent: self.user_agent,
                retry: self.retry,
                limiter,
                jitter,
                durations: self.durations.unwrap_or_else(|| MemoryDurations::process_wide()),
            }),
        })
    }
}

struct Inner {
    api_key: ApiKey,
    base_url: String,
    transport: Arc<dyn Transport>,
    runtime: Arc<dyn Runtime>,
    timeout: Duration,
    user_agent: Option<String>,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    jitter: Jitter,
    durations: Arc<dyn DurationStore>,
}

/// A client for the Neon Management API. Cheap to clone; clones share configuration.
///
/// One typed method per operation (`list_projects`, `create_project_branch`, ...), each
/// taking its parameters and [`CallOptions`]. Here over a scripted transport (with the cargo
/// feature `native`, leave `.transport(..)` out to send over HTTP):
///
/// ```
/// use neon_edge::api::GetProjectParams;
/// use neon_edge::transport::{ScriptedResponse, ScriptedTransport};
/// use neon_edge::{ApiKey, CallOptions, Error, ErrorKind, NeonClient};
/// use std::sync::Arc;
///
/// let transport = ScriptedTransport::new();
/// transport.push(ScriptedResponse::json(404, r#"{"code":"","message":"project not found"}"#));
/// let neon = NeonClient::builder()
///     .api_key(ApiKey::fixed("napi_example")?)
///     .transport(Arc::new(transport.clone()))
///     .build()?;
/// let err = pollster::block_on(neon.get_project(&GetProjectParams { project_id: "p-1".into() }, &CallOptions::default()))
///     .unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::NotFound);
/// assert_eq!(transport.requests()[0].url, "https://console.neon.tech/api/v2/projects/p-1");
/// assert!(!format!("{err:?}").contains("napi_example"), "errors never hold the key");
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct NeonClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for NeonClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NeonClient")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &self.inner.api_key)
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

/// A request for an endpoint that has no typed operation yet.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRequest {
    /// The HTTP method.
    pub method: Method,
    /// Path relative to the base URL, starting with `/`; no query or fragment.
    pub path: String,
    /// Query pairs, encoded by the client.
    pub query: Vec<(String, String)>,
    /// JSON body text.
    pub body: Option<Vec<u8>>,
}

impl NeonClient {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            api_key: None,
            base_url: None,
            transport: None,
            runtime: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: Some(USER_AGENT.to_owned()),
            retry: RetryPolicy::default(),
            rate_limit: None,
            rate_limit_default: true,
            durations: None,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The retry policy calls use unless their options give one.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Where this client's operation waits learn action durations.
    pub fn operation_durations(&self) -> &Arc<dyn DurationStore> {
        &self.inner.durations
    }

    /// The runtime this client sleeps on.
    pub fn runtime(&self) -> &Arc<dyn Runtime> {
        &self.inner.runtime
    }

    /// Calls `op` with `args` once through the client's policies and returns the raw
    /// successful response. Unlike [`NeonClient::execute`] it ignores `wait` and `ifExists`:
    /// the layers that implement those call it.
    pub async fn execute_once(
        &self,
        op: Operation,
        args: &dyn Args,
        options: &CallOptions,
    ) -> Result<HttpResponse, Error> {
        self.execute_once_after(op, args, options, None).await
    }

    /// [`execute_once`](NeonClient::execute_once), its first attempt already sent when `first`
    /// says what it got.
    pub(crate) async fn execute_once_after(
        &self,
        op: Operation,
        args: &dyn Args,
        options: &CallOptions,
        first: Option<FirstOutcome>,
    ) -> Result<HttpResponse, Error> {
        let built = args::build(op, args)?;
        self.send(&target(op), &built.path_and_query, built.body, options, first).await
    }

    /// The headers of an attempt with `key`.
    fn headers(&self, key: &crate::core::secret::Secret, accept: &str, content_type: Option<&str>) -> Vec<(String, String)> {
        let mut headers = vec![
            ("Authorization".to_owned(), format!("Bearer {}", key.expose())),
            ("Accept".to_owned(), accept.to_owned()),
        ];
        if let Some(content_type) = content_type {
            headers.push(("Content-Type".to_owned(), content_type.to_owned()));
        }
        if let Some(ua) = &self.inner.user_agent {
            headers.push(("User-Agent".to_owned(), ua.clone()));
        }
        headers
    }

    /// Sends a request to any path under the base URL: the escape hatch for endpoints
    /// without a typed operation.
    pub async fn request(&self, raw: RawRequest, options: &CallOptions) -> Result<HttpResponse, Error> {
        validate_raw_path(&raw.path)?;
        let mut path = raw.path.clone();
        for (i, (name, value)) in raw.query.iter().enumerate() {
            path.push(if i == 0 { '?' } else { '&' });
            crate::core::percent::percent_encode_into(name, &mut path);
            path.push('=');
            crate::core::percent::percent_encode_into(value, &mut path);
        }
        let target = Target { method: raw.method, route: &raw.path, operation: None, accept: "application/json" };
        self.send(&target, &path, raw.body.map(RequestBody::json), options, None).await
    }

    /// Every request goes through here: pacing, retries and the deadline wrap single attempts.
    async fn send(
        &self,
        target: &Target<'_>,
        path_and_query: &str,
        body: Option<RequestBody>,
        options: &CallOptions,
        first: Option<FirstOutcome>,
    ) -> Result<HttpResponse, Error> {
        let cancel = options.cancel.as_ref();
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(Error::Aborted);
        }
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let policies = Policies {
            retry: policy,
            limiter: self.inner.limiter.as_ref(),
            jitter: &self.inner.jitter,
            runtime: self.inner.runtime.as_ref(),
            timeout: options.timeout.unwrap_or(self.inner.timeout),
        };
        crate::management::policies::run(&policies, target, &options.request(), first, |timeout| {
            self.attempt(target, path_and_query, body.clone(), timeout, cancel)
        })
        .await
    }

    /// One HTTP attempt: any status is a response; no response is a transport error.
    async fn attempt(
        &self,
        target: &Target<'_>,
        path_and_query: &str,
        body: Option<RequestBody>,
        timeout: Duration,
        cancel: Option<&CancelToken>,
    ) -> Result<Result<HttpResponse, TransportError>, Error> {
        let key = until_cancelled(cancel, self.inner.api_key.resolve())
            .await
            .ok_or(Error::Aborted)??;
        let headers = self.headers(&key, target.accept, body.as_ref().map(|b| b.content_type.as_str()));
        let request = HttpRequest {
            method: target.method,
            url: format!("{}{}", self.inner.base_url, path_and_query),
            headers,
            body: body.map(|b| b.bytes),
            timeout: Some(timeout),
            cancel: cancel.cloned(),
        };
        Ok(self.inner.transport.send(request).await)
    }
}

/// What a call of `op` targets.
fn target(op: Operation) -> Target<'static> {
    Target { method: op.method(), route: op.path(), operation: Some(op.id()), accept: op.response().accept() }
}

fn validate_raw_path(path: &str) -> Result<(), Error> {
    let bad = |problem| Error::from(ClientError::InvalidPath { path: path.into(), problem });
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(bad("must start with a single `/`"));
    }
    if path.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(bad("must not contain `?` or `#`: pass query parameters under `query`"));
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return Err(bad("must not contain whitespace, control characters or `\\`"));
    }
    if path.split('/').any(|seg| {
        // `.` and `..`, also percent-encoded (`%2e`, `.%2E`, ...).
        matches!(seg.to_ascii_lowercase().as_str(), "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e.")
    }) {
        return Err(bad("must not contain `.` or `..` segments"));
    }
    Ok(())
}

// At the end of the file, so that the lines above (and the panic locations the wasm modules
// carry) stay where they were.
impl NeonClient {
    /// The transport this client sends with (the workflows' SQL over HTTP shares it).
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.inner.transport
    }
}
