//! The emulator's in-memory state: every Neon object it knows about.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::history::{Base, LogEntry};
use crate::ids;

/// A Neon project.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub region_id: String,
    pub pg_version: i64,
    pub org_id: String,
    pub settings: Value,
    pub default_endpoint_settings: Value,
    pub history_retention_seconds: i64,
    pub store_passwords: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Projects backing claimable databases are hidden from listings until claimed.
    pub claimable: bool,
}

/// A database inside a branch, backed by a real PostgreSQL database when one is attached.
#[derive(Debug, Clone)]
pub struct Database {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    pub pg_name: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A Postgres role of a branch.
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub password: String,
    pub protected: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A branch of a project.
#[derive(Debug, Clone)]
pub struct Branch {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub parent_id: Option<String>,
    pub parent_lsn: Option<String>,
    pub parent_timestamp: Option<String>,
    pub name: String,
    pub default: bool,
    pub protected: bool,
    pub ready_at: Instant,
    pub state_changed_at: String,
    pub created_at: String,
    pub updated_at: String,
    pub databases: Vec<Database>,
    pub roles: Vec<Role>,
    pub restore_status: Option<String>,
    pub restored_from: Option<String>,
    pub restored_as: Option<String>,
    /// The branch a `finalize_restore` of this branch replaces.
    pub restore_target: Option<String>,
    pub init_source: String,
    pub expires_at: Option<String>,
    pub last_reset_at: Option<String>,
    /// The branch's current LSN (moves with every logged SQL request).
    pub lsn: u64,
    /// The LSN its history starts at.
    pub start_lsn: u64,
    /// Where its history starts.
    pub base: Base,
    /// SQL requests since then, for point-in-time branching.
    pub log: Vec<LogEntry>,
}

/// A compute endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub branch_id: String,
    pub kind: String,
    pub min_cu: f64,
    pub max_cu: f64,
    pub suspend_timeout_seconds: i64,
    /// The state the endpoint reaches once its operations finish ("active" or "idle").
    pub target_state: String,
    pub settle_at: Instant,
    pub disabled: bool,
    pub pooler_enabled: bool,
    pub settings: Value,
    pub name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: Option<String>,
    pub suspended_at: Option<String>,
}

/// A control-plane operation; its status is derived from the time since it was created.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub branch_id: Option<String>,
    pub endpoint_id: Option<String>,
    pub action: String,
    pub started: Instant,
    pub duration: Duration,
    pub created_at: String,
    /// Ends in `failed` instead of `finished` (injected through the control plane).
    pub fails: bool,
}

/// A snapshot of a root branch, with copies of its databases.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub id: String,
    pub seq: u64,
    pub project_id: String,
    pub name: String,
    pub source_branch_id: String,
    pub lsn: String,
    pub timestamp: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub databases: Vec<Database>,
    pub roles: Vec<Role>,
}

/// A Claimable Postgres database (the `/api/v1/database` API).
#[derive(Debug, Clone)]
pub struct Claimable {
    pub id: String,
    pub status: String,
    pub project_id: String,
    pub referrer: String,
    pub enable_logical_replication: bool,
    pub created_at: String,
    pub updated_at: String,
    pub expires_at: String,
}

/// An organization.
#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub handle: String,
    pub plan: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A personal API key.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub key: String,
    pub created_at: String,
    pub revoked: bool,
    pub org_id: Option<String>,
}

/// The Data API enabled on a branch's database.
#[derive(Debug, Clone)]
pub struct DataApi {
    pub branch_id: String,
    pub database: String,
    pub url: String,
    pub settings: Value,
}

/// Neon Auth enabled on a branch.
#[derive(Debug, Clone)]
pub struct AuthIntegration {
    pub branch_id: String,
    pub provider: String,
    pub provider_project_id: String,
    pub database: String,
    pub jwks_url: String,
    pub created_at: String,
}

/// Everything the emulator remembers.
#[derive(Debug)]
pub struct Store {
    pub seq: u64,
    pub op_duration: Duration,
    pub projects: BTreeMap<String, Project>,
    pub branches: BTreeMap<String, Branch>,
    pub endpoints: BTreeMap<String, Endpoint>,
    pub operations: BTreeMap<String, Operation>,
    pub snapshots: BTreeMap<String, Snapshot>,
    pub claimables: BTreeMap<String, Claimable>,
    pub organizations: BTreeMap<String, Organization>,
    pub api_keys: Vec<ApiKey>,
    pub default_org_id: String,
    pub next_db_id: i64,
    /// Projects with a mutation in flight that is still copying databases.
    pub busy: HashSet<String>,
    /// How many of the next operations will fail.
    pub fail_next_operations: u32,
    pub data_apis: Vec<DataApi>,
    pub auth: Vec<AuthIntegration>,
    pub buckets: crate::storage::Buckets,
    pub org_members: BTreeMap<String, Vec<crate::org_members::Member>>,
    pub invitations: Vec<crate::org_members::Invitation>,
    pub spending_limits: BTreeMap<String, i64>,
    pub permissions: Vec<crate::project_access::Permission>,
    pub transfer_requests: Vec<crate::project_access::TransferRequest>,
    pub jwks: Vec<crate::jwks::Jwks>,
    pub backup_schedules: BTreeMap<String, Vec<Value>>,
    pub credentials: Vec<crate::credentials::Credential>,
    pub deleted_projects: BTreeMap<String, crate::recovery::DeletedProject>,
    pub deleted_branches: BTreeMap<String, crate::recovery::DeletedBranch>,
    pub anonymized: BTreeMap<String, crate::anonymize::Anonymized>,
    pub auth_configs: BTreeMap<String, crate::auth_config::AuthConfig>,
    pub auth_users: Vec<crate::auth_users::AuthUser>,
    /// Branches whose Neon Auth provider project is being handed over.
    pub auth_transfers: HashSet<String>,
    pub vpc_endpoints: Vec<crate::vpc::VpcEndpoint>,
    pub vpc_restrictions: Vec<crate::vpc::VpcRestriction>,
    pub functions: Vec<crate::functions::Function>,
    /// `127.0.0.1:PORT` of the Postgres wire protocol, the host of every connection string.
    pub wire_address: String,
}

/// The status an operation has reached after `elapsed`.
pub fn operation_status(op: &Operation, now: Instant) -> &'static str {
    let elapsed = now.saturating_duration_since(op.started);
    if elapsed >= op.duration {
        if op.fails {
            "failed"
        } else {
            "finished"
        }
    } else if elapsed * 3 < op.duration {
        "scheduling"
    } else {
        "running"
    }
}

impl Store {
    /// A fresh store with a personal organization and a second one to transfer projects to.
    pub fn new(op_duration: Duration, wire_address: String) -> Self {
        let now = ids::now();
        let mut organizations = BTreeMap::new();
        let personal = Organization {
            id: "org-emulator-personal-00000001".into(),
            name: "Emulator personal".into(),
            handle: "emulator-personal".into(),
            plan: "free_v3".into(),
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        let paid = Organization {
            id: "org-emulator-paid-00000002".into(),
            name: "Emulator paid".into(),
            handle: "emulator-paid".into(),
            plan: "scale".into(),
            created_at: now.clone(),
            updated_at: now,
        };
        let default_org_id = personal.id.clone();
        organizations.insert(personal.id.clone(), personal);
        organizations.insert(paid.id.clone(), paid);
        Store {
            seq: 0,
            op_duration,
            projects: BTreeMap::new(),
            branches: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            operations: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            claimables: BTreeMap::new(),
            organizations,
            api_keys: Vec::new(),
            default_org_id,
            next_db_id: 1,
            busy: HashSet::new(),
            fail_next_operations: 0,
            data_apis: Vec::new(),
            auth: Vec::new(),
            buckets: Default::default(),
            org_members: BTreeMap::new(),
            invitations: Vec::new(),
            spending_limits: BTreeMap::new(),
            permissions: Vec::new(),
            transfer_requests: Vec::new(),
            jwks: Vec::new(),
            backup_schedules: BTreeMap::new(),
            credentials: Vec::new(),
            deleted_projects: BTreeMap::new(),
            deleted_branches: BTreeMap::new(),
            anonymized: BTreeMap::new(),
            auth_configs: BTreeMap::new(),
            auth_users: Vec::new(),
            auth_transfers: HashSet::new(),
            vpc_endpoints: Vec::new(),
            vpc_restrictions: Vec::new(),
            functions: Vec::new(),
            wire_address,
        }
    }

    /// The next value of the global creation counter (orders listings).
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The next database id.
    pub fn next_database_id(&mut self) -> i64 {
        self.next_db_id += 1;
        self.next_db_id
    }

    /// The record of a new copy of `d` made at `now`: same name and owner, a fresh id and
    /// physical name.
    pub fn copy_database(&mut self, d: &Database, now: &str) -> Database {
        Database {
            id: self.next_database_id(),
            name: d.name.clone(),
            owner_name: d.owner_name.clone(),
            pg_name: ids::pg_database_name(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
        }
    }

    /// Whether the project has operations that are not finished yet.
    pub fn has_running_operations(&self, project_id: &str) -> bool {
        if self.busy.contains(project_id) {
            return true;
        }
        let now = Instant::now();
        self.operations.values().any(|op| {
            op.project_id == project_id
                && !matches!(operation_status(op, now), "finished" | "failed")
        })
    }

    /// Records a new operation and returns its id.
    pub fn add_operation(
        &mut self,
        project_id: &str,
        branch_id: Option<&str>,
        endpoint_id: Option<&str>,
        action: &str,
    ) -> String {
        let seq = self.next_seq();
        let fails = self.fail_next_operations > 0;
        self.fail_next_operations = self.fail_next_operations.saturating_sub(1);
        let op = Operation {
            fails,
            id: uuid::Uuid::new_v4().to_string(),
            seq,
            project_id: project_id.to_string(),
            branch_id: branch_id.map(str::to_string),
            endpoint_id: endpoint_id.map(str::to_string),
            action: action.to_string(),
            started: Instant::now(),
            duration: self.op_duration,
            created_at: ids::now(),
        };
        let id = op.id.clone();
        self.operations.insert(id.clone(), op);
        id
    }

    /// When the operations created now will be finished.
    pub fn settle_time(&self) -> Instant {
        Instant::now() + self.op_duration
    }

    /// Branches of a project in creation order.
    pub fn project_branches(&self, project_id: &str) -> Vec<&Branch> {
        let mut v: Vec<&Branch> = self
            .branches
            .values()
            .filter(|b| b.project_id == project_id)
            .collect();
        v.sort_by_key(|b| b.seq);
        v
    }

    /// Endpoints of a project in creation order.
    pub fn project_endpoints(&self, project_id: &str) -> Vec<&Endpoint> {
        let mut v: Vec<&Endpoint> = self
            .endpoints
            .values()
            .filter(|e| e.project_id == project_id)
            .collect();
        v.sort_by_key(|e| e.seq);
        v
    }

    /// The read-write endpoint of a branch, if any.
    pub fn branch_rw_endpoint(&self, branch_id: &str) -> Option<&Endpoint> {
        let mut v: Vec<&Endpoint> = self
            .endpoints
            .values()
            .filter(|e| e.branch_id == branch_id && e.kind == "read_write")
            .collect();
        v.sort_by_key(|e| e.seq);
        v.first().copied()
    }

    /// The default branch of a project.
    pub fn default_branch(&self, project_id: &str) -> Option<&Branch> {
        self.branches
            .values()
            .find(|b| b.project_id == project_id && b.default)
    }
}
