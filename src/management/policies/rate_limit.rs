//! Client-side pacing: token buckets for Neon's per-account and per-route limits, so a burst
//! of calls is spread out instead of running into 429s.
//!
//! Each bucket is kept as a GCRA "theoretical arrival time": one number per bucket, which a
//! shared store (a Durable Object, several isolates using one API key) can hold as easily as
//! memory. A bucket of `limit` requests per `window` holds a burst of `burst` and refills at
//! `(0.99 * limit - burst) / window`, so that no sliding window ever sees more than `limit`
//! requests, whichever way the server counts: the account bucket bursts 2% of the per-minute
//! limit and sustains 97% of it; a route bucket bursts half its per-second limit.

use crate::core::error::Error;
use crate::core::transport::{BoxFuture, MaybeSendSync, Method};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One bucket as the store sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// The bucket's key, e.g. `default:account` or `default:GET /projects/{project_id}`.
    pub key: String,
    /// Milliseconds between two requests at the sustained rate.
    pub interval_ms: f64,
    /// Requests that may go at once after a quiet period.
    pub burst: f64,
}

/// Where bucket state lives. `acquire` must reserve atomically across every bucket it is
/// given (read, decide and write in one step), so that concurrent callers get distinct slots.
pub trait RateLimitStore: MaybeSendSync {
    /// Reserves one request in every bucket and returns the time (ms since the epoch, never
    /// before `now_ms`) at which it may be sent. The reservation is committed: the caller waits.
    fn acquire<'a>(
        &'a self,
        buckets: &'a [Bucket],
        now_ms: f64,
    ) -> BoxFuture<'a, Result<f64, Error>>;
    /// Holds the buckets until `until_ms` (a 429 asked the client to back off).
    fn pause<'a>(
        &'a self,
        buckets: &'a [Bucket],
        until_ms: f64,
    ) -> BoxFuture<'a, Result<(), Error>>;
    /// [`acquire`](RateLimitStore::acquire) without an await, for a store that can answer at
    /// once (memory): `None` when it cannot, and then nothing is reserved. A client sends the
    /// first attempt of a call without entering an async runtime when its store answers here.
    fn try_acquire_now(&self, _buckets: &[Bucket], _now_ms: f64) -> Option<f64> {
        None
    }
}

/// The in-memory store: each bucket's arrival time, shared by clones of the client. A list
/// searched linearly: there is one bucket per route (a few hundred at most), and a hash map
/// would ship several KB of hashing code in the wasm.
#[derive(Debug, Default)]
pub struct MemoryStore {
    arrivals: Mutex<Vec<(String, f64)>>,
}

/// Sets `key`'s arrival time to `f(stored)`.
fn update(list: &mut Vec<(String, f64)>, key: &str, f: impl FnOnce(Option<f64>) -> f64) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, tat)) => *tat = f(Some(*tat)),
        None => list.push((key.to_owned(), f(None))),
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The pure reservation step, for stores that keep the arrival times elsewhere: given
    /// each bucket's stored arrival time, returns the send time and the times to store.
    pub fn reserve(buckets: &[Bucket], stored: &[Option<f64>], now_ms: f64) -> (f64, Vec<f64>) {
        let send_at = buckets.iter().zip(stored).fold(now_ms, |at, (b, tat)| {
            let tat = tat.unwrap_or(now_ms).max(now_ms);
            at.max(tat - b.interval_ms * (b.burst - 1.0).max(0.0))
        });
        // Arrival times are sums of intervals on epoch milliseconds (~1e12), so rounding
        // leaves crumbs of a few microseconds: ignore those under 10.
        let send_at = if send_at - now_ms < 0.01 {
            now_ms
        } else {
            send_at
        };
        let next = buckets
            .iter()
            .zip(stored)
            .map(|(b, tat)| tat.unwrap_or(send_at).max(send_at) + b.interval_ms)
            .collect();
        (send_at, next)
    }

    /// Reserves one request in every bucket, in place.
    fn reserve_now(&self, buckets: &[Bucket], now_ms: f64) -> f64 {
        let mut map = self.arrivals.lock().unwrap_or_else(|e| e.into_inner());
        let stored: Vec<Option<f64>> =
            buckets.iter().map(|b| map.iter().find(|(k, _)| *k == b.key).map(|(_, t)| *t)).collect();
        let (send_at, next) = MemoryStore::reserve(buckets, &stored, now_ms);
        for (b, tat) in buckets.iter().zip(next) {
            update(&mut map, &b.key, |_| tat);
        }
        send_at
    }
}

impl RateLimitStore for MemoryStore {
    fn acquire<'a>(
        &'a self,
        buckets: &'a [Bucket],
        now_ms: f64,
    ) -> BoxFuture<'a, Result<f64, Error>> {
        let send_at = self.reserve_now(buckets, now_ms);
        Box::pin(async move { Ok(send_at) })
    }

    fn try_acquire_now(&self, buckets: &[Bucket], now_ms: f64) -> Option<f64> {
        Some(self.reserve_now(buckets, now_ms))
    }

    fn pause<'a>(
        &'a self,
        buckets: &'a [Bucket],
        until_ms: f64,
    ) -> BoxFuture<'a, Result<(), Error>> {
        let mut map = self.arrivals.lock().unwrap_or_else(|e| e.into_inner());
        for b in buckets {
            // Arrival time such that the next request goes at `until_ms`, then at the steady rate.
            let resume = until_ms + b.interval_ms * (b.burst - 1.0).max(0.0);
            update(&mut map, &b.key, |stored| stored.map_or(resume, |tat| tat.max(resume)));
        }
        Box::pin(async { Ok(()) })
    }
}

/// The limits to pace to.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitConfig {
    /// Requests per minute for the whole account (Neon: 700).
    pub per_minute: u32,
    /// Requests per second on one route (Neon: 40).
    pub per_route_per_second: u32,
    /// Prefix of every bucket key: clients sharing a store and an API key share a scope.
    pub scope: String,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            per_minute: 700,
            per_route_per_second: 40,
            scope: "default".into(),
        }
    }
}

impl RateLimitConfig {
    /// Checks that both limits are positive.
    pub fn validate(&self) -> Result<(), Error> {
        if self.per_minute == 0 || self.per_route_per_second == 0 {
            return Err(Error::invalid_option("rateLimit: perMinute and perRoutePerSecond", "must be positive integers"));
        }
        Ok(())
    }
}

/// A bucket of `limit` per `window_ms`: `burst_share` of the limit (at least one request) as
/// burst, and what is left, less 1% for requests that reach the server later than they were
/// paced (so a window never fills to the last request), as the refill rate.
fn bucket(key: String, limit: u32, window_ms: f64, burst_share: f64) -> Bucket {
    let limit = f64::from(limit);
    let burst = crate::core::time::clamp((limit * burst_share).floor(), 1.0, limit);
    let rate = (limit * 0.99 - burst).max(1.0);
    Bucket {
        key,
        interval_ms: window_ms / rate,
        burst,
    }
}

/// Paces requests with token buckets kept in a [`RateLimitStore`].
#[derive(Clone)]
pub struct RateLimiter {
    config: RateLimitConfig,
    store: Arc<dyn RateLimitStore>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("config", &self.config)
            .finish()
    }
}

impl RateLimiter {
    /// A limiter over `store`.
    pub fn new(config: RateLimitConfig, store: Arc<dyn RateLimitStore>) -> Result<Self, Error> {
        config.validate()?;
        Ok(RateLimiter { config, store })
    }

    /// A limiter with its own in-memory store.
    pub fn in_memory(config: RateLimitConfig) -> Result<Self, Error> {
        Self::new(config, Arc::new(MemoryStore::new()))
    }

    /// A limiter on the process-wide in-memory store: clients in one process (or isolate)
    /// with the same scope share their buckets, e.g. clients created per request.
    pub fn process_wide(config: RateLimitConfig) -> Result<Self, Error> {
        static SHARED: std::sync::OnceLock<Arc<MemoryStore>> = std::sync::OnceLock::new();
        let store: Arc<dyn RateLimitStore> =
            SHARED.get_or_init(|| Arc::new(MemoryStore::new())).clone();
        Self::new(config, store)
    }

    /// The configured limits.
    pub fn config(&self) -> &RateLimitConfig {
        &self.config
    }

    /// The account bucket and the bucket of `method` + `route` (a path template).
    pub fn buckets(&self, method: Method, route: &str) -> [Bucket; 2] {
        let scope = &self.config.scope;
        [
            // Keys without `format!`: a paced call makes both, and core::fmt is heavy in the module.
            bucket(
                crate::core::text::concat(&[scope, ":account"]),
                self.config.per_minute,
                60_000.0,
                0.02,
            ),
            bucket(
                crate::core::text::concat(&[scope, ":", method.as_str(), " ", route]),
                self.config.per_route_per_second,
                1_000.0,
                0.5,
            ),
        ]
    }

    /// Reserves a slot and returns how long to wait before sending.
    pub async fn acquire(
        &self,
        method: Method,
        route: &str,
        now_ms: f64,
    ) -> Result<Duration, Error> {
        let buckets = self.buckets(method, route);
        let at = self.store.acquire(&buckets, now_ms).await?;
        Ok(crate::core::time::from_millis(at - now_ms))
    }

    /// [`acquire`](RateLimiter::acquire) when the store answers at once; `None` (nothing
    /// reserved) when it needs an await.
    pub fn acquire_now(&self, method: Method, route: &str, now_ms: f64) -> Option<Duration> {
        let buckets = self.buckets(method, route);
        let at = self.store.try_acquire_now(&buckets, now_ms)?;
        Some(crate::core::time::from_millis(at - now_ms))
    }

    /// Holds both buckets of the route until `until_ms`, after a 429.
    pub async fn pause(&self, method: Method, route: &str, until_ms: f64) -> Result<(), Error> {
        let buckets = self.buckets(method, route);
        self.store.pause(&buckets, until_ms).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32, per_route: u32) -> RateLimiter {
        RateLimiter::in_memory(RateLimitConfig {
            per_minute,
            per_route_per_second: per_route,
            scope: "t".into(),
        })
        .unwrap()
    }

    #[test]
    fn no_sliding_minute_ever_holds_more_than_the_limit() {
        let l = limiter(700, 40);
        let mut sends = Vec::new();
        for _ in 0..2000 {
            let wait = pollster::block_on(l.acquire(Method::Get, "/projects", 0.0)).unwrap();
            sends.push(wait.as_secs_f64() * 1000.0);
        }
        for (i, t) in sends.iter().enumerate() {
            let in_window = sends[i..].iter().take_while(|s| **s < t + 60_000.0).count();
            assert!(
                in_window <= 700,
                "{in_window} requests within a minute from {t}"
            );
        }
        // ...while the sustained rate stays within 3% of the limit.
        let last = sends[sends.len() - 1];
        assert!(last < 2000.0 / (700.0 * 0.97) * 60_000.0 + 1.0, "{last}");
    }

    #[test]
    fn a_pause_holds_the_next_request_until_its_end() {
        let l = limiter(700, 40);
        pollster::block_on(l.pause(Method::Get, "/projects", 5_000.0)).unwrap();
        let wait = pollster::block_on(l.acquire(Method::Get, "/projects", 0.0)).unwrap();
        assert_eq!(wait, Duration::from_secs(5));
    }
}
