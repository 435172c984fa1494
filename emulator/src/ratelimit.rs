//! Neon's API rate limits: requests per minute per API key, and a burst per second per route.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Sliding-window counters of recent requests.
#[derive(Debug)]
pub struct RateLimiter {
    /// Requests allowed per key per minute (0 = unlimited).
    pub per_minute: u32,
    /// Requests allowed per key and route per second (0 = unlimited).
    pub per_route_second: u32,
    keys: HashMap<String, VecDeque<Instant>>,
    routes: HashMap<(String, String), VecDeque<Instant>>,
    /// Every request checked since the last reset, oldest first (at most `JOURNAL_MAX`), so a
    /// test can count what reached the server per window, not only what it admitted.
    journal: VecDeque<Arrival>,
    /// Arrivals dropped from the journal's front once it was full.
    dropped: u64,
    /// The origin of the journal's times.
    started: Instant,
}

/// How many arrivals the journal keeps.
const JOURNAL_MAX: usize = 10_000;

/// One request the limiter saw.
#[derive(Debug)]
struct Arrival {
    key: String,
    route: String,
    at: Instant,
    limited: bool,
}

/// A key as the journal shows it: only its last four characters, as consoles show keys.
fn mask_key(key: &str) -> String {
    let tail: Vec<char> = key.chars().rev().take(4).collect();
    format!("****{}", tail.into_iter().rev().collect::<String>())
}

fn admit(
    window: &mut VecDeque<Instant>,
    limit: u32,
    span: Duration,
    now: Instant,
) -> Result<(), Duration> {
    while window
        .front()
        .is_some_and(|t| now.duration_since(*t) >= span)
    {
        window.pop_front();
    }
    if limit > 0 && window.len() >= limit as usize {
        let oldest = window.front().copied().unwrap_or(now);
        return Err(span.saturating_sub(now.duration_since(oldest)));
    }
    Ok(())
}

impl RateLimiter {
    /// Limits per key per minute and per key and route per second (0 = unlimited).
    pub fn new(per_minute: u32, per_route_second: u32) -> Self {
        RateLimiter {
            per_minute,
            per_route_second,
            keys: HashMap::new(),
            routes: HashMap::new(),
            journal: VecDeque::new(),
            dropped: 0,
            started: Instant::now(),
        }
    }

    /// Forgets every counted request.
    pub fn reset(&mut self) {
        self.keys.clear();
        self.routes.clear();
        self.journal.clear();
        self.dropped = 0;
    }

    /// The journal as JSON: `{requests: [{key, route, at_ms, limited}], dropped}`, `key` masked
    /// and `at_ms` in milliseconds on the emulator's monotonic clock.
    pub fn journal(&self) -> serde_json::Value {
        let requests: Vec<serde_json::Value> = self
            .journal
            .iter()
            .map(|a| {
                serde_json::json!({
                    "key": mask_key(&a.key),
                    "route": a.route,
                    "at_ms": a.at.duration_since(self.started).as_secs_f64() * 1000.0,
                    "limited": a.limited,
                })
            })
            .collect();
        serde_json::json!({ "requests": requests, "dropped": self.dropped })
    }

    /// Counts a request, or says how long to wait before retrying; either way the journal
    /// records it.
    pub fn check(&mut self, key: &str, route: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let verdict = self.admit_both(key, route, now);
        if self.journal.len() >= JOURNAL_MAX {
            self.journal.pop_front();
            self.dropped += 1;
        }
        self.journal.push_back(Arrival {
            key: key.to_string(),
            route: route.to_string(),
            at: now,
            limited: verdict.is_err(),
        });
        verdict
    }

    fn admit_both(&mut self, key: &str, route: &str, now: Instant) -> Result<(), Duration> {
        let kw = self.keys.entry(key.to_string()).or_default();
        admit(kw, self.per_minute, Duration::from_secs(60), now)?;
        let rw = self
            .routes
            .entry((key.to_string(), route.to_string()))
            .or_default();
        admit(rw, self.per_route_second, Duration::from_secs(1), now)?;
        rw.push_back(now);
        if let Some(kw) = self.keys.get_mut(key) {
            kw.push_back(now);
        }
        Ok(())
    }
}

const KEYWORDS: &[&str] = &[
    "api",
    "v2",
    "projects",
    "branches",
    "endpoints",
    "databases",
    "roles",
    "operations",
    "snapshots",
    "snapshot",
    "restore",
    "start",
    "suspend",
    "restart",
    "reveal_password",
    "reset_password",
    "set_as_default",
    "finalize_restore",
    "connection_uri",
    "consumption",
    "organizations",
    "api_keys",
    "transfer",
    "users",
    "me",
    "consumption_history",
    "count",
    "schema",
    "compare_schema",
    "regions",
];

/// The route template of a path: ids replaced by `*` (`/api/v2/projects/*/branches`).
pub fn route_of(method: &str, path: &str) -> String {
    let segs: Vec<&str> = path
        .split('/')
        .map(|s| {
            if s.is_empty() || KEYWORDS.contains(&s) {
                s
            } else {
                "*"
            }
        })
        .collect();
    format!("{method} {}", segs.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_records_admitted_and_limited_requests_with_masked_keys() {
        let mut limiter = RateLimiter::new(0, 2);
        let route = route_of("GET", "/api/v2/projects");
        let verdicts: Vec<bool> = (0..3)
            .map(|_| limiter.check("napi_secret_abcd", &route).is_ok())
            .collect();
        assert_eq!(verdicts, [true, true, false]);
        let journal = limiter.journal();
        let requests = journal["requests"].as_array().expect("a list");
        assert_eq!(requests.len(), 3);
        assert!(requests
            .iter()
            .all(|r| r["key"] == "****abcd" && r["route"] == "GET /api/v2/projects"));
        let limited: Vec<bool> = requests.iter().map(|r| r["limited"] == true).collect();
        assert_eq!(limited, [false, false, true]);
        assert!(!journal.to_string().contains("secret"));
        limiter.reset();
        assert_eq!(
            limiter.journal()["requests"].as_array().map(Vec::len),
            Some(0)
        );
    }
}
