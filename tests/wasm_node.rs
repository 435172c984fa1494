//! wasm tests in Node: real fetch against the loopback mock server.
#![cfg(target_arch = "wasm32")]

include!("wasm/common.rs");

mod resilience {
    include!("wasm/resilience.rs");
}
