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
        }
    }

    /// Forgets every counted request.
    pub fn reset(&mut self) {
        self.keys.clear();
        self.routes.clear();
    }

    /// Counts a request, or says how long to wait before retrying.
    pub fn check(&mut self, key: &str, route: &str) -> Result<(), Duration> {
        let now = Instant::now();
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
