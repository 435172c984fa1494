//! A call's first attempt sent by the caller: the plan ([`NeonClient::first_attempt`]) and the
//! headers it goes with ([`NeonClient::fixed_headers`]); the outcome comes back through
//! [`NeonClient::execute_from`].

use super::NeonClient;
use crate::management::args::{self, Args};
use crate::management::config::ApiKey;
use crate::management::operation::Operation;
use crate::core::transport::Method;
use std::time::Duration;

impl NeonClient {
    /// The first attempt of a call with default [`CallOptions`] when it can go out now, for a
    /// caller that sends it with its own HTTP client and hands the outcome to
    /// [`execute_from`](NeonClient::execute_from): the wasm module's JS fetches a successful
    /// answer's body without copying it through wasm memory. `None`, and nothing reserved,
    /// unless the key is fixed, the body (if any) is JSON, the arguments build a request, and
    /// the rate limiter (if any) answers without an await. A pacing slot is taken: the caller
    /// waits [`FirstAttempt::wait`] before sending.
    pub fn first_attempt(&self, op: Operation, args: &dyn Args) -> Option<FirstAttempt> {
        if !matches!(self.inner.api_key, ApiKey::Static(_)) {
            return None;
        }
        let built = args::build(op, args).ok()?;
        let body = match built.body {
            Some(b) if b.content_type != "application/json" => return None,
            other => other.map(|b| b.bytes),
        };
        let started_ms = self.inner.runtime.now_ms();
        let wait = self.pace_now(op, started_ms)?;
        let mut url = self.inner.base_url.clone();
        url.push_str(&built.path_and_query);
        Some(FirstAttempt { method: op.method(), url, body, timeout: self.inner.timeout, wait, started_ms })
    }

    /// Takes a pacing slot for a first attempt of `op` sent at `now_ms` (the runtime's clock):
    /// how long to wait before sending it (zero without a rate limiter); `None`, and nothing
    /// reserved, when the limiter cannot answer without an await.
    pub fn pace_now(&self, op: Operation, now_ms: f64) -> Option<Duration> {
        match &self.inner.limiter {
            Some(limiter) => limiter.acquire_now(op.method(), op.path(), now_ms),
            None => Some(Duration::ZERO),
        }
    }

    /// Whether calls are paced (a rate limiter is set): a caller sending first attempts
    /// without [`first_attempt`](NeonClient::first_attempt) takes their slots with
    /// [`pace_now`](NeonClient::pace_now).
    pub fn paced(&self) -> bool {
        self.inner.limiter.is_some()
    }

    /// The timeout of an attempt with default [`CallOptions`].
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The headers every attempt without a body sends for a JSON response when the client's
    /// key is fixed: a caller sending a [`FirstAttempt`] itself sends these (and
    /// `Content-Type: application/json` with a body).
    pub fn fixed_headers(&self) -> Option<Vec<(String, String)>> {
        match &self.inner.api_key {
            ApiKey::Static(key) => Some(self.headers(key, "application/json", None)),
            ApiKey::Provider(_) => None,
        }
    }
}

/// A call's first attempt as [`NeonClient::first_attempt`] planned it.
#[derive(Clone, PartialEq)]
pub struct FirstAttempt {
    /// The HTTP method.
    pub method: Method,
    /// The whole URL.
    pub url: String,
    /// The JSON body, for operations that take one.
    pub body: Option<Vec<u8>>,
    /// The attempt's timeout.
    pub timeout: Duration,
    /// How long to wait before sending (the rate limiter's pacing).
    pub wait: Duration,
    /// When the call started (the runtime's clock), for [`NeonClient::execute_from`].
    pub started_ms: f64,
}

impl std::fmt::Debug for FirstAttempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirstAttempt")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("body", &self.body.as_ref().map(Vec::len))
            .field("timeout", &self.timeout)
            .field("wait", &self.wait)
            .finish()
    }
}
