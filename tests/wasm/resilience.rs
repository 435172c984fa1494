// Retries, pacing, deadlines, pagination and operation waits over the fetch transport and
// setTimeout runtime, against the fault-injecting mock server (tests/support/mock-neon.mjs).
// Each test injects faults on its own path, so tests do not disturb one another.

use js_sys::{Object, Reflect};
use neon_edge::bindings::{FetchTransport, JsNeonClient, JsRuntime};
use neon_edge::cancel::CancelToken;
use neon_edge::operations_wait::{wait_for_operations, WaitOptions};
use neon_edge::paginate::Paginator;
use neon_edge::rate_limit::{RateLimitConfig, RateLimiter};
use neon_edge::retry::{RetryEvent, RetryPolicy, RetryReason};
use neon_edge::runtime::Runtime;
use neon_edge::transport::{HttpResponse, Method};
use neon_edge::{ApiKey, CallOptions, Error, ErrorKind, IfExists, NeonClient, RawRequest};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

fn server() -> &'static str {
    option_env!("NEON_TEST_SERVER").expect("NEON_TEST_SERVER must name the mock server when building the wasm tests")
}

fn builder(base: String) -> neon_edge::ClientBuilder {
    NeonClient::builder()
        .api_key(ApiKey::fixed("test-key").unwrap())
        .base_url(base)
        .transport(Arc::new(FetchTransport::global()))
        .runtime(Arc::new(JsRuntime))
        .user_agent(None)
}

/// A name no earlier run used: Node and Chromium runs share one mock server.
fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

fn client() -> NeonClient {
    builder(format!("{}/api/v2", server())).build().unwrap()
}

/// Posts to the mock's control API (`/__faults`, `/__ratelimit`).
async fn control(path: &str, body: Value) -> Value {
    let c = builder(server().to_owned())
        .retry(RetryPolicy::disabled())
        .rate_limiter(None)
        .build()
        .unwrap();
    let raw = RawRequest {
        method: Method::Post,
        path: path.into(),
        query: vec![],
        body: Some(body.to_string().into_bytes()),
    };
    let out = c.request(raw, &CallOptions::default()).await.unwrap();
    serde_json::from_slice(&out.body).unwrap()
}

async fn get(c: &NeonClient, project: &str, options: &CallOptions) -> Result<HttpResponse, Error> {
    let op = neon_edge::api::operation("getProject").unwrap();
    c.execute(op, &json!({ "projectId": project }), options).await
}

fn recording() -> (RetryPolicy, Arc<Mutex<Vec<RetryEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let policy = RetryPolicy {
        on_retry: Some(Arc::new(move |e: &RetryEvent| sink.lock().unwrap().push(e.clone()))),
        ..RetryPolicy::default()
    };
    (policy, events)
}

#[wasm_bindgen_test]
async fn a_429_with_retry_after_is_retried_after_the_server_s_delay() {
    control(
        "/__faults",
        json!({ "path": "/projects/w-429", "status": 429, "retryAfter": 1 }),
    )
    .await;
    let (policy, events) = recording();
    let c = builder(format!("{}/api/v2", server())).retry(policy).build().unwrap();
    let started = JsRuntime.now_ms();
    get(&c, "w-429", &CallOptions::default()).await.unwrap();
    assert!(JsRuntime.now_ms() - started >= 950.0);
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].reason, events[0].delay),
        (RetryReason::RateLimited, Duration::from_secs(1))
    );
}

#[wasm_bindgen_test]
async fn a_429_without_retry_after_backs_off_and_succeeds() {
    control(
        "/__faults",
        json!({ "path": "/projects/w-429b", "status": 429, "times": 2 }),
    )
    .await;
    let (policy, events) = recording();
    let c = builder(format!("{}/api/v2", server())).retry(policy).build().unwrap();
    get(&c, "w-429b", &CallOptions::default()).await.unwrap();
    assert_eq!(events.lock().unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn a_post_goes_through_423_locked_n_times_and_creates_once() {
    control(
        "/__faults",
        json!({ "path": "/projects/w-423/branches", "method": "POST", "status": 423, "times": 2 }),
    )
    .await;
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let name = unique("w-locked");
    let args = json!({ "projectId": "w-423", "body": { "branch": { "name": name } } });
    let out = client().execute(op, &args, &CallOptions::default()).await.unwrap();
    let body: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(body["branch"]["name"], name.as_str());
}

#[wasm_bindgen_test]
async fn a_503_is_retried_for_a_get_but_not_for_a_post() {
    control("/__faults", json!({ "path": "/projects/w-503", "status": 503 })).await;
    get(&client(), "w-503", &CallOptions::default()).await.unwrap();
    control(
        "/__faults",
        json!({ "path": "/projects/w-503p/branches", "method": "POST", "status": 503 }),
    )
    .await;
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let args = json!({ "projectId": "w-503p", "body": { "branch": { "name": "w-503" } } });
    let err = client().execute(op, &args, &CallOptions::default()).await.unwrap_err();
    assert_eq!(err.api().unwrap().status, 503);
}

#[wasm_bindgen_test]
async fn a_connection_cut_mid_body_is_retried_for_a_get() {
    control("/__faults", json!({ "path": "/projects/w-cut", "cut": true })).await;
    let out = get(&client(), "w-cut", &CallOptions::default()).await.unwrap();
    assert_eq!(out.status, 200);
}

#[wasm_bindgen_test]
async fn a_stall_past_the_timeout_is_cut_by_the_call_deadline() {
    control(
        "/__faults",
        json!({ "path": "/projects/w-stall", "delayMs": 5000, "times": 10 }),
    )
    .await;
    let options = CallOptions {
        timeout: Some(Duration::from_millis(100)),
        deadline: Some(Duration::from_millis(600)),
        ..CallOptions::default()
    };
    let started = JsRuntime.now_ms();
    let err = get(&client(), "w-stall", &options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(JsRuntime.now_ms() - started < 1500.0);
}

#[wasm_bindgen_test]
async fn cancelling_stops_a_pending_retry_wait() {
    control(
        "/__faults",
        json!({ "path": "/projects/w-cancel", "status": 429, "retryAfter": 30 }),
    )
    .await;
    let token = CancelToken::new();
    let fire = token.clone();
    wasm_bindgen_futures::spawn_local(async move {
        JsRuntime.sleep(Duration::from_millis(100)).await;
        fire.cancel();
    });
    let options = CallOptions {
        cancel: Some(token),
        ..CallOptions::default()
    };
    assert_eq!(get(&client(), "w-cancel", &options).await.unwrap_err(), Error::Aborted);
}

#[wasm_bindgen_test]
async fn the_limiter_paces_a_burst_under_the_server_s_limit() {
    let before = control("/__ratelimit", json!({ "perRoutePerSecond": 8 })).await;
    assert_eq!(before["perRoutePerSecond"], 8);
    let limited_before = control("/__stats", json!({})).await["rateLimited"].as_u64();
    let limiter = RateLimiter::in_memory(RateLimitConfig { per_route_per_second: 8, ..RateLimitConfig::default() }).unwrap();
    let c = builder(format!("{}/api/v2", server())).retry(RetryPolicy::disabled()).rate_limiter(Some(limiter)).build().unwrap();
    // A route no other test uses: the server counts per route.
    let op = neon_edge::api::operation("getProjectBranch").unwrap();
    let mut failures = 0;
    for i in 0..16 {
        let args = json!({ "projectId": "w-burst", "branchId": format!("b{i}") });
        failures += usize::from(c.execute(op, &args, &CallOptions::default()).await.is_err());
    }
    let limited_after = control("/__stats", json!({})).await["rateLimited"].as_u64();
    control("/__ratelimit", json!({})).await;
    assert_eq!(failures, 0);
    assert_eq!(limited_before, limited_after);
}

#[wasm_bindgen_test]
async fn pagination_follows_both_cursor_shapes() {
    let op = neon_edge::api::operation("listProjects").unwrap();
    let all = Paginator::new(&client(), op, json!({ "limit": 1 }), CallOptions::default())
        .unwrap()
        .all()
        .await
        .unwrap();
    assert_eq!(
        all.items.iter().map(|p| p["id"].as_str().unwrap()).collect::<Vec<_>>(),
        ["p-1", "p-2"]
    );
    assert_eq!(all.unavailable_project_ids, ["p-9", "p-8"]);
    let op = neon_edge::api::operation("listProjectBranches").unwrap();
    let all = Paginator::new(
        &client(),
        op,
        json!({ "projectId": "p-1", "limit": 1 }),
        CallOptions::default(),
    )
    .unwrap()
    .all()
    .await
    .unwrap();
    assert!(all.pages >= 2);
    let op = neon_edge::api::operation("listProjects").unwrap();
    let err = Paginator::new(&client(), op, json!({ "cursor": "loop" }), CallOptions::default())
        .unwrap()
        .all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
}

#[wasm_bindgen_test]
async fn waiting_for_operations_polls_until_finished_or_failed() {
    let states = wait_for_operations(&client(), "p-1", &[json!("op-200-w1").into()], &WaitOptions::default())
        .await
        .unwrap();
    assert_eq!(states[0].status, "finished");
    let err = wait_for_operations(&client(), "p-1", &[json!("op-fail-w2").into()], &WaitOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Operation);
}

#[wasm_bindgen_test]
async fn wait_true_and_if_exists_return_work_through_fetch() {
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let opts = CallOptions {
        wait: true,
        ..CallOptions::default()
    };
    let name = unique("w-waited");
    let args = json!({ "projectId": "p-1", "body": { "branch": { "name": name } } });
    client().execute(op, &args, &opts).await.unwrap();
    let opts = CallOptions {
        if_exists: IfExists::Return,
        ..CallOptions::default()
    };
    let out = client().execute(op, &args, &opts).await.unwrap();
    let body: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(body["branch"]["id"], format!("br-{name}"));
}

fn options(extra: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"apiKey".into(), &"test-key".into()).unwrap();
    Reflect::set(&o, &"baseUrl".into(), &format!("{}/api/v2", server()).into()).unwrap();
    for (k, v) in extra {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
async fn the_js_class_takes_retry_false_and_wait_for_operations() {
    control("/__faults", json!({ "path": "/projects/w-js503", "status": 503 })).await;
    let c = JsNeonClient::new(options(&[("retry", JsValue::FALSE)])).unwrap();
    let args = Object::new();
    Reflect::set(&args, &"projectId".into(), &"w-js503".into()).unwrap();
    let err = JsFuture::from(c.call("getProject".into(), args.into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(Reflect::get(&err, &"status".into()).unwrap().as_f64(), Some(503.0));
    let init = js_sys::JSON::parse(r#"{"projectId":"p-1","operationIds":["op-100-w3"]}"#).unwrap();
    let ops = JsFuture::from(c.wait_for_operations(init)).await.unwrap();
    let first = js_sys::Array::from(&ops).get(0);
    assert_eq!(
        Reflect::get(&first, &"status".into()).unwrap().as_string().as_deref(),
        Some("finished")
    );
}

#[wasm_bindgen_test]
async fn a_422_branch_not_ready_is_retried_for_a_post_and_a_524_for_a_get() {
    let path = format!("/projects/{}/branches", unique("w-422"));
    let rule = json!({ "path": path, "method": "POST", "status": 422, "message": "branch not ready yet" });
    control("/__faults", rule).await;
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let project = path.trim_start_matches("/projects/").trim_end_matches("/branches").to_owned();
    let args = json!({ "projectId": project, "body": { "branch": { "name": unique("w-ready") } } });
    client().execute(op, &args, &CallOptions::default()).await.unwrap();
    control("/__faults", json!({ "path": "/projects/w-524", "status": 524 })).await;
    get(&client(), "w-524", &CallOptions::default()).await.unwrap();
}

#[wasm_bindgen_test]
async fn max_attempts_caps_the_retries_of_a_429_that_never_clears() {
    let project = unique("w-cap");
    let rule = json!({ "path": format!("/projects/{project}"), "status": 429, "retryAfter": 0, "times": 3 });
    control("/__faults", rule).await;
    let (policy, events) = recording();
    let policy = RetryPolicy { max_attempts: 3, ..policy };
    let c = builder(format!("{}/api/v2", server())).retry(policy).build().unwrap();
    let err = get(&c, &project, &CallOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimit);
    assert_eq!(events.lock().unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn a_wait_that_outlasts_its_timeout_rejects_with_a_timeout() {
    let options = WaitOptions { timeout: Duration::from_millis(300), ..WaitOptions::default() };
    let err = wait_for_operations(&client(), "p-1", &[json!(unique("op-60000")).into()], &options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}
