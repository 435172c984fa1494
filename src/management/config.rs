//! The Management client's configuration: its base URL and the API key source. (Base URL
//! validation, the default timeout and `User-Agent` are shared with every client: they live
//! in [`core::http`](crate::core::http) and are re-exported here.)

use crate::core::error::{ClientError, Error};
use crate::core::secret::Secret;
use crate::core::transport::{BoxFuture, MaybeSendSync};
use std::sync::Arc;

pub use crate::core::http::{check_http, normalize_base_url, DEFAULT_TIMEOUT, USER_AGENT};

/// The Management API's public base URL.
pub const DEFAULT_BASE_URL: &str = "https://console.neon.tech/api/v2";
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
        return Err(ClientError::MissingApiKey.into());
    }
    if key.chars().any(|c| c.is_control() || c == ' ') {
        // Never echo the key itself.
        let problem = "apiKey contains whitespace or control characters and cannot be sent in a header";
        return Err(ClientError::InvalidApiKey { problem }.into());
    }
    Ok(Secret::new(key))
}
