//! `neon.projects.*`, `neon.branches.*`, `neon.postgres.*` and `neon.operations.*`.

use super::args::Params;
use super::run::{js, params, run};
use crate::bindings::shared::errors::to_js;
use crate::core::json::Json;
use crate::management::client::NeonClient as CoreClient;
use crate::workflows::{
    BranchConnection, BranchRef, CleanupParams, CompareSchemaParams, Compute, ConnectionStringParams, CreateBranchParams,
    CreateProjectParams, PointInTimeParams, ProjectConnection, TransferBatch, TransferParams,
};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// A settled promise rejected with `error` (bad arguments, before anything ran).
pub(super) fn rejected(error: JsValue) -> Promise {
    Promise::reject(&error)
}

/// Runs `f` on the parsed arguments, rejecting on bad ones.
pub(super) fn with_params<T>(value: JsValue, workflow: &'static str, f: impl FnOnce(&Params<'_>) -> Result<T, JsValue>) -> Result<T, Promise> {
    let json = params(&value, workflow).map_err(rejected)?;
    f(&Params { json: &json, workflow }).map_err(rejected)
}

fn project_connection(c: ProjectConnection) -> JsValue {
    js(&Json::object([
        ("project", c.project),
        ("branch", c.branch),
        ("connectionString", Json::string(c.connection_string)),
        ("existing", Json::Bool(c.existing)),
    ]))
}

pub(super) fn branch_connection(c: BranchConnection) -> JsValue {
    js(&Json::object([
        ("branch", c.branch),
        ("endpoint", c.endpoint),
        ("connectionString", Json::string(c.connection_string)),
        ("existing", Json::Bool(c.existing)),
    ]))
}

fn batches(list: Vec<TransferBatch>) -> JsValue {
    let out = js_sys::Array::new();
    for b in list {
        let item = js_sys::Object::new();
        let ids: js_sys::Array = b.project_ids.iter().map(|id| JsValue::from_str(id)).collect();
        crate::bindings::shared::values::set(&item, "projectIds", ids);
        crate::bindings::shared::values::set(&item, "ok", b.error.is_none());
        if let Some(e) = &b.error {
            crate::bindings::shared::values::set(&item, "error", to_js(e));
        }
        out.push(&item);
    }
    out.into()
}

/// `{projectId, branchId}`.
pub(super) fn branch_ref(p: &Params<'_>) -> Result<BranchRef, JsValue> {
    Ok(BranchRef { project_id: p.string("projectId")?, branch_id: p.string("branchId")? })
}

/// `compute: { minCu, maxCu, suspendTimeoutSeconds }` of the arguments.
pub(super) fn compute(p: &Params<'_>) -> Result<Compute, JsValue> {
    let suspend = p.number_in("compute", "suspendTimeoutSeconds")?;
    if suspend.is_some_and(|s| s.fract() != 0.0) {
        let problem = "`compute.suspendTimeoutSeconds` must be a whole number";
        return Err(crate::bindings::shared::errors::invalid_parameter(p.workflow, "compute.suspendTimeoutSeconds", problem));
    }
    Ok(Compute {
        min_cu: p.number_in("compute", "minCu")?,
        max_cu: p.number_in("compute", "maxCu")?,
        suspend_timeout_seconds: suspend.map(|s| s as i64),
    })
}

/// `createAndConnect`'s arguments: `projectId`, `name`, `parentId`, `compute`, `pooled`;
/// any other field is a branch field passed through (`parent_timestamp`, `parent_lsn`, ...).
fn create_branch_params(p: &Params<'_>) -> Result<CreateBranchParams, JsValue> {
    Ok(CreateBranchParams {
        project_id: p.string("projectId")?,
        name: p.string("name")?,
        parent_id: p.string("parentId")?,
        branch: p.without(&["projectId", "name", "parentId", "compute", "pooled"]),
        compute: compute(p)?,
        pooled: p.flag("pooled")?.unwrap_or(true),
    })
}

/// `neon.projects`: projects with a connection string, transfers between organizations.
#[wasm_bindgen(js_name = NeonProjects)]
pub struct JsProjects {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonProjects)]
impl JsProjects {
    /// Creates a project, waits for it and resolves to `{ project, branch, connectionString, existing }`.
    #[wasm_bindgen(js_name = createAndConnect, unchecked_return_type = "Promise<ProjectConnection>")]
    pub fn create_and_connect(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectCreateAndConnectParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "projects.createAndConnect", |p| {
            Ok(CreateProjectParams { project: p.without(&["pooled"]), pooled: p.flag("pooled")?.unwrap_or(true) })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.projects().create_and_connect(&args, &o).await.map(project_connection) })
    }

    /// Moves projects between organizations, at most 400 per request: one `{ projectIds, ok, error? }` per batch.
    #[wasm_bindgen(unchecked_return_type = "Promise<TransferBatch[]>")]
    pub fn transfer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProjectTransferParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "projects.transfer", transfer_params) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.projects().transfer(&args, &o).await.map(batches) })
    }

    /// Moves projects of the personal account to an organization, at most 400 per request.
    #[wasm_bindgen(js_name = transferFromUser, unchecked_return_type = "Promise<TransferBatch[]>")]
    pub fn transfer_from_user(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProjectTransferFromUserParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "projects.transferFromUser", transfer_params) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.projects().transfer_from_user(&args, &o).await.map(batches) })
    }
}

fn transfer_params(p: &Params<'_>) -> Result<TransferParams, JsValue> {
    Ok(TransferParams { from_org_id: p.string("fromOrgId")?, to_org_id: p.string("toOrgId")?, project_ids: p.strings("projectIds")? })
}

/// `neon.branches`: branches with their own compute, the default branch, resets, schema diffs.
#[wasm_bindgen(js_name = NeonBranches)]
pub struct JsBranches {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonBranches)]
impl JsBranches {
    /// Creates a branch with a read-write compute: `{ branch, endpoint, connectionString, existing }`.
    #[wasm_bindgen(js_name = createAndConnect, unchecked_return_type = "Promise<BranchConnection>")]
    pub fn create_and_connect(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BranchCreateAndConnectParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "branches.createAndConnect", create_branch_params) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.branches().create_and_connect(&args, &o).await.map(branch_connection) })
    }

    /// The project's default branch.
    #[wasm_bindgen(js_name = getDefault, unchecked_return_type = "Promise<Branch>")]
    pub fn get_default(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let project = match with_params(params, "branches.getDefault", |p| p.string("projectId")) {
            Ok(a) => a.unwrap_or_default(),
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.branches().get_default(&project, &o).await.map(|b| js(&b)) })
    }

    /// Makes the branch the default one; resolves to the branch.
    #[wasm_bindgen(js_name = setDefault, unchecked_return_type = "Promise<Branch>")]
    pub fn set_default(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string; branchId: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let target = match with_params(params, "branches.setDefault", branch_ref) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.branches().set_default(&target, &o).await.map(|b| js(&b)) })
    }

    /// Resets the branch to its parent's state, keeping its connection string.
    #[wasm_bindgen(js_name = resetFromParent, unchecked_return_type = "Promise<Branch>")]
    pub fn reset_from_parent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BranchResetFromParentParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (target, keep) = match with_params(params, "branches.resetFromParent", |p| Ok((branch_ref(p)?, p.string("preserveUnderName")?))) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            core.branches().reset_from_parent(&target, keep.as_deref(), &o).await.map(|b| js(&b))
        })
    }

    /// The schema diff of a database against the parent (or `baseBranchId`): `{ diff }`.
    #[wasm_bindgen(js_name = compareSchema, unchecked_return_type = "Promise<{ diff: string }>")]
    pub fn compare_schema(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BranchCompareSchemaParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "branches.compareSchema", |p| {
            Ok(CompareSchemaParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                database_name: p.string("databaseName")?,
                base_branch_id: p.string("baseBranchId")?,
                lsn: p.string("lsn")?,
                timestamp: p.string("timestamp")?,
                base_lsn: p.string("baseLsn")?,
                base_timestamp: p.string("baseTimestamp")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.branches().compare_schema(&args, &o).await.map(|b| js(&b)) })
    }

    /// Finishes a restore made without finalizing (the restored branch takes the target's place).
    #[wasm_bindgen(js_name = finalizeRestore, unchecked_return_type = "Promise<void>")]
    pub fn finalize_restore(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ projectId: string; branchId: string; name?: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (target, name) = match with_params(params, "branches.finalizeRestore", |p| Ok((branch_ref(p)?, p.string("name")?))) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            core.branches().finalize_restore(&target, name.as_deref(), &o).await.map(|()| JsValue::UNDEFINED)
        })
    }
}

#[wasm_bindgen(js_class = NeonBranches)]
impl JsBranches {
    /// A branch at a past `timestamp` or `lsn` with its own compute: `{ branch, endpoint, connectionString }`.
    #[wasm_bindgen(js_name = pointInTime, unchecked_return_type = "Promise<BranchConnection>")]
    pub fn point_in_time(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BranchPointInTimeParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "branches.pointInTime", |p| {
            Ok(PointInTimeParams {
                project_id: p.string("projectId")?,
                parent_id: p.string("parentId")?,
                name: p.string("name")?,
                timestamp: p.string("timestamp")?,
                lsn: p.string("lsn")?,
                compute: compute(p)?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move { core.branches().point_in_time(&args, &o).await.map(branch_connection) })
    }

    /// Deletes the preview branches (`namePrefix`) made before `createdBefore`; refuses those
    /// with children: `{ deleted, refused: [{ branch, children }] }`.
    #[wasm_bindgen(js_name = cleanupPreviews, unchecked_return_type = "Promise<CleanupResult>")]
    pub fn cleanup_previews(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BranchCleanupParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "branches.cleanupPreviews", |p| {
            Ok(CleanupParams {
                project_id: p.string("projectId")?,
                name_prefix: p.string("namePrefix")?,
                created_before: p.string("createdBefore")?,
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let done = core.branches().cleanup_previews(&args, &o).await?;
            let refused = done
                .refused
                .into_iter()
                .map(|(branch, children)| Json::object([("branch", branch), ("children", Json::Arr(children.into_iter().map(Json::Str).collect()))]))
                .collect();
            Ok(js(&Json::object([("deleted", Json::Arr(done.deleted)), ("refused", Json::Arr(refused))])))
        })
    }
}

/// `neon.postgres`: connection strings.
#[wasm_bindgen(js_name = NeonPostgres)]
pub struct JsPostgres {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonPostgres)]
impl JsPostgres {
    /// The connection string of a branch's database; picks the default branch and the only
    /// role and database when not given.
    #[wasm_bindgen(js_name = connectionString, unchecked_return_type = "Promise<string>")]
    pub fn connection_string(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConnectionStringParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let args = match with_params(params, "postgres.connectionString", |p| {
            Ok(ConnectionStringParams {
                project_id: p.string("projectId")?,
                branch_id: p.string("branchId")?,
                endpoint_id: p.string("endpointId")?,
                database_name: p.string("databaseName")?,
                role_name: p.string("roleName")?,
                pooled: p.flag("pooled")?.unwrap_or(true),
            })
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            core.postgres().connection_string(&args, &o).await.map(|s| JsValue::from_str(&s))
        })
    }
}

/// `neon.operations`: waiting for operations.
#[wasm_bindgen(js_name = NeonOperations)]
pub struct JsOperations {
    pub(super) core: CoreClient,
}

#[wasm_bindgen(js_class = NeonOperations)]
impl JsOperations {
    /// Waits until every operation is terminal; resolves to their last known states.
    #[wasm_bindgen(js_name = waitFor, unchecked_return_type = "Promise<NeonOperation[]>")]
    pub fn wait_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "OperationsWaitForParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WorkflowOptions")] options: JsValue,
    ) -> Promise {
        let (project, ops) = match with_params(params, "operations.waitFor", |p| {
            let mut ops: Vec<Json> = match p.json.get("operations") {
                None | Some(Json::Null) => Vec::new(),
                Some(Json::Arr(items)) => items.clone(),
                Some(_) => return Err(crate::bindings::shared::errors::invalid_parameter(p.workflow, "operations", "`operations` must be an array")),
            };
            ops.extend(p.strings("operationIds")?.into_iter().map(Json::Str));
            // `@neon/sdk` passes only `operations`: their `project_id` names the project.
            let project = match p.string("projectId")? {
                Some(id) => Some(id),
                None => ops.iter().find_map(|op| op.get("project_id").and_then(Json::as_str)).map(str::to_owned),
            };
            Ok((project.unwrap_or_default(), ops))
        }) {
            Ok(a) => a,
            Err(rejected) => return rejected,
        };
        run(&self.core, options, move |core, o| async move {
            let states = core.operations().wait_for(&project, &ops, &o).await?;
            let list = states.iter().map(crate::bindings::management::pages_waits::operation_json).collect();
            Ok(js(&Json::Arr(list)))
        })
    }
}
