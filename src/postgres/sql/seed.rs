//! Seeding a database from a SQL script: split it (see [`split`](super::split)), list the
//! destructive statements so the caller can decide, then run the statements one by one, in
//! order, as `psql -f` would. A failure names the statement's number, its first line and
//! the server's error; statements before it stay applied.

use super::http::{SqlClient, SqlError, WireQuery};
use super::{
    destructive_statements, split_statements, DestructiveStatement, SplitError, Statement,
};
use crate::core::options::RequestOptions;
use std::fmt;

/// A script read and checked, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedPlan {
    statements: Vec<Statement>,
    destructive: Vec<DestructiveStatement>,
}

impl SeedPlan {
    /// Splits `script` and finds its destructive statements; nothing is sent.
    pub fn parse(script: &str) -> Result<SeedPlan, SplitError> {
        let statements = split_statements(script)?;
        let destructive = destructive_statements(&statements);
        Ok(SeedPlan {
            statements,
            destructive,
        })
    }

    /// The statements, in order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The statements that drop, truncate or delete without `WHERE`, in order: show them
    /// and ask before calling [`SqlClient::seed`].
    pub fn destructive(&self) -> &[DestructiveStatement] {
        &self.destructive
    }
}

/// Progress while seeding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedProgress<'a> {
    /// The statement about to run.
    pub statement: &'a Statement,
    /// How many statements there are in all.
    pub total: usize,
}

/// What a finished seed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// How many statements ran.
    pub statements: usize,
}

/// Why seeding stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum SeedError {
    /// The script could not be split (nothing ran).
    Split(SplitError),
    /// A statement failed; the ones before it were applied.
    Statement {
        /// Its 1-based number in the script.
        number: usize,
        /// The script line it starts on.
        line: usize,
        /// Its first line, for the message.
        first_line: String,
        /// What the server (or the request) reported.
        error: SqlError,
    },
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Split(e) => write!(f, "the seed script could not be read: {e}"),
            SeedError::Statement {
                number,
                line,
                first_line,
                error,
            } => {
                write!(
                    f,
                    "seed statement {number} (line {line}) failed: {first_line}\n  {error}"
                )
            }
        }
    }
}

impl std::error::Error for SeedError {}

impl From<SplitError> for SeedError {
    fn from(e: SplitError) -> Self {
        SeedError::Split(e)
    }
}

impl SqlClient {
    /// Runs `plan`'s statements in order, calling `progress` before each one; stops at the
    /// first failure. The future is `Send` whenever `progress` is.
    pub async fn seed<F: FnMut(SeedProgress<'_>)>(
        &self,
        plan: &SeedPlan,
        mut progress: F,
        options: &RequestOptions,
    ) -> Result<SeedReport, SeedError> {
        let total = plan.statements.len();
        for statement in &plan.statements {
            progress(SeedProgress { statement, total });
            // On the wire's values: the rows are dropped, so they need no conversion.
            self.query_wire(&WireQuery::new(statement.text.clone()), options)
                .await
                .map_err(|error| SeedError::Statement {
                    number: statement.number,
                    line: statement.line,
                    first_line: statement.first_line().to_owned(),
                    error,
                })?;
        }
        Ok(SeedReport { statements: total })
    }
}
