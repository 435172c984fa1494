//! The wasm runtime: `setTimeout` for sleeping, `Date.now` for the time.

use crate::runtime::Runtime;
use crate::transport::BoxFuture;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
}

/// Sleeps with the global `setTimeout`, available in browsers, Node, Deno, Bun and workerd.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsRuntime;

impl Runtime for JsRuntime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let ms = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, ms);
        });
        Box::pin(async move {
            // The promise only ever resolves.
            let _ = JsFuture::from(promise).await;
        })
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}
