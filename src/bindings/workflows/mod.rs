//! The `neon-edge/workflows` module's additions (cargo feature `js-workflows`): the workflow
//! namespaces as getters of the same `NeonClient` (`neon.projects`, `neon.branches`,
//! `neon.snapshots`, `neon.operations`, `neon.postgres`, `neon.checkpoints`, `neon.platform`,
//! `neon.endpoints`, `neon.usage`, `neon.neonAuth`, `neon.dataApi`), each a thin
//! layer that reads JS arguments and options, calls `crate::workflows` and converts back.

mod args;
mod platform_usage;
mod projects_branches;
mod run;
mod snapshots_checkpoints;

use crate::bindings::management::JsNeonClient;
use platform_usage::{JsDataApi, JsEndpoints, JsNeonAuth, JsPlatform, JsUsage};
use projects_branches::{JsBranches, JsOperations, JsPostgres, JsProjects};
use snapshots_checkpoints::{JsCheckpoints, JsSnapshots};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_WORKFLOWS: &str = include_str!("workflows.d.ts");

#[wasm_bindgen(js_class = NeonClient)]
impl JsNeonClient {
    /// Project workflows (`createAndConnect`, `transfer`, `transferFromUser`).
    #[wasm_bindgen(getter)]
    pub fn projects(&self) -> JsProjects {
        JsProjects { core: self.core.clone() }
    }

    /// Branch workflows (`createAndConnect`, `getDefault`, `setDefault`, `resetFromParent`,
    /// `compareSchema`, `finalizeRestore`).
    #[wasm_bindgen(getter)]
    pub fn branches(&self) -> JsBranches {
        JsBranches { core: self.core.clone() }
    }

    /// Snapshot workflows (`restore` with a preview callback).
    #[wasm_bindgen(getter)]
    pub fn snapshots(&self) -> JsSnapshots {
        JsSnapshots { core: self.core.clone() }
    }

    /// Operation workflows (`waitFor`).
    #[wasm_bindgen(getter)]
    pub fn operations(&self) -> JsOperations {
        JsOperations { core: self.core.clone() }
    }

    /// Postgres workflows (`connectionString`).
    #[wasm_bindgen(getter)]
    pub fn postgres(&self) -> JsPostgres {
        JsPostgres { core: self.core.clone() }
    }

    /// Per-user workflows (`provision`, `upgradeTier`).
    #[wasm_bindgen(getter)]
    pub fn platform(&self) -> JsPlatform {
        JsPlatform { core: self.core.clone() }
    }

    /// Endpoint workflows (`setAutoscaling`, `disableSuspend`).
    #[wasm_bindgen(getter)]
    pub fn endpoints(&self) -> JsEndpoints {
        JsEndpoints { core: self.core.clone() }
    }

    /// Usage workflows (`project`, `projects`).
    #[wasm_bindgen(getter)]
    pub fn usage(&self) -> JsUsage {
        JsUsage { core: self.core.clone() }
    }

    /// Neon Auth set-up (`enable`).
    #[wasm_bindgen(getter, js_name = neonAuth)]
    pub fn neon_auth(&self) -> JsNeonAuth {
        JsNeonAuth { core: self.core.clone() }
    }

    /// Data API enablement (`enable`).
    #[wasm_bindgen(getter, js_name = dataApi)]
    pub fn data_api(&self) -> JsDataApi {
        JsDataApi { core: self.core.clone() }
    }

    /// Checkpoint workflows (`create`, `list`, `update`, `delete`, `rollback`, `preview`).
    #[wasm_bindgen(getter)]
    pub fn checkpoints(&self) -> JsCheckpoints {
        JsCheckpoints { core: self.core.clone() }
    }
}
