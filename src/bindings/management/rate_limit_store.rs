//! A rate-limit store written in JS (`rateLimit: { store }`): several isolates or Workers
//! sharing one API key pace against one set of buckets, e.g. held by a Durable Object. The
//! reservation arithmetic is spelled out in the TypeScript docs (a few lines of JS) rather
//! than exported, which would cost 1.6 KB of the package's gzip budget.

use crate::bindings::shared::values::set;
use crate::bindings::shared::options::{method, store_result};
use crate::core::error::Error;
use crate::management::policies::rate_limit::{Bucket, RateLimitStore};
use crate::core::transport::BoxFuture;
use js_sys::{Array, Function, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_STORE: &str = include_str!("rate_limit_store.d.ts");

/// The store method that hands out send times, as messages name it.
const ACQUIRE: &str = "rateLimit.store.acquire";

/// A store implemented by a JS object with `acquire` and `pause` methods.
pub(super) struct JsRateLimitStore {
    store: JsValue,
    acquire: Function,
    pause: Function,
}

impl JsRateLimitStore {
    /// Checks that `store` has both methods.
    pub(super) fn new(store: JsValue) -> Result<Self, JsValue> {
        let acquire = method(&store, "acquire", "rateLimit.store", "must have an `acquire` method")?;
        let pause = method(&store, "pause", "rateLimit.store", "must have a `pause` method")?;
        Ok(JsRateLimitStore { store, acquire, pause })
    }
}

fn buckets_to_js(buckets: &[Bucket]) -> Array {
    buckets
        .iter()
        .map(|b| {
            let o = Object::new();
            set(&o, "key", b.key.as_str());
            set(&o, "intervalMs", b.interval_ms);
            set(&o, "burst", b.burst);
            JsValue::from(o)
        })
        .collect()
}

/// Calls a store method with the buckets and a time.
fn call(f: &Function, this: &JsValue, buckets: &[Bucket], ms: f64) -> Result<JsValue, JsValue> {
    f.call2(this, &buckets_to_js(buckets), &JsValue::from_f64(ms))
}

impl RateLimitStore for JsRateLimitStore {
    fn acquire<'a>(&'a self, buckets: &'a [Bucket], now_ms: f64) -> BoxFuture<'a, Result<f64, Error>> {
        Box::pin(async move {
            let at = store_result(call(&self.acquire, &self.store, buckets, now_ms), ACQUIRE).await?;
            match at.as_f64() {
                Some(at) if at.is_finite() => Ok(at.max(now_ms)),
                _ => Err(Error::invalid_option(ACQUIRE, "must return a time in ms")),
            }
        })
    }

    fn pause<'a>(&'a self, buckets: &'a [Bucket], until_ms: f64) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            store_result(call(&self.pause, &self.store, buckets, until_ms), "rateLimit.store.pause").await.map(|_| ())
        })
    }
}
