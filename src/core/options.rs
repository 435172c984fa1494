//! What every request can be given, whichever client sends it.

use crate::core::cancel::CancelToken;
use std::time::Duration;

/// Per-request options every client takes: the Management client's
/// [`CallOptions`](crate::CallOptions) adds its policies (retries, waits, `ifExists`) on top.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Overrides the client's per-request timeout.
    pub timeout: Option<Duration>,
    /// Cancels the call when fired, including any wait in between.
    pub cancel: Option<CancelToken>,
    /// A bound on the whole call, whatever it takes (attempts, retries, waits, statements).
    pub deadline: Option<Duration>,
}

impl RequestOptions {
    /// The timeout one request of a single-request call gets: the call's timeout (else
    /// `default`), shortened to the deadline when that comes first.
    pub fn single_request_timeout(&self, default: Duration) -> Duration {
        let timeout = self.timeout.unwrap_or(default);
        match self.deadline {
            Some(deadline) => timeout.min(deadline),
            None => timeout,
        }
    }
}
