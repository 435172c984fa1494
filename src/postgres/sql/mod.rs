//! SQL for seed files and SQL over HTTP.
//!
//! The text helpers ([`split`], destructive-statement detection) are pure: they never talk
//! to a database and never panic on any input. [`http`] runs statements on a Neon database
//! through its `/sql` endpoint, and [`seed`] runs a split script there.

mod destructive;
pub mod http;
mod lexer;
pub mod seed;
pub mod split;

pub use destructive::{destructive_statements, DestructiveReason, DestructiveStatement};
pub use http::{Query, QueryResult, SqlClient, SqlError};
pub use seed::{SeedError, SeedPlan};
pub use split::{split_statements, SplitError, Statement};
