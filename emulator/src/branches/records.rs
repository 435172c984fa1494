//! New branch records and the physical copies of their databases, for every way a branch is
//! made (created, restored, restored from a snapshot).

use serde_json::Value;

use crate::app::Shared;
use crate::error::ApiResult;
use crate::history::Base;
use crate::ids;
use crate::render;
use crate::state::{Branch, Database, Role, Store};

/// Copies of a parent's databases with fresh physical names: (copy, physical source).
pub fn copy_databases(store: &mut Store, dbs: &[Database]) -> Vec<(Database, String)> {
    let now = ids::now();
    dbs.iter()
        .map(|d| (store.copy_database(d, &now), d.pg_name.clone()))
        .collect()
}

/// Creates the physical copies; drops those made so far when one fails.
pub async fn materialize(app: &Shared, copies: &[(Database, String)]) -> ApiResult<()> {
    let mut made = Vec::new();
    for (copy, source) in copies {
        if let Err(e) = app.pg_create(&copy.pg_name, Some(source), None).await {
            app.pg_drop_all(made).await;
            return Err(e);
        }
        made.push(copy.pg_name.clone());
    }
    Ok(())
}

/// A new branch record with the given contents.
pub fn new_branch(
    store: &mut Store,
    project_id: &str,
    name: Option<String>,
    databases: Vec<Database>,
    roles: Vec<Role>,
) -> Branch {
    let now = ids::now();
    let id = ids::branch_id();
    Branch {
        id: id.clone(),
        seq: store.next_seq(),
        project_id: project_id.to_string(),
        parent_id: None,
        parent_lsn: None,
        parent_timestamp: None,
        name: name.unwrap_or(id),
        default: false,
        protected: false,
        ready_at: store.settle_time(),
        state_changed_at: now.clone(),
        created_at: now.clone(),
        updated_at: now,
        databases,
        roles,
        restore_status: None,
        restored_from: None,
        restored_as: None,
        restore_target: None,
        init_source: "parent-data".into(),
        expires_at: None,
        last_reset_at: None,
        lsn: 0x1_4E0_000,
        start_lsn: 0x1_4E0_000,
        base: Base::Empty,
        log: Vec::new(),
    }
}

/// Connection URIs of a branch through an endpoint, one per database with its owner.
pub fn branch_connection_uris(wire_address: &str, b: &Branch, endpoint_id: &str) -> Vec<Value> {
    b.databases
        .iter()
        .filter_map(|d| {
            let r = b.roles.iter().find(|r| r.name == d.owner_name)?;
            Some(render::connection_details(
                wire_address,
                endpoint_id,
                r,
                &d.name,
            ))
        })
        .collect()
}
