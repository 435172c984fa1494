//! The client against the golden Claimable Neon recordings (tests/golden/claimable-neon/,
//! written from the service's source and Neon's CLI): a replaying transport answers each
//! recorded response (placeholders filled with concrete values) and asserts that the client's
//! request matches the recorded one — method, path, the recorded headers, the JSON or form body.

use neon_edge::claimable_neon::{ClaimableNeon, ClaimableNeonError, ClaimableNeonSession, Register};
use neon_edge::secret::Secret;
use neon_edge::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use neon_edge::RequestOptions;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

const ORIGIN: &str = "https://claimable.example.test";
const ASSERTION: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.Z29sZGVu.c2ln";
const ACCESS: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.YWNjZXNz.c2ln";

fn golden(prefix: &str) -> Value {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/claimable-neon");
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&format!("{prefix}-")))
        .unwrap_or_else(|| panic!("no golden file {prefix}-*.json"));
    serde_json::from_slice(&std::fs::read(entry).unwrap()).unwrap()
}

/// A recorded value with its placeholders replaced by concrete values of their shape.
fn fill(value: &Value) -> Value {
    match value {
        Value::String(s) => {
            let whole = |p: &str| s == p;
            if whole("{{integer}}") {
                return json!(3600);
            }
            if whole("{{unix_seconds}}") {
                return json!(1_900_000_000u64);
            }
            if whole("{{array}}") {
                return json!([]);
            }
            if whole("{{any}}") {
                return Value::Null;
            }
            let mut out = s.clone();
            for (placeholder, concrete) in [
                ("{{$assertion}}", ASSERTION),
                ("{{$access_token}}", ACCESS),
                ("{{$project_id}}", "golden-project-123"),
                ("{{$branch_id}}", "br-golden-456"),
                ("{{$user_code}}", "ABCD2345"),
                ("{{$request_id}}", "golden-request"),
                ("{{origin}}", ORIGIN),
                // Tokens the service issues: the exchanged access token is the one the
                // recordings then present as `{{$access_token}}`.
                ("{{jwt}}", ACCESS),
                ("{{iso8601}}", "2026-12-06T00:00:00Z"),
                ("{{registration_id}}", "reg_00000000-0000-4000-8000-000000000000"),
                ("{{user_code}}", "ABCD2345"),
                ("{{database_url}}", "postgresql://owner:pw-golden@ep-golden-pooler.example.test:5432/neondb?sslmode=require"),
                ("{{url}}", "https://claimable.example.test/x"),
                ("{{project_id}}", "golden-project-123"),
                ("{{branch_id}}", "br-golden-456"),
                ("{{base64url}}", "Z29sZGVu"),
                ("{{string}}", "golden"),
            ] {
                out = out.replace(placeholder, concrete);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(fill).collect()),
        Value::Object(members) => Value::Object(members.iter().filter(|(k, _)| !k.starts_with("{{")).map(|(k, v)| (k.clone(), fill(v))).collect()),
        other => other.clone(),
    }
}

fn form_of(body: &[u8]) -> Value {
    let text = std::str::from_utf8(body).unwrap();
    let decode = |s: &str| String::from_utf8(neon_edge_percent_decode(s)).unwrap();
    Value::Object(text.split('&').map(|pair| pair.split_once('=').unwrap()).map(|(k, v)| (decode(k), Value::String(decode(v)))).collect())
}

fn neon_edge_percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    out
}

/// Answers the recordings in order, checking each request against its recording.
#[derive(Default)]
struct Replay {
    script: Mutex<VecDeque<Value>>,
    failures: Mutex<Vec<String>>,
}

impl Replay {
    fn check(&self, recorded: &Value, request: &HttpRequest) {
        let name = recorded["name"].as_str().unwrap().to_owned();
        let fail = |what: String| self.failures.lock().unwrap().push(format!("{name}: {what}"));
        let want = fill(&recorded["request"]);
        if request.method.as_str() != want["method"] {
            fail(format!("method {} != {}", request.method.as_str(), want["method"]));
        }
        let path = request.url.strip_prefix(ORIGIN).unwrap_or(&request.url);
        if path != want["path"] {
            fail(format!("path {path} != {}", want["path"]));
        }
        for (header, value) in want["headers"].as_object().unwrap() {
            // The recordings pin a request id for the service to echo; clients send none.
            if header == "x-request-id" {
                continue;
            }
            if request.header(header) != value.as_str() {
                fail(format!("header {header}"));
            }
        }
        let body = request.body.as_deref().unwrap_or_default();
        if let Some(form) = want.get("form") {
            let sent = form_of(body);
            for (key, value) in form.as_object().unwrap() {
                if sent.get(key) != Some(value) {
                    fail(format!("form field {key}"));
                }
            }
            // Only `resource` (which the CLI always sends) may come on top of the recording's fields.
            for (key, value) in sent.as_object().unwrap() {
                if form.get(key).is_none() && !(key == "resource" && value == &format!("{ORIGIN}/")) {
                    fail(format!("unexpected form field {key}"));
                }
            }
        } else if let Some(json) = want.get("body") {
            if serde_json::from_slice::<Value>(body).ok().as_ref() != Some(json) {
                fail("JSON body differs".into());
            }
        } else if !body.is_empty() {
            fail("a body where the recording has none".into());
        }
    }
}

impl Transport for Replay {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let recorded = self.script.lock().unwrap().pop_front().unwrap_or_else(|| panic!("unexpected request {}", request.url));
        self.check(&recorded, &request);
        let response = fill(&recorded["response"]);
        let body = match response.get("body") {
            Some(body) => serde_json::to_vec(body).unwrap(),
            None => Vec::new(),
        };
        let headers = vec![("x-request-id".to_owned(), "golden-request".to_owned())];
        let status = response["status"].as_u64().unwrap() as u16;
        Box::pin(async move { Ok(HttpResponse { status, headers, body }) })
    }
}

fn replay(files: &[&str]) -> (Arc<Replay>, ClaimableNeon, ClaimableNeonSession) {
    let replay = Arc::new(Replay::default());
    replay.script.lock().unwrap().extend(files.iter().map(|f| golden(f)));
    let cn = ClaimableNeon::builder().origin(ORIGIN).transport(replay.clone()).build().unwrap();
    let session = cn.session(Secret::new(ASSERTION), "golden-project-123").unwrap();
    (replay, cn, session)
}

fn done(replay: &Replay) {
    assert!(replay.script.lock().unwrap().is_empty(), "recordings left unrequested");
    let failures = replay.failures.lock().unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

fn none() -> RequestOptions {
    RequestOptions::default()
}

#[test]
fn register_matches_its_recording() {
    let (replay, cn, _) = replay(&["05"]);
    let request = Register { capabilities: vec!["postgres".into()], source: Some("golden".into()), data_api: None };
    let reg = run(cn.register(&request, &none())).unwrap();
    assert_eq!(reg.identity_assertion.expose().split('.').count(), 3, "a compact JWS");
    assert!(reg.scopes.contains(&"postgres.read".to_owned()));
    done(&replay);
}

#[test]
fn token_credentials_claim_status_revoke_and_delete_on_the_projects_paths() {
    let (replay, _, session) = replay(&["09", "16", "17", "18", "25", "15", "09", "19"]);
    let creds = run(session.credentials(&none())).unwrap();
    assert_eq!(creds.branch_id, "br-golden-456");
    let code = run(session.claim(&none())).unwrap();
    assert_eq!(code.user_code, "ABCD2345");
    assert_eq!(run(session.claim_status(&none())).unwrap().state, "pending");
    assert_eq!(run(session.claim_status(&none())).unwrap().state, "accepted");
    run(session.revoke(&none())).unwrap();
    run(session.delete(&none())).unwrap();
    done(&replay);
}

#[test]
fn a_not_found_on_the_projects_paths_falls_back_to_the_databases_recordings() {
    let (replay, _, session) = replay(&["09", "49", "20", "21", "22", "23"]);
    // 49 is the service's not_found answer: the client repeats the call on /v1/databases/.
    replay.script.lock().unwrap()[1]["request"]["path"] = json!("/v1/projects/{{$project_id}}/credentials");
    run(session.credentials(&none())).unwrap();
    run(session.claim(&none())).unwrap();
    assert_eq!(run(session.claim_status(&none())).unwrap().state, "pending");
    run(session.delete(&none())).unwrap();
    done(&replay);
}

#[test]
fn recorded_errors_map_to_their_kinds() {
    let cases: [(&[&str], &str, bool); 5] = [
        (&["10"], "invalid_grant", true),
        (&["13"], "project_expired", true),
        (&["14"], "project_claimed", true),
        (&["09", "47"], "claim_in_progress", false),
        (&["09", "48"], "project_expired", true),
    ];
    for (files, code, dead) in cases {
        let (replay, _, session) = replay(files);
        if files == ["10"] {
            // The recording exchanges a malformed assertion.
            replay.script.lock().unwrap()[0]["request"]["form"]["assertion"] = json!(ASSERTION);
        }
        let error = run(session.credentials(&none())).unwrap_err();
        let service = error.service().unwrap();
        assert_eq!(service.code, code);
        assert_eq!(matches!(error, ClaimableNeonError::DeadAssertion(_)), dead, "{code}");
        assert!(service.request_id.is_some());
        done(&replay);
    }
}

#[test]
fn an_expired_token_is_exchanged_again_and_the_call_repeated() {
    let (replay, _, session) = replay(&["09", "46", "09", "16"]);
    run(session.credentials(&none())).unwrap();
    assert_eq!(session.exchanges(), 2);
    done(&replay);
}

#[test]
fn an_expired_attempt_ends_the_wait() {
    let (replay, _, session) = replay(&["09", "26"]);
    let error = run(session.wait_for_claim(std::time::Duration::from_millis(1), &mut |_| {}, &none())).unwrap_err();
    assert!(matches!(error, ClaimableNeonError::ClaimEnded { ref state } if state == "expired"), "{error:?}");
    done(&replay);
}
