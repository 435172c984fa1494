//! The JS bindings: the only place that knows JavaScript (wasm-bindgen, js-sys, web-sys).
//! Two cargo features choose what a wasm build exports, so each npm entry ships its own
//! module: `js-management` ([`management`]: the `NeonClient` class; `neon-edge`) and
//! `js-postgres` ([`postgres`]: Claimable Postgres, SQL over HTTP, .env helpers;
//! `neon-edge/postgres`) and `js-workflows` (`workflows`: the same `NeonClient` plus the
//! workflow namespaces; `neon-edge/workflows`). [`shared`] holds what both use: the fetch transport, the JS
//! runtime, per-call options and the one builder of JS error objects.
// With neither feature (Rust on wasm32 using only `FetchTransport` and `JsRuntime`), the
// shared JS helpers go unused; the linker drops them.
#![cfg_attr(not(any(feature = "js-management", feature = "js-postgres")), allow(dead_code))]

mod shared;

#[cfg(feature = "js-management")]
mod management;
#[cfg(feature = "js-postgres")]
mod postgres;
#[cfg(feature = "js-workflows")]
mod workflows;
// Only in the test build of `tests/js/panic-recovery.test.mjs`, never in `pkg/`.
#[cfg(feature = "test-panic")]
mod test_panic;

#[cfg(feature = "js-management")]
pub use management::{operation_ids, JsNeonClient};
pub use shared::fetch::FetchTransport;
pub use shared::js_runtime::JsRuntime;
