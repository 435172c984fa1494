//! The start of a client connection: `SSLRequest` and `GSSENCRequest` are declined (the
//! emulator speaks plaintext on loopback), then a `CancelRequest` or a v3 startup packet.

use std::collections::BTreeMap;
use std::io;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::messages::read_untyped;

const PROTOCOL_3: u32 = 196_608;
const SSL_REQUEST: u32 = 80_877_103;
const GSSENC_REQUEST: u32 = 80_877_104;
const CANCEL_REQUEST: u32 = 80_877_102;

/// What a client asked for first.
pub enum Opening {
    /// A v3 startup packet's parameters (`user`, `database`, `options`, ...).
    Startup(BTreeMap<String, String>),
    /// A `CancelRequest` (process id and secret key, 8 bytes) to pass to PostgreSQL.
    Cancel(Vec<u8>),
}

/// Reads the startup packet, declining encryption requests on the way.
pub async fn read<S: AsyncRead + AsyncWrite + Unpin>(s: &mut S) -> io::Result<Opening> {
    loop {
        let body = read_untyped(s).await?;
        let code = body
            .get(..4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .unwrap_or(0);
        match code {
            SSL_REQUEST | GSSENC_REQUEST => {
                s.write_all(b"N").await?;
                s.flush().await?;
            }
            CANCEL_REQUEST => return Ok(Opening::Cancel(body)),
            PROTOCOL_3 => return Ok(Opening::Startup(parameters(&body[4..]))),
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("unsupported protocol version {other}"),
                ))
            }
        }
    }
}

/// Startup parameters: NUL-terminated name/value pairs.
fn parameters(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut fields = bytes
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut out = BTreeMap::new();
    while let (Some(k), Some(v)) = (fields.next(), fields.next()) {
        if k.is_empty() {
            break;
        }
        out.insert(k, v);
    }
    out
}

/// A v3 startup packet with `params`.
pub fn packet(params: &BTreeMap<String, String>) -> Vec<u8> {
    let mut body = PROTOCOL_3.to_be_bytes().to_vec();
    for (k, v) in params {
        body.extend_from_slice(k.as_bytes());
        body.push(0);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    super::messages::untyped(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packet_reads_back_as_its_parameters() {
        let mut p = BTreeMap::new();
        p.insert("user".to_string(), "neondb_owner".to_string());
        p.insert("options".to_string(), "endpoint=ep-a".to_string());
        let bytes = packet(&p);
        assert_eq!(parameters(&bytes[8..]), p);
    }
}
