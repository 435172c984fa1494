//! A loopback HTTP/1.1 server for the native transport's tests: each connection gets the next
//! scripted behaviour, and every request it read is kept for the test to inspect.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one connection.
#[derive(Clone)]
pub enum Behaviour {
    /// Answers with this status and JSON body, then closes.
    Json(u16, String),
    /// Answers with these raw bytes (status line, headers, body), then closes.
    Raw(Vec<u8>),
    /// Reads the request and never answers (holds the connection for a minute).
    Silent,
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET /api/v2/projects?limit=1 HTTP/1.1`.
    pub request_line: String,
    /// Header names lower-cased, values as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Seen {
    /// The first header of this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A running server; it stops when the test's tokio runtime ends.
pub struct Loopback {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    script: Arc<Mutex<VecDeque<Behaviour>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Loopback {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let script = Arc::new(Mutex::new(VecDeque::new()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, n) = (script.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let behaviour = s.lock().unwrap().pop_front().unwrap_or(Behaviour::Json(500, r#"{"message":"unscripted"}"#.into()));
                tokio::spawn(serve(stream, behaviour, n.clone()));
            }
        });
        Loopback { base, script, seen }
    }

    /// Queues what the next connection gets.
    pub fn push(&self, behaviour: Behaviour) {
        self.script.lock().unwrap().push_back(behaviour);
    }

    /// The requests read so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour, seen: Arc<Mutex<Vec<Seen>>>) {
    let Some(request) = read_request(&mut stream).await else { return };
    seen.lock().unwrap().push(request);
    let bytes = match behaviour {
        Behaviour::Json(status, body) => format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-request-id: req-{status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
        Behaviour::Raw(bytes) => bytes,
        Behaviour::Silent => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return;
        }
    };
    stream.write_all(&bytes).await.ok();
    stream.shutdown().await.ok();
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen { request_line, headers, body })
}
