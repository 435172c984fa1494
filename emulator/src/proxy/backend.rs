//! The proxy's side towards the real PostgreSQL: a session as the Neon role on the branch's
//! physical database, opened once the emulator has checked the role's password itself.

use std::collections::BTreeMap;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::messages::{frame, read_typed, untyped};
use super::route::Refusal;
use super::startup::packet;

/// The longest message expected before `AuthenticationOk` (an `ErrorResponse`).
const MAX_GREETING: usize = 64 * 1024;
const CANCEL_REQUEST: u32 = 80_877_102;

fn unreachable_server(e: impl std::fmt::Display) -> Refusal {
    Refusal {
        code: "08006",
        message: format!("Couldn't connect to compute node: {e}"),
    }
}

/// Connects to `address`, starts a session with `params` and returns it with the
/// `AuthenticationOk` to hand to the client; PostgreSQL's refusal is returned as is.
pub async fn open(
    address: &str,
    params: &BTreeMap<String, String>,
) -> Result<(TcpStream, Vec<u8>), Refused> {
    let mut s = TcpStream::connect(address)
        .await
        .map_err(|e| Refused::Emulator(unreachable_server(e)))?;
    s.set_nodelay(true)
        .map_err(|e| Refused::Emulator(unreachable_server(e)))?;
    s.write_all(&packet(params))
        .await
        .map_err(|e| Refused::Emulator(unreachable_server(e)))?;
    let (tag, body) = read_typed(&mut s, MAX_GREETING)
        .await
        .map_err(|e| Refused::Emulator(unreachable_server(e)))?;
    match (tag, body.as_slice()) {
        (b'R', [0, 0, 0, 0]) => Ok((s, frame(b'R', &body))),
        (b'E', _) => Err(Refused::Postgres(frame(b'E', &body))),
        // The emulator's cluster trusts loopback; a server that asks for a password cannot
        // take Neon roles, whose passwords only the emulator knows.
        _ => Err(Refused::Emulator(Refusal {
            code: "28000",
            message: "the emulator's PostgreSQL server asks for a password: the wire protocol needs a server that trusts the emulator's loopback connections (--pg-auto)".into(),
        })),
    }
}

/// Why a backend session did not start.
pub enum Refused {
    /// The emulator's own error, to send as an `ErrorResponse`.
    Emulator(Refusal),
    /// PostgreSQL's `ErrorResponse`, to relay as is.
    Postgres(Vec<u8>),
}

/// Passes a client's `CancelRequest` (its body) to PostgreSQL, which knows the key.
pub async fn cancel(address: &str, body: &[u8]) -> std::io::Result<()> {
    if body.get(..4) != Some(&CANCEL_REQUEST.to_be_bytes()[..]) {
        return Ok(());
    }
    let mut s = TcpStream::connect(address).await?;
    s.write_all(&untyped(body)).await?;
    s.flush().await
}
