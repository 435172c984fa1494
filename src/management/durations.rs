//! What operation waits learn: how long each action (`create_branch`, `start_compute`, ...)
//! takes, so that the next wait of that action sleeps until just after it instead of polling
//! at 10% of the time waited.
//!
//! The durations sit behind [`DurationStore`], as pacing state sits behind `RateLimitStore`:
//! on edge runtimes every isolate is short-lived, so a wait that only remembers what its own
//! isolate saw nearly always starts knowing nothing. A store shared by isolates (KV, a Durable
//! Object, ...) makes that rare. A store is a heuristic: when it fails or is slow, the wait
//! falls back to the 10% rule and never fails for it.

use crate::core::cancel::{race, Either};
use crate::core::error::Error;
use crate::core::runtime::Runtime;
use crate::core::transport::{BoxFuture, MaybeSendSync};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Where learned action durations live.
pub trait DurationStore: MaybeSendSync {
    /// The duration (ms) to expect of `action`, if one was learned.
    fn expected<'a>(&'a self, action: &'a str) -> BoxFuture<'a, Result<Option<f64>, Error>>;
    /// Tells the store that `action` was seen to take `duration_ms`.
    fn record<'a>(&'a self, action: &'a str, duration_ms: f64) -> BoxFuture<'a, Result<(), Error>>;
}

/// How many recent durations the in-memory store keeps per action.
const RECENT: usize = 5;

/// The in-memory store: the shortest of the last five durations per action. Waking a little
/// early costs one poll; waking late costs latency, hence the shortest.
#[derive(Debug, Default)]
pub struct MemoryDurations {
    /// Per action, its recent durations (a list: few actions, and no hashing code in the wasm).
    recent: Mutex<Vec<(String, Vec<f64>)>>,
}

impl MemoryDurations {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The process-wide store (the client's default): every client of this process or
    /// isolate learns from the waits of the others.
    pub fn process_wide() -> Arc<MemoryDurations> {
        static SHARED: OnceLock<Arc<MemoryDurations>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(MemoryDurations::new())).clone()
    }

    fn shortest(&self, action: &str) -> Option<f64> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let (_, list) = recent.iter().find(|(a, _)| a == action)?;
        list.iter().copied().reduce(f64::min)
    }

    fn push(&self, action: &str, duration_ms: f64) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        match recent.iter_mut().find(|(a, _)| a == action) {
            Some((_, list)) => {
                list.push(duration_ms);
                if list.len() > RECENT {
                    list.remove(0);
                }
            }
            None => recent.push((action.to_owned(), vec![duration_ms])),
        }
    }
}

impl DurationStore for MemoryDurations {
    fn expected<'a>(&'a self, action: &'a str) -> BoxFuture<'a, Result<Option<f64>, Error>> {
        let found = self.shortest(action);
        Box::pin(async move { Ok(found) })
    }

    fn record<'a>(&'a self, action: &'a str, duration_ms: f64) -> BoxFuture<'a, Result<(), Error>> {
        self.push(action, duration_ms);
        Box::pin(async { Ok(()) })
    }
}

/// The value a store that keeps one number per action should hold next, given the one it
/// holds and a new observation: a shorter duration is believed at once (waking late costs
/// latency), a longer one a quarter of the way (one slow run does not delay every next wait).
pub fn next_expected(held_ms: Option<f64>, observed_ms: f64) -> f64 {
    match held_ms {
        Some(held) if held.is_finite() && held > 0.0 && held < observed_ms => {
            held + (observed_ms - held) * 0.25
        }
        _ => observed_ms,
    }
}

/// How long a wait gives a store to answer before doing without it.
pub(crate) const STORE_BUDGET: Duration = Duration::from_secs(1);

/// The expected duration of `action`, or `None` when the store has none, fails, answers
/// something that is not a positive number of ms, or takes longer than [`STORE_BUDGET`].
pub(crate) async fn expected_within(
    store: &dyn DurationStore,
    runtime: &dyn Runtime,
    action: &str,
) -> Option<f64> {
    match race(store.expected(action), budget(runtime)).await {
        Either::Left(Ok(Some(ms))) if ms.is_finite() && ms > 0.0 => Some(ms),
        _ => None,
    }
}

/// Records a duration; a failing or slow store is ignored (the wait itself succeeded).
pub(crate) async fn record_within(
    store: &dyn DurationStore,
    runtime: &dyn Runtime,
    action: &str,
    duration_ms: f64,
) {
    if duration_ms.is_finite() && duration_ms > 0.0 {
        let _ = race(store.record(action, duration_ms), budget(runtime)).await;
    }
}

/// Sleeps [`STORE_BUDGET`], starting the timer only when first polled: a store that answers
/// at once never sets one.
async fn budget(runtime: &dyn Runtime) {
    runtime.sleep(STORE_BUDGET).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_store_expects_the_shortest_of_the_last_five_durations() {
        let store = MemoryDurations::new();
        assert_eq!(pollster::block_on(store.expected("a")).unwrap(), None);
        for ms in [900.0, 700.0, 800.0, 1000.0, 1100.0] {
            pollster::block_on(store.record("a", ms)).unwrap();
        }
        assert_eq!(pollster::block_on(store.expected("a")).unwrap(), Some(700.0));
        // The sixth duration pushes the first out; the seventh the 700 ms one.
        pollster::block_on(store.record("a", 1200.0)).unwrap();
        pollster::block_on(store.record("a", 1300.0)).unwrap();
        assert_eq!(pollster::block_on(store.expected("a")).unwrap(), Some(800.0));
        assert_eq!(pollster::block_on(store.expected("b")).unwrap(), None);
    }

    #[test]
    fn a_single_number_store_believes_shorter_durations_at_once_and_longer_ones_gradually() {
        assert_eq!(next_expected(None, 800.0), 800.0);
        assert_eq!(next_expected(Some(1000.0), 800.0), 800.0);
        assert_eq!(next_expected(Some(1000.0), 2000.0), 1250.0);
        assert_eq!(next_expected(Some(f64::NAN), 500.0), 500.0);
    }
}
