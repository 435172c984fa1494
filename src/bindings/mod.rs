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

/// The User-Agent a client sends: none from a browser, which refuses a custom one (and would
/// preflight it for CORS).
fn user_agent() -> Option<String> {
    let browser = values::prop(&js_sys::global(), "document").is_some();
    (!browser).then(|| crate::config::USER_AGENT.to_owned())
}

/// The transport an options object asks for: its `fetch` function, else the global `fetch`.
fn fetch_option(options: &wasm_bindgen::JsValue) -> Result<FetchTransport, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    match values::prop(options, "fetch") {
        None => Ok(FetchTransport::global()),
        Some(f) if f.is_function() => Ok(FetchTransport::with_fetch(f.unchecked_into())),
        Some(_) => Err(errors::client_error("fetch must be a function")),
    }
}
