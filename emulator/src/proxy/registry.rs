//! Live client connections per endpoint and branch, so that deleting, disabling or suspending
//! an endpoint, deleting its branch or moving it to a restored branch closes them, as Neon's
//! compute restarts do.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use tokio::task::AbortHandle;

use super::route::{is_stale, Route};
use crate::state::Store;

/// The relays running now.
#[derive(Default)]
pub struct Connections {
    next: AtomicU64,
    live: Mutex<HashMap<u64, (Route, AbortHandle)>>,
}

impl Connections {
    fn live(&self) -> MutexGuard<'_, HashMap<u64, (Route, AbortHandle)>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a relay on `route`; the id removes it.
    pub fn add(&self, route: Route, relay: AbortHandle) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.live().insert(id, (route, relay));
        id
    }

    /// Forgets a relay that ended.
    pub fn remove(&self, id: u64) {
        self.live().remove(&id);
    }

    /// Closes the connections whose endpoint or branch changed under them.
    pub fn close_stale(&self, store: &Store) {
        self.live().retain(|_, (route, relay)| {
            let stale = is_stale(store, route);
            if stale {
                relay.abort();
            }
            !stale
        });
    }

    /// Closes every connection (the emulator stops).
    pub fn close_all(&self) {
        for (_, (_, relay)) in self.live().drain() {
            relay.abort();
        }
    }
}
