//! The typed Management API: every operation of Neon's OpenAPI spec (plus the documented
//! endpoints it lacks), generated into `src/generated/` by `cargo run -p xtask -- codegen`.
//!
//! - [`all_operations`] / [`operation`]: the descriptor table the JS bindings dispatch on.
//! - [`models`]: one type per schema; [`params`]: one params struct per operation, in the
//!   JS argument shape (path parameters in camelCase, query parameters by spec name, the
//!   JSON body under `body`). Both are re-exported here.
//! - One method per operation on [`NeonClient`](crate::NeonClient), named after the
//!   `operationId` in snake_case:
//!
//! ```no_run
//! # async fn demo(client: &neon_edge::NeonClient) -> Result<(), neon_edge::Error> {
//! use neon_edge::api::GetProjectParams;
//! use neon_edge::CallOptions;
//!
//! let params = GetProjectParams { project_id: "shiny-wind-028834".into() };
//! let project = client.get_project(&params, &CallOptions::default()).await?.project;
//! println!("{} runs Postgres {}", project.name, project.pg_version);
//! # Ok(())
//! # }
//! ```

pub use crate::management::generated::models::{self, *};
pub use crate::management::operation::{all_operations, operation, table_text};
pub use crate::management::generated::params::{self, *};
pub use crate::management::generated::typescript::NEON_CLIENT_METHODS_TS;

/// One descriptor constant per operation (`operations::GET_PROJECT`, ...).
pub mod operations {
    pub use crate::management::generated::operations::*;
}
