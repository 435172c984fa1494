//! Postgres protocol messages the proxy reads and writes itself (the rest is relayed).

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::route::Refusal;

/// The longest startup or password message accepted (PostgreSQL's own limit is 10 000).
const MAX_LEN: usize = 10_000;

/// `ErrorResponse` with severity FATAL.
pub fn error_response(refusal: &Refusal) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, value) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', refusal.code),
        (b'M', refusal.message.as_str()),
    ] {
        body.push(field);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    frame(b'E', &body)
}

/// A typed message: tag, length (including itself), body.
pub fn frame(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(tag);
    out.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// An untyped message (startup, SSL and cancel requests): length, body.
pub fn untyped(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn too_long(len: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("message of {len} bytes is too long"),
    )
}

/// Reads an untyped message's body.
pub async fn read_untyped<S: AsyncRead + Unpin>(s: &mut S) -> io::Result<Vec<u8>> {
    let len = s.read_u32().await? as usize;
    if !(4..=MAX_LEN).contains(&len) {
        return Err(too_long(len));
    }
    let mut body = vec![0; len - 4];
    s.read_exact(&mut body).await?;
    Ok(body)
}

/// Reads a typed message: its tag and body (`max` bounds the body).
pub async fn read_typed<S: AsyncRead + Unpin>(s: &mut S, max: usize) -> io::Result<(u8, Vec<u8>)> {
    let tag = s.read_u8().await?;
    let len = s.read_u32().await? as usize;
    if !(4..=max).contains(&len) {
        return Err(too_long(len));
    }
    let mut body = vec![0; len - 4];
    s.read_exact(&mut body).await?;
    Ok((tag, body))
}

/// The password of a `PasswordMessage` (`p`).
pub async fn read_password<S: AsyncRead + Unpin>(s: &mut S) -> io::Result<Option<String>> {
    let (tag, body) = read_typed(s, MAX_LEN).await?;
    if tag != b'p' {
        return Ok(None);
    }
    let text = body.strip_suffix(&[0]).unwrap_or(&body);
    Ok(Some(String::from_utf8_lossy(text).into_owned()))
}

/// `AuthenticationCleartextPassword`: Neon's proxy also asks WebSocket clients this way.
pub const ASK_CLEARTEXT_PASSWORD: [u8; 9] = [b'R', 0, 0, 0, 8, 0, 0, 0, 3];

/// Sends a refusal and ends the conversation.
pub async fn refuse<S: AsyncWrite + Unpin>(s: &mut S, refusal: &Refusal) -> io::Result<()> {
    s.write_all(&error_response(refusal)).await?;
    s.flush().await?;
    s.shutdown().await
}
