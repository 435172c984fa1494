//! Client configuration: base URL validation and the API key source.

use crate::error::Error;
use crate::secret::Secret;
use crate::transport::{BoxFuture, MaybeSendSync, Transport};
use std::sync::Arc;
use std::time::Duration;

/// The Management API's public base URL.
pub const DEFAULT_BASE_URL: &str = "https://console.neon.tech/api/v2";
/// How long one HTTP request may take unless the caller says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Sent as `User-Agent` where the runtime allows setting it.
pub const USER_AGENT: &str = concat!("neon-edge/", env!("CARGO_PKG_VERSION"));

/// The transport and timeout every HTTP client is built with, checked: a transport is
/// required and the timeout must be positive.
pub fn check_http(transport: Option<Arc<dyn Transport>>, timeout: Duration) -> Result<Arc<dyn Transport>, Error> {
    let transport = transport.ok_or_else(|| Error::client("no transport configured for this target"))?;
    if timeout.is_zero() {
        return Err(Error::client("timeoutMs must be greater than zero"));
    }
    Ok(transport)
}

/// The `transport`, `timeout` and `user_agent` setters shared by every client builder
/// (each has fields of those names).
macro_rules! http_builder_setters {
    () => {
        /// The transport that sends requests (required on native targets).
        pub fn transport(mut self, transport: std::sync::Arc<dyn crate::transport::Transport>) -> Self {
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

/// Supplies the API key for each request: lets callers rotate keys without a new client.
pub trait ApiKeyProvider: MaybeSendSync {
    /// The key to send now.
    fn api_key(&self) -> BoxFuture<'_, Result<Secret, Error>>;
}

/// Where the client gets its API key.
#[derive(Clone)]
pub enum ApiKey {
    /// One fixed key.
    Static(Secret),
    /// Asked for before every request.
    Provider(Arc<dyn ApiKeyProvider>),
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiKey::Static(_) => f.write_str("ApiKey::Static(***)"),
            ApiKey::Provider(_) => f.write_str("ApiKey::Provider(..)"),
        }
    }
}

impl ApiKey {
    /// A fixed key; empty or blank keys are refused.
    pub fn fixed(key: impl Into<String>) -> Result<ApiKey, Error> {
        Ok(ApiKey::Static(validate_key(key.into())?))
    }

    /// The key to send now, validated.
    pub async fn resolve(&self) -> Result<Secret, Error> {
        match self {
            ApiKey::Static(key) => Ok(key.clone()),
            ApiKey::Provider(p) => {
                let key = p.api_key().await?;
                validate_key(key.expose().to_owned())
            }
        }
    }
}

fn validate_key(key: String) -> Result<Secret, Error> {
    if key.trim().is_empty() {
        return Err(Error::client("apiKey is missing or empty"));
    }
    if key.chars().any(|c| c.is_control() || c == ' ') {
        // Never echo the key itself.
        return Err(Error::client(
            "apiKey contains whitespace or control characters and cannot be sent in a header",
        ));
    }
    Ok(Secret::new(key))
}

/// Checks a base URL (`http(s)://host[:port][/path]`, no query or fragment) and drops a
/// trailing slash.
pub fn normalize_base_url(option: &str, url: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::client(format!("{option} `{url}` is not a valid base URL: {why}"));
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
