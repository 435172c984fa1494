//! The client options of the resilience layer: `retry`, `rateLimit` (with its JS store) and
//! `operationDurations`, applied to the core client's builder. The per-call
//! `{ wait, ifExists, retry, deadlineMs }` are read in `call.rs`.

use super::call::retry_policy;
use super::duration_store::JsDurationStore;
use super::rate_limit_store::JsRateLimitStore;
use crate::bindings::shared::errors::{invalid_option, to_js};
use crate::bindings::shared::options::{number, opt_string};
use crate::bindings::shared::values::prop;
use crate::management::client::ClientBuilder;
use crate::management::policies::rate_limit::{RateLimitConfig, RateLimiter};
use crate::management::policies::retry::RetryPolicy;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_RESILIENCE: &str = include_str!("resilience.d.ts");

/// Applies the constructor's `retry`, `rateLimit` and `operationDurations` options.
pub(super) fn client_policies(mut builder: ClientBuilder, options: &JsValue) -> Result<ClientBuilder, JsValue> {
    if let Some(retry) = prop(options, "retry") {
        builder = builder.retry(retry_policy(&retry, "retry", &RetryPolicy::default())?);
    }
    if let Some(limit) = prop(options, "rateLimit") {
        if limit.as_bool() == Some(false) {
            builder = builder.rate_limiter(None);
        } else if limit.is_object() {
            let defaults = RateLimitConfig::default();
            let scope = opt_string(&limit, "scope", "rateLimit.scope")?;
            let config = RateLimitConfig {
                per_minute: number(&limit, "perMinute", "rateLimit.perMinute")?.unwrap_or(defaults.per_minute),
                per_route_per_second: number(&limit, "perRoutePerSecond", "rateLimit.perRoutePerSecond")?
                    .unwrap_or(defaults.per_route_per_second),
                scope: scope.clone().unwrap_or(defaults.scope),
            };
            // A named scope without a store shares this isolate's buckets with its namesakes.
            let limiter = match (prop(&limit, "store"), scope) {
                (Some(store), _) => RateLimiter::new(config, Arc::new(JsRateLimitStore::new(store)?)),
                (None, Some(_)) => RateLimiter::process_wide(config),
                (None, None) => RateLimiter::in_memory(config),
            };
            builder = builder.rate_limiter(Some(limiter.map_err(|e| to_js(&e))?));
        } else if limit.as_bool() != Some(true) {
            return Err(invalid_option("rateLimit", "must be false or an object"));
        }
    }
    if let Some(store) = prop(options, "operationDurations") {
        builder = builder.operation_durations(Arc::new(JsDurationStore::new(store)?));
    }
    Ok(builder)
}
