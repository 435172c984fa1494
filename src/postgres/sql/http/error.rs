//! How a SQL call fails: a bad connection string, a request that failed (typed like every
//! other call), or Postgres refusing the statement with its SQLSTATE.

use crate::core::error::Error;
use crate::postgres::connection_string::ConnectionStringError;
use std::fmt;

/// Postgres' report of a failed statement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostgresError {
    /// The SQLSTATE code, e.g. `42P01` (undefined table).
    pub code: String,
    /// The primary message.
    pub message: String,
    /// `ERROR`, `FATAL`, … when given.
    pub severity: Option<String>,
    /// Extra detail, when given.
    pub detail: Option<String>,
    /// A hint, when given.
    pub hint: Option<String>,
    /// The 1-based character position in the statement, when given.
    pub position: Option<String>,
    /// The constraint that failed, when one did.
    pub constraint: Option<String>,
}

/// Every way a SQL call can fail.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlError {
    /// The connection string could not be read (the message never quotes it).
    ConnectionString(ConnectionStringError),
    /// Postgres refused the statement (boxed: it is much larger than the other variants).
    Postgres(Box<PostgresError>),
    /// The request failed before Postgres answered: bad option, network, timeout,
    /// abort, an HTTP error without a SQLSTATE, or an undecodable answer.
    Request(Error),
}

impl SqlError {
    /// The SQLSTATE code, when Postgres reported the error.
    pub fn code(&self) -> Option<&str> {
        match self {
            SqlError::Postgres(pg) => Some(&pg.code),
            _ => None,
        }
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::ConnectionString(e) => e.fmt(f),
            SqlError::Postgres(pg) => {
                write!(f, "{} (SQLSTATE {})", pg.message, pg.code)?;
                if let Some(detail) = &pg.detail {
                    write!(f, ": {detail}")?;
                }
                Ok(())
            }
            SqlError::Request(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SqlError {}

impl From<Error> for SqlError {
    fn from(e: Error) -> Self {
        SqlError::Request(e)
    }
}
