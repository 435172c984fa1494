//! Scripted faults for tests: error statuses a number of times, delays, dropped connections.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// One fault rule, as posted to `POST /__emulator/faults`.
#[derive(Debug, Clone, Deserialize)]
pub struct FaultRule {
    /// Applies to paths starting with this prefix ("" = every path but the control ones).
    #[serde(default)]
    pub path: String,
    /// Applies to this method only (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Answer with this status instead of calling the handler.
    #[serde(default)]
    pub status: Option<u16>,
    /// Error message of the answered status (Neon's 423 message for 423 when absent).
    #[serde(default)]
    pub message: Option<String>,
    /// Error code of the answered status.
    #[serde(default)]
    pub code: Option<String>,
    /// A whole JSON body to answer instead of the Neon error shape.
    #[serde(default)]
    pub body: Option<Value>,
    /// `Retry-After` seconds to send with the status.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Wait this long before answering.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Close the connection halfway through the response body.
    #[serde(default)]
    pub drop_connection: bool,
    /// How many matching requests the rule applies to (0 = all of them). Default 1.
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

/// What to do to one request.
#[derive(Debug, Clone)]
pub struct FaultAction {
    pub rule: FaultRule,
}

impl FaultAction {
    /// How long to wait before answering.
    pub fn delay(&self) -> Option<Duration> {
        self.rule.delay_ms.map(Duration::from_millis)
    }
}

/// The active fault rules with their remaining counts.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<(FaultRule, u32)>,
    /// How many faults were applied (for tests' assertions).
    pub applied: u64,
}

impl Faults {
    /// Adds a rule.
    pub fn add(&mut self, rule: FaultRule) {
        let times = rule.times;
        self.rules.push((rule, times));
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// How many rules are active.
    pub fn pending(&self) -> usize {
        self.rules.len()
    }

    /// The first rule matching the request, consuming one of its uses.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultAction> {
        let idx = self.rules.iter().position(|(r, _)| {
            path.starts_with(&r.path)
                && r.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
        })?;
        let (rule, left) = self.rules.get_mut(idx)?;
        let action = FaultAction { rule: rule.clone() };
        if *left > 0 {
            *left -= 1;
            if *left == 0 {
                self.rules.remove(idx);
            }
        }
        self.applied += 1;
        Some(action)
    }
}
