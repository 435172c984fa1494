//! neon-edge: a typed, resilient client for the Neon Management API and Claimable Postgres,
//! built for browser and edge runtimes (WebAssembly) and for Rust.
//!
//! Layers, bottom up: plain-data [`transport`] and [`runtime`] traits, the [`operation`]
//! descriptors and the [`client`] that executes them, the typed [`api`], then the JS
//! bindings (wasm32 only).

pub mod api;
pub mod args;
pub mod cancel;
pub mod claimable;
pub mod client;
pub mod config;
pub mod connection_string;
pub mod dotenv;
pub mod error;
pub mod json;
mod if_exists;
mod generated;
pub mod multipart;
pub mod observer;
pub mod operation_durations;
pub mod operation;
pub mod operations_wait;
pub mod paginate;
mod plain_http;
pub mod rate_limit;
mod resilience;
pub mod response;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod sql;
mod text;
pub mod transport;

/// JS bindings and the wasm32 transport and runtime (also usable from Rust on wasm32).
#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use client::{CallOptions, ClientBuilder, IfExists, NeonClient, RawRequest};
pub use config::ApiKey;
pub use error::{ApiError, Error, ErrorKind};

/// The wasm module's allocator: talc instead of Rust's default dlmalloc, for fewer shipped
/// bytes (measured with the npm build; the module is single-threaded, no atomics).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
