//! The pure .env core from JS: read a file's assignments, and append a claimable database's
//! block without touching a byte of what is there. File I/O stays in the Node shell.

use crate::bindings::shared::errors::{client_js_error, invalid_parameter, missing_argument};
use crate::bindings::shared::values::set;
use crate::bindings::shared::options::opt_string;
use crate::postgres::dotenv::{ClaimableEnv, DotEnv, DotEnvError};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_DOTENV: &str = include_str!("dotenv.d.ts");

/// The call the messages of `mergeClaimableEnv`'s arguments name.
const MERGE: &str = "mergeClaimableEnv";

fn required(obj: &JsValue, key: &str) -> Result<String, JsValue> {
    opt_string(obj, key, key)?.ok_or_else(|| missing_argument(MERGE, key))
}

fn dotenv_error(error: &DotEnvError) -> JsValue {
    let details = Object::new();
    match error {
        DotEnvError::KeysExist { keys } => {
            set(&details, "code", "keys_exist");
            set(&details, "keys", keys.iter().map(|k| JsValue::from_str(k)).collect::<Array>());
        }
        DotEnvError::InvalidKey { key } => {
            set(&details, "code", "invalid_key");
            set(&details, "keys", Array::of1(&JsValue::from_str(key)));
        }
        DotEnvError::DuplicateKey { .. } => set(&details, "code", "duplicate_key"),
        DotEnvError::UnrepresentableValue { .. } => set(&details, "code", "unrepresentable_value"),
        DotEnvError::WouldChangeExisting => set(&details, "code", "would_change_existing"),
    }
    client_js_error(error.reason(), &error.to_string(), &details)
}

/// `text` with the claimable block appended (`DATABASE_URL`, `DATABASE_URL_DIRECT`, the
/// expiry comment and `PUBLIC_POSTGRES_CLAIM_URL`); every existing byte is kept. Throws a
/// `NeonClientError` with `code: "keys_exist"` and `keys` when a key is already set.
#[wasm_bindgen(js_name = mergeClaimableEnv)]
pub fn merge_claimable_env(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClaimableEnvBlock")] block: JsValue,
) -> Result<String, JsValue> {
    let text = text.as_string().ok_or_else(|| invalid_parameter(MERGE, "text", "text must be a string"))?;
    if !block.is_object() {
        return Err(invalid_parameter(MERGE, "block", "the block must be an object"));
    }
    let mut env = ClaimableEnv::new(
        required(&block, "databaseUrl")?,
        required(&block, "databaseUrlDirect")?,
        required(&block, "expiresAt")?,
        required(&block, "claimUrl")?,
    );
    if let Some(key) = opt_string(&block, "key", "key")? {
        env = env.with_key(key);
    }
    if let Some(prefix) = opt_string(&block, "prefix", "prefix")? {
        env = env.with_prefix(prefix);
    }
    env.merge_into(&DotEnv::parse(&text)).map_err(|e| dotenv_error(&e))
}

/// The keys `mergeClaimableEnv` would write for `key` and `prefix`, in order.
#[wasm_bindgen(js_name = claimableEnvKeys, unchecked_return_type = "[string, string, string]")]
pub fn claimable_env_keys(key: Option<String>, prefix: Option<String>) -> Array {
    let mut env = ClaimableEnv::new("", "", "", "");
    if let Some(key) = key {
        env = env.with_key(key);
    }
    if let Some(prefix) = prefix {
        env = env.with_prefix(prefix);
    }
    [env.key().to_owned(), env.direct_key(), env.claim_url_key()].iter().map(|k| JsValue::from_str(k)).collect()
}

/// The assignments of a .env file's text, the last one winning for a repeated key.
#[wasm_bindgen(js_name = readDotEnv, unchecked_return_type = "Record<string, string>")]
pub fn read_dot_env(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<JsValue, JsValue> {
    let text = text.as_string().ok_or_else(|| invalid_parameter("readDotEnv", "text", "text must be a string"))?;
    let obj = Object::new();
    for entry in DotEnv::parse(&text).entries() {
        set(&obj, &entry.key, entry.value.as_str());
    }
    Ok(obj.into())
}
