//! Cancellation that works on any executor: a token the caller fires, a future that
//! resolves when it does, and a helper that races a future against it.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

#[derive(Default)]
struct State {
    cancelled: bool,
    wakers: Vec<Waker>,
}

/// A cloneable cancellation flag; every clone sees the same state.
#[derive(Clone, Default)]
pub struct CancelToken {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}

impl CancelToken {
    /// A token that has not fired.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means another thread panicked mid-update of two plain fields.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fires the token, waking everything waiting on it.
    pub fn cancel(&self) {
        let wakers = {
            let mut state = self.lock();
            state.cancelled = true;
            std::mem::take(&mut state.wakers)
        };
        wakers.into_iter().for_each(Waker::wake);
    }

    /// Whether the token has fired.
    pub fn is_cancelled(&self) -> bool {
        self.lock().cancelled
    }

    /// Resolves once the token fires.
    pub fn cancelled(&self) -> Cancelled {
        Cancelled { token: self.clone() }
    }
}

/// The future returned by [`CancelToken::cancelled`].
pub struct Cancelled {
    token: CancelToken,
}

impl Future for Cancelled {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.token.lock();
        if state.cancelled {
            return Poll::Ready(());
        }
        if !state.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            state.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Which of two raced futures finished first.
pub enum Either<A, B> {
    /// The first future's output.
    Left(A),
    /// The second future's output.
    Right(B),
}

/// Polls both futures and resolves with the first to finish (the left one wins ties).
pub async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(v));
        }
        if let Poll::Ready(v) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(v));
        }
        Poll::Pending
    })
    .await
}

/// Runs `fut` unless `token` fires first, in which case it resolves to `None`.
pub async fn until_cancelled<F: Future>(token: Option<&CancelToken>, fut: F) -> Option<F::Output> {
    match token {
        None => Some(fut.await),
        Some(token) => match race(fut, token.cancelled()).await {
            Either::Left(v) => Some(v),
            Either::Right(()) => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_token_resolves_its_waiters() {
        let token = CancelToken::new();
        let clone = token.clone();
        clone.cancel();
        assert!(token.is_cancelled());
        pollster::block_on(token.cancelled());
    }

    #[test]
    fn until_cancelled_returns_none_once_the_token_fired() {
        let token = CancelToken::new();
        token.cancel();
        let out = pollster::block_on(until_cancelled(Some(&token), std::future::pending::<()>()));
        assert!(out.is_none());
    }

    #[test]
    fn until_cancelled_passes_the_value_through_without_a_token() {
        assert_eq!(pollster::block_on(until_cancelled(None, async { 7 })), Some(7));
    }
}
