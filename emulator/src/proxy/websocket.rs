//! `GET /v2`: the Postgres protocol in binary WebSocket messages, as Neon's proxy serves it to
//! `@neondatabase/serverless` (`neonConfig.wsProxy`); each socket goes through the same
//! endpoint routing and password check as a TCP client.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use crate::app::Shared;

/// Bytes buffered between the WebSocket and the proxy.
const BUFFER: usize = 64 * 1024;

/// Upgrades the request and serves the Postgres protocol over it.
pub async fn handle(State(app): State<Shared>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| async move {
        let (proxy_side, ours) = tokio::io::duplex(BUFFER);
        tokio::spawn(super::serve_client(app, proxy_side));
        pump(socket, ours).await;
    })
}

/// Moves bytes between the WebSocket and the proxy's stream until either side closes.
async fn pump(mut socket: WebSocket, mut stream: DuplexStream) {
    let mut buf = vec![0; BUFFER];
    loop {
        tokio::select! {
            message = socket.recv() => match message {
                Some(Ok(Message::Binary(bytes))) => {
                    if stream.write_all(&bytes).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Text(text))) => {
                    if stream.write_all(text.as_bytes()).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let bytes = axum::body::Bytes::copy_from_slice(&buf[..n]);
                    if socket.send(Message::Binary(bytes)).await.is_err() {
                        break;
                    }
                }
            },
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
