use super::*;
use crate::core::error::ErrorKind;
use crate::core::transport::{ScriptedResponse, ScriptedTransport, SentState, TransportError};

const POOLED: &str =
    "postgresql://neondb_owner:npg_s3cretpw@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require";

fn created(status: &str, connection: Option<&str>) -> String {
    serde_json::json!({
        "id": "019beb39-37fb-709d-87ac-7ad6198b89f7",
        "status": status,
        "neon_project_id": "gentle-scene-06438508",
        "connection_string": connection,
        "claim_url": "https://neon.new/claim/019beb39-37fb-709d-87ac-7ad6198b89f7?from=server",
        "expires_at": "2026-01-26T14:19:14.580Z",
        "created_at": "2026-01-23T14:19:14.580Z",
        "updated_at": "2026-01-23T14:19:14.580Z",
    })
    .to_string()
}

fn client(t: &ScriptedTransport) -> ClaimableClient {
    ClaimableClient::builder()
        .transport(Arc::new(t.clone()))
        .build()
        .expect("valid config")
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

#[test]
fn create_posts_the_referrer_and_replication_flag_to_the_default_host() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        201,
        &created("UNCLAIMED", Some(POOLED)),
    ));
    let request = CreateClaimable::new("agent-skills").logical_replication(true);
    let db = run(client(&t).create(&request, &RequestOptions::default())).expect("created");
    let sent = &t.requests()[0];
    assert_eq!(sent.method, Method::Post);
    assert_eq!(sent.url, "https://neon.new/api/v1/database");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert!(sent.header("authorization").is_none());
    let body: serde_json::Value =
        serde_json::from_slice(sent.body.as_deref().unwrap_or_default()).expect("json");
    assert_eq!(
        body,
        serde_json::json!({ "ref": "agent-skills", "enable_logical_replication": true })
    );
    assert_eq!(db.status, ClaimStatus::Unclaimed);
    assert_eq!(db.neon_project_id, "gentle-scene-06438508");
    assert_eq!(db.expires_at, "2026-01-26T14:19:14.580Z");
    assert_eq!(db.created_at, "2026-01-23T14:19:14.580Z");
}

#[test]
fn the_direct_url_drops_pooler_and_the_claim_url_is_the_servers() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        201,
        &created("UNCLAIMED", Some(POOLED)),
    ));
    let db = run(client(&t).create(&CreateClaimable::new("r"), &RequestOptions::default()))
        .expect("created");
    assert_eq!(db.database_url.as_ref().map(|c| c.expose()), Some(POOLED));
    let direct = db.database_url_direct.expect("direct");
    assert_eq!(
        direct.host(),
        "ep-cool-darkness-123456.us-east-2.aws.neon.tech"
    );
    assert_eq!(
        db.claim_url,
        "https://neon.new/claim/019beb39-37fb-709d-87ac-7ad6198b89f7?from=server"
    );
}

#[test]
fn a_custom_base_url_is_normalized_and_used() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        201,
        &created("UNCLAIMED", Some(POOLED)),
    ));
    let c = ClaimableClient::builder()
        .base_url("http://127.0.0.1:4000/api/v1/")
        .transport(Arc::new(t.clone()))
        .build()
        .expect("valid");
    assert_eq!(c.base_url(), "http://127.0.0.1:4000/api/v1");
    run(c.create(&CreateClaimable::new("r"), &RequestOptions::default())).expect("created");
    assert_eq!(t.requests()[0].url, "http://127.0.0.1:4000/api/v1/database");
}

#[test]
fn a_malformed_base_url_is_a_client_error() {
    let t = ScriptedTransport::new();
    let err = ClaimableClient::builder()
        .base_url("neon.new/api")
        .transport(Arc::new(t))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Client);
    assert!(err.to_string().contains("baseUrl"));
}

#[test]
fn a_missing_or_blank_referrer_fails_before_any_request() {
    let t = ScriptedTransport::new();
    for referrer in ["", "   "] {
        let err = run(client(&t).create(&CreateClaimable::new(referrer), &RequestOptions::default()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Client);
        assert!(err.to_string().contains("ref is missing or empty"), "{err}");
    }
    assert!(t.requests().is_empty());
}

#[test]
fn get_reads_the_status_and_encodes_the_id() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        &created("CLAIMING", Some(POOLED)),
    ));
    let db = run(client(&t).get("a/b c", &RequestOptions::default())).expect("read");
    assert_eq!(t.requests()[0].method, Method::Get);
    assert_eq!(
        t.requests()[0].url,
        "https://neon.new/api/v1/database/a%2Fb%20c"
    );
    assert_eq!(db.status, ClaimStatus::Claiming);
}

#[test]
fn a_claimed_database_has_no_connection_strings() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, &created("CLAIMED", None)));
    let db = run(client(&t).get("id-1", &RequestOptions::default())).expect("read");
    assert_eq!(db.status, ClaimStatus::Claimed);
    assert!(db.database_url.is_none());
    assert!(db.database_url_direct.is_none());
}

#[test]
fn an_unknown_status_is_kept_as_written() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, &created("EXPIRED", None)));
    let db = run(client(&t).get("id-1", &RequestOptions::default())).expect("read");
    assert_eq!(db.status, ClaimStatus::Unknown("EXPIRED".into()));
    assert_eq!(db.status.as_str(), "EXPIRED");
}

#[test]
fn an_empty_or_dot_id_is_refused_before_any_request() {
    let t = ScriptedTransport::new();
    for id in ["", " ", ".", ".."] {
        let err = run(client(&t).get(id, &RequestOptions::default())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Client, "{id:?}");
    }
    assert!(t.requests().is_empty());
}

#[test]
fn a_400_carries_the_servers_message() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        400,
        r#"{"code":"","message":"Database not found"}"#,
    ));
    let err = run(client(&t).get("nope", &RequestOptions::default())).unwrap_err();
    let api = err.api().expect("api error");
    assert_eq!(api.status, 400);
    assert_eq!(api.message, "Database not found");
    assert_eq!(api.code, None);
    assert_eq!(api.operation.as_deref(), Some("getClaimableDatabase"));
}

#[test]
fn a_500_with_an_error_field_carries_that_message() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        500,
        r#"{"error":"Failed to create the database."}"#,
    ));
    let err =
        run(client(&t).create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(
        err.api().map(|a| a.message.as_str()),
        Some("Failed to create the database.")
    );
}

#[test]
fn an_html_error_page_is_described_not_decoded() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::raw(
        502,
        &[("content-type", "text/html")],
        b"<html>bad gateway</html>",
    ));
    let err =
        run(client(&t).create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert!(err.to_string().contains("Bad Gateway"), "{err}");
}

#[test]
fn network_failures_and_timeouts_are_typed() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::Fail(TransportError::Network {
        message: "refused".into(),
        sent: SentState::NotSent,
    }));
    t.push(ScriptedResponse::Fail(TransportError::Timeout));
    let c = client(&t);
    let first = run(c.create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert_eq!(first.kind(), ErrorKind::Network);
    let second = run(c.create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert_eq!(second.kind(), ErrorKind::Timeout);
    assert!(second.to_string().contains("createClaimableDatabase"));
    assert_eq!(t.requests().len(), 2, "a failed create is never replayed");
}

#[test]
fn a_body_missing_fields_is_a_decode_error() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        201,
        r#"{"id":"x","status":"UNCLAIMED"}"#,
    ));
    let err =
        run(client(&t).create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.to_string(), "could not decode the response at `neon_project_id`: missing field");
}

#[test]
fn a_new_database_without_a_connection_string_is_a_decode_error() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(201, &created("UNCLAIMED", None)));
    t.push(ScriptedResponse::json(200, &created("CLAIMED", None)));
    let c = client(&t);
    let err = run(c.create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.to_string(), "could not decode the response at `connection_string`: a new database came without its connection string");
    let claimed = run(c.get("x", &RequestOptions::default())).expect("a claimed database reads without one");
    assert!(claimed.database_url.is_none());
}

#[test]
fn a_wrongly_typed_field_or_a_body_that_is_no_object_is_a_decode_error_saying_so() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(201, r#"{"id":7,"status":"UNCLAIMED"}"#));
    t.push(ScriptedResponse::json(201, "[]"));
    let c = client(&t);
    let err = run(c.create(&CreateClaimable::new("r"), &RequestOptions::default())).unwrap_err();
    assert_eq!(err.to_string(), "could not decode the response at `id`: expected a string");
    let err = run(c.get("x", &RequestOptions::default())).unwrap_err();
    assert_eq!(err.to_string(), "could not decode the response: expected an object");
}

#[test]
fn debug_output_never_shows_the_password() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        201,
        &created("UNCLAIMED", Some(POOLED)),
    ));
    let db = run(client(&t).create(&CreateClaimable::new("r"), &RequestOptions::default()))
        .expect("created");
    let shown = format!("{db:?}");
    assert!(!shown.contains("npg_s3cretpw"), "{shown}");
    assert!(shown.contains("ep-cool-darkness-123456-pooler"));
}

#[test]
fn a_cancelled_call_sends_nothing() {
    let t = ScriptedTransport::new();
    let token = crate::core::cancel::CancelToken::new();
    token.cancel();
    let options = RequestOptions {
        cancel: Some(token),
        ..RequestOptions::default()
    };
    let err = run(client(&t).create(&CreateClaimable::new("r"), &options)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Aborted);
    assert!(t.requests().is_empty());
}
