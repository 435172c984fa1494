//! Time for retries, pacing and polling, behind a trait so that no executor is assumed.

use crate::core::transport::{BoxFuture, MaybeSendSync};
use std::time::Duration;

/// Sleeping and the current time, as the host runtime provides them.
pub trait Runtime: MaybeSendSync {
    /// Resolves after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
    /// Milliseconds since the Unix epoch. Deadlines and pacing compare readings of this
    /// clock, so it should not step backwards or jump with the wall clock.
    fn now_ms(&self) -> f64;
}

/// The runtime a client's builder uses when given none: [`TokioRuntime`] with the cargo
/// feature `native`, else [`StdRuntime`]; wasm32 has no default (the JS bindings pass theirs).
pub fn default_runtime() -> Result<std::sync::Arc<dyn Runtime>, crate::core::error::Error> {
    #[cfg(all(feature = "native", not(target_arch = "wasm32")))]
    return Ok(std::sync::Arc::new(TokioRuntime));
    #[cfg(all(not(feature = "native"), not(target_arch = "wasm32")))]
    return Ok(std::sync::Arc::new(StdRuntime));
    #[cfg(target_arch = "wasm32")]
    return Err(crate::core::client_error::ClientError::NotConfigured { what: "runtime" }.into());
}

/// The runtime of native targets when none is given, built on std alone so that the core
/// depends on no executor: it serves tests, command-line tools and programs that drive the
/// client with any executor (`pollster`, `futures::executor`, tokio). One timer thread,
/// started on the first sleep, wakes every pending sleep; the clock is monotonic (the wall
/// clock read once, advanced by `Instant`), so a step of the system clock moves no deadline.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default, Clone, Copy)]
pub struct StdRuntime;

#[cfg(not(target_arch = "wasm32"))]
impl Runtime for StdRuntime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(timer::sleep(duration))
    }

    fn now_ms(&self) -> f64 {
        timer::now_ms()
    }
}

/// The runtime of native programs on tokio (cargo feature `native`), and the default of every
/// client's builder when that feature is on: sleeps are tokio timers and the clock is tokio's
/// monotonic `Instant` (the wall clock read once, advanced by it), so under a paused tokio
/// clock (`tokio::time::pause`, `#[tokio::test(start_paused = true)]`) retries, pacing and
/// deadlines all run on virtual time. A sleep started outside any tokio runtime (a client
/// driven by another executor) falls back to [`StdRuntime`]'s timer thread instead of
/// panicking; inside one, the runtime must have its time driver (`#[tokio::main]` does).
#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
#[cfg_attr(docsrs, doc(cfg(feature = "native")))]
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioRuntime;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
impl Runtime for TokioRuntime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        match tokio::runtime::Handle::try_current() {
            Ok(_) => Box::pin(tokio::time::sleep(duration)),
            Err(_) => Box::pin(timer::sleep(duration)),
        }
    }

    fn now_ms(&self) -> f64 {
        static ORIGIN: std::sync::OnceLock<(f64, tokio::time::Instant)> = std::sync::OnceLock::new();
        let (wall, at) = ORIGIN.get_or_init(|| (timer::wall_ms(), tokio::time::Instant::now()));
        wall + tokio::time::Instant::now().saturating_duration_since(*at).as_secs_f64() * 1000.0
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod timer {
    use std::collections::BinaryHeap;
    use std::cmp::Reverse;
    use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
    use std::task::{Poll, Waker};
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    /// The clock's origin: the wall clock once, and the instant it was read.
    fn origin() -> &'static (f64, Instant) {
        static ORIGIN: OnceLock<(f64, Instant)> = OnceLock::new();
        ORIGIN.get_or_init(|| (wall_ms(), Instant::now()))
    }

    /// The wall clock in milliseconds since the Unix epoch (0 before it): read once per clock.
    pub fn wall_ms() -> f64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }

    pub fn now_ms() -> f64 {
        let (wall, at) = origin();
        wall + at.elapsed().as_secs_f64() * 1000.0
    }

    /// One pending sleep: done once its deadline passed, woken through its last waker.
    #[derive(Default)]
    struct Slot {
        done: bool,
        waker: Option<Waker>,
    }

    /// Pending sleeps by deadline (the sequence number keeps equal deadlines apart).
    struct Timer {
        queue: Mutex<BinaryHeap<Reverse<(Instant, u64, SlotRef)>>>,
        changed: Condvar,
    }

    /// A slot ordered by nothing (the heap orders by deadline and sequence).
    struct SlotRef(Arc<Mutex<Slot>>);

    impl PartialEq for SlotRef {
        fn eq(&self, _: &SlotRef) -> bool {
            true
        }
    }
    impl Eq for SlotRef {}
    impl PartialOrd for SlotRef {
        fn partial_cmp(&self, other: &SlotRef) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for SlotRef {
        fn cmp(&self, _: &SlotRef) -> std::cmp::Ordering {
            std::cmp::Ordering::Equal
        }
    }

    /// A lock that a panic elsewhere does not poison for good (a slot is plain data).
    fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        m.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn timer() -> &'static Timer {
        static TIMER: OnceLock<&'static Timer> = OnceLock::new();
        TIMER.get_or_init(|| {
            let timer: &'static Timer = Box::leak(Box::new(Timer { queue: Mutex::new(BinaryHeap::new()), changed: Condvar::new() }));
            std::thread::Builder::new()
                .name("neon-edge-timer".into())
                .spawn(move || timer.run())
                .map(drop)
                .unwrap_or_else(|_| timer.unavailable());
            timer
        })
    }

    impl Timer {
        /// Wakes each sleep when its deadline passes; waits on the condvar in between.
        fn run(&self) {
            let mut queue = lock(&self.queue);
            loop {
                let now = Instant::now();
                while let Some(Reverse((deadline, _, _))) = queue.peek() {
                    if *deadline > now {
                        break;
                    }
                    if let Some(Reverse((_, _, SlotRef(slot)))) = queue.pop() {
                        let waker = {
                            let mut slot = lock(&slot);
                            slot.done = true;
                            slot.waker.take()
                        };
                        if let Some(w) = waker {
                            w.wake();
                        }
                    }
                }
                queue = match queue.peek() {
                    Some(Reverse((deadline, _, _))) => {
                        let wait = deadline.saturating_duration_since(now);
                        self.changed.wait_timeout(queue, wait).unwrap_or_else(PoisonError::into_inner).0
                    }
                    None => self.changed.wait(queue).unwrap_or_else(PoisonError::into_inner),
                };
            }
        }

        /// Without a timer thread (the OS refused one), each sleep blocks its caller's thread
        /// for its duration: the timing stays right (no retry or poll comes early), only the
        /// executor's thread is held meanwhile.
        fn unavailable(&self) {
            FALLBACK.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    static FALLBACK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

    pub fn sleep(duration: Duration) -> impl std::future::Future<Output = ()> + Send + 'static {
        let slot = Arc::new(Mutex::new(Slot::default()));
        let mut registered = false;
        std::future::poll_fn(move |cx| {
            let mut state = lock(&slot);
            if state.done {
                return Poll::Ready(());
            }
            if duration.is_zero() {
                return Poll::Ready(());
            }
            state.waker = Some(cx.waker().clone());
            drop(state);
            if !registered {
                registered = true;
                // First, so that a timer thread the OS refuses is known before this sleep
                // would wait on a queue nobody serves.
                let timer = timer();
                if FALLBACK.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(duration);
                    return Poll::Ready(());
                }
                let deadline = Instant::now() + duration;
                let seq = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                lock(&timer.queue).push(Reverse((deadline, seq, SlotRef(Arc::clone(&slot)))));
                timer.changed.notify_one();
            }
            Poll::Pending
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn std_runtime_sleeps_at_least_the_requested_time() {
        let rt = StdRuntime;
        let start = Instant::now();
        pollster::block_on(rt.sleep(Duration::from_millis(20)));
        assert!(start.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn many_sleeps_share_one_timer_thread_and_end_in_deadline_order() {
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let handles: Vec<_> = [150u64, 50, 100, 0, 50]
            .into_iter()
            .map(|ms| {
                let order = order.clone();
                std::thread::spawn(move || {
                    pollster::block_on(StdRuntime.sleep(Duration::from_millis(ms)));
                    order.lock().unwrap().push(ms);
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(20));
        if let Some(names) = thread_names() {
            let timers = names.iter().filter(|n| n.as_str() == "neon-edge-timer").count();
            assert_eq!(timers, 1, "one timer thread serves every sleep: {names:?}");
        }
        for h in handles {
            h.join().unwrap();
        }
        let ends = order.lock().unwrap().clone();
        let mut sorted = ends.clone();
        sorted.sort_unstable();
        assert_eq!(ends, sorted, "sleeps ended out of deadline order");
    }

    #[test]
    fn the_clock_is_near_the_wall_clock_and_never_goes_back() {
        let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0;
        let mut last = StdRuntime.now_ms();
        assert!((last - wall).abs() < 60_000.0, "{last} vs wall clock {wall}");
        for _ in 0..10_000 {
            let now = StdRuntime.now_ms();
            assert!(now >= last);
            last = now;
        }
    }

    /// The names of the process's threads, where /proc tells them.
    fn thread_names() -> Option<Vec<String>> {
        let tasks = std::fs::read_dir("/proc/self/task").ok()?;
        Some(tasks.filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok()).map(|n| n.trim().to_owned()).collect())
    }
}
