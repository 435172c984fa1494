//! Client errors are matchable causes: each test provokes one cause through the public API
//! and matches its `ClientError` variant, its stable `reason()` and its unchanged message.

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{run, scripted_client};

use neon_edge::api::GetProjectParams;
use neon_edge::claimable::{ClaimableClient, CreateClaimable};
use neon_edge::operations_wait::{wait_for_operations, WaitOptions};
use neon_edge::paginate::Paginator;
use neon_edge::rate_limit::{RateLimitConfig, RateLimiter};
use neon_edge::sql::http::{Query, SqlClient, SqlError, TransactionOptions};
use neon_edge::transport::{Method, ScriptedTransport};
use neon_edge::{ApiKey, CallOptions, ClientError, Error, ErrorKind, NeonClient, ParamLocation, RawRequest, RequestOptions};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "napi_supersecretkey123";

fn client(t: &ScriptedTransport) -> NeonClient {
    scripted_client(t, KEY, "https://api.example.test/api/v2")
}

fn execute(op: &str, args: serde_json::Value) -> Error {
    let t = ScriptedTransport::new();
    let op = neon_edge::api::operation(op).unwrap();
    let err = run(client(&t).execute(op, &args, &CallOptions::default())).unwrap_err();
    assert!(t.requests().is_empty(), "a client error is raised before sending");
    err
}

/// The cause of a client error; panics on any other error.
fn cause(err: Error) -> ClientError {
    assert_eq!(err.kind(), ErrorKind::Client, "{err}");
    match err {
        Error::Client(cause) => cause,
        other => panic!("not a client error: {other:?}"),
    }
}

/// Checks the cause, its reason and that the message reads exactly as `message`.
fn check(err: Error, expected: ClientError, reason: &str, message: &str) {
    assert_eq!(err.to_string(), message);
    let cause = cause(err);
    assert_eq!(cause.reason(), reason);
    assert_eq!(cause, expected);
}

fn key_builder() -> neon_edge::ClientBuilder {
    NeonClient::builder().api_key(ApiKey::fixed(KEY).unwrap())
}

#[test]
fn a_missing_path_query_or_body_parameter_is_missing_parameter() {
    check(
        execute("getProject", json!({})),
        ClientError::MissingParameter { operation: "getProject".into(), name: "projectId".into(), location: ParamLocation::Path },
        "missing_parameter",
        "getProject: missing required path parameter `projectId`",
    );
    check(
        execute("getConnectionURI", json!({ "projectId": "p-1", "role_name": "r" })),
        ClientError::MissingParameter {
            operation: "getConnectionURI".into(),
            name: "database_name".into(),
            location: ParamLocation::Query,
        },
        "missing_parameter",
        "getConnectionURI: missing required query parameter `database_name`",
    );
    check(
        execute("createProject", json!({})),
        ClientError::MissingParameter { operation: "createProject".into(), name: "body".into(), location: ParamLocation::Body },
        "missing_parameter",
        "createProject: missing required `body`",
    );
}

#[test]
fn a_malformed_parameter_is_invalid_parameter() {
    let t = ScriptedTransport::new();
    let err = run(client(&t).get_project(&GetProjectParams { project_id: "..".into() }, &CallOptions::default())).unwrap_err();
    check(
        err,
        ClientError::InvalidParameter {
            operation: "getProject".into(),
            name: "projectId".into(),
            problem: "path parameter `projectId` must not be empty, `.` or `..`".into(),
        },
        "invalid_parameter",
        "getProject: path parameter `projectId` must not be empty, `.` or `..`",
    );
    check(
        execute("listProjects", json!({ "limit": { "x": 1 } })),
        ClientError::InvalidParameter {
            operation: "listProjects".into(),
            name: "limit".into(),
            problem: "query parameter `limit` must be a string, number or boolean, got an object".into(),
        },
        "invalid_parameter",
        "listProjects: query parameter `limit` must be a string, number or boolean, got an object",
    );
    let op = neon_edge::api::operation("listProjects").unwrap();
    let err = Paginator::new(&client(&t), op, json!([1]), CallOptions::default()).unwrap_err();
    check(
        err,
        ClientError::InvalidParameter {
            operation: "listProjects".into(),
            name: "args".into(),
            problem: "the argument must be an object".into(),
        },
        "invalid_parameter",
        "listProjects: the argument must be an object",
    );
}

#[test]
fn a_blank_or_dot_claimable_argument_is_invalid_parameter() {
    let t = ScriptedTransport::new();
    let claimable = ClaimableClient::builder().transport(Arc::new(t.clone())).build().unwrap();
    let err = run(claimable.create(&CreateClaimable::new("  "), &RequestOptions::default())).unwrap_err();
    assert!(matches!(
        cause(err),
        ClientError::InvalidParameter { ref operation, ref name, .. } if operation == "createClaimableDatabase" && name == "ref"
    ));
    let err = run(claimable.get("..", &RequestOptions::default())).unwrap_err();
    check(
        err,
        ClientError::InvalidParameter {
            operation: "getClaimableDatabase".into(),
            name: "id".into(),
            problem: "`..` is not a database id".into(),
        },
        "invalid_parameter",
        "getClaimableDatabase: `..` is not a database id",
    );
    assert!(t.requests().is_empty());
}

#[test]
fn operations_to_wait_for_without_an_id_are_invalid_parameter() {
    let t = ScriptedTransport::new();
    let err = run(wait_for_operations(&client(&t), "p-1", &[json!({ "status": "running" }).into()], &WaitOptions::default()))
        .unwrap_err();
    check(
        err,
        ClientError::InvalidParameter {
            operation: "waitForOperations".into(),
            name: "operations".into(),
            problem: "every operation needs an `id`".into(),
        },
        "invalid_parameter",
        "waitForOperations: every operation needs an `id`",
    );
}

#[test]
fn a_malformed_body_is_invalid_body_and_one_the_operation_takes_none_of_unsupported() {
    check(
        execute("getProject", json!({ "projectId": "p-1", "body": {} })),
        ClientError::Unsupported { operation: "getProject".into(), problem: "takes no request body".into() },
        "unsupported",
        "getProject: takes no request body",
    );
    let args = json!({ "projectId": "p", "branchId": "b", "slug": "s", "body": { "zip": { "x": 1 } } });
    check(
        execute("createProjectBranchFunctionDeployment", args),
        ClientError::InvalidBody {
            field: Some("zip".into()),
            problem: "must be text, a number, a boolean or bytes",
        },
        "invalid_body",
        "form field `zip` must be text, a number, a boolean or bytes",
    );
    check(
        execute("createProjectBranchFunctionDeployment", json!({ "projectId": "p", "branchId": "b", "slug": "s", "body": [1] })),
        ClientError::InvalidBody { field: None, problem: "a form body must be an object of fields" },
        "invalid_body",
        "a form body must be an object of fields",
    );
}

#[test]
fn a_wrongly_shaped_option_is_invalid_option() {
    let err = key_builder().transport(Arc::new(ScriptedTransport::new())).timeout(Duration::ZERO).build().unwrap_err();
    check(
        err,
        ClientError::InvalidOption { option: "timeoutMs".into(), problem: "must be greater than zero".into() },
        "invalid_option",
        "timeoutMs must be greater than zero",
    );
    let config = RateLimitConfig { per_minute: 0, ..RateLimitConfig::default() };
    let err = RateLimiter::in_memory(config).err().unwrap();
    assert_eq!(cause(err).reason(), "invalid_option");

    let t = ScriptedTransport::new();
    let sql = SqlClient::builder("postgresql://u:pw@h.example/db").transport(Arc::new(t.clone())).build().unwrap();
    let transaction = TransactionOptions { isolation_level: Some("Chaos".into()), ..Default::default() };
    let err = run(sql.transaction(&[Query::new("SELECT 1")], &transaction, &RequestOptions::default())).unwrap_err();
    let SqlError::Request(err) = err else { panic!("{err:?}") };
    check(
        err,
        ClientError::InvalidOption {
            option: "isolationLevel".into(),
            problem: "must be one of ReadUncommitted, ReadCommitted, RepeatableRead, Serializable, not `Chaos`".into(),
        },
        "invalid_option",
        "isolationLevel must be one of ReadUncommitted, ReadCommitted, RepeatableRead, Serializable, not `Chaos`",
    );
    assert!(t.requests().is_empty());
}

#[test]
fn a_malformed_base_url_is_invalid_base_url() {
    let err = key_builder().base_url("ftp://x").transport(Arc::new(ScriptedTransport::new())).build().unwrap_err();
    check(
        err,
        ClientError::InvalidBaseUrl {
            option: "baseUrl",
            url: "ftp://x".into(),
            problem: "it must start with https:// or http://",
        },
        "invalid_base_url",
        "baseUrl `ftp://x` is not a valid base URL: it must start with https:// or http://",
    );
    let err = ClaimableClient::builder().base_url("neon.new/api").transport(Arc::new(ScriptedTransport::new())).build().unwrap_err();
    assert_eq!(cause(err).reason(), "invalid_base_url");
}

#[test]
fn a_base_url_with_credentials_never_echoes_them() {
    let err = key_builder().base_url("https://user:hunter2@h.example/").transport(Arc::new(ScriptedTransport::new())).build();
    let err = err.unwrap_err();
    let message = err.to_string();
    assert!(!message.contains("hunter2") && !message.contains("user"), "{message}");
    assert!(!format!("{err:?}").contains("hunter2"));
    assert_eq!(message, "baseUrl `***@h.example/` is not a valid base URL: it must not carry credentials");
    assert_eq!(cause(err).reason(), "invalid_base_url");
}

#[test]
fn a_missing_api_key_is_missing_api_key() {
    let err = NeonClient::builder().transport(Arc::new(ScriptedTransport::new())).build().unwrap_err();
    check(err, ClientError::MissingApiKey, "missing_api_key", "apiKey is missing or empty");
    check(ApiKey::fixed("  ").unwrap_err(), ClientError::MissingApiKey, "missing_api_key", "apiKey is missing or empty");
}

#[test]
fn a_key_that_cannot_be_sent_is_invalid_api_key() {
    let err = ApiKey::fixed("napi_secret with space").unwrap_err();
    assert!(!format!("{err:?} {err}").contains("napi_secret"));
    check(
        err,
        ClientError::InvalidApiKey { problem: "apiKey contains whitespace or control characters and cannot be sent in a header" },
        "invalid_api_key",
        "apiKey contains whitespace or control characters and cannot be sent in a header",
    );
}

#[test]
fn a_raw_path_that_could_leave_the_base_url_is_invalid_path() {
    let t = ScriptedTransport::new();
    let raw = RawRequest { method: Method::Get, path: "/a/../b".into(), query: vec![], body: None };
    let err = run(client(&t).request(raw, &CallOptions::default())).unwrap_err();
    check(
        err,
        ClientError::InvalidPath { path: "/a/../b".into(), problem: "must not contain `.` or `..` segments" },
        "invalid_path",
        "request: path `/a/../b` must not contain `.` or `..` segments",
    );
    assert!(t.requests().is_empty());
}

// With the cargo feature `native` the builders default to the native transport instead
// (tests/native_transport.rs).
#[cfg(not(feature = "native"))]
#[test]
fn a_client_without_a_transport_is_not_configured() {
    let err = key_builder().build().unwrap_err();
    check(err, ClientError::NotConfigured { what: "transport" }, "not_configured", "no transport configured for this target");
    let err = ClaimableClient::builder().build().unwrap_err();
    assert_eq!(cause(err), ClientError::NotConfigured { what: "transport" });
    let runtime = ClientError::NotConfigured { what: "runtime" };
    assert_eq!(runtime.to_string(), "no runtime configured");
}

#[test]
fn paginating_an_unpaginated_operation_is_unsupported() {
    let t = ScriptedTransport::new();
    let op = neon_edge::api::operation("getProject").unwrap();
    let err = Paginator::new(&client(&t), op, json!({}), CallOptions::default()).unwrap_err();
    check(
        err,
        ClientError::Unsupported { operation: "getProject".into(), problem: "the operation is not cursor-paginated".into() },
        "unsupported",
        "getProject: the operation is not cursor-paginated",
    );
}

/// Causes that only the JS bindings raise, built as they build them.
#[test]
fn causes_raised_by_the_bindings_read_as_before() {
    let cases = [
        (ClientError::UnknownOperation { id: "listProject".into() }, "unknown_operation", "unknown operation `listProject`"),
        (
            ClientError::StoreFailed { what: "rateLimit.store.acquire".into(), message: "KV is down".into() },
            "store_failed",
            "rateLimit.store.acquire failed: KV is down",
        ),
        (
            ClientError::InvalidApiKey { problem: "the apiKey function threw" },
            "invalid_api_key",
            "the apiKey function threw",
        ),
        (
            ClientError::MissingParameter { operation: "request".into(), name: "path".into(), location: ParamLocation::Argument },
            "missing_parameter",
            "request: path is required",
        ),
        (
            ClientError::InvalidParameter { operation: String::new(), name: "script".into(), problem: "the seed script must be a string".into() },
            "invalid_parameter",
            "the seed script must be a string",
        ),
    ];
    for (cause, reason, message) in cases {
        assert_eq!(cause.reason(), reason);
        let err = Error::from(cause);
        assert_eq!(err.kind(), ErrorKind::Client);
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn reasons_are_distinct_snake_case_names() {
    let all = [
        ClientError::MissingParameter { operation: String::new(), name: String::new(), location: ParamLocation::Path },
        ClientError::InvalidParameter { operation: String::new(), name: String::new(), problem: String::new() },
        ClientError::InvalidBody { field: None, problem: "" },
        ClientError::InvalidOption { option: String::new(), problem: String::new() },
        ClientError::InvalidBaseUrl { option: "", url: String::new(), problem: "" },
        ClientError::MissingApiKey,
        ClientError::InvalidApiKey { problem: "" },
        ClientError::UnknownOperation { id: String::new() },
        ClientError::InvalidPath { path: String::new(), problem: "" },
        ClientError::NotConfigured { what: "" },
        ClientError::StoreFailed { what: String::new(), message: String::new() },
        ClientError::Unsupported { operation: String::new(), problem: String::new() },
    ];
    let mut reasons: Vec<&str> = all.iter().map(ClientError::reason).collect();
    assert!(reasons.iter().all(|r| r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')), "{reasons:?}");
    reasons.sort_unstable();
    reasons.dedup();
    assert_eq!(reasons.len(), all.len());
}

/// The Postgres half's own error enums name their reason too (the JS errors' `reason`).
#[test]
fn postgres_input_errors_name_their_reason() {
    let err = SqlClient::builder("mysql://u@h/db").transport(Arc::new(ScriptedTransport::new())).build().unwrap_err();
    let SqlError::ConnectionString(err) = err else { panic!("{err:?}") };
    assert_eq!(err.reason(), "invalid_connection_string");

    let err = neon_edge::sql::SeedPlan::parse("SELECT 'unterminated").unwrap_err();
    assert_eq!(err.reason(), "invalid_script");

    use neon_edge::dotenv::{ClaimableEnv, DotEnv};
    let block = || ClaimableEnv::new("postgresql://u@h/db", "postgresql://u@h/db", "2026-01-01T00:00:00Z", "https://c");
    let err = block().with_key("1BAD").merge_into(&DotEnv::parse("")).unwrap_err();
    assert_eq!(err.reason(), "invalid_env_entry");
    let err = block().merge_into(&DotEnv::parse("DATABASE_URL=x\n")).unwrap_err();
    assert_eq!(err.reason(), "env_conflict");
}
