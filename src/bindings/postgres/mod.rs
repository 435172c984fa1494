//! The `neon-edge/postgres` module's exports (cargo feature `js-postgres`): Claimable
//! Postgres, SQL over HTTP and the `.env` helpers.

mod claimable;
#[cfg(feature = "js-claimable-neon")]
mod claimable_neon;
mod dotenv;
mod sql;
