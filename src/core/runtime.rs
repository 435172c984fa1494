//! Time for retries, pacing and polling, behind a trait so that no executor is assumed.

use crate::core::transport::{BoxFuture, MaybeSendSync};
use std::time::Duration;

/// Sleeping and the current time, as the host runtime provides them.
pub trait Runtime: MaybeSendSync {
    /// Resolves after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
}

/// A runtime for native targets built on std threads alone: each sleep parks a short-lived
/// thread, which suits the client's few, long sleeps without tying it to any executor.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default, Clone, Copy)]
pub struct StdRuntime;

#[cfg(not(target_arch = "wasm32"))]
impl Runtime for StdRuntime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        use std::sync::{Arc, Mutex};
        use std::task::{Poll, Waker};
        struct Shared {
            done: bool,
            waker: Option<Waker>,
        }
        let shared = Arc::new(Mutex::new(Shared { done: false, waker: None }));
        let mut started = false;
        Box::pin(std::future::poll_fn(move |cx| {
            let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
            if state.done {
                return Poll::Ready(());
            }
            state.waker = Some(cx.waker().clone());
            if !started {
                started = true;
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    std::thread::sleep(duration);
                    let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
                    state.done = true;
                    if let Some(w) = state.waker.take() {
                        w.wake();
                    }
                });
            }
            Poll::Pending
        }))
    }

    fn now_ms(&self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn std_runtime_sleeps_at_least_the_requested_time() {
        let rt = StdRuntime;
        let start = std::time::Instant::now();
        pollster::block_on(rt.sleep(Duration::from_millis(20)));
        assert!(start.elapsed() >= Duration::from_millis(20));
    }
}
