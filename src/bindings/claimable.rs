//! `createClaimableDatabase` and `getClaimableDatabase`: Claimable Postgres from JS, in
//! every runtime with `fetch`.

use super::promise::promise;
use super::errors::{client_error, to_js};
use super::js_values::{set, set_nullable};
use super::values::{opt_millis, opt_string, prop};
use super::call::CallGuard;
use super::{fetch_option, user_agent};
use crate::claimable::{ClaimableClient, ClaimableDatabase, CreateClaimable};
use js_sys::{Object, Promise};
use std::sync::Arc;
use wasm_bindgen::prelude::*;


#[wasm_bindgen(typescript_custom_section)]
const TS_CLAIMABLE: &str = r#"
/** Where a claimable database is in its life; other strings are statuses newer than this package. */
export type ClaimStatus = "UNCLAIMED" | "CLAIMING" | "CLAIMED" | (string & {});

/** Options shared by the Claimable Postgres functions. */
export interface ClaimableOptions {
  /** Defaults to https://neon.new/api/v1. */
  baseUrl?: string;
  /** A fetch-compatible function used instead of the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request timeout in milliseconds (default 60000). */
  timeoutMs?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of `createClaimableDatabase`. */
export interface CreateClaimableDatabaseOptions extends ClaimableOptions {
  /** Who provisions the database (required, non-blank), e.g. "my-app". */
  ref: string;
  /** Enables logical replication; it cannot be turned off later. */
  logicalReplication?: boolean;
}

/** A claimable database. */
export interface ClaimableDatabase {
  id: string;
  status: ClaimStatus;
  neonProjectId: string;
  /** The pooled connection string; null once claimed. */
  databaseUrl: string | null;
  /** The direct connection string ("-pooler" removed from the host); null once claimed. */
  databaseUrlDirect: string | null;
  /** The link that claims the database into a Neon account, as the service sent it. */
  claimUrl: string;
  /** When an unclaimed database is deleted (ISO 8601). */
  expiresAt: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, when the service says. */
  updatedAt?: string;
}
"#;

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
#[wasm_bindgen(js_name = createClaimableDatabase, unchecked_return_type = "Promise<ClaimableDatabase>")]
pub fn create_claimable_database(
    #[wasm_bindgen(unchecked_param_type = "CreateClaimableDatabaseOptions")] options: JsValue,
) -> Promise {
    promise(async move {
        if !options.is_object() {
            return Err(client_error("createClaimableDatabase(options): options must be an object with a ref"));
        }
        let referrer = opt_string(&options, "ref", "ref")?.unwrap_or_default();
        let logical = match prop(&options, "logicalReplication") {
            None => false,
            Some(v) => v.as_bool().ok_or_else(|| client_error("logicalReplication must be a boolean"))?,
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
            return Err(client_error("getClaimableDatabase(id): id must be a string"));
        };
        if !(options.is_undefined() || options.is_null() || options.is_object()) {
            return Err(client_error("getClaimableDatabase: options must be an object"));
        }
        let client = build_client(&options)?;
        let call = CallGuard::new(&options)?;
        let db = client.get(&id, &call.options).await.map_err(|e| to_js(&e))?;
        Ok(to_object(&db))
    })
}
