//! What both JS modules share: the fetch transport, the JS runtime, reading JS values and
//! options, per-call guards, and the one place JS error objects are built.

pub(crate) mod call;
pub(crate) mod errors;
pub(crate) mod fetch;
pub(crate) mod js_runtime;
pub(crate) mod json;
pub(crate) mod options;
pub(crate) mod promise;
pub(crate) mod values;

use wasm_bindgen::{JsCast, JsValue};

/// The User-Agent a client sends: none from a browser, which refuses a custom one (and would
/// preflight it for CORS).
pub(crate) fn user_agent() -> Option<String> {
    let browser = values::prop(&js_sys::global(), "document").is_some();
    (!browser).then(|| crate::core::http::USER_AGENT.to_owned())
}

/// The transport an options object asks for: its `fetch` function, else the global `fetch`.
pub(crate) fn fetch_option(options: &JsValue) -> Result<fetch::FetchTransport, JsValue> {
    match values::prop(options, "fetch") {
        None => Ok(fetch::FetchTransport::global()),
        Some(f) if f.is_function() => Ok(fetch::FetchTransport::with_fetch(f.unchecked_into())),
        Some(_) => Err(errors::invalid_option("fetch", "must be a function")),
    }
}
