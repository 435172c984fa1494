//! What every workflow method shares: its options (the Management call options plus
//! `onProgress`), the progress events as JS objects, the workflow error as one of the
//! existing error classes with `workflow`, `step` and `leftBehind` fields, and the promise
//! that runs a workflow.

use crate::bindings::management::call::ManagementCall;
use crate::bindings::management::pages_waits::operation_json;
use crate::bindings::shared::errors::to_js;
use crate::bindings::shared::json::{js_from_json, json_from_js};
use crate::bindings::shared::options::function;
use crate::bindings::shared::promise::promise;
use crate::bindings::shared::values::{put, set};
use crate::core::json::Json;
use crate::core::observer::Observer;
use crate::management::client::NeonClient as CoreClient;
use crate::workflows::{Resource, Step, WorkflowError, WorkflowOptions};
use js_sys::{Function, Object};
use std::future::Future;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// An `onProgress` function; a throwing hook never breaks the workflow.
struct JsStepHook(Function);

impl Observer<Step> for JsStepHook {
    fn notify(&self, step: &Step) {
        let event = Object::new();
        set(&event, "workflow", step.workflow);
        set(&event, "step", step.step);
        set(&event, "phase", step.phase.as_str());
        set(&event, "resources", js_from_json(&resources_json(&step.resources)));
        // The first resource of each kind also as `projectId`, `branchId`, ...
        for kind in ["project", "branch", "endpoint", "snapshot"] {
            if let Some(r) = step.resources.iter().find(|r| r.kind == kind) {
                set(&event, &crate::core::text::concat(&[kind, "Id"]), r.id.as_str());
            }
        }
        if !step.operations.is_empty() {
            let ops = step.operations.iter().map(operation_json).collect();
            set(&event, "operations", js_from_json(&Json::Arr(ops)));
        }
        let _ = self.0.call1(&JsValue::UNDEFINED, &event);
    }
}

/// `[{kind, id, name?}]`.
fn resources_json(resources: &[Resource]) -> Json {
    Json::Arr(
        resources
            .iter()
            .map(|r| {
                let mut item = Json::object([("kind", Json::string(r.kind)), ("id", Json::string(r.id.clone()))]);
                if let Some(name) = &r.name {
                    item.set("name", Json::string(name.clone()));
                }
                item
            })
            .collect(),
    )
}

/// The JS error of a failed workflow: the cause's class and fields, its message prefixed
/// with the workflow and step, plus `workflow`, `step` and `leftBehind`.
pub(super) fn workflow_error(error: &WorkflowError) -> JsValue {
    let js = to_js(&error.cause);
    let obj: &Object = js.unchecked_ref();
    set(obj, "message", error.to_string());
    set(obj, "workflow", error.workflow);
    set(obj, "step", error.step);
    put(obj, "leftBehind", js_from_json(&resources_json(&error.left_behind)));
    js
}

/// What a caller's callback threw, as the workflow's error: the same value, given the
/// workflow's `workflow`, `step` and `leftBehind` fields when it is an object without them.
pub(super) fn thrown_by_callback(thrown: JsValue, error: &WorkflowError) -> JsValue {
    if let Some(obj) = thrown.dyn_ref::<Object>() {
        let fields = [
            ("workflow", JsValue::from_str(error.workflow)),
            ("step", JsValue::from_str(error.step)),
            ("leftBehind", js_from_json(&resources_json(&error.left_behind))),
        ];
        for (key, value) in fields {
            let key = JsValue::from_str(key);
            // A frozen or proxied object refuses: it still reaches the caller unchanged.
            if !js_sys::Reflect::has(obj, &key).unwrap_or(true) {
                let _ = js_sys::Reflect::set(obj, &key, &value);
            }
        }
    }
    thrown
}

/// The workflow's arguments as JSON (functions in them, such as `preview`, are read apart).
pub(super) fn params(value: &JsValue, workflow: &str) -> Result<Json, JsValue> {
    match json_from_js(value, workflow, "params", "the parameters could not be encoded as JSON")? {
        Json::Null => Ok(Json::Obj(Vec::new())),
        obj @ Json::Obj(_) => Ok(obj),
        _ => Err(crate::bindings::shared::errors::invalid_parameter(workflow, "params", "the parameters must be an object")),
    }
}

/// Runs a workflow: reads `options` (`signal`, `timeoutMs`, `deadlineMs`, `retry`,
/// `ifExists`, `onProgress`), keeps the signal listened to until it settles, and turns a
/// workflow error into its JS error.
pub(super) fn run<F, Fut>(core: &CoreClient, options: JsValue, body: F) -> js_sys::Promise
where
    F: FnOnce(CoreClient, WorkflowOptions) -> Fut + 'static,
    Fut: Future<Output = Result<JsValue, WorkflowError>> + 'static,
{
    run_js(core, options, move |core, o| async move { body(core, o).await.map_err(|e| workflow_error(&e)) })
}

/// [`run`] for a workflow that picks its own JS error (a callback's thrown value).
pub(super) fn run_js<F, Fut>(core: &CoreClient, options: JsValue, body: F) -> js_sys::Promise
where
    F: FnOnce(CoreClient, WorkflowOptions) -> Fut + 'static,
    Fut: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    let core = core.clone();
    promise(async move {
        let call = ManagementCall::new(&options, core.retry_policy())?;
        let mut workflow = WorkflowOptions { call: call.options.clone(), on_progress: None };
        if let Some(f) = function(&options, "onProgress", "onProgress")? {
            workflow.on_progress = Some(Arc::new(JsStepHook(f)));
        }
        let result = body(core, workflow).await;
        drop(call);
        result
    })
}

/// A JSON value as JS.
pub(super) fn js(value: &Json) -> JsValue {
    js_from_json(value)
}
