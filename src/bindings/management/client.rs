//! The `NeonClient` class: the Management API client, its options and the raw `request`.

use super::call::ManagementCall;
use super::first_attempt::{first_attempt_headers, first_outcome, plan};
use crate::bindings::shared::errors::{client_error, invalid_option, invalid_parameter, missing_argument, to_js, unsupported};
use crate::bindings::shared::promise::promise;
use super::js_args::{self, JsArgs};
use crate::bindings::shared::options::{opt_millis, opt_string};
use crate::bindings::shared::values::{at, prop, settled};
use super::resilience;
use crate::bindings::shared::js_runtime::JsRuntime;
use crate::bindings::shared::{fetch_option, user_agent};
use crate::management::args::{ArgValue, Args};
use crate::management::client::{NeonClient as CoreClient, RawRequest};
use crate::management::config::{ApiKey, ApiKeyProvider};
use crate::core::error::{ClientError, Error};
use crate::management::operation::ResponseFormat;
use crate::core::secret::Secret;
use crate::core::transport::{BoxFuture, HttpResponse, Method};
use js_sys::{Function, Object, Promise, JSON};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &str = include_str!("client.d.ts");

/// A rotating API key: a JS function returning a string or a promise of one.
struct JsKeyFunction(Function);

impl ApiKeyProvider for JsKeyFunction {
    fn api_key(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(async move {
            let invalid = |problem| Error::from(ClientError::InvalidApiKey { problem });
            // call1 with `undefined`: one import with the other one-argument calls.
            let value = self.0.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED).map_err(|_| invalid("the apiKey function threw"))?;
            let value = settled(&value).await.map_err(|_| invalid("the apiKey function's promise rejected"))?;
            value.as_string().map(Secret::new).ok_or_else(|| invalid("the apiKey function must return a string or a promise of one"))
        })
    }
}

/// Client for the Neon Management API.
#[wasm_bindgen(js_name = NeonClient)]
pub struct JsNeonClient {
    pub(crate) core: CoreClient,
    /// Set when the package's JS may send first attempts itself (see `first_attempt`).
    pub(super) first: Option<Object>,
}

#[wasm_bindgen(js_class = NeonClient)]
impl JsNeonClient {
    /// Creates a client; throws a `NeonClientError` on a missing key or a malformed option.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "NeonClientOptions")] options: JsValue) -> Result<JsNeonClient, JsValue> {
        if !options.is_object() {
            return Err(invalid_option("new NeonClient(options): options", "must be an object with an apiKey"));
        }
        let api_key = match prop(&options, "apiKey") {
            Some(f) if f.is_function() => ApiKey::Provider(Arc::new(JsKeyFunction(f.unchecked_into()))),
            Some(k) => match k.as_string() {
                Some(k) => ApiKey::fixed(k).map_err(|e| to_js(&e))?,
                None => return Err(client_error(ClientError::InvalidApiKey { problem: "apiKey must be a string or a function returning one" })),
            },
            None => return Err(client_error(ClientError::MissingApiKey)),
        };
        let global_fetch = prop(&options, "fetch").is_none();
        let transport = fetch_option(&options)?;
        let mut builder = CoreClient::builder()
            .api_key(api_key)
            .transport(Arc::new(transport))
            .runtime(Arc::new(JsRuntime))
            .user_agent(user_agent());
        if let Some(url) = opt_string(&options, "baseUrl", "baseUrl")? {
            builder = builder.base_url(url);
        }
        if let Some(t) = opt_millis(&options, "timeoutMs", "timeoutMs")? {
            builder = builder.timeout(t);
        }
        builder = resilience::client_policies(builder, &options)?;
        let core = builder.build().map_err(|e| to_js(&e))?;
        let first = if global_fetch { first_attempt_headers(&core) } else { None };
        Ok(JsNeonClient { core, first })
    }

    /// The base URL requests go to.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.core.base_url().to_owned()
    }

    /// Calls an operation by its `operationId`; the typed methods (`listProjects`, ...) call this.
    #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
    pub fn call(
        &self,
        #[wasm_bindgen(js_name = operationId, unchecked_param_type = "OperationId")] operation_id: String,
        #[wasm_bindgen(unchecked_param_type = "never")] args: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let Some(op) = crate::management::api::operation(&operation_id) else {
                return Err(unknown_operation(&operation_id));
            };
            if !(args.is_undefined() || args.is_null() || args.is_object()) {
                return Err(invalid_parameter(&operation_id, "args", "the argument must be an object"));
            }
            let call = ManagementCall::new(&options, core.retry_policy())?;
            let result = core.execute_from(op, &JsArgs(&args), &call.options, first_outcome(&options)).await;
            match op.response() {
                ResponseFormat::Bytes => result.map(|r| js_sys::Uint8Array::from(r.body.as_slice()).into()).map_err(|e| to_js(&e)),
                ResponseFormat::Json => response_value(result),
            }
        })
    }

    // (The package's own exports are documented in plain comments: wasm-bindgen ships doc
    // comments in the glue, bytes every user downloads for methods no user calls.)
    // The first attempt of `call(operationId, args)` without options, for the package's JS to
    // send, the operation given by its index in `operationIds()` (no string crosses into wasm):
    // `[method, url, headers, body, timeoutMs, waitMs, startedMs]`, or undefined when the
    // call goes through `call` (an index out of range, arguments that do not build a request, a
    // response that is not JSON, a key function, a `fetch` option, a rate-limit store that
    // answers asynchronously). A pacing slot is taken for the attempt. See `first_attempt`.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __firstAttempt, skip_typescript, skip_jsdoc)]
    pub fn first_attempt(&self, operation_index: JsValue, args: JsValue) -> JsValue {
        let Some(headers) = &self.first else { return JsValue::UNDEFINED };
        let args_ok = args.is_undefined() || args.is_null() || args.is_object();
        match json_operation(&operation_index).filter(|_| args_ok).and_then(|op| self.core.first_attempt(op, &JsArgs(&args))) {
            Some(attempt) => plan(attempt, headers),
            None => JsValue::UNDEFINED,
        }
    }

    // What the package's JS needs to send first attempts whose URL it builds itself (see
    // `pkg-template/client-methods.js`): `[baseUrl, headers, timeoutMs, paced]`, or undefined
    // when they go through `__firstAttempt` or `call` (a key function, a `fetch` option).
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __firstAttempts, skip_typescript, skip_jsdoc)]
    pub fn first_attempts(&self) -> JsValue {
        let Some(headers) = &self.first else { return JsValue::UNDEFINED };
        let timeout_ms = JsValue::from_f64(self.core.timeout().as_secs_f64() * 1000.0);
        js_sys::Array::of4(&JsValue::from_str(self.core.base_url()), headers, &timeout_ms, &JsValue::from_bool(self.core.paced())).into()
    }

    // The operation table's text (one line per operation, in `operationIds()` order; the
    // format: `src/management/operation.rs`), which the package's JS builds first attempts'
    // URLs from. A static method: not an export of the package.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __operationTable, skip_typescript, skip_jsdoc)]
    pub fn operation_table() -> JsValue {
        JsValue::from_str(crate::management::api::table_text())
    }

    // Takes a pacing slot for a first attempt of the operation at `operationIndex` sent by the
    // package's JS at `nowMs` (`Date.now()`, the core's clock): the milliseconds to wait
    // before sending it, or undefined when the call goes through `call` (an index out of
    // range, a rate-limit store that answers asynchronously).
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __pace, skip_typescript, skip_jsdoc)]
    pub fn pace(&self, operation_index: JsValue, now_ms: f64) -> JsValue {
        match json_operation(&operation_index).and_then(|op| self.core.pace_now(op, now_ms)) {
            Some(wait) => JsValue::from_f64(wait.as_secs_f64() * 1000.0),
            None => JsValue::UNDEFINED,
        }
    }

    /// Sends a request to any path under the base URL, for endpoints without a typed method.
    #[wasm_bindgen(unchecked_return_type = "Promise<unknown>")]
    pub fn request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RawRequestInit")] init: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let raw = raw_request(&init)?;
            let call = ManagementCall::new(&options, core.retry_policy())?;
            response_value(core.request(raw, &call.options).await)
        })
    }
}

fn raw_request(init: &JsValue) -> Result<RawRequest, JsValue> {
    let method_name = opt_string(init, "method", "request: method")?.unwrap_or_else(|| "GET".into());
    let method = Method::parse(&method_name).ok_or_else(|| {
        unsupported("request", &crate::bindings::shared::values::text(&["unsupported method `", &method_name, "`"]))
    })?;
    let path = opt_string(init, "path", "request: path")?.ok_or_else(|| missing_argument("request", "path"))?;
    let mut query = Vec::new();
    if let Some(q) = prop(init, "query") {
        for entry in Object::entries(&q.unchecked_into::<Object>()).iter() {
            let name = at(&entry, 0).as_string().unwrap_or_default();
            let text = match js_args::convert(at(&entry, 1)) {
                Some(ArgValue::Str(s) | ArgValue::Num(s)) => s,
                Some(ArgValue::Bool(b)) => crate::core::text::bool_text(b).to_owned(),
                None => continue,
                Some(_) => {
                    let problem = crate::bindings::shared::values::text(&["query `", &name, "` must be a string, finite number or boolean"]);
                    return Err(invalid_parameter("request", &name, &problem));
                }
            };
            query.push((name, text));
        }
    }
    let body = JsArgs(init).body_json().map_err(|e| to_js(&e))?;
    Ok(RawRequest { method, path, query, body })
}

/// Parses a successful response body with the engine's `JSON.parse`; an empty body is `undefined`.
fn response_value(result: Result<HttpResponse, Error>) -> Result<JsValue, JsValue> {
    let response = result.map_err(|e| to_js(&e))?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(JsValue::UNDEFINED);
    }
    // Not UTF-8 is not JSON (RFC 8259) either: both are the same decode error.
    let parsed = std::str::from_utf8(&response.body).ok().and_then(|text| JSON::parse(text).ok());
    parsed.ok_or_else(|| {
        let message = crate::core::text::concat(&[
            "the ",
            &crate::core::text::decimal(u64::from(response.status)),
            " response body is not JSON (",
            &crate::core::text::decimal(response.body.len() as u64),
            " bytes)",
        ]);
        to_js(&Error::Decode { message, path: None })
    })
}

/// The error for an `operationId` not in the table.
pub(super) fn unknown_operation(operation_id: &str) -> JsValue {
    client_error(ClientError::UnknownOperation { id: operation_id.into() })
}

/// The operation at `index` in `operationIds()` order, when it answers JSON.
fn json_operation(index: &JsValue) -> Option<crate::management::operation::Operation> {
    let index = index.as_f64().filter(|i| *i >= 0.0 && i.fract() == 0.0)?;
    crate::management::api::all_operations().nth(index as usize).filter(|op| op.response() == ResponseFormat::Json)
}

/// The `operationId`s of every operation, in table order. The package entry installs one
/// `NeonClient` method per id (`listProjects`, ...) that forwards to `call`.
#[wasm_bindgen(js_name = operationIds, unchecked_return_type = "string[]")]
pub fn operation_ids() -> js_sys::Array {
    crate::management::api::all_operations().map(|op| JsValue::from_str(op.id())).collect()
}
