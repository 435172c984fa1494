//! `neon.snapshots.*` (restore with a preview callback, backup schedules) and `neon.checkpoints.*` (snapshot
//! versioning: checkpoints, version history, rollback on the same connection string, previews).

use super::args::Params;
use super::projects_branches::with_params;
use super::run::{js, run, run_js, thrown_by_callback, workflow_error};
use crate::bindings::shared::json::js_from_json;
use crate::bindings::shared::values::{message_of, settled};
use crate::core::error::{ClientError, Error};
use crate::core::json::Json;
use crate::core::transport::BoxFuture;
use crate::management::client::NeonClient as CoreClient;
use crate::workflows::{BranchRef, CheckpointParams, PreviewCheck, RestoreParams, ScheduleParams, SnapshotRef};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A `preview(branch)` callback: its boolean (or promise of one) decides. What it throws is
/// kept in `thrown`, so that the caller gets that same value back.
struct JsPreview {
    callback: Function,
    thrown: Rc<RefCell<Option<JsValue>>>,
}

impl PreviewCheck for JsPreview {
    fn check<'a>(&'a self, branch: &'a Json) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let failed = |e: JsValue| {
                let error = Error::from(ClientError::StoreFailed { what: "preview".into(), message: message_of(&e).unwrap_or_default() });
                *self.thrown.borrow_mut() = Some(e);
                error
            };
            let value = self.callback.call1(&JsValue::UNDEFINED, &js_from_json(branch)).map_err(failed)?;
            let value = settled(&value).await.map_err(failed)?;
            value.as_bool().ok_or_else(|| Error::invalid_option("preview", "must return a boolean or a promise of one"))
        })
    }
}

fn snapshot_ref(p: &Params<'_>) -> Result<SnapshotRef, JsValue> {
    Ok(SnapshotRef { project_id: p.string("projectId")?, snapshot_id: p.string("snapshotId")? })
}

/// `neon.snapshots`: restores.
#[wasm_bindgen(js_name = NeonSnapshots)]
pub struct JsSnapshots {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonSnapshots)]
impl JsSnapshots {
    /// Restores a snapshot; with `preview(branch)`, restores without finalizing, asks the
    /// callback, then finalizes (`true`) or deletes the branch (`false`, unless `keepOnAbort`).
    /// Resolves to `{ branch, finalized, discarded }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<RestoreResult>")]
    pub fn restore(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SnapshotsRestoreParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let thrown = Rc::new(RefCell::new(None));
        let preview = match crate::bindings::shared::options::function(&params, "preview", "preview") {
            Ok(f) => f.map(|callback| JsPreview { callback, thrown: thrown.clone() }),
            Err(e) => return Promise::reject(&e),
        };
        let args = match with_params(params, "snapshots.restore", |p| {
            Ok(RestoreParams {
                project_id: p.string("projectId")?,
                snapshot_id: p.string("snapshotId")?,
                target_branch_id: p.string("targetBranchId")?,
                name: p.string("name")?,
                finalize: p.flag("finalize")?,
                keep_on_abort: p.flag("keepOnAbort")?.unwrap_or(false),
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run_js(&self.core, options, move |core, o| async move {
            let check = preview.as_ref().map(|p| p as &dyn PreviewCheck);
            let restored = core.snapshots().restore(&args, check, &o).await.map_err(|e| match thrown.take() {
                Some(value) if e.step == "preview" => thrown_by_callback(value, &e),
                _ => workflow_error(&e),
            })?;
            Ok(js(&Json::object([
                ("branch", restored.branch),
                ("finalized", Json::Bool(restored.finalized)),
                ("discarded", Json::Bool(restored.discarded)),
            ])))
        })
    }

    /// The branch's backup schedule (default: the project's default branch); resolves to its
    /// items, empty when none is set.
    #[wasm_bindgen(js_name = getSchedule, unchecked_return_type = "Promise<BackupScheduleItem[]>")]
    pub fn get_schedule(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string; branchId?: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "snapshots.getSchedule", |p| {
            Ok(BranchRef { project_id: p.string("projectId")?, branch_id: p.string("branchId")? })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.snapshots().get_schedule(&args, &o).await.map(|s| js(&s)) })
    }

    /// Sets the branch's backup schedule (default: the project's default branch) and resolves
    /// to the schedule now in force.
    #[wasm_bindgen(js_name = setSchedule, unchecked_return_type = "Promise<BackupScheduleItem[]>")]
    pub fn set_schedule(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SnapshotsSetScheduleParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "snapshots.setSchedule", |p| {
            Ok(ScheduleParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                schedule: p.json.get("schedule").cloned().unwrap_or(Json::Null),
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.snapshots().set_schedule(&args, &o).await.map(|s| js(&s)) })
    }
}

/// `neon.checkpoints`: snapshot versioning as the agent-platform guide describes it.
#[wasm_bindgen(js_name = NeonCheckpoints)]
pub struct JsCheckpoints {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonCheckpoints)]
impl JsCheckpoints {
    /// Snapshots a root branch and waits for it; resolves to the snapshot.
    #[wasm_bindgen(unchecked_return_type = "Promise<Snapshot>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CheckpointCreateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "checkpoints.create", |p| {
            Ok(CheckpointParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                name: p.string("name")?,
                expires_at: p.string("expiresAt")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.checkpoints().create(&args, &o).await.map(|s| js(&s)) })
    }

    /// The project's checkpoints, newest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Snapshot[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let project = match with_params(params, "checkpoints.list", |p| p.string("projectId")) {
            Ok(a) => a.unwrap_or_default(),
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            core.checkpoints().list(&project, &o).await.map(|l| js(&Json::Arr(l)))
        })
    }

    /// Renames a checkpoint or changes its expiry (`expiresAt: null` clears it).
    #[wasm_bindgen(unchecked_return_type = "Promise<Snapshot>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CheckpointUpdateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let clears = crate::bindings::shared::values::prop(&params, "expiresAt").is_none()
            && js_sys::Reflect::get(&params, &"expiresAt".into()).is_ok_and(|v| v.is_null());
        let (target, name, expires) = match with_params(params, "checkpoints.update", |p| {
            Ok((snapshot_ref(p)?, p.string("name")?, p.string("expiresAt")?))
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let expiry = match (clears, &expires) {
                (true, _) => Some(None),
                (false, Some(at)) => Some(Some(at.as_str())),
                (false, None) => None,
            };
            core.checkpoints().update(&target, name.as_deref(), expiry, &o).await.map(|s| js(&s))
        })
    }

    /// Deletes a checkpoint (one already gone counts as deleted).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string; snapshotId: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let target = match with_params(params, "checkpoints.delete", snapshot_ref) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.checkpoints().delete(&target, &o).await.map(|()| JsValue::UNDEFINED) })
    }

    /// Rolls the branch back to the checkpoint on the same connection string and deletes
    /// the `(old)` branch: `{ branch, deletedBranchIds }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<RollbackResult>")]
    pub fn rollback(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CheckpointRollbackParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (target, branch) = match with_params(params, "checkpoints.rollback", |p| Ok((snapshot_ref(p)?, p.string("targetBranchId")?))) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let done = core.checkpoints().rollback(&target, branch.as_deref(), &o).await?;
            let ids = done.deleted_branch_ids.into_iter().map(Json::Str).collect();
            Ok(js(&Json::object([("branch", done.branch), ("deletedBranchIds", Json::Arr(ids))])))
        })
    }

    /// Restores a checkpoint beside production: `{ branch, connectionString, existing }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CheckpointPreview>")]
    pub fn preview(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CheckpointPreviewParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (target, name) = match with_params(params, "checkpoints.preview", |p| Ok((snapshot_ref(p)?, p.string("name")?))) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let preview = core.checkpoints().preview(&target, name.as_deref(), &o).await?;
            Ok(js(&Json::object([
                ("branch", preview.branch),
                ("connectionString", Json::string(preview.connection_string)),
                ("existing", Json::Bool(preview.existing)),
            ])))
        })
    }
}
