//! Native tests of the core client over the scripted transport.

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{run, scripted_client};

use neon_edge::api::*;
use neon_edge::cancel::CancelToken;
use neon_edge::config::ApiKeyProvider;
use neon_edge::secret::Secret;
use neon_edge::transport::{BoxFuture, Method, ScriptedResponse, ScriptedTransport, SentState, TransportError};
use neon_edge::{ApiKey, CallOptions, Error, ErrorKind, NeonClient, RawRequest};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "napi_supersecretkey123";

fn client(t: &ScriptedTransport) -> NeonClient {
    scripted_client(t, KEY, "https://api.example.test/api/v2/")
}


// Every field the spec requires of a project (and of a listed project: `active_time`), plus one it does not know.
const PROJECT: &str = r#"{"id":"p-1","name":"n","region_id":"aws-us-east-2","pg_version":17,"created_at":"t","updated_at":"t","unknown":1,
    "platform_id":"aws","proxy_host":"h","branch_logical_size_limit":0,"branch_logical_size_limit_bytes":0,"store_passwords":true,
    "cpu_used_sec":0,"active_time":0,"provisioner":"k8s-neonvm","creation_source":"console","history_retention_seconds":0,"owner_id":"u",
    "consumption_period_start":"t","consumption_period_end":"t","active_time_seconds":0,"compute_time_seconds":0,
    "written_data_bytes":0,"data_transfer_bytes":0,"data_storage_bytes_hour":0}"#;
const BRANCH: &str = r#"{"id":"br-1","project_id":"p-1","name":"main","current_state":"ready","state_changed_at":"t",
    "creation_source":"console","created_at":"t","updated_at":"t","default":true,"protected":false,"cpu_used_sec":0,
    "active_time_seconds":0,"compute_time_seconds":0,"written_data_bytes":0,"data_transfer_bytes":0}"#;

#[test]
fn list_projects_sends_a_get_with_auth_headers_and_encoded_query() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, &format!(r#"{{"projects":[{PROJECT}],"pagination":{{"cursor":"c2"}},"unavailable_project_ids":["p-9"],"applications":{{}},"integrations":{{}}}}"#)));
    let params = ListProjectsParams { search: Some("a b&c=d".into()), limit: Some(5), ..Default::default() };
    let out = run(client(&t).list_projects(&params, &CallOptions::default())).unwrap();
    assert_eq!(out.projects[0].id, "p-1");
    assert_eq!(out.pagination.unwrap().cursor, "c2");
    assert_eq!(out.unavailable_project_ids, Some(vec!["p-9".to_string()]));
    let req = &t.requests()[0];
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.url, "https://api.example.test/api/v2/projects?limit=5&search=a%20b%26c%3Dd");
    assert_eq!(req.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(req.header("accept"), Some("application/json"));
    assert!(req.header("user-agent").unwrap().starts_with("neon-edge/"));
    assert!(req.header("content-type").is_none());
    assert!(req.body.is_none());
}

#[test]
fn create_project_posts_the_json_body() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(201, &format!(r#"{{"project":{PROJECT},"branch":{BRANCH},"connection_uris":[],"roles":[],"databases":[],"operations":[],"endpoints":[]}}"#)));
    let params = CreateProjectParams {
        body: ProjectCreateRequest { project: ProjectCreateRequestProject { name: Some("demo".into()), ..Default::default() } },
    };
    let out = run(client(&t).create_project(&params, &CallOptions::default())).unwrap();
    assert_eq!(out.project.id, "p-1");
    let req = &t.requests()[0];
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, "https://api.example.test/api/v2/projects");
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.body.as_deref(), Some(br#"{"project":{"name":"demo"}}"#.as_slice()));
}

#[test]
fn path_parameters_are_percent_encoded_and_never_change_the_path() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"operation":{"id":"o","project_id":"p","action":"a","status":"finished","failures_count":0,"created_at":"t","updated_at":"t","total_duration_ms":0}}"#));
    let params = GetProjectOperationParams { project_id: "a/b?c#d".into(), operation_id: "x y".into() };
    run(client(&t).get_project_operation(&params, &CallOptions::default())).unwrap();
    assert_eq!(t.requests()[0].url, "https://api.example.test/api/v2/projects/a%2Fb%3Fc%23d/operations/x%20y");
}

#[test]
fn dot_segments_in_path_parameters_are_refused_before_sending() {
    let t = ScriptedTransport::new();
    for bad in ["..", ".", ""] {
        let err = run(client(&t).get_project(&GetProjectParams { project_id: bad.into() }, &CallOptions::default())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Client);
        assert!(err.to_string().contains("getProject") && err.to_string().contains("projectId"), "{err}");
    }
    assert!(t.requests().is_empty());
}

#[test]
fn a_missing_required_query_parameter_is_named_before_sending() {
    let t = ScriptedTransport::new();
    let op = neon_edge::api::operation("getConnectionURI").unwrap();
    let args = serde_json::json!({ "projectId": "p-1", "role_name": "r" });
    let err = run(client(&t).execute(op, &args, &CallOptions::default())).unwrap_err();
    assert_eq!(err.to_string(), "getConnectionURI: missing required query parameter `database_name`");
    let err = run(client(&t).execute(op, &serde_json::json!({}), &CallOptions::default())).unwrap_err();
    assert_eq!(err.to_string(), "getConnectionURI: missing required path parameter `projectId`");
    assert!(t.requests().is_empty());
}

#[test]
fn a_missing_required_body_is_named_before_sending() {
    let t = ScriptedTransport::new();
    let op = neon_edge::api::operation("createProject").unwrap();
    let err = run(client(&t).execute(op, &serde_json::json!({}), &CallOptions::default())).unwrap_err();
    assert_eq!(err.to_string(), "createProject: missing required `body`");
    assert!(t.requests().is_empty());
}

#[test]
fn wrongly_typed_arguments_are_client_errors() {
    let t = ScriptedTransport::new();
    let op = neon_edge::api::operation("getProject").unwrap();
    let err = run(client(&t).execute(op, &serde_json::json!({ "projectId": { "x": 1 } }), &CallOptions::default())).unwrap_err();
    assert_eq!(err.to_string(), "getProject: path parameter `projectId` must be a string, got an object");
    let op = neon_edge::api::operation("listProjects").unwrap();
    let err = run(client(&t).execute(op, &serde_json::json!({ "limit": { "x": 1 } }), &CallOptions::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Client);
    assert!(t.requests().is_empty());
}

fn api_error_for(status: u16, headers: &[(&str, &str)], body: &str) -> Error {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::raw(status, headers, body.as_bytes()));
    run(client(&t).get_project(&GetProjectParams { project_id: "p-1".into() }, &CallOptions::default())).unwrap_err()
}

#[test]
fn error_statuses_map_to_kinds() {
    for (status, kind) in [
        (400, ErrorKind::Api),
        (401, ErrorKind::Auth),
        (403, ErrorKind::Auth),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (423, ErrorKind::Api),
        (429, ErrorKind::RateLimit),
        (500, ErrorKind::Api),
    ] {
        assert_eq!(api_error_for(status, &[], r#"{"message":"m"}"#).kind(), kind, "status {status}");
    }
}

#[test]
fn api_errors_carry_status_code_message_and_request_id() {
    let err = api_error_for(404, &[("x-request-id", "hdr")], r#"{"code":"NOT_FOUND","message":"project not found","request_id":"body-id"}"#);
    let api = err.api().unwrap();
    assert_eq!(api.status, 404);
    assert_eq!(api.code.as_deref(), Some("NOT_FOUND"));
    assert_eq!(api.message, "project not found");
    assert_eq!(api.request_id.as_deref(), Some("body-id"));
    assert_eq!(api.operation.as_deref(), Some("getProject"));
}

#[test]
fn the_request_id_falls_back_to_headers() {
    let err = api_error_for(500, &[("X-Request-Id", "hdr-1")], r#"{"message":"boom"}"#);
    assert_eq!(err.api().unwrap().request_id.as_deref(), Some("hdr-1"));
    let err = api_error_for(500, &[("x-neon-ret-request-id", "ret-1")], r#"{"message":"boom"}"#);
    assert_eq!(err.api().unwrap().request_id.as_deref(), Some("ret-1"));
}

#[test]
fn an_html_502_page_gives_a_clear_api_error() {
    let err = api_error_for(502, &[("content-type", "text/html")], "<html><h1>502 Bad Gateway</h1></html>");
    let api = err.api().unwrap();
    assert_eq!(api.status, 502);
    assert_eq!(api.message, "Bad Gateway (a non-JSON body of 37 bytes, text/html)");
}

#[test]
fn a_truncated_or_empty_error_body_gives_a_clear_api_error() {
    let err = api_error_for(500, &[("content-type", "application/json")], r#"{"message": "inter"#);
    assert_eq!(err.api().unwrap().message, "Internal Server Error (the JSON body had no `message`, or was cut short)");
    let err = api_error_for(503, &[], "");
    assert_eq!(err.api().unwrap().message, "Service Unavailable (empty body)");
}

#[test]
#[cfg(feature = "decode-paths")]
fn a_wrongly_typed_response_field_is_a_decode_error_naming_its_path() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"project":{"id":"p","name":"n","region_id":"r","pg_version":"seventeen","created_at":"t","updated_at":"t"}}"#));
    let err = run(client(&t).get_project(&GetProjectParams { project_id: "p".into() }, &CallOptions::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    match err {
        Error::Decode { path, .. } => assert_eq!(path.as_deref(), Some("project.pg_version")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn transport_failures_map_to_network_timeout_and_aborted() {
    for (failure, kind) in [
        (TransportError::Network { message: "refused".into(), sent: SentState::NotSent }, ErrorKind::Network),
        (TransportError::Timeout, ErrorKind::Timeout),
        (TransportError::Aborted, ErrorKind::Aborted),
    ] {
        let t = ScriptedTransport::new();
        t.push(ScriptedResponse::Fail(failure));
        let err = run(client(&t).get_project(&GetProjectParams { project_id: "p".into() }, &CallOptions::default())).unwrap_err();
        assert_eq!(err.kind(), kind);
        if kind == ErrorKind::Network {
            assert_eq!(err.to_string(), "getProject: network error: refused");
        }
    }
}

#[test]
fn a_per_call_timeout_overrides_the_client_default() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, &format!(r#"{{"project":{PROJECT}}}"#)));
    let opts = CallOptions { timeout: Some(Duration::from_millis(1500)), ..Default::default() };
    run(client(&t).get_project(&GetProjectParams { project_id: "p".into() }, &opts)).unwrap();
    assert_eq!(t.requests()[0].timeout, Some(Duration::from_millis(1500)));
}

#[test]
fn a_cancelled_call_sends_nothing() {
    let t = ScriptedTransport::new();
    let token = CancelToken::new();
    token.cancel();
    let opts = CallOptions { cancel: Some(token), ..Default::default() };
    let err = run(client(&t).get_project(&GetProjectParams { project_id: "p".into() }, &opts)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Aborted);
    assert!(t.requests().is_empty());
}

struct Rotating(AtomicUsize);
impl ApiKeyProvider for Rotating {
    fn api_key(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Secret::new(format!("key-{n}"))) })
    }
}

#[test]
fn a_key_provider_is_asked_before_every_request() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, &format!(r#"{{"project":{PROJECT}}}"#)));
    t.push(ScriptedResponse::json(200, &format!(r#"{{"project":{PROJECT}}}"#)));
    let c = NeonClient::builder()
        .api_key(ApiKey::Provider(Arc::new(Rotating(AtomicUsize::new(0)))))
        .transport(Arc::new(t.clone()))
        .build()
        .unwrap();
    let p = GetProjectParams { project_id: "p".into() };
    run(c.get_project(&p, &CallOptions::default())).unwrap();
    run(c.get_project(&p, &CallOptions::default())).unwrap();
    let auth: Vec<_> = t.requests().iter().map(|r| r.header("authorization").unwrap().to_owned()).collect();
    assert_eq!(auth, ["Bearer key-0", "Bearer key-1"]);
    assert!(c.base_url().starts_with("https://console.neon.tech/api/v2"));
}

#[test]
fn missing_or_malformed_api_keys_are_refused_without_echoing_them() {
    assert_eq!(ApiKey::fixed("").unwrap_err().to_string(), "apiKey is missing or empty");
    assert_eq!(ApiKey::fixed("   ").unwrap_err().kind(), ErrorKind::Client);
    let err = ApiKey::fixed("secret\nvalue").unwrap_err().to_string();
    assert!(!err.contains("secret"), "{err}");
    let err = NeonClient::builder().transport(Arc::new(ScriptedTransport::new())).build().unwrap_err();
    assert_eq!(err.to_string(), "apiKey is missing or empty");
}

#[test]
fn malformed_base_urls_are_refused() {
    for bad in ["", "console.neon.tech", "ftp://x", "https://", "https://h:port/", "https://h/?q=1", "https://h/#f", "https://u:p@h/", "https://h h/", "https://[::1"] {
        let err = NeonClient::builder()
            .api_key(ApiKey::fixed(KEY).unwrap())
            .base_url(bad)
            .transport(Arc::new(ScriptedTransport::new()))
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Client, "{bad}");
        assert!(err.to_string().contains("baseUrl"), "{err}");
    }
    for good in ["http://127.0.0.1:8080/api/v2", "https://[::1]:9/x", "https://console.neon.tech/api/v2/"] {
        NeonClient::builder()
            .api_key(ApiKey::fixed(KEY).unwrap())
            .base_url(good)
            .transport(Arc::new(ScriptedTransport::new()))
            .build()
            .unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

#[test]
fn the_api_key_never_appears_in_debug_output_or_errors() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(401, r#"{"message":"bad key"}"#));
    let c = client(&t);
    assert!(!format!("{c:?}").contains(KEY));
    let err = run(c.get_project(&GetProjectParams { project_id: "p".into() }, &CallOptions::default())).unwrap_err();
    assert!(!format!("{err:?} {err}").contains(KEY));
    assert!(!format!("{:?}", t.requests()[0]).contains(KEY));
    assert!(!format!("{:?}", ApiKey::fixed(KEY).unwrap()).contains(KEY));
}

#[test]
fn raw_requests_reach_untyped_endpoints_with_an_encoded_query() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"periods":[]}"#));
    let raw = RawRequest {
        method: Method::Get,
        path: "/projects/p-1/consumption".into(),
        query: vec![("from".into(), "2026-01-01T00:00:00Z".into())],
        body: None,
    };
    let resp = run(client(&t).request(raw, &CallOptions::default())).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(t.requests()[0].url, "https://api.example.test/api/v2/projects/p-1/consumption?from=2026-01-01T00%3A00%3A00Z");
}

#[test]
fn raw_request_paths_cannot_leave_the_base_url() {
    let t = ScriptedTransport::new();
    for bad in ["projects", "//evil.test/x", "/a/../b", "/a/%2E%2E/b", "/a?x=1", "/a#f", "/a b", "https://evil.test"] {
        let raw = RawRequest { method: Method::Get, path: bad.into(), query: vec![], body: None };
        let err = run(client(&t).request(raw, &CallOptions::default())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Client, "{bad}");
    }
    assert!(t.requests().is_empty());
}

#[test]
fn a_form_operation_sends_multipart_with_text_and_file_parts() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(400, r#"{"message":"stop here"}"#));
    let params = CreateProjectBranchFunctionDeploymentParams {
        project_id: "p-1".into(),
        branch_id: "br-1".into(),
        slug: "hello".into(),
        body: FunctionDeployRequest {
            zip: Some(vec![0x50, 0x4b, 0x03, 0x04]),
            runtime: Some(FunctionDeployRequestRuntime::Nodejs24),
            environment: None,
        },
    };
    let _ = run(client(&t).create_project_branch_function_deployment(&params, &CallOptions::default()));
    let req = &t.requests()[0];
    let content_type = req.header("content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let body = req.body.clone().unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.starts_with(&format!("--{boundary}\r\n")), "{text}");
    assert!(text.contains("name=\"runtime\"\r\n\r\nnodejs24\r\n"), "{text}");
    assert!(text.contains("name=\"zip\"; filename=\"zip\"\r\nContent-Type: application/octet-stream\r\n\r\nPK\u{3}\u{4}\r\n"), "{text}");
    assert!(!text.contains("environment"));
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
}

#[test]
fn a_binary_download_asks_for_octet_stream_and_returns_the_bytes() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::raw(200, &[("content-type", "application/octet-stream")], &[0, 159, 146, 150]));
    let params = GetProjectBranchBucketObjectParams {
        project_id: "p".into(),
        branch_id: "b".into(),
        bucket_name: "files".into(),
        object_key: "a/b.bin".into(),
    };
    let bytes = run(client(&t).get_project_branch_bucket_object(&params, &CallOptions::default())).unwrap();
    assert_eq!(bytes, vec![0, 159, 146, 150]);
    let req = &t.requests()[0];
    assert_eq!(req.header("accept"), Some("application/octet-stream"));
    assert!(req.url.ends_with("/buckets/files/objects/a%2Fb.bin/download"), "{}", req.url);
}
