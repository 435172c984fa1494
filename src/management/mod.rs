//! The Neon Management API client: configuration and the API key ([`config`]), the
//! operation table ([`operation`]) and argument building ([`args`]), the [`client`] that
//! sends one call through the [`policies`] (pacing, retries, deadlines), and above it the
//! layers that call the client again: [`if_exists`], operation waits ([`wait`], learning
//! durations in [`durations`]) and [`paginate`]. The typed [`api`] is generated.

pub mod api;
pub mod args;
pub mod client;
pub mod config;
pub mod durations;
// The spec leaves most schemas and fields undescribed; the generator carries over every
// description it has, so the rest of the generated API goes without docs.
#[allow(missing_docs)]
mod generated;
pub mod if_exists;
pub mod invoke;
pub mod multipart;
pub mod operation;
pub mod paginate;
pub mod policies;
pub mod wait;
