//! Turns errors into the JS error classes of `errors.js`, in one place.

use crate::core::error::{Error, ParamLocation};
use super::values::set;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/bindings/shared/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(kind: &str, message: &str, details: &JsValue) -> JsValue;
}

fn set_opt(obj: &Object, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        set(obj, key, v.as_str());
    }
}

/// The JS error object of class `kind` picks (`NeonSqlError` for `"sql"`, ...) with `details`
/// as its extra fields: every binding builds its JS errors through here.
pub fn js_error(kind: &str, message: &str, details: &Object) -> JsValue {
    make_error(kind, message, details)
}

/// The JS error object for a core error.
pub fn to_js(error: &Error) -> JsValue {
    let details = Object::new();
    match error {
        Error::Api(api) => {
            set(&details, "status", api.status);
            set_opt(&details, "code", &api.code);
            set_opt(&details, "requestId", &api.request_id);
            set_opt(&details, "operation", &api.operation);
        }
        Error::Operation { failed } => {
            let list = Array::new();
            for op in failed {
                let item = Object::new();
                set(&item, "id", op.id.as_str());
                set(&item, "action", op.action.as_str());
                set(&item, "status", op.status.as_str());
                set_opt(&item, "error", &op.error);
                list.push(&item);
            }
            set(&details, "operations", list);
        }
        Error::Decode { path, .. } => set_opt(&details, "path", path),
        Error::Pagination { operation, cursor } => {
            set(&details, "operation", operation.as_str());
            set(&details, "cursor", cursor.as_str());
        }
        Error::Client(cause) => set(&details, "reason", cause.reason()),
        Error::Timeout { .. } | Error::Aborted | Error::Network { .. } => {}
    }
    let message = match error {
        // The API's own message, undecorated, as `error.message`.
        Error::Api(api) => api.message.clone(),
        other => other.to_string(),
    };
    js_error(error.kind().as_str(), &message, &details)
}

/// A `NeonClientError` whose cause is not a core `ClientError` (a .env or SQL script
/// error of the Postgres half): `reason` names the cause, `details` holds its other fields.
#[cfg(feature = "js-postgres")]
pub fn client_js_error(reason: &str, message: &str, details: &Object) -> JsValue {
    set(details, "reason", reason);
    js_error("client", message, details)
}

/// The JS error for a client error's cause.
#[cfg(feature = "js-management")]
#[inline(never)]
pub fn client_error(cause: crate::core::error::ClientError) -> JsValue {
    to_js(&Error::Client(cause))
}

/// `ClientError::InvalidOption`: `retry.maxAttempts` `must be a positive integer`.
#[inline(never)]
pub fn invalid_option(option: &str, problem: &str) -> JsValue {
    to_js(&Error::invalid_option(option, problem))
}

/// `ClientError::InvalidParameter` of `operation` (may be empty) and its parameter `name`.
#[inline(never)]
pub fn invalid_parameter(operation: &str, name: &str, problem: &str) -> JsValue {
    to_js(&Error::invalid_parameter(operation, name, problem))
}

/// `ClientError::Unsupported`.
#[cfg(feature = "js-management")]
#[inline(never)]
pub fn unsupported(operation: &str, problem: &str) -> JsValue {
    to_js(&Error::unsupported(operation, problem))
}

/// `ClientError::MissingParameter`: `operation: name is required`.
#[inline(never)]
pub fn missing_argument(operation: &str, name: &str) -> JsValue {
    to_js(&Error::missing_parameter(operation, name, ParamLocation::Argument))
}
