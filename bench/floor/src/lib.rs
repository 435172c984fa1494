//! Size probes (see Cargo.toml). Built one feature at a time by `bench/floor.mjs`.

use wasm_bindgen::prelude::*;

// The package's allocator; with `core`, neon-edge brings the same one.
#[cfg(not(feature = "core"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The floor of the fetch stack: one GET with a header through gloo-net.
#[cfg(feature = "fetch")]
#[wasm_bindgen]
pub async fn get(url: String, key: String) -> Result<String, JsValue> {
    let response = gloo_net::http::Request::get(&url)
        .header("Authorization", &key)
        .send()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    response.text().await.map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The request for an operation from JSON arguments: `[method, pathAndQuery, body?]`.
#[cfg(feature = "core")]
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(operation_id: &str, args_json: &str) -> Result<Vec<String>, JsValue> {
    use neon_edge::{api, args, json::Json};
    let op = api::operation(operation_id).ok_or_else(|| JsValue::from_str("unknown operation"))?;
    let args = Json::parse(args_json.as_bytes()).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let built = args::build(op, &args).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let mut out = vec![op.method().as_str().to_owned(), built.path_and_query];
    if let Some(body) = built.body {
        out.push(String::from_utf8_lossy(&body.bytes).into_owned());
    }
    Ok(out)
}

/// The wait before retrying an answer (ms), or -1 when it must not be retried; for a final
/// error status, the message of its body.
#[cfg(feature = "core")]
#[wasm_bindgen(js_name = retryDelay)]
pub fn retry_delay(method: &str, status: u16, body: &[u8], retry_after: Option<String>, attempt: u32, now_ms: f64, random: f64) -> f64 {
    use neon_edge::retry::{self, RetryPolicy};
    use neon_edge::transport::{HttpResponse, Method};
    let Some(method) = Method::parse(method) else { return -1.0 };
    let headers = retry_after.map(|v| vec![("retry-after".to_owned(), v)]).unwrap_or_default();
    let outcome = Ok(HttpResponse { status, headers, body: body.to_vec() });
    let Some(reason) = retry::classify(method, &outcome) else { return -1.0 };
    let server_wait = outcome.as_ref().ok().and_then(|r| retry::retry_after(r, now_ms));
    RetryPolicy::default().delay(reason, attempt, server_wait, random).as_secs_f64() * 1000.0
}

/// The `message` of an error body, as the typed API error carries it.
#[cfg(feature = "core")]
#[wasm_bindgen(js_name = errorMessage)]
pub fn error_message(body: &[u8]) -> Option<String> {
    neon_edge::response::error_body(body).message
}
