//! The access-token cache of a session: one token at a time, reused until shortly before it
//! expires, and one exchange at a time however many callers need a token — the first caller
//! exchanges, the others wait for its result (success or error) instead of exchanging too.
//!
//! Built on `std::sync::Mutex` and wakers, no executor: single-threaded in wasm (the lock is
//! never contended there), `Send + Sync` natively.

use super::error::ClaimableNeonError;
use crate::core::secret::Secret;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// A token and when to stop using it (runtime milliseconds).
#[derive(Clone)]
pub(crate) struct Token {
    pub secret: Secret,
    pub renew_at_ms: f64,
}

enum State {
    Empty,
    Ready(Token),
    /// Exchange number `.0` is running; `.1` are the callers waiting for it.
    Exchanging(u64, Vec<Waker>),
    /// Exchange number `.0` failed: its waiters take the error; a new caller starts over.
    Failed(u64, ClaimableNeonError),
}

/// What [`TokenCache::acquire`] tells its caller.
pub(crate) enum Acquired<'a> {
    /// A cached token, still fresh.
    Cached(Secret),
    /// The caller must exchange and then call [`Lease::finish`].
    Exchange(Lease<'a>),
}

pub(crate) struct TokenCache {
    state: Mutex<State>,
    /// Exchanges started so far; the latest one's number.
    exchanges: Mutex<u64>,
}

impl TokenCache {
    pub fn new() -> TokenCache {
        TokenCache {
            state: Mutex::new(State::Empty),
            exchanges: Mutex::new(0),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many exchanges this cache has started.
    pub fn exchanges(&self) -> u64 {
        *self
            .exchanges
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A fresh cached token, the result of the exchange already running, or the lease to run
    /// one.
    pub async fn acquire(&self, now_ms: f64) -> Result<Acquired<'_>, ClaimableNeonError> {
        loop {
            let waiting_for = {
                let mut state = self.state();
                match &*state {
                    State::Ready(token) if now_ms < token.renew_at_ms => {
                        return Ok(Acquired::Cached(token.secret.clone()))
                    }
                    State::Exchanging(id, _) => *id,
                    _ => {
                        let id = {
                            let mut count = self
                                .exchanges
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner);
                            *count += 1;
                            *count
                        };
                        *state = State::Exchanging(id, Vec::new());
                        return Ok(Acquired::Exchange(Lease {
                            cache: self,
                            id,
                            done: false,
                        }));
                    }
                }
            };
            if let Some(settled) = (Wait {
                cache: self,
                id: waiting_for,
            })
            .await
            {
                return settled.map(Acquired::Cached);
            }
        }
    }

    /// The cached token, fresh or not, without exchanging.
    pub fn current(&self) -> Option<Secret> {
        match &*self.state() {
            State::Ready(token) => Some(token.secret.clone()),
            _ => None,
        }
    }

    /// Drops `token` if it is still the cached one (the server said it expired).
    pub fn forget(&self, token: &Secret) {
        let mut state = self.state();
        if matches!(&*state, State::Ready(t) if &t.secret == token) {
            *state = State::Empty;
        }
    }

    fn settle(&self, id: u64, next: State) {
        let mut state = self.state();
        if let State::Exchanging(current, waiters) = &mut *state {
            if *current == id {
                let waiters = std::mem::take(waiters);
                *state = next;
                drop(state);
                waiters.into_iter().for_each(Waker::wake);
            }
        }
    }
}

/// The right (and duty) to run exchange `id`: finishing it, or dropping it unfinished (the
/// caller was cancelled), releases the callers waiting for it.
pub(crate) struct Lease<'a> {
    cache: &'a TokenCache,
    id: u64,
    done: bool,
}

impl Lease<'_> {
    pub fn finish(
        mut self,
        result: Result<Token, ClaimableNeonError>,
    ) -> Result<Secret, ClaimableNeonError> {
        self.done = true;
        match result {
            Ok(token) => {
                let secret = token.secret.clone();
                self.cache.settle(self.id, State::Ready(token));
                Ok(secret)
            }
            Err(error) => {
                self.cache
                    .settle(self.id, State::Failed(self.id, error.clone()));
                Err(error)
            }
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.cache.settle(self.id, State::Empty);
        }
    }
}

/// Waits for exchange `id` to settle; a waiter whose exchange was abandoned acquires anew.
struct Wait<'a> {
    cache: &'a TokenCache,
    id: u64,
}

impl Future for Wait<'_> {
    /// `None` when the exchange was abandoned: the waiter acquires anew.
    type Output = Option<Result<Secret, ClaimableNeonError>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.cache.state();
        Poll::Ready(match &mut *state {
            State::Exchanging(id, waiters) if *id == self.id => {
                waiters.push(cx.waker().clone());
                return Poll::Pending;
            }
            State::Ready(token) => Some(Ok(token.secret.clone())),
            State::Failed(id, error) if *id == self.id => Some(Err(error.clone())),
            _ => None,
        })
    }
}
