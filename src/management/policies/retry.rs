//! The retry policy: which failures are retried, how long to wait before the next attempt,
//! and the caps on attempts and total time.
//!
//! Decisions are classified by cause ([`RetryReason`]). A request that may have changed
//! something on the server is only retried when repeating it is harmless: idempotent methods
//! (GET, HEAD, PUT, DELETE) are retried after gateway errors and network failures; a POST or
//! PATCH only when the server provably did not act on it (429, 423, 422 "not ready", or a
//! connection that failed before the request was sent).

use crate::core::text::parse_u64;
use crate::core::time::{clamp, from_millis, millis};
use crate::core::observer::Observer;
use crate::core::transport::{HttpResponse, Method, SentState, TransportError};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Why a failed attempt is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryReason {
    /// 429 Too Many Requests.
    RateLimited,
    /// 423 Locked: conflicting operations are running on the project.
    Locked,
    /// 422 saying the branch (or another resource) is not ready yet.
    NotReady,
    /// 524: the gateway gave up waiting for the origin.
    OriginTimeout,
    /// 502, 503 or 504.
    Unavailable,
    /// No response: connection refused, reset, body cut short.
    Network,
    /// The per-request timeout elapsed.
    Timeout,
}

impl RetryReason {
    /// The reason's name as JS `onRetry` hooks see it (`"rate_limited"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::RateLimited => "rate_limited",
            RetryReason::Locked => "locked",
            RetryReason::NotReady => "not_ready",
            RetryReason::OriginTimeout => "origin_timeout",
            RetryReason::Unavailable => "unavailable",
            RetryReason::Network => "network",
            RetryReason::Timeout => "timeout",
        }
    }
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an `on_retry` hook is told before the client sleeps and tries again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryEvent {
    /// The attempt that failed, starting at 1.
    pub attempt: u32,
    /// How long the client waits before the next attempt.
    pub delay: Duration,
    /// Why the attempt is retried.
    pub reason: RetryReason,
    /// The HTTP status of the failed attempt, when there was a response.
    pub status: Option<u16>,
    /// The operation called, e.g. `listProjects`.
    pub operation: Option<String>,
}

/// When and how often failed requests are retried.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// No retry starts, and no attempt runs, past this long after the call began.
    pub max_elapsed: Duration,
    /// The first backoff ceiling; it doubles with every attempt.
    pub base_delay: Duration,
    /// The largest backoff ceiling (a `Retry-After` may ask for longer).
    pub max_delay: Duration,
    /// The shortest wait after a 423: conflicting operations take a while to finish.
    pub locked_min_delay: Duration,
    /// Told about each retry.
    pub on_retry: Option<Arc<dyn Observer<RetryEvent>>>,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("max_elapsed", &self.max_elapsed)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("locked_min_delay", &self.locked_min_delay)
            .field("on_retry", &self.on_retry.is_some())
            .finish()
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(60),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(15),
            locked_min_delay: Duration::from_millis(500),
            on_retry: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (`retry: false`).
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether this policy retries at all.
    pub fn enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// The wait before the attempt after `attempt` (1-based) failed for `reason`.
    /// `retry_after` is the server's `Retry-After`, already converted to a duration;
    /// `random` is uniform in `[0, 1)`.
    pub fn delay(
        &self,
        reason: RetryReason,
        attempt: u32,
        retry_after: Option<Duration>,
        random: f64,
    ) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        // Scaled in float milliseconds and cast back (saturating): no float-to-Duration panic path.
        let scale = |d: Duration, r: f64| from_millis(millis(d) * clamp(r, 0.0, 1.0));
        let jittered = scale(ceiling, random);
        match reason {
            RetryReason::RateLimited => retry_after.unwrap_or(jittered),
            // Locked: half the ceiling fixed, half jittered, never below the minimum.
            RetryReason::Locked => {
                let ceiling = ceiling.max(self.locked_min_delay);
                retry_after.unwrap_or(ceiling / 2 + scale(ceiling, random / 2.0))
            }
            _ => retry_after.unwrap_or(jittered),
        }
    }
}

/// Whether repeating a request with this method is harmless.
pub fn is_idempotent(method: Method) -> bool {
    matches!(
        method,
        Method::Get | Method::Head | Method::Put | Method::Delete
    )
}

/// Why this outcome may be retried, or `None` when it must not be.
pub fn classify(
    method: Method,
    outcome: &Result<HttpResponse, TransportError>,
) -> Option<RetryReason> {
    let idempotent = is_idempotent(method);
    match outcome {
        Ok(response) => match response.status {
            429 => Some(RetryReason::RateLimited),
            423 => Some(RetryReason::Locked),
            422 if says_not_ready(&response.body) => Some(RetryReason::NotReady),
            524 if idempotent => Some(RetryReason::OriginTimeout),
            502..=504 if idempotent => Some(RetryReason::Unavailable),
            _ => None,
        },
        Err(TransportError::Network {
            sent: SentState::NotSent,
            ..
        }) => Some(RetryReason::Network),
        Err(TransportError::Network {
            sent: SentState::MaybeSent,
            ..
        }) if idempotent => Some(RetryReason::Network),
        Err(TransportError::Timeout) if idempotent => Some(RetryReason::Timeout),
        Err(_) => None,
    }
}

/// Whether a 422 body says the resource is not ready yet (Neon: "branch not ready yet").
fn says_not_ready(body: &[u8]) -> bool {
    let message = crate::core::response::error_body(body)
        .message
        .unwrap_or_default()
        .to_ascii_lowercase();
    crate::core::text::contains(&message, "not ready")
}

/// The `Retry-After` of a response as a wait from `now_ms`: delay-seconds or an HTTP-date.
pub fn retry_after(response: &HttpResponse, now_ms: f64) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return decimal_seconds(value);
    }
    let at_ms = parse_http_date(value)? as f64 * 1000.0;
    Some(Duration::from_millis((at_ms - now_ms).max(0.0) as u64))
}

/// `120` or `1.5` (seconds; fractions below a nanosecond dropped); `None` for anything else.
fn decimal_seconds(value: &str) -> Option<Duration> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (value.as_bytes().contains(&b'.') && frac.is_empty()) {
        return None;
    }
    let secs = parse_u64(whole)?;
    let nanos = frac.bytes().take(9).chain(std::iter::repeat(b'0')).take(9).fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    Some(Duration::new(secs, nanos))
}

/// Seconds since the Unix epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(value: &str) -> Option<i64> {
    let (_weekday, rest) = value.split_once(',')?;
    let rest = rest.strip_prefix(' ')?;
    let mut parts = rest.split(' ');
    let day = parse_u64(parts.next()?)? as i64;
    let month = parts.next()?;
    let year = parse_u64(parts.next()?)? as i64;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    // Compared as parsed (u64): cast first, a huge field wraps negative and passes `> 59`.
    let mut hms = time.split(':').map(parse_u64);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + (h * 3600 + m * 60 + s) as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A small xorshift generator for jitter: no crate, works on wasm32, seeded from the clock.
#[derive(Debug)]
pub struct Jitter {
    state: std::sync::atomic::AtomicU64,
}

impl Jitter {
    /// A generator seeded from a clock reading (any value; zero is replaced).
    pub fn seeded(seed: f64) -> Self {
        // Clients created in the same millisecond still jitter apart.
        static CREATED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = CREATED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let bits = seed.to_bits() ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Jitter {
            state: std::sync::atomic::AtomicU64::new(if bits == 0 { 1 } else { bits }),
        }
    }

    /// The next number, uniform in `[0, 1)`.
    pub fn next_unit(&self) -> f64 {
        use std::sync::atomic::Ordering;
        let step = |mut x: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let previous = self
            .state
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or(1);
        (step(previous) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse_to_epoch_seconds() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("tomorrow"), None);
        // Found by fuzzing: a seconds field too large for i64 once wrapped to a negative time.
        assert_eq!(parse_http_date(", 6 Nov 3933 0:4:9999999999999999997 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:18446744073709551615 GMT"), None);
    }

    #[test]
    fn retry_after_reads_whole_and_fractional_seconds_or_nothing() {
        let after = |v: &str| retry_after(&HttpResponse { status: 429, headers: vec![("retry-after".into(), v.into())], body: vec![] }, 0.0);
        assert_eq!(after("3"), Some(Duration::from_secs(3)));
        assert_eq!(after(" 1.5 "), Some(Duration::from_millis(1500)));
        assert_eq!(after("0.0000000019"), Some(Duration::from_nanos(1)));
        assert_eq!(after("0"), Some(Duration::ZERO));
        for bad in ["-1", "1.", "1e3", "1.5s", "99999999999999999999999", "NaN", "inf"] {
            assert_eq!(after(bad), None, "{bad}");
        }
    }

    #[test]
    fn generators_seeded_with_the_same_clock_reading_differ() {
        let (a, b) = (Jitter::seeded(1e12), Jitter::seeded(1e12));
        assert_ne!(a.next_unit(), b.next_unit());
    }

    #[test]
    fn jitter_stays_in_the_unit_interval() {
        let j = Jitter::seeded(1_700_000_000_000.0);
        for _ in 0..1000 {
            let x = j.next_unit();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
