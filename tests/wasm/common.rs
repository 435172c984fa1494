// Shared by wasm_node.rs and wasm_browser.rs: the fetch transport and the JS class against
// the loopback mock server (tests/support/mock-neon.mjs) whose URL is baked in at build time.

use js_sys::{Object, Reflect};
use neon_edge::api::*;
use neon_edge::bindings::{FetchTransport, JsNeonClient, JsRuntime};
use neon_edge::cancel::CancelToken;
use neon_edge::runtime::Runtime;
use neon_edge::{ApiKey, CallOptions, Error, ErrorKind, NeonClient};
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

fn server() -> &'static str {
    option_env!("NEON_TEST_SERVER").expect("NEON_TEST_SERVER must name the mock server when building the wasm tests")
}

fn client_with(key: &str, base: String) -> NeonClient {
    NeonClient::builder()
        .api_key(ApiKey::fixed(key).unwrap())
        .base_url(base)
        .transport(Arc::new(FetchTransport::global()))
        .runtime(Arc::new(JsRuntime))
        .user_agent(None)
        .build()
        .unwrap()
}

fn client() -> NeonClient {
    client_with("test-key", format!("{}/api/v2", server()))
}

#[wasm_bindgen_test]
async fn fetch_transport_lists_projects_with_typed_results() {
    let out = client().list_projects(&ListProjectsParams::default(), &CallOptions::default()).await.unwrap();
    assert_eq!(out.projects[0].id, "p-1");
    assert_eq!(out.unavailable_project_ids, Some(vec!["p-9".to_string()]));
}

#[wasm_bindgen_test]
async fn fetch_transport_maps_a_404_to_not_found_with_its_request_id() {
    let err = client().get_project(&GetProjectParams { project_id: "missing".into() }, &CallOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let api = err.api().unwrap();
    assert_eq!(api.message, "project not found");
    assert_eq!(api.request_id.as_deref(), Some("req-404"));
}

#[wasm_bindgen_test]
async fn fetch_transport_reports_an_html_502_clearly() {
    let err = client().get_project(&GetProjectParams { project_id: "html".into() }, &CallOptions::default()).await.unwrap_err();
    assert_eq!(err.api().unwrap().status, 502);
    assert!(err.to_string().contains("non-JSON body"), "{err}");
}

#[wasm_bindgen_test]
async fn fetch_transport_times_out_with_an_abort_signal() {
    let opts = CallOptions { timeout: Some(Duration::from_millis(200)), ..Default::default() };
    let err = client().get_project(&GetProjectParams { project_id: "slow".into() }, &opts).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}

#[wasm_bindgen_test]
async fn fetch_transport_stops_when_cancelled() {
    let token = CancelToken::new();
    let opts = CallOptions { cancel: Some(token.clone()), ..Default::default() };
    wasm_bindgen_futures::spawn_local(async move {
        JsRuntime.sleep(Duration::from_millis(50)).await;
        token.cancel();
    });
    let result = client().get_project(&GetProjectParams { project_id: "slow".into() }, &opts).await;
    assert_eq!(result.unwrap_err(), Error::Aborted);
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error() {
    let err = client_with("test-key", "http://127.0.0.1:9/api/v2".into())
        .list_projects(&ListProjectsParams::default(), &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
}

fn options(key: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"apiKey".into(), &key.into()).unwrap();
    Reflect::set(&o, &"baseUrl".into(), &format!("{}/api/v2", server()).into()).unwrap();
    o.into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

#[wasm_bindgen_test]
async fn the_js_class_resolves_to_the_parsed_body() {
    let c = JsNeonClient::new(options("test-key")).unwrap();
    let out = JsFuture::from(c.call("listProjects".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)).await.unwrap();
    let projects: js_sys::Array = get(&out, "projects").unchecked_into();
    assert_eq!(get(&projects.get(0), "id").as_string().as_deref(), Some("p-1"));
}

#[wasm_bindgen_test]
async fn the_js_class_rejects_with_an_error_subclass_carrying_kind_and_status() {
    let c = JsNeonClient::new(options("wrong-key")).unwrap();
    let err = JsFuture::from(c.call("listProjects".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)).await.unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("NeonApiError"));
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("auth"));
    assert_eq!(get(&err, "status").as_f64(), Some(401.0));
    assert_eq!(get(&err, "requestId").as_string().as_deref(), Some("hdr-req-401"));
    assert!(!format!("{:?}", err.as_string()).contains("wrong-key"));
}

#[wasm_bindgen_test]
fn the_js_class_refuses_a_missing_api_key() {
    let err = JsNeonClient::new(Object::new().into()).err().unwrap();
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("client"));
    assert_eq!(get(&err, "message").as_string().as_deref(), Some("apiKey is missing or empty"));
    assert_eq!(get(&err, "reason").as_string().as_deref(), Some("missing_api_key"));
}

#[wasm_bindgen_test]
async fn the_js_class_names_a_missing_path_parameter() {
    let c = JsNeonClient::new(options("test-key")).unwrap();
    let err = JsFuture::from(c.call("getProject".into(), Object::new().into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("client"));
    assert_eq!(get(&err, "message").as_string().as_deref(), Some("getProject: missing required path parameter `projectId`"));
    assert_eq!(get(&err, "reason").as_string().as_deref(), Some("missing_parameter"));
}
