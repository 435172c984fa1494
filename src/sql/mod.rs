//! Pure SQL text helpers for seed files: splitting a script into statements the way
//! `psql -f` does, and spotting statements that destroy data before they run.
//!
//! Nothing here talks to a database or touches files; it is plain text processing that
//! never panics on any input.

mod destructive;
mod lexer;
pub mod split;

pub use destructive::{destructive_statements, DestructiveReason, DestructiveStatement};
pub use split::{split_statements, SplitError, Statement};
