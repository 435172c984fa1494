//! The transport trait: plain-data HTTP requests in, plain-data responses out.
//!
//! The core never talks to the network itself. On wasm32 the fetch-based transport
//! (in the bindings) implements [`Transport`]; natively the cargo feature `native` adds
//! `ReqwestTransport` (reqwest on tokio); tests use [`ScriptedTransport`].

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
mod reqwest;
mod scripted;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
#[cfg_attr(docsrs, doc(cfg(feature = "native")))]
pub use self::reqwest::ReqwestTransport;
pub use scripted::{ScriptedResponse, ScriptedTransport};

use crate::core::cancel::{race, CancelToken, Either};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future; `Send` on native targets so multi-threaded executors can run the client.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future; wasm32 is single-threaded and JS values are not `Send`.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `Send + Sync` on native targets, nothing on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendSync: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync + ?Sized> MaybeSendSync for T {}
/// `Send + Sync` on native targets, nothing on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSendSync for T {}

/// HTTP methods the Neon APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(name: &str) -> Option<Method> {
        [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Head]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP request as plain data.
#[derive(Clone)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes, if any.
    pub body: Option<Vec<u8>>,
    /// Give up on the request (and abort it where the runtime can) after this long.
    pub timeout: Option<Duration>,
    /// Aborts the request when cancelled.
    pub cancel: Option<CancelToken>,
}

impl HttpRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may hold credentials: show names only.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// An HTTP response as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No response: connection refused, reset, DNS failure, body cut short...
    Network {
        /// What failed, as the HTTP stack reports it.
        message: String,
        /// Whether the server may have seen the request.
        sent: SentState,
    },
    /// The request's timeout elapsed first.
    Timeout,
    /// The request's cancel token fired first.
    Aborted,
}

/// Whether the server may have seen a failed request: decides if a POST may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentState {
    /// The request provably never reached the server (e.g. connection refused).
    NotSent,
    /// The server may have received and acted on it.
    MaybeSent,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Network { message, .. } => write!(f, "network error: {message}"),
            TransportError::Timeout => f.write_str("request timed out"),
            TransportError::Aborted => f.write_str("request aborted"),
        }
    }
}

/// Why [`within_limits`] stopped an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The request's timeout elapsed.
    Timeout,
    /// The request's cancel token fired.
    Cancelled,
}

impl From<Stopped> for TransportError {
    fn from(stopped: Stopped) -> TransportError {
        match stopped {
            Stopped::Timeout => TransportError::Timeout,
            Stopped::Cancelled => TransportError::Aborted,
        }
    }
}

/// Runs `exchange` unless the request's `timeout` (slept by `sleep`, the transport's own
/// timer) or its `cancel` token comes first: the one race every transport runs, so that
/// each only has to abort its HTTP call when told why it stopped.
pub async fn within_limits<T, S: Future<Output = ()>>(
    timeout: Option<Duration>,
    cancel: Option<&CancelToken>,
    sleep: impl FnOnce(Duration) -> S,
    exchange: impl Future<Output = T>,
) -> Result<T, Stopped> {
    let timer = async {
        match timeout {
            Some(t) => sleep(t).await,
            None => std::future::pending().await,
        }
    };
    let cancelled = async {
        match cancel {
            Some(token) => token.cancelled().await,
            None => std::future::pending().await,
        }
    };
    match race(exchange, race(timer, cancelled)).await {
        Either::Left(value) => Ok(value),
        Either::Right(Either::Left(())) => Err(Stopped::Timeout),
        Either::Right(Either::Right(())) => Err(Stopped::Cancelled),
    }
}

/// Sends HTTP requests. Implemented by the fetch transport on wasm32, by `ReqwestTransport`
/// natively (feature `native`) and by test doubles.
pub trait Transport: MaybeSendSync {
    /// Sends one request and resolves to its response (any status) or why there was none.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}
