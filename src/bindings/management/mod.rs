//! The `neon-edge` module's exports (cargo feature `js-management`): the `NeonClient` class,
//! its per-call options, pagination, waits and resilience options with their JS stores, and
//! the TypeScript declarations of the generated API.

pub(crate) mod call;
mod client;
mod duration_store;
mod first_attempt;
mod js_args;
pub(crate) mod pages_waits;
mod rate_limit_store;
mod resilience;

pub use client::{operation_ids, JsNeonClient};

use wasm_bindgen::prelude::*;

/// The generated `NeonClientMethods` interface (one method per operation).
#[wasm_bindgen(typescript_custom_section)]
const TS_NEON_CLIENT_METHODS: &str = crate::management::api::NEON_CLIENT_METHODS_TS;

/// The generated type aliases (tsify derives the structs' declarations itself).
#[wasm_bindgen(typescript_custom_section)]
const TS_ALIASES: &str = crate::management::api::models::TS_ALIASES;
