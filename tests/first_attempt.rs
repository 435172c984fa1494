//! A call's first attempt sent by the caller: `NeonClient::first_attempt` plans it (URL, body,
//! timeout, pacing slot) and `execute_from` goes on from what it got, as the wasm module's JS
//! does for calls without options. Over the scripted transport and virtual time.

#[path = "support/virtual_runtime.rs"]
mod virtual_runtime;

#[path = "support/scripted.rs"]
mod scripted;
use scripted::run;

use neon_edge::rate_limit::{RateLimitConfig, RateLimiter};
use neon_edge::retry::RetryPolicy;
use neon_edge::transport::{HttpResponse, Method, ScriptedResponse, ScriptedTransport, TransportError};
use neon_edge::{ApiKey, CallOptions, ErrorKind, FirstOutcome, NeonClient};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use virtual_runtime::VirtualRuntime;

fn client(t: &ScriptedTransport, rt: &VirtualRuntime, key: ApiKey, limiter: Option<RateLimiter>) -> NeonClient {
    NeonClient::builder()
        .api_key(key)
        .base_url("https://api.example.test/api/v2")
        .transport(Arc::new(t.clone()))
        .runtime(Arc::new(rt.clone()))
        .retry(RetryPolicy::default())
        .rate_limiter(limiter)
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap()
}

fn fixed() -> ApiKey {
    ApiKey::fixed("napi_first").unwrap()
}

fn answer(status: u16, body: &str) -> HttpResponse {
    HttpResponse { status, headers: vec![("content-type".into(), "application/json".into())], body: body.as_bytes().to_vec() }
}

#[test]
fn the_plan_is_the_request_the_client_would_send() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let neon = client(&t, &rt, fixed(), None);
    let get = neon_edge::api::operation("getProject").unwrap();
    let plan = neon.first_attempt(get, &json!({ "projectId": "p 1" })).unwrap();
    assert_eq!((plan.method, plan.url.as_str()), (Method::Get, "https://api.example.test/api/v2/projects/p%201"));
    assert_eq!((plan.body, plan.timeout, plan.wait), (None, Duration::from_secs(7), Duration::ZERO));
    let create = neon_edge::api::operation("createProject").unwrap();
    let plan = neon.first_attempt(create, &json!({ "body": { "project": { "name": "x" } } })).unwrap();
    assert_eq!(plan.body.as_deref(), Some(&br#"{"project":{"name":"x"}}"#[..]));
    let headers = neon.fixed_headers().unwrap();
    assert!(headers.contains(&("Authorization".into(), "Bearer napi_first".into())), "{headers:?}");
    assert!(headers.contains(&("Accept".into(), "application/json".into())));
    assert!(!format!("{plan:?}").contains("napi_first"));
    // Arguments that do not build a request, and a key asked for per attempt: no plan.
    assert!(neon.first_attempt(get, &json!({})).is_none());
    struct Rotating;
    impl neon_edge::config::ApiKeyProvider for Rotating {
        fn api_key(&self) -> neon_edge::transport::BoxFuture<'_, Result<neon_edge::secret::Secret, neon_edge::Error>> {
            Box::pin(async { Ok(neon_edge::secret::Secret::new("napi_rotating")) })
        }
    }
    let rotating = client(&t, &rt, ApiKey::Provider(Arc::new(Rotating)), None);
    assert!(rotating.first_attempt(get, &json!({ "projectId": "p" })).is_none());
    assert!(rotating.fixed_headers().is_none());
    assert!(t.requests().is_empty(), "planning sends nothing");
}

#[test]
fn each_plan_takes_a_pacing_slot() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let limiter = RateLimiter::in_memory(RateLimitConfig { per_minute: 1000, per_route_per_second: 2, scope: "s".into() }).unwrap();
    let neon = client(&t, &rt, fixed(), Some(limiter));
    let get = neon_edge::api::operation("getProject").unwrap();
    let waits: Vec<Duration> = (0..3).map(|_| neon.first_attempt(get, &json!({ "projectId": "p" })).unwrap().wait).collect();
    assert_eq!(waits[0], Duration::ZERO);
    assert!(waits[1] > Duration::from_millis(900) && waits[2] > waits[1] + Duration::from_millis(900), "{waits:?}");
}

#[test]
fn execute_from_goes_on_from_the_first_outcome() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let neon = client(&t, &rt, fixed(), None);
    let get = neon_edge::api::operation("getProject").unwrap();
    let args = json!({ "projectId": "p-1" });
    // Started now: `started_ms` is the plan's, on the client's runtime clock.
    let from = |outcome| Some(FirstOutcome { outcome, started_ms: neon.runtime().now_ms() });
    // A success is the answer: nothing more is sent.
    let ok = run(neon.execute_from(get, &args, &CallOptions::default(), from(Ok(answer(200, "{}"))))).unwrap();
    assert_eq!((ok.status, t.requests().len()), (200, 0));
    // A 503 is retried by the client: the second attempt is its own.
    t.push(ScriptedResponse::json(200, r#"{"project":{"id":"p-1"}}"#));
    let retried = run(neon.execute_from(get, &args, &CallOptions::default(), from(Ok(answer(503, "{}"))))).unwrap();
    assert_eq!(retried.status, 200);
    assert_eq!(t.requests().len(), 1);
    assert_eq!(t.requests()[0].url, "https://api.example.test/api/v2/projects/p-1");
    // A 404 is the error it would have been.
    let missing = run(neon.execute_from(get, &args, &CallOptions::default(), from(Ok(answer(404, r#"{"message":"no"}"#))))).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    // A timeout of a create (not retried: it may have been sent) names the client's timeout.
    let create = neon_edge::api::operation("createProject").unwrap();
    let body = json!({ "body": { "project": {} } });
    let timeout = run(neon.execute_from(create, &body, &CallOptions::default(), from(Err(TransportError::Timeout)))).unwrap_err();
    assert_eq!(timeout.kind(), ErrorKind::Timeout);
    assert!(timeout.to_string().contains("7000 ms"), "{timeout}");
    assert_eq!(t.requests().len(), 1, "no request after the create's timeout");
}
