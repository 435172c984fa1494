//! wasm tests in headless Chromium: real fetch (with CORS) against the loopback mock server.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

include!("wasm/common.rs");

mod resilience {
    include!("wasm/resilience.rs");
}
