//! A duration store written in JS (`operationDurations: { get, set }`): isolates or Workers
//! share what their operation waits learned (through KV, a Durable Object, ...), so that a
//! wait in a fresh isolate rarely starts knowing nothing. One number per action: the client
//! reads it, and writes back [`next_expected`] of it and the new observation.

use super::errors::client_error;
use super::values::{method, store_result};
use crate::error::Error;
use crate::operation_durations::{next_expected, DurationStore};
use crate::transport::BoxFuture;
use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_DURATIONS: &str = r#"
/**
 * Where operation waits learn how long each action (`create_branch`, `start_compute`, ...)
 * takes, shared by several clients (KV, a Durable Object, any key-value store). One number per
 * action: the client reads it before a wait (the first poll goes just after it) and, once the
 * operation finished, writes back the new expectation. A failing or slow (> 1 s) store never
 * fails a wait: it polls at 10% of the time waited instead.
 */
export interface OperationDurationStore {
  /** The expected duration of `action` in ms (a number or a numeric string), or undefined/null. */
  get(action: string): number | string | null | undefined | Promise<number | string | null | undefined>;
  /** Keeps `ms` as the expected duration of `action`. */
  set(action: string, ms: number): void | Promise<void>;
}
"#;

/// A store implemented by a JS object with `get` and `set` methods.
pub(super) struct JsDurationStore {
    store: JsValue,
    get: Function,
    set: Function,
}

impl JsDurationStore {
    /// Checks that `store` has both methods.
    pub(super) fn new(store: JsValue) -> Result<Self, JsValue> {
        if !store.is_object() {
            return Err(client_error("operationDurations must be an object with `get` and `set` methods"));
        }
        let get = method(&store, "get", "operationDurations must have a `get` method")?;
        let set = method(&store, "set", "operationDurations must have a `set` method")?;
        Ok(JsDurationStore { store, get, set })
    }

    async fn held(&self, action: &str) -> Result<Option<f64>, Error> {
        let value = store_result(self.get.call1(&self.store, &JsValue::from_str(action)), "operationDurations.get").await?;
        // KV hands numbers back as strings; JS parses them (no float parser in the wasm).
        let ms = value.as_f64().or_else(|| value.as_string().map(|s| js_sys::Number::parse_float(&s)));
        Ok(ms.filter(|ms| ms.is_finite() && *ms > 0.0))
    }
}

impl DurationStore for JsDurationStore {
    fn expected<'a>(&'a self, action: &'a str) -> BoxFuture<'a, Result<Option<f64>, Error>> {
        Box::pin(self.held(action))
    }

    fn record<'a>(&'a self, action: &'a str, duration_ms: f64) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            // A store that cannot be read is still written: the observation alone.
            let held = self.held(action).await.unwrap_or(None);
            let ms = JsValue::from_f64(next_expected(held, duration_ms));
            store_result(self.set.call2(&self.store, &JsValue::from_str(action), &ms), "operationDurations.set").await.map(|_| ())
        })
    }
}
