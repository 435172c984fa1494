//! Exports that panic on purpose, compiled only into the test build of
//! `tests/js/panic-recovery.test.mjs` (cargo feature `test-panic`): the shipped modules never
//! have them. They show that a panic which still happens (the npm build aborts on panic, so it
//! is a `WebAssembly.RuntimeError` trap) becomes a JS error on that call and that the module
//! answers the next call.
#![allow(clippy::panic)]

use wasm_bindgen::prelude::*;

/// Panics during a synchronous call.
#[wasm_bindgen(js_name = testPanic)]
pub fn test_panic() {
    panic!("a deliberate test panic");
}

/// Panics inside an async call, after its first await: the trap happens in a microtask.
#[wasm_bindgen(js_name = testPanicAsync)]
pub async fn test_panic_async() {
    let resolved = js_sys::Promise::resolve(&JsValue::UNDEFINED);
    let _ = wasm_bindgen_futures::JsFuture::from(resolved).await;
    panic!("a deliberate test panic in a future");
}
