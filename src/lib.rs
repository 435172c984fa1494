#![deny(missing_docs)]
// No panics on outside data: library code returns errors instead (tests may unwrap). The
// clippy step of `scripts/test.sh` checks every feature set that ships.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]
#![cfg_attr(docsrs, feature(doc_cfg))]
//! neon-edge: a typed, resilient client for Neon's Management API v2, Claimable Postgres and
//! SQL over HTTP — compiled to WebAssembly for browser and edge runtimes (the npm package
//! `neon-edge`), and a Rust crate for native servers and CLIs.
//!
//! # Quick start (native, tokio)
//!
//! ```toml
//! [dependencies]
//! neon-edge = { version = "0.1", features = ["native"] }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! With the `native` feature every builder picks [`ReqwestTransport`](transport) (reqwest,
//! rustls) and [`TokioRuntime`](runtime) by itself:
//!
//! ```no_run
//! use neon_edge::api::{CreateProjectBranchParams, ListProjectsParams};
//! use neon_edge::{ApiKey, CallOptions, NeonClient};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), neon_edge::Error> {
//!     let neon = NeonClient::builder()
//!         .api_key(ApiKey::fixed(std::env::var("NEON_API_KEY").unwrap_or_default())?)
//!         .build()?;
//!     let page = neon.list_projects(&ListProjectsParams { limit: Some(10), ..Default::default() }, &CallOptions::default()).await?;
//!     for project in &page.projects {
//!         println!("{} {}", project.id, project.name);
//!     }
//!     // `wait: true` resolves once the branch's operations have finished.
//!     let params = CreateProjectBranchParams { project_id: page.projects[0].id.clone(), body: None };
//!     let created = neon.create_project_branch(&params, &CallOptions { wait: true, ..Default::default() }).await?;
//!     println!("branch {} is ready", created.branch.id);
//!     Ok(())
//! }
//! ```
//!
//! A database with no Neon account, queried over HTTP ([`claimable`], [`sql`]):
//!
//! ```no_run
//! use neon_edge::claimable::{ClaimableClient, CreateClaimable};
//! use neon_edge::sql::{Query, SqlClient};
//! use neon_edge::RequestOptions;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let db = ClaimableClient::builder().build()?.create(&CreateClaimable::new("my-app"), &RequestOptions::default()).await?;
//! let url = db.database_url.ok_or("claimed already")?;
//! let rows = SqlClient::builder(url.expose()).build()?.query(&Query::new("SELECT now()"), &RequestOptions::default()).await?;
//! println!("{:?}; claim it at {}", rows.rows, db.claim_url);
//! # Ok(())
//! # }
//! ```
//!
//! Without the `native` feature the core depends on no executor: give the builders any
//! [`Transport`](transport::Transport) (on wasm32, `bindings::FetchTransport`; in tests,
//! [`ScriptedTransport`](transport::ScriptedTransport)), and natively sleep on
//! [`StdRuntime`](runtime::StdRuntime) (the default) or a [`Runtime`](runtime::Runtime) of
//! your own. Paginated listings are also a [`futures_core::Stream`]
//! ([`Paginator::into_stream`](paginate::Paginator::into_stream)).
//!
//! # Cargo features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `native` | no | `ReqwestTransport` and `TokioRuntime`, the builders' defaults (native targets only) |
//! | `decode-paths` | yes | decode errors name the offending field (`project.pg_version`) |
//! | `js-management`, `js-postgres` | yes | what a wasm32 build exports to JS (the npm modules); ignored natively |
//!
//! # Layers
//!
//! Bottom up (data flows one way; `tests/layers.rs` keeps it so):
//! - [`core`]: what both halves share, pure Rust: errors, the [`Transport`](transport::Transport)
//!   and [`Runtime`](runtime::Runtime) traits, time, cancellation, secrets, the JSON reader,
//!   plain HTTP sending and the one error-body reader.
//! - [`management`]: the Management API client — configuration, the operation table, the
//!   policies (retries, pacing), pagination, waits, `ifExists` and the typed [`api`].
//! - [`postgres`]: Claimable Postgres, connection strings, SQL over HTTP and `.env` files.
//!   It never imports `management`.
//! - [`workflows`]: the multi-step procedures of Neon's guides, one call each
//!   (`client.projects().create_and_connect(..)`), above `management` and `postgres`;
//!   it never imports `bindings`, and nothing below imports it.
//! - `bindings` (wasm32 only): the only place that knows JavaScript (wasm-bindgen, js-sys,
//!   web-sys); the cargo features `js-management`, `js-postgres` and `js-workflows` pick the
//!   exports of the npm modules `neon-edge`, `neon-edge/postgres` and `neon-edge/workflows`.
//!
//! The modules' earlier flat paths (`neon_edge::client`, `neon_edge::sql`, ...) stay
//! importable as re-exports.

pub mod core;
pub mod management;
pub mod postgres;
#[cfg(feature = "workflows")]
pub mod workflows;

/// JS bindings and the wasm32 transport and runtime (also usable from Rust on wasm32).
#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use crate::core::{cancel, error, json, observer, response, runtime, secret, transport};
pub use crate::management::{api, args, client, config, multipart, operation, paginate};
pub use crate::management::durations as operation_durations;
pub use crate::management::policies::{rate_limit, retry};
pub use crate::management::wait as operations_wait;
pub use crate::postgres::{claimable, claimable_neon, connection_string, dotenv, sql};

pub use crate::core::error::{ApiError, ClientError, Error, ErrorKind, ParamLocation};
pub use crate::core::options::RequestOptions;
pub use crate::management::client::{CallOptions, ClientBuilder, FirstAttempt, IfExists, NeonClient, RawRequest};
pub use crate::management::policies::FirstOutcome;
pub use crate::management::config::ApiKey;
pub use crate::management::if_exists::Existing;
pub use crate::management::invoke::Created;

/// The wasm module's allocator: talc instead of Rust's default dlmalloc, for fewer shipped
/// bytes (measured with the npm build; the module is single-threaded, no atomics).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
