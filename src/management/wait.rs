//! Waiting for Neon operations: polls until every operation is terminal. `finished` and
//! `skipped` succeed; `failed`, `error` and `cancelled` end the wait with
//! [`Error::Operation`] listing them.
//!
//! Polling adapts to the operation: without history it polls at 10% of the time waited so
//! far (at least every `min_interval`, at most every `max_interval`), so completion is
//! noticed within 10% of an operation's duration. Once an action (`create_branch`, ...) has
//! been seen to finish, its duration (the server's `total_duration_ms`, else when the wait
//! saw it done) goes to the client's [`DurationStore`] (this process's memory by default,
//! or one shared by isolates), and the first poll waits until just after the duration the
//! store expects: most waits then cost one or two polls.

use crate::core::cancel::CancelToken;
use crate::management::client::{CallOptions, NeonClient};
use crate::core::error::{Error, FailedOperation};
use crate::core::observer::Observer;
use crate::core::json::Json;
use crate::management::durations::{expected_within, record_within, DurationStore};
use crate::core::time::{cancellable_sleep, clamp, from_millis, millis};
use crate::core::transport::HttpResponse;
use std::sync::Arc;
use std::time::Duration;

/// One operation's last known state.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationState {
    /// The operation id.
    pub id: String,
    /// What it does: `create_branch`, `start_compute`, ...
    pub action: String,
    /// `scheduling`, `running`, `finished`, `failed`, `error`, `cancelling`, `cancelled`, `skipped`.
    pub status: String,
    /// The operation's error message, when it has one.
    pub error: Option<String>,
    /// The operation as the API returned it.
    pub raw: Json,
}

impl OperationState {
    /// Reads an operation object (`{"id", "action", "status", ...}`).
    pub fn from_value(raw: &Json) -> Option<OperationState> {
        let text = |k: &str| raw.get(k).and_then(Json::as_str).map(str::to_owned);
        Some(OperationState {
            id: text("id")?,
            action: text("action").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            error: text("error"),
            raw: raw.clone(),
        })
    }

    /// Whether the operation will not change any more.
    pub fn is_terminal(&self) -> bool {
        self.succeeded() || self.failed()
    }

    /// `finished` or `skipped`.
    pub fn succeeded(&self) -> bool {
        matches!(self.status.as_str(), "finished" | "skipped")
    }

    /// `failed`, `error` or `cancelled`.
    pub fn failed(&self) -> bool {
        matches!(self.status.as_str(), "failed" | "error" | "cancelled")
    }
}

/// What a progress callback sees after each polling round.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitProgress {
    /// Every awaited operation's last known state.
    pub operations: Vec<OperationState>,
    /// Polling requests sent so far.
    pub polls: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
}

/// How long to wait and how often to poll.
#[derive(Clone)]
pub struct WaitOptions {
    /// Give up after this long (default 5 minutes).
    pub timeout: Duration,
    /// Stops the wait when fired.
    pub cancel: Option<CancelToken>,
    /// Told about every polling round.
    pub on_progress: Option<Arc<dyn Observer<WaitProgress>>>,
    /// The shortest time between two polls (default 100 ms).
    pub min_interval: Duration,
    /// The longest time between two polls (default 5 s).
    pub max_interval: Duration,
    /// Where durations are learned; `None`: the client's store.
    pub durations: Option<Arc<dyn DurationStore>>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(300),
            cancel: None,
            on_progress: None,
            min_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(5),
            durations: None,
        }
    }
}

impl std::fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("min_interval", &self.min_interval)
            .field("max_interval", &self.max_interval)
            .finish()
    }
}

/// The next wait, given the time waited so far and the pending operations' expected duration.
fn next_interval(
    options: &WaitOptions,
    elapsed_ms: f64,
    expected: Option<f64>,
    first: bool,
) -> Duration {
    let min = millis(options.min_interval);
    let max = millis(options.max_interval);
    let geometric = clamp(elapsed_ms * 0.1, min, max.max(min));
    let ms = match expected {
        // Go straight to just after the expected end, then fall back to the 10% rule.
        Some(e) if first => {
            let target = e + (e * 0.02).max(min / 4.0);
            clamp(target - elapsed_ms, 0.0, max.max(target))
        }
        _ => geometric,
    };
    from_millis(ms)
}

/// The longest expected duration among the pending operations' actions, as far as the
/// store knows them (each action asked once).
async fn expected_end(
    store: &dyn DurationStore,
    runtime: &dyn crate::core::runtime::Runtime,
    states: &[OperationState],
) -> Option<f64> {
    // A linear check, not sort + dedup: a wait holds a handful of operations, and sorting
    // costs the npm build 4 KB of wasm.
    let mut actions: Vec<&str> = Vec::new();
    for s in states.iter().filter(|s| !s.is_terminal() && !s.action.is_empty()) {
        if !actions.contains(&s.action.as_str()) {
            actions.push(&s.action);
        }
    }
    let mut longest: Option<f64> = None;
    for action in actions {
        if let Some(ms) = expected_within(store, runtime, action).await {
            longest = Some(longest.map_or(ms, |l| l.max(ms)));
        }
    }
    longest
}

/// What a finished operation teaches about its action's duration: the server's
/// `total_duration_ms` when it reports one, else when the wait saw it done (an upper bound).
fn observed_duration(state: &OperationState, seen_done_ms: f64) -> f64 {
    match state.raw.get("total_duration_ms").and_then(Json::as_u64) {
        Some(ms) if ms > 0 => ms as f64,
        _ => seen_done_ms,
    }
}

/// Polls `operations` of `project_id` until each is terminal. `known` operations (as a
/// mutating call returned them) skip the first poll when already terminal.
pub async fn wait_for_operations(
    client: &NeonClient,
    project_id: &str,
    operations: &[Json],
    options: &WaitOptions,
) -> Result<Vec<OperationState>, Error> {
    let runtime = client.runtime().clone();
    let start = runtime.now_ms();
    let mut states: Vec<OperationState> = Vec::new();
    for op in operations {
        match (op.as_str(), OperationState::from_value(op)) {
            (Some(id), _) => states.push(OperationState {
                id: id.to_owned(),
                action: String::new(),
                status: String::new(),
                error: None,
                raw: Json::Null,
            }),
            (None, Some(state)) => states.push(state),
            (None, None) => {
                return Err(Error::invalid_parameter("waitForOperations", "operations", "every operation needs an `id`"))
            }
        }
    }
    let get = crate::management::api::operations::GET_PROJECT_OPERATION;
    let cancel = options.cancel.as_ref();
    let durations = options
        .durations
        .clone()
        .unwrap_or_else(|| client.operation_durations().clone());
    let mut polls = 0u32;
    // When each operation was last seen pending (ms into the wait), to learn its duration.
    let mut seen_pending: Vec<Option<f64>> = states
        .iter()
        .map(|s| (!s.status.is_empty() && !s.is_terminal()).then_some(0.0))
        .collect();
    // Ids alone say nothing of the status: look once before waiting.
    let mut look_now = states.iter().any(|s| s.status.is_empty());
    let mut first_wait = true;
    loop {
        if states.iter().all(OperationState::is_terminal) {
            break;
        }
        if !look_now {
            // Only the first sleep aims at the expected end: ask the store once per wait.
            let expected = match first_wait {
                true => expected_end(durations.as_ref(), runtime.as_ref(), &states).await,
                false => None,
            };
            let elapsed = runtime.now_ms() - start;
            let wait = next_interval(options, elapsed, expected, first_wait);
            first_wait = false;
            if elapsed + millis(wait) > millis(options.timeout) {
                return Err(timed_out(&states, options.timeout));
            }
            cancellable_sleep(runtime.as_ref(), cancel, wait).await?;
        }
        look_now = false;
        let pending = states
            .iter_mut()
            .zip(seen_pending.iter_mut())
            .filter(|(s, _)| !s.is_terminal());
        for (slot, seen) in pending {
            let left = millis(options.timeout) - (runtime.now_ms() - start);
            let call = CallOptions {
                cancel: options.cancel.clone(),
                deadline: Some(from_millis(left.max(1.0))),
                ..CallOptions::default()
            };
            let args = Json::object([("projectId", Json::from(project_id)), ("operationId", Json::string(slot.id.clone()))]);
            let response = client.execute_once(get, &args, &call).await?;
            polls += 1;
            let body = Json::parse(&response.body)?;
            let now = runtime.now_ms() - start;
            if let Some(state) = body.get("operation").and_then(OperationState::from_value) {
                match (state.is_terminal(), *seen) {
                    (true, Some(_)) if state.succeeded() && !state.action.is_empty() => {
                        let ms = observed_duration(&state, now);
                        record_within(durations.as_ref(), runtime.as_ref(), &state.action, ms).await
                    }
                    (false, _) => *seen = Some(now),
                    _ => {}
                }
                *slot = state;
            }
        }
        if let Some(hook) = &options.on_progress {
            let elapsed = from_millis(runtime.now_ms() - start);
            hook.notify(&WaitProgress {
                operations: states.clone(),
                polls,
                elapsed,
            });
        }
    }
    let failed: Vec<FailedOperation> = states
        .iter()
        .filter(|s| s.failed())
        .map(|s| FailedOperation {
            id: s.id.clone(),
            action: s.action.clone(),
            status: s.status.clone(),
            error: s.error.clone(),
        })
        .collect();
    if failed.is_empty() {
        Ok(states)
    } else {
        Err(Error::Operation { failed })
    }
}

fn timed_out(states: &[OperationState], timeout: Duration) -> Error {
    let pending: Vec<String> = states
        .iter()
        .filter(|s| !s.is_terminal())
        .map(|s| crate::core::text::concat(&[&s.action, " ", &s.id, " (", &s.status, ")"]))
        .collect();
    Error::Timeout {
        message: crate::core::text::concat(&[
            "operations still running after ",
            &crate::core::text::decimal(millis(timeout) as u64),
            " ms: ",
            &crate::core::text::join(&pending, ", "),
        ]),
    }
}

/// `{ wait: true }`: waits for the operations a mutating call's response lists.
pub(crate) async fn wait_for_response(
    client: &NeonClient,
    response: &HttpResponse,
    options: &CallOptions,
    started_ms: f64,
) -> Result<(), Error> {
    let Ok(body) = Json::parse(&response.body) else {
        return Ok(());
    };
    let Some(ops) = body
        .get("operations")
        .and_then(Json::as_array)
        .filter(|o| !o.is_empty())
    else {
        return Ok(());
    };
    let mut by_project: Vec<(String, Vec<Json>)> = Vec::new();
    for op in ops {
        let project = op
            .get("project_id")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned();
        match by_project.iter_mut().find(|(p, _)| *p == project) {
            Some((_, list)) => list.push(op.clone()),
            None => by_project.push((project, vec![op.clone()])),
        }
    }
    let defaults = WaitOptions::default();
    let spent = from_millis(client.runtime().now_ms() - started_ms);
    let wait = WaitOptions {
        timeout: options
            .deadline
            .map_or(defaults.timeout, |d| d.saturating_sub(spent)),
        cancel: options.cancel.clone(),
        ..defaults
    };
    for (project, ops) in by_project {
        if project.is_empty() {
            return Err(Error::unsupported("wait", "an operation in the response has no project_id"));
        }
        wait_for_operations(client, &project, &ops, &wait).await?;
    }
    Ok(())
}
