//! The native transport and runtime (cargo feature `native`), as a Rust server or CLI uses
//! them: every client built with no transport or runtime, on tokio, against a loopback HTTP
//! server that records what it was sent.

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{Behaviour, Loopback};
use neon_edge::api::ListProjectsParams;
use neon_edge::cancel::CancelToken;
use neon_edge::claimable::{ClaimableClient, CreateClaimable};
use neon_edge::runtime::{Runtime, TokioRuntime};
use neon_edge::sql::{Query, SqlClient};
use neon_edge::transport::{HttpRequest, Method, ReqwestTransport, SentState, Transport, TransportError};
use neon_edge::{ApiKey, CallOptions, Error, NeonClient, RequestOptions};
use std::time::{Duration, Instant};

const PROJECTS: &str = r#"{"projects":[],"applications":{},"integrations":{},"pagination":{"cursor":"c1"}}"#;

fn neon(base: &str) -> NeonClient {
    NeonClient::builder()
        .api_key(ApiKey::fixed("napi_native_secret").unwrap())
        .base_url(format!("{base}/api/v2"))
        .build()
        .expect("the builder's defaults are the native transport and runtime")
}

fn get(url: String, timeout: Option<Duration>, cancel: Option<CancelToken>) -> HttpRequest {
    HttpRequest { method: Method::Get, url, headers: vec![], body: None, timeout, cancel }
}

#[tokio::test]
async fn the_default_builder_sends_typed_calls_over_http() {
    let server = Loopback::start().await;
    server.push(Behaviour::Json(200, PROJECTS.into()));
    let page = neon(&server.base)
        .list_projects(&ListProjectsParams { limit: Some(5), ..Default::default() }, &CallOptions::default())
        .await
        .expect("a page");
    assert!(page.projects.is_empty());
    assert_eq!(page.pagination.map(|p| p.cursor).as_deref(), Some("c1"));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, "GET /api/v2/projects?limit=5 HTTP/1.1");
    assert_eq!(seen[0].header("authorization"), Some("Bearer napi_native_secret"));
    assert!(seen[0].header("user-agent").is_some_and(|ua| ua.starts_with("neon-edge/")), "{:?}", seen[0].headers);
}

#[tokio::test]
async fn api_errors_keep_status_code_and_request_id_and_never_the_key() {
    let server = Loopback::start().await;
    server.push(Behaviour::Json(404, r#"{"code":"","message":"project not found"}"#.into()));
    let err = neon(&server.base)
        .get_project(&neon_edge::api::GetProjectParams { project_id: "p-missing".into() }, &CallOptions::default())
        .await
        .unwrap_err();
    let Error::Api(api) = &err else { panic!("an API error: {err:?}") };
    assert_eq!(api.status, 404);
    assert_eq!(api.request_id.as_deref(), Some("req-404"));
    assert!(!format!("{err} {err:?}").contains("napi_native_secret"));
}

#[tokio::test]
async fn a_request_that_outlives_its_timeout_is_a_timeout_error() {
    let server = Loopback::start().await;
    server.push(Behaviour::Silent);
    let started = Instant::now();
    let err = neon(&server.base)
        .get_project(
            &neon_edge::api::GetProjectParams { project_id: "p-1".into() },
            &CallOptions { timeout: Some(Duration::from_millis(300)), retry: Some(neon_edge::retry::RetryPolicy::disabled()), ..Default::default() },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn a_deadline_bounds_the_request_too() {
    let server = Loopback::start().await;
    server.push(Behaviour::Silent);
    let sql = SqlClient::builder("postgresql://u:sqlsecret@ep-x.example.test/db")
        .endpoint(format!("{}/sql", server.base))
        .build()
        .expect("a client");
    let options = RequestOptions { deadline: Some(Duration::from_millis(200)), ..Default::default() };
    let started = Instant::now();
    let err = sql.query(&Query::new("SELECT 1"), &options).await.unwrap_err();
    assert_eq!(err.to_string(), "sql: no response within 200 ms");
    assert!(!err.to_string().contains("sqlsecret"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn cancelling_aborts_the_request_in_flight() {
    let server = Loopback::start().await;
    server.push(Behaviour::Silent);
    let cancel = CancelToken::new();
    let fire = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        fire.cancel();
    });
    let started = Instant::now();
    let err = neon(&server.base)
        .list_projects(&ListProjectsParams::default(), &CallOptions { cancel: Some(cancel), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(err, Error::Aborted);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_refused_connection_was_not_sent() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let transport = ReqwestTransport::new().unwrap();
    let err = transport.send(get(format!("http://127.0.0.1:{port}/"), None, None)).await.unwrap_err();
    let TransportError::Network { message, sent } = err else { panic!("a network error") };
    assert_eq!(sent, SentState::NotSent, "{message}");
    assert!(message.to_lowercase().contains("connect"), "{message}");
    assert!(!message.contains(&port.to_string()), "the URL is left out of the message: {message}");
}

#[tokio::test]
async fn a_body_cut_short_may_have_been_sent() {
    let server = Loopback::start().await;
    server.push(Behaviour::Raw(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"projects\"".to_vec()));
    let err = ReqwestTransport::new().unwrap().send(get(format!("{}/x", server.base), None, None)).await.unwrap_err();
    let TransportError::Network { message, sent } = err else { panic!("a network error") };
    assert_eq!(sent, SentState::MaybeSent);
    assert!(message.starts_with("the response body was cut short"), "{message}");
}

#[tokio::test]
async fn responses_come_back_whole_with_their_headers() {
    let server = Loopback::start().await;
    server.push(Behaviour::Raw(b"HTTP/1.1 418 Teapot\r\nx-one: 1\r\nx-two: \xff\r\ncontent-length: 3\r\n\r\nabc".to_vec()));
    let mut request = get(format!("{}/brew", server.base), Some(Duration::from_secs(5)), None);
    request.method = Method::Post;
    request.body = Some(b"{\"a\":1}".to_vec());
    request.headers = vec![("X-Custom".into(), "yes".into())];
    let response = ReqwestTransport::new().unwrap().send(request).await.expect("a response");
    assert_eq!(response.status, 418);
    assert_eq!(response.body, b"abc");
    assert_eq!(response.header("x-one"), Some("1"));
    assert_eq!(response.header("X-TWO"), Some("\u{fffd}"), "a non-UTF-8 value reads lossily");
    let seen = &server.seen()[0];
    assert_eq!(seen.request_line, "POST /brew HTTP/1.1");
    assert_eq!(seen.header("x-custom"), Some("yes"));
    assert_eq!(seen.body, b"{\"a\":1}");
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_fails_before_sending() {
    let mut request = get("http://127.0.0.1:9/".into(), None, None);
    request.headers = vec![("bad header".into(), "x".into())];
    let err = ReqwestTransport::new().unwrap().send(request).await.unwrap_err();
    assert!(matches!(err, TransportError::Network { sent: SentState::NotSent, .. }), "{err:?}");
}

#[test]
fn outside_a_tokio_runtime_a_request_fails_instead_of_panicking() {
    let err = pollster::block_on(ReqwestTransport::new().unwrap().send(get("http://127.0.0.1:9/".into(), None, None))).unwrap_err();
    let TransportError::Network { message, sent } = err else { panic!("a network error") };
    assert_eq!(sent, SentState::NotSent);
    assert!(message.contains("tokio runtime"), "{message}");
}

#[test]
fn outside_a_tokio_runtime_the_tokio_runtime_still_sleeps() {
    let started = Instant::now();
    pollster::block_on(TokioRuntime.sleep(Duration::from_millis(30)));
    assert!(started.elapsed() >= Duration::from_millis(30));
}

#[tokio::test(start_paused = true)]
async fn on_a_paused_clock_sleeps_and_the_clock_run_on_virtual_time() {
    let before = TokioRuntime.now_ms();
    let started = Instant::now();
    TokioRuntime.sleep(Duration::from_secs(3600)).await;
    let advanced = TokioRuntime.now_ms() - before;
    assert!((3_600_000.0..3_601_000.0).contains(&advanced), "{advanced}");
    assert!(started.elapsed() < Duration::from_secs(5), "an hour of virtual time passed in {:?}", started.elapsed());
}

#[tokio::test]
async fn retries_wait_on_the_tokio_runtime_and_honour_retry_after() {
    let server = Loopback::start().await;
    server.push(Behaviour::Raw(
        b"HTTP/1.1 429 Too Many\r\nretry-after: 1\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
    ));
    server.push(Behaviour::Json(200, PROJECTS.into()));
    let started = Instant::now();
    neon(&server.base).list_projects(&ListProjectsParams::default(), &CallOptions::default()).await.expect("the retry succeeds");
    assert_eq!(server.seen().len(), 2);
    assert!(started.elapsed() >= Duration::from_millis(900), "Retry-After: 1 honoured, took {:?}", started.elapsed());
}

#[tokio::test]
async fn the_claimable_and_sql_builders_default_to_the_native_transport() {
    let server = Loopback::start().await;
    let created = serde_json::json!({
        "id": "019beb39-37fb-709d-87ac-7ad6198b89f7",
        "status": "UNCLAIMED",
        "neon_project_id": "gentle-scene-06438508",
        "connection_string": "postgresql://neondb_owner:npg_pw@ep-a-pooler.example.test/neondb?sslmode=require",
        "claim_url": "http://127.0.0.1/claim/019beb39",
        "expires_at": "2026-01-26T14:19:14.580Z",
        "created_at": "2026-01-23T14:19:14.580Z",
    });
    server.push(Behaviour::Json(201, created.to_string()));
    server.push(Behaviour::Json(200, r#"{"command":"SELECT","rowCount":1,"rowAsArray":true,"fields":[{"name":"n","dataTypeID":23}],"rows":[[1]]}"#.into()));

    let claimable = ClaimableClient::builder().base_url(format!("{}/api/v1", server.base)).build().expect("a client");
    let db = claimable.create(&CreateClaimable::new("native-test"), &RequestOptions::default()).await.expect("a database");
    let url = db.database_url.expect("a connection string");
    let sql = SqlClient::builder(url.expose()).endpoint(format!("{}/sql", server.base)).build().expect("a client");
    let out = sql.query(&Query::new("SELECT 1 AS n"), &RequestOptions::default()).await.expect("rows");
    assert_eq!(out.rows, vec![vec![serde_json::json!(1)]]);

    let seen = server.seen();
    assert_eq!(seen[0].request_line, "POST /api/v1/database HTTP/1.1");
    assert_eq!(seen[1].request_line, "POST /sql HTTP/1.1");
    assert!(seen[1].header("neon-connection-string").is_some_and(|c| c.contains("npg_pw")));
}
