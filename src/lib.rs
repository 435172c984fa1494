#![deny(missing_docs)]
//! neon-edge: a typed, resilient client for the Neon Management API and Claimable Postgres,
//! built for browser and edge runtimes (WebAssembly) and for Rust.
//!
//! Layers, bottom up (data flows one way; `tests/layers.rs` keeps it so):
//! - [`core`]: what both halves share, pure Rust: errors, the [`Transport`](transport::Transport)
//!   and [`Runtime`](runtime::Runtime) traits, time, cancellation, secrets, the JSON reader,
//!   plain HTTP sending and the one error-body reader.
//! - [`management`]: the Management API client — configuration, the operation table, the
//!   policies (retries, pacing), pagination, waits, `ifExists` and the typed [`api`].
//! - [`postgres`]: Claimable Postgres, connection strings, SQL over HTTP and `.env` files.
//!   It never imports `management`.
//! - `bindings` (wasm32 only): the only place that knows JavaScript (wasm-bindgen, js-sys,
//!   web-sys); the cargo features `js-management` and `js-postgres` pick the exports of the
//!   two npm modules, `neon-edge` and `neon-edge/postgres`.
//!
//! The modules' earlier flat paths (`neon_edge::client`, `neon_edge::sql`, ...) stay
//! importable as re-exports.

pub mod core;
pub mod management;
pub mod postgres;

/// JS bindings and the wasm32 transport and runtime (also usable from Rust on wasm32).
#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use crate::core::{cancel, error, json, observer, response, runtime, secret, transport};
pub use crate::management::{api, args, client, config, multipart, operation, paginate};
pub use crate::management::durations as operation_durations;
pub use crate::management::policies::{rate_limit, retry};
pub use crate::management::wait as operations_wait;
pub use crate::postgres::{claimable, connection_string, dotenv, sql};

pub use crate::core::error::{ApiError, ClientError, Error, ErrorKind, ParamLocation};
pub use crate::core::options::RequestOptions;
pub use crate::management::client::{CallOptions, ClientBuilder, IfExists, NeonClient, RawRequest};
pub use crate::management::config::ApiKey;
pub use crate::management::if_exists::Existing;
pub use crate::management::invoke::Created;

/// The wasm module's allocator: talc instead of Rust's default dlmalloc, for fewer shipped
/// bytes (measured with the npm build; the module is single-threaded, no atomics).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
