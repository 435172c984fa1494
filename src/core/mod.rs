//! What both halves of the library share — pure Rust, no JavaScript: the error type, the
//! transport and runtime traits, time and cancellation, secrets, the JSON reader, text
//! helpers, percent-encoding, per-request options and plain HTTP sending with the one
//! reader of error bodies. Nothing here imports `management`, `postgres` or `bindings`.

pub mod cancel;
pub mod client_error;
pub mod error;
pub mod http;
pub mod json;
pub mod observer;
pub mod options;
pub mod percent;
pub mod response;
pub mod runtime;
pub mod secret;
pub(crate) mod text;
pub mod time;
pub mod transport;
