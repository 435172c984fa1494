//! Claimable Postgres ([`claimable`]), connection strings ([`connection_string`]), SQL over
//! HTTP with the SQL splitter and seeding ([`sql`]) and `.env` files ([`dotenv`]). Built on
//! [`core`](crate::core) alone: nothing here imports the Management client.

pub mod claimable;
pub mod claimable_neon;
pub mod connection_string;
pub mod dotenv;
pub mod sql;
