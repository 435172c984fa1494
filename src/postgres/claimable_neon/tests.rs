use super::*;
use crate::core::transport::{BoxFuture, HttpRequest, HttpResponse, TransportError};
use std::sync::Mutex;

const ASSERTION: &str = "eyJhbGciOiJFZERTQSJ9.assertion-secret.sig";

/// A service double: answers by path, records requests, and makes the token endpoint take
/// one extra poll so concurrent callers overlap with a running exchange.
#[derive(Default)]
struct Fake {
    requests: Mutex<Vec<HttpRequest>>,
    /// Answers to pop for a path before the defaults below.
    scripted: Mutex<Vec<(&'static str, u16, String)>>,
    tokens: Mutex<u32>,
}

impl Fake {
    fn script(&self, path: &'static str, status: u16, body: &str) {
        self.scripted
            .lock()
            .unwrap()
            .push((path, status, body.to_owned()));
    }

    fn paths(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.method,
                    r.url.trim_start_matches("https://cn.example.test")
                )
            })
            .collect()
    }

    fn answer(&self, request: &HttpRequest) -> (u16, String) {
        let path = request
            .url
            .trim_start_matches("https://cn.example.test")
            .to_owned();
        let mut scripted = self.scripted.lock().unwrap();
        if let Some(i) = scripted.iter().position(|(p, _, _)| *p == path) {
            let (_, status, body) = scripted.remove(i);
            return (status, body);
        }
        match path.as_str() {
            "/v1/oauth2/token" => {
                let mut n = self.tokens.lock().unwrap();
                *n += 1;
                (200, format!(r#"{{"access_token":"access-secret-{n}","token_type":"Bearer","expires_in":3600,"scope":"postgres.read"}}"#))
            }
            "/v1/projects/p-1/credentials" | "/v1/databases/p-1/credentials" => (
                200,
                r#"{"project_id":"p-1","branch_id":"br-1","database_url":"postgresql://u:pw-secret@ep-1-pooler.example.test/neondb","expires_at":"2026-12-06T00:00:00Z","services":{}}"#.to_owned(),
            ),
            _ => (404, r#"{"error":{"code":"not_found","origin":"proxy","message":"No route exists at this path.","retryable":false,"request_id":"r-404"}}"#.to_owned()),
        }
    }
}

impl Transport for Fake {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.lock().unwrap().push(request.clone());
        let (status, body) = self.answer(&request);
        let slow = request.url.ends_with("/oauth2/token");
        Box::pin(async move {
            if slow {
                let mut yielded = false;
                std::future::poll_fn(|cx| {
                    if yielded {
                        std::task::Poll::Ready(())
                    } else {
                        yielded = true;
                        cx.waker().wake_by_ref();
                        std::task::Poll::Pending
                    }
                })
                .await;
            }
            Ok(HttpResponse {
                status,
                headers: Vec::new(),
                body: body.into_bytes(),
            })
        })
    }
}

fn setup() -> (Arc<Fake>, ClaimableNeonSession) {
    let fake = Arc::new(Fake::default());
    let client = ClaimableNeon::builder()
        .origin("https://cn.example.test")
        .transport(fake.clone())
        .build()
        .unwrap();
    let session = client.session(Secret::new(ASSERTION), "p-1").unwrap();
    (fake, session)
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

fn error_body(code: &str, retryable: bool) -> String {
    format!(
        r#"{{"error":{{"code":"{code}","origin":"proxy","message":"m","retryable":{retryable},"request_id":"req-1","claim_state":"pending","required_scope":"postgres.write"}}}}"#
    )
}

#[test]
fn origins_are_scheme_and_host_with_https_except_on_loopback() {
    assert_eq!(
        check_origin("https://claimable.neon.tech/").unwrap(),
        "https://claimable.neon.tech"
    );
    assert_eq!(
        check_origin("http://127.0.0.1:8080").unwrap(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(
        check_origin("http://localhost").unwrap(),
        "http://localhost"
    );
    for bad in [
        "http://example.com",
        "https://x.test/v1",
        "https://u:p@x.test",
        "ftp://x",
        "https://x.test?a",
        "https://x.test:abc",
    ] {
        let e = check_origin(bad).unwrap_err();
        assert!(e.to_string().contains("origin"), "{bad}: {e}");
    }
}

#[test]
fn register_sends_the_identity_request_and_hides_the_assertion() {
    let fake = Arc::new(Fake::default());
    fake.script(
        "/v1/agent/identity",
        201,
        &format!(
            r#"{{"registration_id":"reg_1","identity_assertion":"{ASSERTION}","claim_token":"{ASSERTION}","assertion_expires":1796000000,
            "scopes":["postgres.read","postgres.write"],"project":{{"id":"p-1","branch_id":"br-1","expires_at":"2026-12-06T00:00:00Z"}},
            "capabilities":[{{"capability":"postgres","granted":true}},{{"capability":"storage","granted":false,"reason":"requires_claim","message":"claim first"}}]}}"#
        ),
    );
    let client = ClaimableNeon::builder()
        .origin("https://cn.example.test")
        .transport(fake.clone())
        .build()
        .unwrap();
    let request = Register {
        capabilities: vec!["storage".into()],
        source: Some("tests".into()),
        data_api: None,
    };
    let reg = run(client.register(&request, &RequestOptions::default())).unwrap();
    assert_eq!(
        (
            reg.project_id.as_str(),
            reg.branch_id.as_str(),
            reg.assertion_expires
        ),
        ("p-1", "br-1", 1_796_000_000)
    );
    assert_eq!(reg.identity_assertion.expose(), ASSERTION);
    assert_eq!(
        reg.capabilities[1].reason.as_deref(),
        Some("requires_claim")
    );
    assert!(!format!("{reg:?}").contains("assertion-secret"));
    let sent = fake.requests.lock().unwrap()[0].clone();
    let body: serde_json::Value = serde_json::from_slice(sent.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"type":"anonymous","capabilities":["storage"],"source":"tests"})
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
}

#[test]
fn a_token_is_exchanged_once_and_reused() {
    let (fake, session) = setup();
    let creds = run(session.credentials(&RequestOptions::default())).unwrap();
    run(session.credentials(&RequestOptions::default())).unwrap();
    assert_eq!(creds.database_url.host(), "ep-1-pooler.example.test");
    assert!(!format!("{creds:?} {session:?}").contains("secret"));
    assert_eq!(session.exchanges(), 1);
    let requests = fake.requests.lock().unwrap();
    let form = String::from_utf8(requests[0].body.clone().unwrap()).unwrap();
    assert_eq!(
        form,
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJhbGciOiJFZERTQSJ9.assertion-secret.sig&resource=https%3A%2F%2Fcn.example.test%2F"
    );
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer access-secret-1")
    );
    assert_eq!(
        requests[2].header("authorization"),
        Some("Bearer access-secret-1")
    );
}

#[test]
fn token_expired_re_exchanges_once_and_repeats_the_call() {
    let (fake, session) = setup();
    run(session.credentials(&RequestOptions::default())).unwrap();
    fake.script(
        "/v1/projects/p-1/credentials",
        401,
        &error_body("token_expired", true),
    );
    run(session.credentials(&RequestOptions::default())).unwrap();
    assert_eq!(session.exchanges(), 2);
    let last = fake.requests.lock().unwrap().last().unwrap().clone();
    assert_eq!(last.header("authorization"), Some("Bearer access-secret-2"));
}

#[test]
fn concurrent_callers_share_one_exchange() {
    let (fake, session) = setup();
    let options = RequestOptions::default();
    let calls = (0..20).map(|_| session.credentials(&options));
    let results = run(futures_util::future::join_all(calls));
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(*fake.tokens.lock().unwrap(), 1);
    assert_eq!(session.exchanges(), 1);
}

#[test]
fn a_failed_exchange_reaches_every_waiter_and_the_dead_assertion_is_its_own_kind() {
    let (fake, session) = setup();
    fake.script("/v1/oauth2/token", 400, &error_body("invalid_grant", false));
    let options = RequestOptions::default();
    let calls = (0..3).map(|_| session.credentials(&options));
    let results = run(futures_util::future::join_all(calls));
    for result in results {
        let error = result.unwrap_err();
        assert!(
            matches!(&error, ClaimableNeonError::DeadAssertion(e) if e.code == "invalid_grant"),
            "{error:?}"
        );
    }
    assert_eq!(session.exchanges(), 1);
    assert!(!fake.paths().iter().any(|p| p.contains("credentials")));
}

#[test]
fn every_error_code_keeps_its_fields_and_only_three_are_dead() {
    let codes = [
        ("capability_requires_claim", 403, false),
        ("scope_insufficient", 403, false),
        ("quota_exceeded", 429, true),
        ("invalid_grant", 400, false),
        ("project_expired", 410, false),
        ("project_claimed", 409, false),
        ("claim_in_progress", 409, false),
        ("route_not_allowed", 403, false),
        ("invalid_request", 400, false),
        ("upstream_error", 502, true),
        ("internal_error", 500, false),
    ];
    for (code, status, retryable) in codes {
        let (fake, session) = setup();
        // A retryable answer is repeated: every attempt answers it here.
        let attempts = if retryable { ATTEMPTS } else { 1 };
        for _ in 0..attempts {
            fake.script(
                "/v1/projects/p-1/claim",
                status,
                &error_body(code, retryable),
            );
        }
        let error = run(session.claim(&RequestOptions::default())).unwrap_err();
        let claims = fake.paths().iter().filter(|p| p.ends_with("/claim")).count();
        assert_eq!(claims, attempts as usize, "{code}: attempts");
        let service = error.service().unwrap();
        assert_eq!(
            (service.code.as_str(), service.status, service.retryable),
            (code, status, retryable)
        );
        assert_eq!(service.request_id.as_deref(), Some("req-1"));
        assert_eq!(service.claim_state.as_deref(), Some("pending"));
        assert_eq!(service.required_scope.as_deref(), Some("postgres.write"));
        assert_eq!(service.origin.as_deref(), Some("proxy"));
        assert_eq!(error.is_retryable(), retryable);
        let dead = matches!(error, ClaimableNeonError::DeadAssertion(_));
        assert_eq!(
            dead,
            ["invalid_grant", "project_expired", "project_claimed"].contains(&code),
            "{code}"
        );
    }
}

#[test]
fn a_body_without_error_is_unknown_error_retryable_on_5xx() {
    let (fake, session) = setup();
    for _ in 0..ATTEMPTS {
        fake.script("/v1/projects/p-1/claim", 503, "upstream down");
    }
    let error = run(session.claim(&RequestOptions::default())).unwrap_err();
    assert_eq!(
        error.service().map(|e| (e.code.as_str(), e.retryable)),
        Some(("unknown_error", true))
    );
}

#[test]
fn a_404_on_the_projects_family_falls_back_to_databases_and_stays_there() {
    let (fake, session) = setup();
    fake.script(
        "/v1/projects/p-1/credentials",
        404,
        &error_body("not_found", false),
    );
    run(session.credentials(&RequestOptions::default())).unwrap();
    run(session.credentials(&RequestOptions::default())).unwrap();
    assert_eq!(
        fake.paths(),
        [
            "POST /v1/oauth2/token",
            "GET /v1/projects/p-1/credentials",
            "GET /v1/databases/p-1/credentials",
            "GET /v1/databases/p-1/credentials"
        ]
    );
}

#[test]
fn waiting_reports_progress_and_ends_on_reconciled_or_expired() {
    let (fake, session) = setup();
    fake.script(
        "/v1/projects/p-1/claim",
        200,
        r#"{"state":"pending","expires_at":"x","reconciled":false}"#,
    );
    fake.script(
        "/v1/projects/p-1/claim",
        200,
        r#"{"state":"accepted","expires_at":"x","reconciled":false,"message":"moved"}"#,
    );
    fake.script(
        "/v1/projects/p-1/claim",
        200,
        r#"{"state":"reconciled","expires_at":"x","reconciled":true}"#,
    );
    let mut seen = Vec::new();
    let done = run(session.wait_for_claim(
        Duration::from_millis(1),
        &mut |s| seen.push(s.state.clone()),
        &RequestOptions::default(),
    ))
    .unwrap();
    assert!(done.reconciled);
    assert_eq!(seen, ["pending", "accepted", "reconciled"]);

    fake.script(
        "/v1/projects/p-1/claim",
        200,
        r#"{"state":"expired","expires_at":"x","reconciled":false}"#,
    );
    let error = run(session.wait_for_claim(
        Duration::from_millis(1),
        &mut |_| {},
        &RequestOptions::default(),
    ))
    .unwrap_err();
    assert_eq!(
        error,
        ClaimableNeonError::ClaimEnded {
            state: "expired".into()
        }
    );
}

#[test]
fn waiting_stops_when_cancelled() {
    let (fake, session) = setup();
    let token = crate::core::cancel::CancelToken::new();
    fake.script(
        "/v1/projects/p-1/claim",
        200,
        r#"{"state":"pending","expires_at":"x","reconciled":false}"#,
    );
    let options = RequestOptions {
        cancel: Some(token.clone()),
        ..RequestOptions::default()
    };
    let error =
        run(session.wait_for_claim(Duration::from_secs(60), &mut |_| token.cancel(), &options))
            .unwrap_err();
    assert_eq!(error, ClaimableNeonError::Other(Error::Aborted));
}

#[test]
fn revoke_posts_the_current_token_and_the_next_call_exchanges_again() {
    let (fake, session) = setup();
    run(session.revoke(&RequestOptions::default())).unwrap();
    assert!(fake.paths().is_empty(), "nothing issued, nothing to revoke");
    fake.script("/v1/oauth2/revoke", 200, "");
    run(session.credentials(&RequestOptions::default())).unwrap();
    run(session.revoke(&RequestOptions::default())).unwrap();
    run(session.credentials(&RequestOptions::default())).unwrap();
    assert_eq!(session.exchanges(), 2);
    let revoke = fake.requests.lock().unwrap()[2].clone();
    assert_eq!(
        String::from_utf8(revoke.body.unwrap()).unwrap(),
        "token=access-secret-1&token_type_hint=access_token"
    );
}

#[test]
fn a_retryable_answer_is_repeated_and_a_later_success_returned() {
    let (fake, session) = setup();
    fake.script(
        "/v1/projects/p-1/credentials",
        502,
        &error_body("upstream_error", true),
    );
    fake.script(
        "/v1/projects/p-1/credentials",
        429,
        &error_body("quota_exceeded", true),
    );
    let credentials = run(session.credentials(&RequestOptions::default())).unwrap();
    assert_eq!(credentials.project_id, "p-1");
    let calls = fake.paths().iter().filter(|p| p.ends_with("/credentials")).count();
    assert_eq!(calls, 3);
}

#[test]
fn a_non_retryable_answer_is_not_repeated_and_a_cancel_stops_the_backoff() {
    let (fake, session) = setup();
    fake.script(
        "/v1/projects/p-1/credentials",
        403,
        &error_body("scope_insufficient", false),
    );
    assert!(run(session.credentials(&RequestOptions::default())).is_err());
    assert_eq!(fake.paths().iter().filter(|p| p.ends_with("/credentials")).count(), 1);

    // A runtime whose sleep is the moment the caller gives up: the backoff's sleep never ends
    // by itself, so only the cancel token can end the call.
    struct CancelOnSleep(crate::core::cancel::CancelToken);
    impl crate::core::runtime::Runtime for CancelOnSleep {
        fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
            self.0.cancel();
            Box::pin(std::future::pending())
        }
        fn now_ms(&self) -> f64 {
            0.0
        }
    }
    let fake = Arc::new(Fake::default());
    let token = crate::core::cancel::CancelToken::new();
    let session = ClaimableNeon::builder()
        .origin("https://cn.example.test")
        .transport(fake.clone())
        .runtime(Arc::new(CancelOnSleep(token.clone())))
        .build()
        .unwrap()
        .session(Secret::new(ASSERTION), "p-1")
        .unwrap();
    fake.script(
        "/v1/projects/p-1/credentials",
        502,
        &error_body("upstream_error", true),
    );
    let options = RequestOptions { cancel: Some(token), ..RequestOptions::default() };
    let error = run(session.credentials(&options)).unwrap_err();
    assert!(matches!(error, ClaimableNeonError::Other(Error::Aborted)), "{error:?}");
    assert_eq!(fake.paths().iter().filter(|p| p.ends_with("/credentials")).count(), 1);
}
