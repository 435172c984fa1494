//! A runtime on virtual time for native tests: `sleep` advances the clock at once and
//! records the duration, so retry and pacing tests never sleep for real.

use neon_edge::runtime::Runtime;
use neon_edge::transport::BoxFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Clock {
    now_ms: f64,
    sleeps: Vec<Duration>,
    hold: bool,
}

/// Virtual time: starts at 1,700,000,000,000 ms; every sleep moves it forward.
#[derive(Clone)]
pub struct VirtualRuntime {
    clock: Arc<Mutex<Clock>>,
}

impl Default for VirtualRuntime {
    fn default() -> Self {
        VirtualRuntime {
            clock: Arc::new(Mutex::new(Clock {
                now_ms: 1_700_000_000_000.0,
                ..Clock::default()
            })),
        }
    }
}

#[allow(dead_code)]
impl VirtualRuntime {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every sleep so far.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.clock.lock().unwrap().sleeps.clone()
    }

    /// Total virtual time slept.
    pub fn slept(&self) -> Duration {
        self.sleeps().iter().sum()
    }

    /// Virtual milliseconds since the start.
    pub fn elapsed_ms(&self) -> f64 {
        self.clock.lock().unwrap().now_ms - 1_700_000_000_000.0
    }

    /// Moves the clock forward without sleeping (time spent "on the wire").
    pub fn advance(&self, d: Duration) {
        self.clock.lock().unwrap().now_ms += d.as_secs_f64() * 1000.0;
    }

    /// From now on sleeps never end (to test that cancellation cuts them short).
    pub fn hold_sleeps(&self) {
        self.clock.lock().unwrap().hold = true;
    }
}

impl Runtime for VirtualRuntime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let mut clock = self.clock.lock().unwrap();
        if clock.hold {
            return Box::pin(std::future::pending());
        }
        clock.sleeps.push(duration);
        clock.now_ms += duration.as_secs_f64() * 1000.0;
        Box::pin(async {})
    }

    fn now_ms(&self) -> f64 {
        self.clock.lock().unwrap().now_ms
    }
}
