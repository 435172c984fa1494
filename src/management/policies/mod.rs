//! Runs one request through the client's policies: pacing by the rate limiter, retries by the
//! retry policy, the per-request timeout and the call's total deadline, and cancellation of
//! every wait in between. [`NeonClient`](crate::NeonClient) sends every request through [`run`].

pub mod rate_limit;
pub mod retry;

use crate::core::cancel::CancelToken;
use crate::core::error::Error;
use crate::core::options::RequestOptions;
use crate::core::response::api_error;
use crate::core::runtime::Runtime;
use crate::core::time::{cancellable_sleep, from_millis, millis};
use crate::core::transport::{HttpResponse, Method, TransportError};
use rate_limit::RateLimiter;
use retry::{classify, retry_after, Jitter, RetryEvent, RetryPolicy, RetryReason};
use std::future::Future;
use std::time::Duration;

/// What one call targets, for pacing, retry decisions and error messages.
pub(crate) struct Target<'a> {
    pub method: Method,
    /// The path template (`/projects/{project_id}`) or, for raw requests, the path.
    pub route: &'a str,
    pub operation: Option<&'a str>,
    /// The `Accept` header: what a successful answer carries.
    pub accept: &'static str,
}

/// The client's policies as one call sees them.
pub(crate) struct Policies<'a> {
    pub retry: &'a RetryPolicy,
    pub limiter: Option<&'a RateLimiter>,
    pub jitter: &'a Jitter,
    pub runtime: &'a dyn Runtime,
    /// The per-request timeout.
    pub timeout: Duration,
}

/// Maps the final outcome of a call to its result.
fn into_result(
    outcome: Result<HttpResponse, TransportError>,
    target: &Target<'_>,
    timeout: Duration,
) -> Result<HttpResponse, Error> {
    let response = outcome.map_err(|e| Error::from_transport(e, target.operation.unwrap_or("request"), timeout))?;
    if (200..300).contains(&response.status) {
        Ok(response)
    } else {
        Err(Error::Api(api_error(&response, target.operation)))
    }
}

/// The longest a 429 holds the shared rate-limit buckets.
const MAX_LIMITER_PAUSE: Duration = Duration::from_secs(60);

/// The first attempt of a call when the caller sent it itself (paced and timed as
/// [`NeonClient::first_attempt`](crate::NeonClient::first_attempt) said): what it got, and
/// when the call started.
#[derive(Debug)]
pub struct FirstOutcome {
    /// The response, or why there was none.
    pub outcome: Result<HttpResponse, TransportError>,
    /// [`FirstAttempt::started_ms`](crate::FirstAttempt::started_ms).
    pub started_ms: f64,
}

/// Attempts the request until it succeeds, fails for good, or runs out of attempts or time.
/// `attempt` sends once with the given timeout; with `first`, the first attempt was already
/// sent (its pacing slot taken, with the policies' timeout and no deadline).
pub(crate) async fn run<F, Fut>(
    p: &Policies<'_>,
    target: &Target<'_>,
    options: &RequestOptions,
    mut first: Option<FirstOutcome>,
    mut attempt: F,
) -> Result<HttpResponse, Error>
where
    F: FnMut(Duration) -> Fut,
    Fut: Future<Output = Result<Result<HttpResponse, TransportError>, Error>>,
{
    let cancel = options.cancel.as_ref();
    let start = first.as_ref().map_or_else(|| p.runtime.now_ms(), |f| f.started_ms);
    let deadline = options.deadline.map(|d| start + millis(d));
    let mut number = 0u32;
    loop {
        number += 1;
        // A first attempt the caller sent took its pacing slot when it was planned.
        let sent = first.take();
        if let (Some(limiter), None) = (p.limiter, &sent) {
            let wait = limiter
                .acquire(target.method, target.route, p.runtime.now_ms())
                .await?;
            if !wait.is_zero() {
                sleep(p, cancel, deadline, wait, target).await?;
            }
        }
        let (timeout, clamped) = match deadline {
            Some(d) => {
                let left = d - p.runtime.now_ms();
                if left <= 0.0 {
                    return Err(deadline_error(target, options));
                }
                let left = from_millis(left);
                (p.timeout.min(left), left < p.timeout)
            }
            None => (p.timeout, false),
        };
        let outcome = match sent {
            Some(sent) => sent.outcome,
            None => attempt(timeout).await?,
        };
        let Some(reason) = classify(target.method, &outcome) else {
            return finish(outcome, target, options, timeout, clamped);
        };
        let now = p.runtime.now_ms();
        let server_wait = outcome.as_ref().ok().and_then(|r| retry_after(r, now));
        let delay = p
            .retry
            .delay(reason, number, server_wait, p.jitter.next_unit());
        // After a 429 every call on this route (and account) holds back, not just this one:
        // the limiter's next reservation does the waiting. A Retry-After of hours (or a wrong
        // one) holds the shared buckets a minute at most; this call then sleeps the whole wait.
        let paced = p.limiter.filter(|_| reason == RetryReason::RateLimited);
        if let Some(limiter) = paced {
            let until = now + millis(delay.min(MAX_LIMITER_PAUSE));
            limiter.pause(target.method, target.route, until).await?;
        }
        let delay_ms = millis(delay);
        let out_of_attempts = number >= p.retry.max_attempts;
        let out_of_time = now - start + delay_ms > millis(p.retry.max_elapsed)
            || deadline.is_some_and(|d| now + delay_ms >= d);
        if out_of_attempts || out_of_time {
            return finish(outcome, target, options, timeout, clamped);
        }
        if let Some(hook) = &p.retry.on_retry {
            hook.notify(&RetryEvent {
                attempt: number,
                delay,
                reason,
                status: outcome.as_ref().ok().map(|r| r.status),
                operation: target.operation.map(str::to_owned),
            });
        }
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(Error::Aborted);
        }
        let own_wait = match paced {
            Some(_) if delay <= MAX_LIMITER_PAUSE => Duration::ZERO,
            _ => delay,
        };
        if !own_wait.is_zero() {
            sleep(p, cancel, deadline, own_wait, target).await?;
        }
    }
}

fn finish(
    outcome: Result<HttpResponse, TransportError>,
    target: &Target<'_>,
    options: &RequestOptions,
    timeout: Duration,
    clamped: bool,
) -> Result<HttpResponse, Error> {
    match outcome {
        Err(TransportError::Timeout) if clamped => Err(deadline_error(target, options)),
        other => into_result(other, target, timeout),
    }
}

fn deadline_error(target: &Target<'_>, options: &RequestOptions) -> Error {
    Error::Timeout {
        message: crate::core::text::concat(&[
            target.operation.unwrap_or("request"),
            ": not done within the call's deadline of ",
            &crate::core::text::decimal(millis(options.deadline.unwrap_or_default()) as u64),
            " ms",
        ]),
    }
}

/// Sleeps unless the call is cancelled first or the sleep would end past the deadline.
async fn sleep(
    p: &Policies<'_>,
    cancel: Option<&CancelToken>,
    deadline: Option<f64>,
    duration: Duration,
    target: &Target<'_>,
) -> Result<(), Error> {
    if let Some(d) = deadline {
        if p.runtime.now_ms() + millis(duration) > d {
            return Err(Error::Timeout {
                message: crate::core::text::concat(&[
                    target.operation.unwrap_or("request"),
                    ": waiting ",
                    &crate::core::text::decimal(millis(duration) as u64),
                    " ms more would pass the call's deadline",
                ]),
            });
        }
    }
    cancellable_sleep(p.runtime, cancel, duration).await
}
