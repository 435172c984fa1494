//! `registerClaimableNeon` and `ClaimableNeonSession`: Claimable Neon's identity protocol
//! from JS, in every runtime with `fetch`.

use crate::bindings::shared::call::CallGuard;
use crate::bindings::shared::errors::{invalid_option, js_error, to_js};
use crate::bindings::shared::js_runtime::JsRuntime;
use crate::bindings::shared::json::json_from_js;
use crate::bindings::shared::options::{opt_millis, opt_string};
use crate::bindings::shared::promise::promise;
use crate::bindings::shared::values::{prop, set, set_nullable};
use crate::bindings::shared::{fetch_option, user_agent};
use crate::core::error::ErrorKind;
use crate::core::secret::Secret;
use crate::core::options::RequestOptions;
use crate::postgres::claimable_neon::{Credentials, 
    ClaimStatus, ClaimableNeon, ClaimableNeonError, ClaimableNeonSession, Register, Registration,
};
use js_sys::{Array, Function, Object, Promise};
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLAIMABLE_NEON: &str = include_str!("claimable_neon.d.ts");

/// The JS error of a Claimable Neon failure: a `NeonApiError` carrying the service's fields
/// (`reason: "dead_assertion"` when the assertion can never be exchanged again), a
/// `NeonOperationError` (`reason: "claim_ended"`) for a claim that expired, else the core's.
fn error_to_js(error: &ClaimableNeonError) -> JsValue {
    let details = Object::new();
    match error {
        ClaimableNeonError::DeadAssertion(e) | ClaimableNeonError::Service(e) => {
            set(&details, "status", e.status);
            set(&details, "code", e.code.as_str());
            set(&details, "retryable", e.retryable);
            set(&details, "operation", e.operation.as_str());
            for (key, value) in [
                ("requestId", &e.request_id),
                ("origin", &e.origin),
                ("claimState", &e.claim_state),
                ("requiredScope", &e.required_scope),
            ] {
                if let Some(value) = value {
                    set(&details, key, value.as_str());
                }
            }
            if matches!(error, ClaimableNeonError::DeadAssertion(_)) {
                set(&details, "reason", "dead_assertion");
            }
            js_error(
                ErrorKind::from_status(e.status).as_str(),
                &e.message,
                &details,
            )
        }
        ClaimableNeonError::ClaimEnded { state } => {
            set(&details, "reason", "claim_ended");
            set(&details, "state", state.as_str());
            js_error("operation", &error.to_string(), &details)
        }
        ClaimableNeonError::Other(e) => to_js(e),
    }
}

fn build(options: &JsValue) -> Result<ClaimableNeon, JsValue> {
    let mut builder = ClaimableNeon::builder()
        .transport(Arc::new(fetch_option(options)?))
        .runtime(Arc::new(JsRuntime))
        .user_agent(user_agent());
    if let Some(origin) = opt_string(options, "origin", "origin")? {
        builder = builder.origin(origin);
    }
    if let Some(t) = opt_millis(options, "timeoutMs", "timeoutMs")? {
        builder = builder.timeout(t);
    }
    builder.build().map_err(|e| to_js(&e))
}

fn strings(list: &[String]) -> Array {
    list.iter().map(|s| JsValue::from_str(s)).collect()
}

fn registration_object(reg: &Registration) -> JsValue {
    let obj = Object::new();
    set(&obj, "registrationId", reg.registration_id.as_str());
    set(&obj, "identityAssertion", reg.identity_assertion.expose());
    set(&obj, "assertionExpires", reg.assertion_expires as f64);
    set(&obj, "scopes", strings(&reg.scopes));
    set(&obj, "projectId", reg.project_id.as_str());
    set(&obj, "branchId", reg.branch_id.as_str());
    set(&obj, "expiresAt", reg.expires_at.as_str());
    let decisions = Array::new();
    for d in &reg.capabilities {
        let item = Object::new();
        set(&item, "capability", d.capability.as_str());
        set(&item, "granted", d.granted);
        if let Some(reason) = &d.reason {
            set(&item, "reason", reason.as_str());
        }
        if let Some(message) = &d.message {
            set(&item, "message", message.as_str());
        }
        decisions.push(&item);
    }
    set(&obj, "capabilities", decisions);
    obj.into()
}

fn status_object(status: &ClaimStatus) -> JsValue {
    let obj = Object::new();
    set(&obj, "state", status.state.as_str());
    set_nullable(&obj, "expiresAt", status.expires_at.as_deref());
    set(&obj, "reconciled", status.reconciled);
    if let Some(message) = &status.message {
        set(&obj, "message", message.as_str());
    }
    obj.into()
}

/// Registers an anonymous identity with Claimable Neon: a new project and the identity
/// assertion that stands for it (store it like a password).
#[wasm_bindgen(js_name = registerClaimableNeon, unchecked_return_type = "Promise<ClaimableNeonRegistration>")]
pub fn register_claimable_neon(
    #[wasm_bindgen(unchecked_optional_param_type = "RegisterClaimableNeonOptions")]
    options: JsValue,
) -> Promise {
    promise(async move {
        if !(options.is_undefined() || options.is_null() || options.is_object()) {
            return Err(invalid_option(
                "registerClaimableNeon: options",
                "must be an object",
            ));
        }
        let capabilities = match prop(&options, "capabilities") {
            None => Vec::new(),
            Some(list) if Array::is_array(&list) => list
                .unchecked_into::<Array>()
                .iter()
                .map(|c| {
                    c.as_string().ok_or_else(|| {
                        invalid_option("capabilities", "must be an array of strings")
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(invalid_option(
                    "capabilities",
                    "must be an array of strings",
                ))
            }
        };
        let data_api = match prop(&options, "dataApi") {
            None => None,
            Some(v) => Some(json_from_js(
                &v,
                "registerClaimableNeon",
                "dataApi",
                "dataApi could not be encoded as JSON",
            )?),
        };
        let request = Register {
            capabilities,
            source: opt_string(&options, "source", "source")?,
            data_api,
        };
        let client = build(&options)?;
        let call = CallGuard::new(&options)?;
        let reg = client
            .register(&request, &call.options)
            .await
            .map_err(|e| error_to_js(&e))?;
        Ok(registration_object(&reg))
    })
}

/// A session on an identity assertion: tokens on demand, credentials, the claim flow.
#[wasm_bindgen(js_name = ClaimableNeonSession)]
pub struct JsClaimableNeonSession {
    core: ClaimableNeonSession,
    origin: String,
    /// The poll interval of the last claim this session started (seconds; 0 = none yet).
    interval: Rc<Cell<u64>>,
}

#[wasm_bindgen(js_class = ClaimableNeonSession)]
impl JsClaimableNeonSession {
    /// Opens a session on `identityAssertion` for `projectId`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClaimableNeonSessionOptions")] options: JsValue,
    ) -> Result<JsClaimableNeonSession, JsValue> {
        if !options.is_object() {
            return Err(invalid_option(
                "ClaimableNeonSession: options",
                "must be an object with identityAssertion and projectId",
            ));
        }
        let assertion =
            opt_string(&options, "identityAssertion", "identityAssertion")?.unwrap_or_default();
        let project_id = opt_string(&options, "projectId", "projectId")?.unwrap_or_default();
        let client = build(&options)?;
        let core = client
            .session(Secret::new(assertion), &project_id)
            .map_err(|e| to_js(&e))?;
        Ok(JsClaimableNeonSession {
            core,
            origin: client.origin().to_owned(),
            interval: Rc::new(Cell::new(0)),
        })
    }

    /// The service origin.
    #[wasm_bindgen(getter)]
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The project this session acts on.
    #[wasm_bindgen(getter, js_name = projectId)]
    pub fn project_id(&self) -> String {
        self.core.project_id().to_owned()
    }

    /// The allowlisted Management API proxy, for `new NeonClient({ baseUrl, apiKey })`.
    #[wasm_bindgen(getter, js_name = managementBaseUrl)]
    pub fn management_base_url(&self) -> String {
        self.core.management_base_url()
    }

    /// How many token exchanges this session has started.
    #[wasm_bindgen(getter)]
    pub fn exchanges(&self) -> f64 {
        self.core.exchanges() as f64
    }

    /// A valid access token (cached, or a fresh exchange shared with concurrent callers).
    #[wasm_bindgen(js_name = accessToken, unchecked_return_type = "Promise<string>")]
    pub fn access_token(&self, #[wasm_bindgen(unchecked_optional_param_type = "ClaimableNeonCallOptions")] options: JsValue) -> Promise {
        session_call(&self.core, options, |s, o| async move { s.access_token(&o).await }, |t| JsValue::from_str(t.expose()))
    }

    /// The project's connection string and services.
    #[wasm_bindgen(unchecked_return_type = "Promise<ClaimableNeonCredentials>")]
    pub fn credentials(&self, #[wasm_bindgen(unchecked_optional_param_type = "ClaimableNeonCallOptions")] options: JsValue) -> Promise {
        session_call(&self.core, options, |s, o| async move { s.credentials(&o).await }, |c| credentials_object(&c))
    }

    /// Starts a claim: show `verificationUri` and `userCode` to the future owner.
    #[wasm_bindgen(unchecked_return_type = "Promise<ClaimableNeonClaimCode>")]
    pub fn claim(&self, #[wasm_bindgen(unchecked_optional_param_type = "ClaimableNeonCallOptions")] options: JsValue) -> Promise {
        let interval = self.interval.clone();
        session_call(&self.core, options, |s, o| async move { s.claim(&o).await }, move |code| {
            interval.set(code.interval);
            let obj = Object::new();
            set(&obj, "userCode", code.user_code.as_str());
            set(&obj, "verificationUri", code.verification_uri.as_str());
            set(&obj, "verificationUriComplete", code.verification_uri_complete.as_str());
            set(&obj, "expiresIn", code.expires_in as f64);
            set(&obj, "interval", code.interval as f64);
            obj.into()
        })
    }

    /// The current claim attempt's state.
    #[wasm_bindgen(js_name = claimStatus, unchecked_return_type = "Promise<ClaimableNeonClaimStatus>")]
    pub fn claim_status(&self, #[wasm_bindgen(unchecked_optional_param_type = "ClaimableNeonCallOptions")] options: JsValue) -> Promise {
        session_call(&self.core, options, |s, o| async move { s.claim_status(&o).await }, |status| status_object(&status))
    }

    /// Polls until the claim is reconciled, calling `onProgress` with each state read.
    #[wasm_bindgen(js_name = waitForClaim, unchecked_return_type = "Promise<ClaimableNeonClaimStatus>")]
    pub fn wait_for_claim(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitForClaimOptions")] options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        let claimed_interval = self.interval.get();
        promise(async move {
            let interval = opt_millis(&options, "intervalMs", "intervalMs")?
                .unwrap_or(Duration::from_secs(claimed_interval));
            let on_progress = match prop(&options, "onProgress") {
                None => None,
                Some(f) => Some(
                    f.dyn_into::<Function>()
                        .map_err(|_| invalid_option("onProgress", "must be a function"))?,
                ),
            };
            let call = CallGuard::new(&options)?;
            let mut progress = |status: &ClaimStatus| {
                if let Some(f) = &on_progress {
                    // A throwing progress callback must not end the wait.
                    let _ = f.call1(&JsValue::UNDEFINED, &status_object(status));
                }
            };
            let status = core
                .wait_for_claim(interval, &mut progress, &call.options)
                .await
                .map_err(|e| error_to_js(&e))?;
            Ok(status_object(&status))
        })
    }

    /// Deletes the project; the assertion is dead afterwards.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_optional_param_type = "ClaimableNeonCallOptions")] options: JsValue) -> Promise {
        session_call(&self.core, options, |s, o| async move { s.delete(&o).await }, |()| JsValue::UNDEFINED)
    }

    /// Revokes the current access token; the next call exchanges the assertion again.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn revoke(&self, #[wasm_bindgen(unchecked_optional_param_type = "ClaimableNeonCallOptions")] options: JsValue) -> Promise {
        session_call(&self.core, options, |s, o| async move { s.revoke(&o).await }, |()| JsValue::UNDEFINED)
    }
}

/// One session call as a promise: the per-call options read (and the abort listener kept)
/// for its duration, its error turned into the JS one, its value by `to_js_value`.
fn session_call<T, Fut>(
    core: &ClaimableNeonSession,
    options: JsValue,
    call: impl FnOnce(ClaimableNeonSession, RequestOptions) -> Fut + 'static,
    to_js_value: impl FnOnce(T) -> JsValue + 'static,
) -> Promise
where
    Fut: Future<Output = Result<T, ClaimableNeonError>> + 'static,
{
    let core = core.clone();
    promise(async move {
        let guard = CallGuard::new(&options)?;
        let value = call(core, guard.options.clone()).await.map_err(|e| error_to_js(&e))?;
        Ok(to_js_value(value))
    })
}

fn credentials_object(c: &Credentials) -> JsValue {
    let obj = Object::new();
    set(&obj, "projectId", c.project_id.as_str());
    set(&obj, "branchId", c.branch_id.as_str());
    set(&obj, "databaseUrl", c.database_url.expose());
    set(&obj, "expiresAt", c.expires_at.as_str());
    let services = Object::new();
    if let Some((base_url, jwks_url)) = &c.auth {
        let auth = Object::new();
        set(&auth, "baseUrl", base_url.as_str());
        set(&auth, "jwksUrl", jwks_url.as_str());
        set(&services, "auth", auth);
    }
    if let Some(url) = &c.data_api_url {
        let data_api = Object::new();
        set(&data_api, "url", url.as_str());
        set(&services, "dataApi", data_api);
    }
    set(&obj, "services", services);
    obj.into()
}
