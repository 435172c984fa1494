//! The wasm runtime: `setTimeout` for sleeping, `Date.now` for the time.

use crate::core::runtime::Runtime;
use crate::core::transport::BoxFuture;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Sleeps with the global `setTimeout`, available in browsers, Node, Deno, Bun and workerd.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsRuntime;

/// A pending `setTimeout`; dropping it clears the timer, so an abandoned sleep (a request
/// timeout that did not fire) never keeps a Node process alive, and resolves the promise:
/// a `JsFuture` frees its callbacks only once its promise settles, so a cleared timer whose
/// promise stayed pending leaked them on every call (measured: ~130 B of wasm memory and
/// ~1 KB of JS heap per request, each request racing its timeout).
struct Sleep {
    timer: JsValue,
    resolve: JsValue,
    done: JsFuture,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The promise only ever resolves.
        Pin::new(&mut self.done).poll(cx).map(|_| ())
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        // Resolving a settled promise again does nothing; the callback cannot throw.
        let _ = self.resolve.unchecked_ref::<js_sys::Function>().call0(&JsValue::UNDEFINED);
    }
}

impl Runtime for JsRuntime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let ms = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
        let mut timer = JsValue::UNDEFINED;
        let mut resolver = JsValue::UNDEFINED;
        // `new_typed`, the constructor `future_to_promise` uses: one import for both.
        let promise = js_sys::Promise::new_typed::<JsValue>(&mut |resolve, _reject| {
            timer = set_timeout(resolve.as_ref(), ms);
            resolver = AsRef::<JsValue>::as_ref(&resolve).clone();
        });
        Box::pin(Sleep { timer, resolve: resolver, done: JsFuture::from(promise) })
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}
