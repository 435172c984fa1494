//! What every HTTP client of the library shares: the default timeout and `User-Agent`, base
//! URL validation, the builder setters, and [`send`] — one request with JSON headers, the
//! timeout and transport failures mapped to typed errors. [`send`] never retries: it serves
//! Claimable Postgres and SQL over HTTP, whose writes are not idempotent, so a failure is
//! reported, never replayed. (The Management client retries under its policies.)

use crate::core::cancel::CancelToken;
use crate::core::error::{ClientError, Error};
use crate::core::options::RequestOptions;
use crate::core::transport::{HttpRequest, HttpResponse, Method, Transport};
use std::sync::Arc;
use std::time::Duration;

/// What one call sends, apart from the transport.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: String,
    /// Extra headers after `Accept` and `Content-Type`.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// The client's per-request timeout; the call's options may shorten it.
    pub timeout: Duration,
    pub options: &'a RequestOptions,
    pub user_agent: Option<&'a str>,
    /// Names the call in timeout messages, e.g. `createClaimableDatabase`.
    pub what: &'a str,
}

/// Sends `call` and returns the response whatever its status.
pub(crate) async fn send(transport: &dyn Transport, call: Call<'_>) -> Result<HttpResponse, Error> {
    let what = call.what;
    let request = request(call)?;
    // `request` always sets the call's timeout.
    let timeout = request.timeout.unwrap_or(DEFAULT_TIMEOUT);
    transport.send(request).await.map_err(|e| Error::from_transport(e, what, timeout))
}

/// The request `call` sends: JSON headers, the timeout and cancel token of its options; an
/// `Aborted` error when the token has already fired.
pub(crate) fn request(call: Call<'_>) -> Result<HttpRequest, Error> {
    let cancel = call.options.cancel.as_ref();
    if cancel.is_some_and(CancelToken::is_cancelled) {
        return Err(Error::Aborted);
    }
    let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
    // A JSON body unless the call names its own type (a form).
    if call.body.is_some() && !call.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    if let Some(ua) = call.user_agent {
        headers.push(("User-Agent".to_owned(), ua.to_owned()));
    }
    headers.extend(call.headers);
    Ok(HttpRequest {
        method: call.method,
        url: call.url,
        headers,
        body: call.body,
        timeout: Some(call.options.single_request_timeout(call.timeout)),
        cancel: cancel.cloned(),
    })
}

/// How long one HTTP request may take unless the caller says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Sent as `User-Agent` where the runtime allows setting it.
pub const USER_AGENT: &str = concat!("neon-edge/", env!("CARGO_PKG_VERSION"));

/// The transport and timeout every HTTP client is built with, checked: the timeout must be
/// positive, and a transport is required unless the target has a default (natively with the
/// cargo feature `native`: a new `ReqwestTransport`).
pub fn check_http(transport: Option<Arc<dyn Transport>>, timeout: Duration) -> Result<Arc<dyn Transport>, Error> {
    if timeout.is_zero() {
        return Err(Error::invalid_option("timeoutMs", "must be greater than zero"));
    }
    match transport {
        Some(transport) => Ok(transport),
        None => default_transport(),
    }
}

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    let transport = crate::core::transport::ReqwestTransport::new().map_err(|e| Error::Network { message: e.to_string() })?;
    Ok(Arc::new(transport))
}

#[cfg(not(all(feature = "native", not(target_arch = "wasm32"))))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Err(ClientError::NotConfigured { what: "transport" }.into())
}

/// The `transport`, `timeout` and `user_agent` setters shared by every client builder
/// (each has fields of those names).
macro_rules! http_builder_setters {
    () => {
        /// The transport that sends requests. Required, except natively with the cargo
        /// feature `native`, where the default is a new `ReqwestTransport` (wasm32 callers
        /// from Rust pass `FetchTransport`; the JS bindings pass it themselves).
        pub fn transport(mut self, transport: std::sync::Arc<dyn crate::core::transport::Transport>) -> Self {
            self.transport = Some(transport);
            self
        }

        /// The per-request timeout (default 60 s).
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.timeout = timeout;
            self
        }

        /// The `User-Agent` header to send, or `None` where the runtime forbids setting it.
        pub fn user_agent(mut self, user_agent: Option<String>) -> Self {
            self.user_agent = user_agent;
            self
        }
    };
}
pub(crate) use http_builder_setters;

/// Checks a base URL (`http(s)://host[:port][/path]`, no query or fragment) and drops a
/// trailing slash.
pub fn normalize_base_url(option: &'static str, url: &str) -> Result<String, Error> {
    let bad = |problem| Error::from(ClientError::InvalidBaseUrl { option, url: shown_url(url), problem });
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("it must start with https:// or http://"))?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains whitespace"));
    }
    if url.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(bad("it must not have a query or fragment"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.as_bytes().contains(&b'@') {
        return Err(bad("it must not carry credentials"));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, "")) => (host, None),
            Some((host, after)) => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(bad("unexpected text after its IPv6 host")),
            },
            None => return Err(bad("its IPv6 host has no closing `]`")),
        },
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad("its port is not a number"));
    }
    if host.is_empty() {
        return Err(bad("it has no host"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// `url` as a message may show it: everything up to its last `@` (a `user:password@`, and
/// more when a path holds an `@`) becomes `***`. A byte scan: `str` searching costs the wasm.
fn shown_url(url: &str) -> String {
    match url.as_bytes().iter().rposition(|&b| b == b'@').and_then(|at| url.split_at_checked(at)) {
        Some((_, from_at)) => crate::core::text::concat(&["***", from_at]),
        None => url.to_owned(),
    }
}
