//! JSON shapes of the Management API objects, following the official OpenAPI schemas.

use std::time::Instant;

use serde_json::{json, Value};

use crate::state::{
    operation_status, Branch, Database, Endpoint, Operation, Project, Role, Snapshot, Store,
};

/// Hostname suffix of every emulated compute endpoint.
pub const HOST_SUFFIX: &str = "localhost";

/// `ep-x.localhost`
pub fn endpoint_host(endpoint_id: &str) -> String {
    format!("{endpoint_id}.{HOST_SUFFIX}")
}

/// `ep-x-pooler.localhost`
pub fn pooler_host(endpoint_id: &str) -> String {
    format!("{endpoint_id}-pooler.{HOST_SUFFIX}")
}

/// A Postgres connection URI that works as it is with every driver on this machine: the host
/// is the emulator's wire-protocol address (`ep-….localhost` names do not resolve everywhere),
/// the endpoint goes in `options` the way Neon accepts it from clients without SNI (`-pooler`
/// kept, so pooled and direct strings differ as on Neon). No `sslmode`: the emulator serves
/// plaintext on loopback and declines TLS, which libpq's default (`prefer`) and the other
/// drivers' defaults accept; a single parameter also keeps the string free of `&`, so a `.env`
/// holding it can be sourced by a shell.
pub fn connection_uri(
    wire_address: &str,
    role: &str,
    password: &str,
    endpoint_id: &str,
    pooled: bool,
    database: &str,
) -> String {
    let pooler = if pooled { "-pooler" } else { "" };
    format!(
        "postgresql://{}:{}@{wire_address}/{}?options=endpoint%3D{endpoint_id}{pooler}",
        pct(role),
        pct(password),
        pct(database)
    )
}

/// Percent-encodes everything but unreserved characters.
pub fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The id of the emulator's one user (a UUID, as Neon's user ids are).
pub const USER_ID: &str = "0a5e0c1e-7b5e-4c2e-9d4e-000000000001";

/// The emulator's user's email (`example.com`: a valid address that reaches no one).
pub const USER_EMAIL: &str = "emulator@example.com";

fn owner() -> Value {
    json!({ "email": USER_EMAIL, "name": "Emulator User", "branches_limit": 5000, "subscription_type": "free_v3" })
}

/// A full `Project`.
pub fn project(p: &Project) -> Value {
    json!({
        "data_storage_bytes_hour": 0, "data_transfer_bytes": 0, "written_data_bytes": 0,
        "compute_time_seconds": 0, "active_time_seconds": 0, "cpu_used_sec": 0,
        "id": p.id, "platform_id": "aws", "region_id": p.region_id, "name": p.name,
        "provisioner": "k8s-neonvm",
        "default_endpoint_settings": p.default_endpoint_settings,
        "settings": p.settings,
        "pg_version": p.pg_version, "proxy_host": HOST_SUFFIX,
        "branch_logical_size_limit": 512, "branch_logical_size_limit_bytes": 536_870_912_i64,
        "store_passwords": p.store_passwords, "creation_source": "console",
        "history_retention_seconds": p.history_retention_seconds,
        "created_at": p.created_at, "updated_at": p.updated_at,
        "consumption_period_start": p.created_at, "consumption_period_end": "0001-01-01T00:00:00Z",
        "owner_id": USER_ID, "owner": owner(), "org_id": p.org_id,
    })
}

/// A `ProjectListItem`.
pub fn project_list_item(p: &Project) -> Value {
    json!({
        "id": p.id, "platform_id": "aws", "region_id": p.region_id, "name": p.name,
        "provisioner": "k8s-neonvm",
        "default_endpoint_settings": p.default_endpoint_settings,
        "settings": p.settings,
        "pg_version": p.pg_version, "proxy_host": HOST_SUFFIX,
        "branch_logical_size_limit": 512, "branch_logical_size_limit_bytes": 536_870_912_i64,
        "store_passwords": p.store_passwords, "active_time": 0, "cpu_used_sec": 0,
        "creation_source": "console", "created_at": p.created_at, "updated_at": p.updated_at,
        "owner_id": USER_ID, "org_id": p.org_id,
        "history_retention_seconds": p.history_retention_seconds,
    })
}

/// A `Branch`.
pub fn branch(b: &Branch) -> Value {
    let now = Instant::now();
    let ready = now >= b.ready_at;
    let mut v = json!({
        "id": b.id, "project_id": b.project_id, "name": b.name,
        "current_state": if ready { "ready" } else { "init" },
        "state_changed_at": b.state_changed_at,
        "logical_size": 30_785_536, "creation_source": "console",
        "primary": b.default, "default": b.default, "protected": b.protected,
        "cpu_used_sec": 0, "compute_time_seconds": 0, "active_time_seconds": 0,
        "written_data_bytes": 0, "data_transfer_bytes": 0,
        "created_at": b.created_at, "updated_at": b.updated_at,
        "init_source": b.init_source,
    });
    let obj = v.as_object_mut();
    if let Some(obj) = obj {
        if !ready {
            obj.insert("pending_state".into(), json!("ready"));
        }
        let opt = [
            ("parent_id", &b.parent_id),
            ("parent_lsn", &b.parent_lsn),
            ("parent_timestamp", &b.parent_timestamp),
            ("restore_status", &b.restore_status),
            ("restored_from", &b.restored_from),
            ("restored_as", &b.restored_as),
            ("expires_at", &b.expires_at),
            ("last_reset_at", &b.last_reset_at),
        ];
        for (k, val) in opt {
            if let Some(val) = val {
                obj.insert(k.into(), json!(val));
            }
        }
    }
    v
}

/// The endpoint's state now: `init` until its first operation settles, then its target state.
pub fn endpoint_current_state(e: &Endpoint) -> (&'static str, Option<&'static str>) {
    let settled = Instant::now() >= e.settle_at;
    let target = if e.target_state == "active" {
        "active"
    } else {
        "idle"
    };
    if settled {
        (target, None)
    } else if e.started_at.is_none() {
        ("init", Some(target))
    } else {
        (
            if target == "active" { "idle" } else { "active" },
            Some(target),
        )
    }
}

/// An `Endpoint`.
pub fn endpoint(e: &Endpoint, region_id: &str) -> Value {
    let (current, pending) = endpoint_current_state(e);
    let mut v = json!({
        "host": endpoint_host(&e.id), "id": e.id, "project_id": e.project_id, "branch_id": e.branch_id,
        "autoscaling_limit_min_cu": e.min_cu, "autoscaling_limit_max_cu": e.max_cu,
        "region_id": region_id, "type": e.kind, "current_state": current,
        "settings": e.settings, "pooler_enabled": e.pooler_enabled, "pooler_mode": "transaction",
        "disabled": e.disabled, "passwordless_access": true, "creation_source": "console",
        "created_at": e.created_at, "updated_at": e.updated_at, "proxy_host": HOST_SUFFIX,
        "suspend_timeout_seconds": e.suspend_timeout_seconds, "provisioner": "k8s-neonvm",
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(p) = pending {
            obj.insert("pending_state".into(), json!(p));
        }
        let started = e
            .started_at
            .clone()
            .or_else(|| (current == "active").then(|| e.created_at.clone()));
        if let Some(s) = started {
            obj.insert("started_at".into(), json!(s));
            obj.insert("last_active".into(), json!(s));
        }
        if let Some(s) = &e.suspended_at {
            obj.insert("suspended_at".into(), json!(s));
        }
        if let Some(n) = &e.name {
            obj.insert("name".into(), json!(n));
        }
    }
    v
}

/// A `Database`.
pub fn database(branch_id: &str, d: &Database) -> Value {
    json!({ "id": d.id, "branch_id": branch_id, "name": d.name, "owner_name": d.owner_name,
            "created_at": d.created_at, "updated_at": d.updated_at })
}

/// A `Role` (without its password).
pub fn role(branch_id: &str, r: &Role) -> Value {
    json!({ "branch_id": branch_id, "name": r.name, "protected": r.protected,
            "authentication_method": "password",
            "created_at": r.created_at, "updated_at": r.updated_at })
}

/// A `Role` with its password, as creation and password resets return it.
pub fn role_with_password(branch_id: &str, r: &Role) -> Value {
    let mut v = role(branch_id, r);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("password".into(), json!(r.password));
    }
    v
}

/// An `Operation`.
pub fn operation(op: &Operation) -> Value {
    let now = Instant::now();
    let status = operation_status(op, now);
    let elapsed = now.saturating_duration_since(op.started).min(op.duration);
    let updated = chrono::DateTime::parse_from_rfc3339(&op.created_at)
        .map(|t| {
            (t + chrono::Duration::milliseconds(elapsed.as_millis() as i64))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        })
        .unwrap_or_else(|_| op.created_at.clone());
    let mut v = json!({
        "id": op.id, "project_id": op.project_id, "action": op.action, "status": status,
        "failures_count": if status == "failed" { 1 } else { 0 }, "created_at": op.created_at, "updated_at": updated,
        "total_duration_ms": elapsed.as_millis() as i64,
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(b) = &op.branch_id {
            obj.insert("branch_id".into(), json!(b));
        }
        if let Some(e) = &op.endpoint_id {
            obj.insert("endpoint_id".into(), json!(e));
        }
        if status == "failed" {
            obj.insert(
                "error".into(),
                json!(format!("{} failed (injected by the emulator)", op.action)),
            );
        }
    }
    v
}

/// Operations by id, in creation order.
pub fn operations(store: &Store, ids: &[String]) -> Value {
    let v: Vec<Value> = ids
        .iter()
        .filter_map(|id| store.operations.get(id))
        .map(operation)
        .collect();
    Value::Array(v)
}

/// A `Snapshot`.
pub fn snapshot(s: &Snapshot) -> Value {
    let mut v = json!({
        "id": s.id, "name": s.name, "lsn": s.lsn, "timestamp": s.timestamp,
        "source_branch_id": s.source_branch_id, "created_at": s.created_at, "manual": true,
        "full_size": 30_785_536, "diff_size": 0,
    });
    if let (Some(obj), Some(exp)) = (v.as_object_mut(), &s.expires_at) {
        obj.insert("expires_at".into(), json!(exp));
    }
    v
}

/// `ConnectionDetails` for one role and database through an endpoint.
pub fn connection_details(
    wire_address: &str,
    endpoint_id: &str,
    r: &Role,
    database: &str,
) -> Value {
    let host = endpoint_host(endpoint_id);
    let pooler = pooler_host(endpoint_id);
    json!({
        "connection_uri": connection_uri(wire_address, &r.name, &r.password, endpoint_id, false, database),
        "connection_parameters": {
            "database": database, "password": r.password, "role": r.name,
            "host": host, "pooler_host": pooler,
        }
    })
}
