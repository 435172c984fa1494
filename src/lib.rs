//! neon-edge: a typed, resilient client for the Neon Management API and Claimable Postgres,
//! built for browser and edge runtimes (WebAssembly) and for Rust.
//!
//! Layers, bottom up: plain-data [`transport`] and [`runtime`] traits, the [`operation`]
//! descriptors and the [`client`] that executes them, then the JS bindings (wasm32 only).

pub mod operation;
