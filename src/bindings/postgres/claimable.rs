//! `createClaimableDatabase` and `getClaimableDatabase`: Claimable Postgres from JS, in
//! every runtime with `fetch`.

use crate::bindings::shared::promise::promise;
use crate::bindings::shared::errors::{invalid_option, invalid_parameter, to_js};
use crate::bindings::shared::values::set_nullable;
use crate::bindings::shared::values::set;
use crate::bindings::shared::options::{opt_millis, opt_string};
use crate::bindings::shared::values::prop;
use crate::bindings::shared::call::CallGuard;
use crate::bindings::shared::{fetch_option, user_agent};
use crate::postgres::claimable::{ClaimableClient, ClaimableDatabase, CreateClaimable};
use js_sys::{Object, Promise};
use std::sync::Arc;
use wasm_bindgen::prelude::*;


#[wasm_bindgen(typescript_custom_section)]
const TS_CLAIMABLE: &str = include_str!("claimable.d.ts");

fn build_client(options: &JsValue) -> Result<ClaimableClient, JsValue> {
    let transport = fetch_option(options)?;
    let mut builder = ClaimableClient::builder()
        .transport(Arc::new(transport))
        .user_agent(user_agent());
    if let Some(url) = opt_string(options, "baseUrl", "baseUrl")? {
        builder = builder.base_url(url);
    }
    if let Some(t) = opt_millis(options, "timeoutMs", "timeoutMs")? {
        builder = builder.timeout(t);
    }
    builder.build().map_err(|e| to_js(&e))
}

fn to_object(db: &ClaimableDatabase) -> JsValue {
    let obj = Object::new();
    set(&obj, "id", db.id.as_str());
    set(&obj, "status", db.status.as_str());
    set(&obj, "neonProjectId", db.neon_project_id.as_str());
    set_nullable(&obj, "databaseUrl", db.database_url.as_ref().map(|c| c.expose()));
    set_nullable(&obj, "databaseUrlDirect", db.database_url_direct.as_ref().map(|c| c.expose()));
    set(&obj, "claimUrl", db.claim_url.as_str());
    set(&obj, "expiresAt", db.expires_at.as_str());
    set(&obj, "createdAt", db.created_at.as_str());
    if let Some(updated) = &db.updated_at {
        set(&obj, "updatedAt", updated.as_str());
    }
    obj.into()
}

/// Creates a claimable database: no account needed; it expires after 72 hours unless claimed.
#[wasm_bindgen(js_name = createClaimableDatabase, unchecked_return_type = "Promise<UnclaimedDatabase>")]
pub fn create_claimable_database(
    #[wasm_bindgen(unchecked_param_type = "CreateClaimableDatabaseOptions")] options: JsValue,
) -> Promise {
    promise(async move {
        if !options.is_object() {
            return Err(invalid_option("createClaimableDatabase(options): options", "must be an object with a ref"));
        }
        let referrer = opt_string(&options, "ref", "ref")?.unwrap_or_default();
        let logical = match prop(&options, "logicalReplication") {
            None => false,
            Some(v) => v.as_bool().ok_or_else(|| invalid_option("logicalReplication", "must be a boolean"))?,
        };
        let client = build_client(&options)?;
        let call = CallGuard::new(&options)?;
        let request = CreateClaimable::new(referrer).logical_replication(logical);
        let db = client.create(&request, &call.options).await.map_err(|e| to_js(&e))?;
        Ok(to_object(&db))
    })
}

/// Reads a claimable database's status (and its connection strings while unclaimed).
#[wasm_bindgen(js_name = getClaimableDatabase, unchecked_return_type = "Promise<ClaimableDatabase>")]
pub fn get_claimable_database(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ClaimableOptions")] options: JsValue,
) -> Promise {
    promise(async move {
        let Some(id) = id.as_string() else {
            return Err(invalid_parameter("getClaimableDatabase(id)", "id", "id must be a string"));
        };
        if !(options.is_undefined() || options.is_null() || options.is_object()) {
            return Err(invalid_option("getClaimableDatabase: options", "must be an object"));
        }
        let client = build_client(&options)?;
        let call = CallGuard::new(&options)?;
        let db = client.get(&id, &call.options).await.map_err(|e| to_js(&e))?;
        Ok(to_object(&db))
    })
}
