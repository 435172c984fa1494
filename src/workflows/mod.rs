//! Workflows: the multi-step procedures Neon's guides spell out, one call each, above the
//! Management client (`management`). Each is reached through a small handle borrowing the
//! client — `client.projects().create_and_connect(..)`, `client.checkpoints().rollback(..)` —
//! takes [`WorkflowOptions`] (timeout, cancel, a deadline for the whole workflow, `if_exists`
//! and a progress observer), reports each [`Step`], and fails with a [`WorkflowError`] naming
//! the step, the cause and the resources it created and left behind. With `if_exists: Return`
//! the workflows that create a named resource look it up first, so a re-run after a failure
//! finishes what the first run left instead of creating it twice.
//!
//! Resources are plain JSON ([`Json`](crate::core::json::Json)) as the API describes them:
//! the workflows pass the API's objects through whole.
//!
//! This layer knows nothing of JS; `bindings/workflows` exposes it as `neon-edge/workflows`.

pub mod addons;
pub mod branches;
pub mod checkpoints;
pub mod claimable_neon;
pub mod endpoints;
pub mod neon_auth;
pub mod operations;
pub mod platform;
pub mod postgres;
pub mod projects;
pub mod run;
pub mod snapshots;
pub mod usage;

pub use addons::{AddonWorkflows, DataApiEnabled, DataApiParams, NeonAuthParams};
pub use branches::{
    BranchConnection, BranchRef, BranchWorkflows, Cleanup, CleanupParams, CompareSchemaParams, Compute, CreateBranchParams,
    PointInTimeParams,
};
pub use endpoints::{EndpointTarget, EndpointWorkflows};
pub use neon_auth::{NeonAuthSetup, NeonAuthSetupParams};
pub use platform::{PlatformWorkflows, Provisioned, ProvisionParams, Tier};
pub use usage::{UsageParams, UsageWorkflows};
pub use checkpoints::{CheckpointParams, CheckpointWorkflows, Preview, RolledBack, SnapshotRef};
pub use operations::OperationWorkflows;
pub use postgres::{ConnectionStringParams, PostgresWorkflows};
pub use projects::{CreateProjectParams, ProjectConnection, ProjectWorkflows, TransferBatch, TransferParams};
pub use run::{Phase, Resource, Step, WorkflowError, WorkflowOptions, WorkflowResult};
pub use snapshots::{PreviewCheck, RestoreParams, Restored, ScheduleParams, SnapshotWorkflows};

use crate::management::client::NeonClient;

impl NeonClient {
    /// Project workflows: `create_and_connect`, `transfer`, `transfer_from_user`.
    pub fn projects(&self) -> ProjectWorkflows<'_> {
        ProjectWorkflows { client: self }
    }

    /// Branch workflows: `create_and_connect`, `get_default`, `set_default`,
    /// `reset_from_parent`, `compare_schema`, `finalize_restore`, `point_in_time`,
    /// `cleanup_previews`.
    pub fn branches(&self) -> BranchWorkflows<'_> {
        BranchWorkflows { client: self }
    }

    /// Snapshot workflows: `restore` (with a preview check).
    pub fn snapshots(&self) -> SnapshotWorkflows<'_> {
        SnapshotWorkflows { client: self }
    }

    /// Operation workflows: `wait_for`.
    pub fn operations(&self) -> OperationWorkflows<'_> {
        OperationWorkflows { client: self }
    }

    /// Postgres workflows: `connection_string`.
    pub fn postgres(&self) -> PostgresWorkflows<'_> {
        PostgresWorkflows { client: self }
    }

    /// Per-user workflows of the agent-platform guide: `provision`, `upgrade_tier`.
    pub fn platform(&self) -> PlatformWorkflows<'_> {
        PlatformWorkflows { client: self }
    }

    /// Endpoint workflows: `set_autoscaling`, `disable_suspend`.
    pub fn endpoints(&self) -> EndpointWorkflows<'_> {
        EndpointWorkflows { client: self }
    }

    /// Add-on workflows: `neon_auth_enable`, `data_api_enable`.
    pub fn addons(&self) -> AddonWorkflows<'_> {
        AddonWorkflows { client: self }
    }

    /// Usage workflows: `project`, `projects` (every page).
    pub fn usage(&self) -> UsageWorkflows<'_> {
        UsageWorkflows { client: self }
    }

    /// Checkpoint workflows (snapshot versioning): `create`, `list`, `update`, `delete`,
    /// `rollback`, `preview`.
    pub fn checkpoints(&self) -> CheckpointWorkflows<'_> {
        CheckpointWorkflows { client: self }
    }
}
