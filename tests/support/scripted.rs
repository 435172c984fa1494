//! Shared by the native integration tests: a client over a scripted transport, and a way to
//! run a future to completion without an executor.
#![allow(dead_code)]

use neon_edge::transport::ScriptedTransport;
use neon_edge::{ApiKey, NeonClient};
use std::sync::Arc;

/// A client sending `key` to `base` over `t`, with retries off: one scripted answer per call
/// (retries have their own tests in tests/resilience.rs).
pub fn scripted_client(t: &ScriptedTransport, key: &str, base: &str) -> NeonClient {
    NeonClient::builder()
        .api_key(ApiKey::fixed(key).unwrap())
        .base_url(base)
        .transport(Arc::new(t.clone()))
        .retry(neon_edge::retry::RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// A builder for a client over `t` that sleeps on `runtime` (virtual time in the tests of
/// waits and pagination), with retries and pacing off: the only waits are the ones under test.
pub fn timed_builder(t: &ScriptedTransport, runtime: Arc<dyn neon_edge::runtime::Runtime>) -> neon_edge::ClientBuilder {
    NeonClient::builder()
        .api_key(ApiKey::fixed("napi_test").unwrap())
        .base_url("https://api.example.test/api/v2")
        .transport(Arc::new(t.clone()))
        .runtime(runtime)
        .retry(neon_edge::retry::RetryPolicy::disabled())
        .rate_limiter(None)
}

/// Runs a future to completion on the current thread.
pub fn run<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}
