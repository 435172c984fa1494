//! Native tests of retries, pacing, deadlines and cancellation, over the scripted transport
//! and a virtual-time runtime (nothing sleeps for real).

#[path = "support/virtual_runtime.rs"]
mod virtual_runtime;

#[path = "support/scripted.rs"]
mod scripted;
use scripted::run;

use neon_edge::cancel::CancelToken;
use neon_edge::rate_limit::{RateLimitConfig, RateLimiter};
use neon_edge::retry::{RetryEvent, RetryPolicy, RetryReason};
use neon_edge::transport::{
    Method, ScriptedResponse, ScriptedTransport, SentState, TransportError,
};
use neon_edge::{ApiKey, CallOptions, Error, ErrorKind, NeonClient, RawRequest};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use virtual_runtime::VirtualRuntime;

fn client_with(
    t: &ScriptedTransport,
    rt: &VirtualRuntime,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
) -> NeonClient {
    NeonClient::builder()
        .api_key(ApiKey::fixed("napi_test").unwrap())
        .base_url("https://api.example.test/api/v2")
        .transport(Arc::new(t.clone()))
        .runtime(Arc::new(rt.clone()))
        .retry(retry)
        .rate_limiter(limiter)
        .build()
        .unwrap()
}

fn client(t: &ScriptedTransport, rt: &VirtualRuntime) -> NeonClient {
    client_with(t, rt, RetryPolicy::default(), None)
}


fn get(c: &NeonClient) -> Result<neon_edge::transport::HttpResponse, Error> {
    let op = neon_edge::api::operation("getProject").unwrap();
    run(c.execute(op, &json!({ "projectId": "p-1" }), &CallOptions::default()))
}

fn post(c: &NeonClient) -> Result<neon_edge::transport::HttpResponse, Error> {
    let op = neon_edge::api::operation("createProject").unwrap();
    run(c.execute(
        op,
        &json!({ "body": { "project": { "name": "x" } } }),
        &CallOptions::default(),
    ))
}

fn ok() -> ScriptedResponse {
    ScriptedResponse::json(200, r#"{"project":{"id":"p-1"}}"#)
}

fn status(code: u16) -> ScriptedResponse {
    ScriptedResponse::json(code, r#"{"message":"try later"}"#)
}

fn network(sent: SentState) -> ScriptedResponse {
    ScriptedResponse::Fail(TransportError::Network {
        message: "reset".into(),
        sent,
    })
}

fn recording_policy(events: &Arc<Mutex<Vec<RetryEvent>>>) -> RetryPolicy {
    let sink = events.clone();
    RetryPolicy {
        on_retry: Some(Arc::new(move |e: &RetryEvent| {
            sink.lock().unwrap().push(e.clone())
        })),
        ..RetryPolicy::default()
    }
}

#[test]
fn a_429_with_retry_after_seconds_waits_exactly_that_long_and_tells_on_retry() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::raw(429, &[("retry-after", "3")], b"{}"))
        .push(ok());
    let events = Arc::new(Mutex::new(Vec::new()));
    get(&client_with(&t, &rt, recording_policy(&events), None)).unwrap();
    assert_eq!(t.requests().len(), 2);
    assert_eq!(rt.sleeps(), vec![Duration::from_secs(3)]);
    let events = events.lock().unwrap();
    assert_eq!(events[0].attempt, 1);
    assert_eq!(events[0].delay, Duration::from_secs(3));
    assert_eq!(events[0].reason, RetryReason::RateLimited);
    assert_eq!(events[0].status, Some(429));
    assert_eq!(events[0].operation.as_deref(), Some("getProject"));
}

#[test]
fn a_429_with_an_http_date_retry_after_waits_until_that_date() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    // The virtual clock starts at 1,700,000,000 s = Tue, 14 Nov 2023 22:13:20 GMT.
    t.push(ScriptedResponse::raw(
        429,
        &[("Retry-After", "Tue, 14 Nov 2023 22:13:25 GMT")],
        b"{}",
    ))
    .push(ok());
    get(&client(&t, &rt)).unwrap();
    assert_eq!(rt.sleeps(), vec![Duration::from_secs(5)]);
}

#[test]
fn a_429_without_retry_after_backs_off_exponentially_with_full_jitter() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(status(429))
        .push(status(429))
        .push(status(429))
        .push(ok());
    get(&client(&t, &rt)).unwrap();
    let sleeps = rt.sleeps();
    assert_eq!(sleeps.len(), 3);
    for (i, s) in sleeps.iter().enumerate() {
        assert!(
            *s <= Duration::from_millis(250 << i),
            "retry {i} waited {s:?}"
        );
    }
}

#[test]
fn a_post_is_retried_after_423_locked_with_a_bounded_backoff() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let locked = r#"{"message":"project already has running conflicting operations"}"#;
    t.push(ScriptedResponse::json(423, locked))
        .push(ScriptedResponse::json(423, locked))
        .push(ok());
    post(&client(&t, &rt)).unwrap();
    assert_eq!(t.requests().len(), 3);
    for s in rt.sleeps() {
        assert!(
            s >= Duration::from_millis(250) && s <= Duration::from_millis(500),
            "{s:?}"
        );
    }
}

#[test]
fn a_423_that_never_clears_gives_up_after_max_attempts() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    for _ in 0..10 {
        t.push(status(423));
    }
    let err = post(&client(&t, &rt)).unwrap_err();
    assert_eq!(err.api().unwrap().status, 423);
    assert_eq!(t.requests().len(), 4);
}

#[test]
fn a_422_branch_not_ready_is_retried_but_another_422_is_not() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::json(
        422,
        r#"{"message":"branch not ready yet"}"#,
    ))
    .push(ok());
    post(&client(&t, &rt)).unwrap();
    assert_eq!(t.requests().len(), 2);
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(422, r#"{"message":"invalid name"}"#))
        .push(ok());
    assert_eq!(
        post(&client(&t, &rt)).unwrap_err().api().unwrap().status,
        422
    );
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn gateway_errors_and_524_are_retried_for_a_get_but_never_for_a_post() {
    for code in [502, 503, 504, 524] {
        let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
        t.push(status(code)).push(ok());
        get(&client(&t, &rt)).unwrap();
        assert_eq!(t.requests().len(), 2, "GET after {code}");
        let t = ScriptedTransport::new();
        t.push(status(code)).push(ok());
        assert_eq!(
            post(&client(&t, &rt)).unwrap_err().api().unwrap().status,
            code
        );
        assert_eq!(t.requests().len(), 1, "POST after {code}");
    }
}

#[test]
fn a_500_is_not_retried() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(status(500)).push(ok());
    assert_eq!(
        get(&client(&t, &rt)).unwrap_err().api().unwrap().status,
        500
    );
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn a_post_that_may_have_been_sent_is_never_repeated() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(network(SentState::MaybeSent)).push(ok());
    assert_eq!(
        post(&client(&t, &rt)).unwrap_err().kind(),
        ErrorKind::Network
    );
    assert_eq!(t.requests().len(), 1);
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::Fail(TransportError::Timeout))
        .push(ok());
    assert_eq!(
        post(&client(&t, &rt)).unwrap_err().kind(),
        ErrorKind::Timeout
    );
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn a_post_refused_before_sending_is_retried() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(network(SentState::NotSent)).push(ok());
    post(&client(&t, &rt)).unwrap();
    assert_eq!(t.requests().len(), 2);
}

#[test]
fn a_get_is_retried_after_a_reset_connection_and_a_request_timeout() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(network(SentState::MaybeSent))
        .push(ScriptedResponse::Fail(TransportError::Timeout))
        .push(ok());
    get(&client(&t, &rt)).unwrap();
    assert_eq!(t.requests().len(), 3);
}

#[test]
fn retries_stop_at_max_attempts_with_the_last_error() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    for _ in 0..10 {
        t.push(status(429));
    }
    let policy = RetryPolicy {
        max_attempts: 3,
        ..RetryPolicy::default()
    };
    let err = get(&client_with(&t, &rt, policy, None)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimit);
    assert_eq!(t.requests().len(), 3);
}

#[test]
fn a_retry_after_beyond_max_elapsed_is_not_waited_for() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::raw(429, &[("retry-after", "120")], b"{}"))
        .push(ok());
    let err = get(&client(&t, &rt)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimit);
    assert!(rt.sleeps().is_empty());
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn retry_disabled_sends_once() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(status(503)).push(ok());
    let err = get(&client_with(&t, &rt, RetryPolicy::disabled(), None)).unwrap_err();
    assert_eq!(err.api().unwrap().status, 503);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn a_per_call_retry_policy_overrides_the_client_one() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(status(503)).push(ok());
    let op = neon_edge::api::operation("getProject").unwrap();
    let opts = CallOptions {
        retry: Some(RetryPolicy::disabled()),
        ..CallOptions::default()
    };
    let err = run(client(&t, &rt).execute(op, &json!({ "projectId": "p" }), &opts)).unwrap_err();
    assert_eq!(err.api().unwrap().status, 503);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn the_call_deadline_ends_retries_with_a_timeout() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::raw(429, &[("retry-after", "2")], b"{}"));
    t.push(ScriptedResponse::raw(429, &[("retry-after", "2")], b"{}"))
        .push(ok());
    let op = neon_edge::api::operation("getProject").unwrap();
    let opts = CallOptions {
        deadline: Some(Duration::from_secs(3)),
        ..CallOptions::default()
    };
    let err = run(client(&t, &rt).execute(op, &json!({ "projectId": "p" }), &opts)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimit, "{err}");
    assert_eq!(t.requests().len(), 2);
    assert!(rt.elapsed_ms() <= 3000.0);
}

/// Never answers: each request takes its whole timeout (in virtual time).
struct Stalling {
    rt: VirtualRuntime,
    timeouts: Mutex<Vec<Duration>>,
}

impl neon_edge::transport::Transport for Stalling {
    fn send(
        &self,
        request: neon_edge::transport::HttpRequest,
    ) -> neon_edge::transport::BoxFuture<
        '_,
        Result<neon_edge::transport::HttpResponse, TransportError>,
    > {
        let timeout = request.timeout.unwrap_or_default();
        self.timeouts.lock().unwrap().push(timeout);
        self.rt.advance(timeout);
        Box::pin(async { Err(TransportError::Timeout) })
    }
}

#[test]
fn the_per_request_timeout_is_cut_to_what_is_left_of_the_deadline() {
    let rt = VirtualRuntime::new();
    let stalling = Arc::new(Stalling {
        rt: rt.clone(),
        timeouts: Mutex::new(Vec::new()),
    });
    let c = NeonClient::builder()
        .api_key(ApiKey::fixed("napi_test").unwrap())
        .transport(stalling.clone())
        .runtime(Arc::new(rt.clone()))
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let op = neon_edge::api::operation("getProject").unwrap();
    let opts = CallOptions {
        deadline: Some(Duration::from_millis(1500)),
        ..CallOptions::default()
    };
    let err = run(c.execute(op, &json!({ "projectId": "p" }), &opts)).unwrap_err();
    let timeouts = stalling.timeouts.lock().unwrap().clone();
    assert_eq!(timeouts[0], Duration::from_secs(1));
    assert!(
        timeouts.len() == 2 && timeouts[1] < Duration::from_millis(500),
        "{timeouts:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("deadline"), "{err}");
    assert!(rt.elapsed_ms() <= 1500.0);
}

#[test]
fn cancelling_during_a_retry_wait_stops_the_call_without_another_request() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::raw(429, &[("retry-after", "30")], b"{}"))
        .push(ok());
    rt.hold_sleeps();
    let token = CancelToken::new();
    let fire = token.clone();
    let c = client(&t, &rt);
    let op = neon_edge::api::operation("getProject").unwrap();
    let opts = CallOptions {
        cancel: Some(token),
        ..CallOptions::default()
    };
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        fire.cancel();
    });
    let result = run(c.execute(op, &json!({ "projectId": "p" }), &opts));
    canceller.join().unwrap();
    assert_eq!(result.unwrap_err(), Error::Aborted);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn a_cancel_from_on_retry_prevents_the_next_attempt() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(status(503)).push(ok());
    let token = CancelToken::new();
    let fire = token.clone();
    let policy = RetryPolicy {
        on_retry: Some(Arc::new(move |_: &RetryEvent| fire.cancel())),
        ..RetryPolicy::default()
    };
    let op = neon_edge::api::operation("getProject").unwrap();
    let opts = CallOptions {
        cancel: Some(token),
        ..CallOptions::default()
    };
    let result =
        run(client_with(&t, &rt, policy, None).execute(op, &json!({ "projectId": "p" }), &opts));
    assert_eq!(result.unwrap_err(), Error::Aborted);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn raw_requests_are_retried_and_paced_like_operations() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(status(503)).push(ok());
    let raw = RawRequest {
        method: Method::Get,
        path: "/projects/p/consumption".into(),
        query: vec![],
        body: None,
    };
    run(client(&t, &rt).request(raw, &CallOptions::default())).unwrap();
    assert_eq!(t.requests().len(), 2);
}

fn limiter(per_minute: u32, per_route: u32) -> Option<RateLimiter> {
    Some(
        RateLimiter::in_memory(RateLimitConfig {
            per_minute,
            per_route_per_second: per_route,
            scope: "t".into(),
        })
        .unwrap(),
    )
}

/// Send times (virtual ms) of `n` back-to-back calls.
fn burst(
    c: &NeonClient,
    rt: &VirtualRuntime,
    t: &ScriptedTransport,
    n: usize,
    op: &str,
    args: serde_json::Value,
) -> Vec<f64> {
    let op = neon_edge::api::operation(op).unwrap();
    (0..n)
        .map(|_| {
            t.push(ok());
            run(c.execute(op, &args, &CallOptions::default())).unwrap();
            rt.elapsed_ms()
        })
        .collect()
}

fn max_in_window(times: &[f64], window_ms: f64) -> usize {
    times
        .iter()
        .enumerate()
        .map(|(i, t)| {
            times[i..]
                .iter()
                .take_while(|s| **s < t + window_ms)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn a_burst_on_one_route_is_paced_under_the_per_second_limit() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let c = client_with(&t, &rt, RetryPolicy::default(), limiter(100_000, 40));
    let times = burst(&c, &rt, &t, 200, "getProject", json!({ "projectId": "p" }));
    assert!(
        max_in_window(&times, 1000.0) <= 40,
        "{}",
        max_in_window(&times, 1000.0)
    );
    // The first half-second's burst goes out at once.
    assert_eq!(times.iter().filter(|t| **t == 0.0).count(), 20);
}

#[test]
fn a_burst_across_routes_is_paced_under_the_per_minute_limit() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let c = client_with(&t, &rt, RetryPolicy::default(), limiter(700, 40));
    let mut times = burst(&c, &rt, &t, 500, "getProject", json!({ "projectId": "p" }));
    times.extend(burst(&c, &rt, &t, 500, "listProjects", json!({})));
    assert!(max_in_window(&times, 60_000.0) <= 700);
    // ... at no less than 95% of the allowed rate.
    let rate_per_min = (times.len() - 20) as f64 / (times[times.len() - 1] / 60_000.0);
    assert!(rate_per_min >= 0.95 * 700.0, "{rate_per_min}");
}

#[test]
fn a_429_pauses_the_bucket_for_every_later_call() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let c = client_with(&t, &rt, RetryPolicy::disabled(), limiter(700, 40));
    t.push(ScriptedResponse::raw(429, &[("retry-after", "4")], b"{}"));
    assert_eq!(get(&c).unwrap_err().kind(), ErrorKind::RateLimit);
    assert!(rt.sleeps().is_empty());
    t.push(ok());
    get(&c).unwrap();
    assert_eq!(rt.sleeps(), vec![Duration::from_secs(4)]);
}

#[test]
fn a_retried_429_waits_once_through_the_limiter() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let c = client_with(&t, &rt, RetryPolicy::default(), limiter(700, 40));
    t.push(ScriptedResponse::raw(429, &[("retry-after", "2")], b"{}"))
        .push(ok());
    get(&c).unwrap();
    assert_eq!(rt.sleeps(), vec![Duration::from_secs(2)]);
}

#[test]
fn the_default_client_paces_to_neon_limits() {
    let t = ScriptedTransport::new();
    let rt = VirtualRuntime::new();
    let c = NeonClient::builder()
        .api_key(ApiKey::fixed("napi_test").unwrap())
        .transport(Arc::new(t.clone()))
        .runtime(Arc::new(rt.clone()))
        .build()
        .unwrap();
    let times = burst(&c, &rt, &t, 100, "getProject", json!({ "projectId": "p" }));
    assert!(max_in_window(&times, 60_000.0) <= 700);
    assert!(times[times.len() - 1] > 0.0);
}

#[test]
fn a_retry_after_of_an_hour_holds_the_shared_buckets_a_minute_at_most() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let c = client_with(&t, &rt, RetryPolicy::disabled(), limiter(700, 40));
    t.push(ScriptedResponse::raw(
        429,
        &[("retry-after", "3600")],
        b"{}",
    ));
    assert_eq!(get(&c).unwrap_err().kind(), ErrorKind::RateLimit);
    t.push(ok());
    get(&c).unwrap();
    assert_eq!(rt.sleeps(), vec![Duration::from_secs(60)]);
}

#[test]
fn a_retry_after_longer_than_the_bucket_pause_is_still_waited_in_full() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let policy = RetryPolicy {
        max_elapsed: Duration::from_secs(600),
        ..RetryPolicy::default()
    };
    let c = client_with(&t, &rt, policy, limiter(700, 40));
    t.push(ScriptedResponse::raw(429, &[("retry-after", "120")], b"{}"))
        .push(ok());
    get(&c).unwrap();
    assert_eq!(rt.slept(), Duration::from_secs(120));
}

#[test]
fn clients_on_the_process_wide_store_with_one_scope_pace_together() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let config = RateLimitConfig {
        per_minute: 100_000,
        per_route_per_second: 40,
        scope: "process-wide-test".into(),
    };
    let make = || {
        client_with(
            &t,
            &rt,
            RetryPolicy::default(),
            Some(RateLimiter::process_wide(config.clone()).unwrap()),
        )
    };
    let (a, b) = (make(), make());
    let mut times = burst(&a, &rt, &t, 20, "getProject", json!({ "projectId": "p" }));
    times.extend(burst(
        &b,
        &rt,
        &t,
        20,
        "getProject",
        json!({ "projectId": "p" }),
    ));
    // One route burst of 20 between both clients, then the steady rate.
    assert_eq!(times.iter().filter(|t| **t == 0.0).count(), 20);
    assert!(max_in_window(&times, 1000.0) <= 40);
}
