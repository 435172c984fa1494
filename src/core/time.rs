//! Time as the clients count it: milliseconds as `f64` (what the runtime's clock gives),
//! conversions that never panic and keep float formatting out of the wasm, and the one
//! cancellable sleep every wait (retries, pacing, polling) goes through.

use crate::core::cancel::{until_cancelled, CancelToken};
use crate::core::error::Error;
use crate::core::runtime::Runtime;
use std::time::Duration;

/// A duration in (fractional) milliseconds, as the runtime's clock counts.
pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `x` limited to `[lo, hi]` (`lo` wins if they cross; NaN gives `lo`). Unlike `f64::clamp`
/// it cannot panic, and it keeps float formatting (the panic message's) out of the wasm.
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    x.min(hi).max(lo)
}

/// Milliseconds as a duration; negative or NaN is zero.
pub fn from_millis(ms: f64) -> Duration {
    Duration::from_micros((ms * 1000.0) as u64)
}

/// Sleeps for `duration` unless `cancel` fires first; the waits of pollers use this too.
pub async fn cancellable_sleep(
    runtime: &dyn Runtime,
    cancel: Option<&CancelToken>,
    duration: Duration,
) -> Result<(), Error> {
    if cancel.is_some_and(CancelToken::is_cancelled) {
        return Err(Error::Aborted);
    }
    until_cancelled(cancel, runtime.sleep(duration))
        .await
        .ok_or(Error::Aborted)
}
