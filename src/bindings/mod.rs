//! The JS bindings. Everything `#[wasm_bindgen]` lives below this module. Two cargo features
//! choose what a wasm build exports, so each npm entry ships its own module:
//! `js-management` (the `NeonClient` class, error classes; `neon-edge`) and `js-postgres`
//! (Claimable Postgres, SQL over HTTP, .env helpers; `neon-edge/postgres`). The transport,
//! runtime, per-call options and error mapping below are shared by both.
// With neither feature (Rust on wasm32 using only `FetchTransport` and `JsRuntime`), the
// shared JS helpers go unused; the linker drops them.
#![cfg_attr(not(any(feature = "js-management", feature = "js-postgres")), allow(dead_code))]

mod call;
mod errors;
mod fetch;
mod js_runtime;
mod js_values;
mod promise;
mod values;

#[cfg(feature = "js-management")]
mod client;
#[cfg(feature = "js-management")]
mod duration_store;
#[cfg(feature = "js-management")]
mod js_args;
#[cfg(feature = "js-management")]
mod rate_limit_store;
#[cfg(feature = "js-management")]
mod resilience;

#[cfg(feature = "js-postgres")]
mod claimable;
#[cfg(feature = "js-postgres")]
mod dotenv;
#[cfg(feature = "js-postgres")]
mod sql;

#[cfg(feature = "js-management")]
pub use client::{operation_ids, JsNeonClient};
pub use fetch::FetchTransport;
pub use js_runtime::JsRuntime;

/// Whether this is a browser, which refuses a custom User-Agent (and would preflight it).
fn is_browser() -> bool {
    values::prop(&js_sys::global(), "document").is_some()
}
