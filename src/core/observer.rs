//! Callbacks the core calls as things happen (a retry, a polling round): one trait for any
//! event type, implemented for closures, so every policy takes its hooks the same way.

use crate::core::transport::MaybeSendSync;

/// Told about events of type `E`; any `Fn(&E)` closure is one.
pub trait Observer<E>: MaybeSendSync {
    /// Called once per event.
    fn notify(&self, event: &E);
}

impl<E, F: Fn(&E) + MaybeSendSync> Observer<E> for F {
    fn notify(&self, event: &E) {
        self(event)
    }
}
