//! A duration store written in JS (`operationDurations: { get, set }`): isolates or Workers
//! share what their operation waits learned (through KV, a Durable Object, ...), so that a
//! wait in a fresh isolate rarely starts knowing nothing. One number per action: the client
//! reads it, and writes back [`next_expected`] of it and the new observation.

use crate::bindings::shared::errors::invalid_option;
use crate::bindings::shared::options::{method, store_result};
use crate::core::error::Error;
use crate::management::durations::{next_expected, DurationStore};
use crate::core::transport::BoxFuture;
use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_DURATIONS: &str = include_str!("duration_store.d.ts");

/// The client option the store is given as.
const OPTION: &str = "operationDurations";

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
            return Err(invalid_option(OPTION, "must be an object with `get` and `set` methods"));
        }
        let get = method(&store, "get", OPTION, "must have a `get` method")?;
        let set = method(&store, "set", OPTION, "must have a `set` method")?;
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
