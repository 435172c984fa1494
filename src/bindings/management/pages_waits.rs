//! The `NeonClient` methods that call the client again and again: `waitForOperations`, and
//! the paginator the `neon.paginate.*` shim (pkg-template/setup.js) iterates.

use super::call::ManagementCall;
use super::client::{unknown_operation, JsNeonClient};
use crate::bindings::shared::call::CallGuard;
use crate::bindings::shared::errors::{invalid_parameter, missing_argument, to_js, unsupported};
use crate::bindings::shared::json::{js_from_json, json_from_js};
use crate::bindings::shared::options::{function, opt_millis, opt_string};
use crate::bindings::shared::promise::promise;
use crate::bindings::shared::values::{prop, set};
use crate::core::json::Json;
use crate::core::observer::Observer;
use crate::management::paginate::{is_paginated, Page, Paginator};
use crate::management::wait::{wait_for_operations, WaitOptions, WaitProgress};
use js_sys::{Function, Object};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// The call the messages of `waitForOperations`' arguments name.
const WAIT: &str = "waitForOperations";

/// An `onProgress` function; a throwing hook never breaks the wait.
struct JsProgressHook(Function);

impl Observer<WaitProgress> for JsProgressHook {
    fn notify(&self, progress: &WaitProgress) {
        let p = Object::new();
        let ops = progress.operations.iter().map(operation_json).collect();
        set(&p, "operations", js_from_json(&Json::Arr(ops)));
        set(&p, "polls", progress.polls);
        set(&p, "elapsedMs", progress.elapsed.as_secs_f64() * 1000.0);
        let _ = self.0.call1(&JsValue::UNDEFINED, &p);
    }
}

/// An operation's last known state as JS sees it: the API's object, else its id, action and status.
pub(crate) fn operation_json(state: &crate::management::wait::OperationState) -> Json {
    if state.raw.as_object().is_some() {
        return state.raw.clone();
    }
    Json::object([
        ("id", Json::string(state.id.clone())),
        ("action", Json::string(state.action.clone())),
        ("status", Json::string(state.status.clone())),
    ])
}

/// The operationIds the `paginate` shim exposes: those taking `cursor` and `limit`.
#[wasm_bindgen(js_name = paginatedOperationIds, unchecked_return_type = "string[]")]
pub fn paginated_operation_ids() -> js_sys::Array {
    crate::management::api::all_operations().filter(|op| is_paginated(*op)).map(|op| JsValue::from_str(op.id())).collect()
}

/// Walks the pages of one listing; `neon.paginate.*` wraps it in an async iterable.
#[wasm_bindgen(js_name = NeonPaginator)]
pub struct JsPaginator {
    pages: Rc<RefCell<Option<Paginator>>>,
    _guard: Rc<ManagementCall>,
}

#[wasm_bindgen(js_class = NeonPaginator)]
impl JsPaginator {
    /// The next page, or `undefined` after the last one.
    #[wasm_bindgen(js_name = nextPage, unchecked_return_type = "Promise<NeonPage<unknown> | undefined>")]
    pub fn next_page(&self) -> js_sys::Promise {
        let pages = self.pages.clone();
        let guard = self._guard.clone();
        promise(async move {
            let _guard = guard;
            let mut p = pages
                .borrow_mut()
                .take()
                .ok_or_else(|| unsupported("paginate", "wait for the previous page before asking for the next"))?;
            let result = p.next_page().await;
            *pages.borrow_mut() = Some(p);
            Ok(result.map_err(|e| to_js(&e))?.map_or(JsValue::UNDEFINED, |page| page_to_js(&page)))
        })
    }
}

fn page_to_js(page: &Page) -> JsValue {
    let o = Object::new();
    set(&o, "items", js_from_json(&Json::Arr(page.items.clone())));
    if let Some(c) = &page.next_cursor {
        set(&o, "nextCursor", c.as_str());
    }
    let ids = page.unavailable_project_ids.iter().map(|s| JsValue::from_str(s)).collect::<js_sys::Array>();
    set(&o, "unavailableProjectIds", ids);
    set(&o, "body", js_from_json(&page.body));
    o.into()
}

#[wasm_bindgen(js_class = NeonClient)]
impl JsNeonClient {
    /// A paginator over a cursor-paginated operation; use `neon.paginate.<operationId>(...)`.
    #[wasm_bindgen(js_name = paginateOperation)]
    pub fn paginate_operation(
        &self,
        #[wasm_bindgen(js_name = operationId)] operation_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "object")] args: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<JsPaginator, JsValue> {
        let op = crate::management::api::operation(&operation_id).ok_or_else(|| unknown_operation(&operation_id))?;
        let args = json_from_js(&args, &operation_id, "args", "the argument could not be encoded as JSON")?;
        let guard = ManagementCall::new(&options, self.core.retry_policy())?;
        let pages = Paginator::new(&self.core, op, args, guard.options.clone()).map_err(|e| to_js(&e))?;
        Ok(JsPaginator { pages: Rc::new(RefCell::new(Some(pages))), _guard: Rc::new(guard) })
    }

    /// Polls until every operation is terminal; rejects with a `NeonOperationError` listing
    /// the failed, errored or cancelled ones, or a `TimeoutError` / `AbortError`.
    #[wasm_bindgen(js_name = waitForOperations, unchecked_return_type = "Promise<NeonOperation[]>")]
    pub fn wait_for_operations(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WaitForOperationsInit")] init: JsValue,
    ) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move {
            let project = opt_string(&init, "projectId", "waitForOperations: projectId")?
                .ok_or_else(|| missing_argument(WAIT, "projectId"))?;
            let mut ops = match json_from_js(&prop(&init, "operations").unwrap_or(JsValue::NULL), "", "operations", "operations could not be encoded as JSON")? {
                Json::Arr(ops) => ops,
                Json::Null => Vec::new(),
                _ => return Err(invalid_parameter(WAIT, "operations", "operations must be an array")),
            };
            match json_from_js(&prop(&init, "operationIds").unwrap_or(JsValue::NULL), "", "operationIds", "operationIds could not be encoded as JSON")? {
                Json::Arr(ids) if ids.iter().all(|id| id.as_str().is_some()) => ops.extend(ids),
                Json::Null => {}
                _ => return Err(invalid_parameter(WAIT, "operationIds", "operationIds must be an array of strings")),
            }
            let guard = CallGuard::new(&init)?;
            let mut wait = WaitOptions { cancel: guard.options.cancel.clone(), ..WaitOptions::default() };
            if let Some(t) = opt_millis(&init, "timeoutMs", "waitForOperations: timeoutMs")? {
                wait.timeout = t;
            }
            if let Some(f) = function(&init, "onProgress", "waitForOperations: onProgress")? {
                wait.on_progress = Some(Arc::new(JsProgressHook(f)));
            }
            let states = wait_for_operations(&core, &project, &ops, &wait).await.map_err(|e| to_js(&e))?;
            let _ = &guard;
            Ok(js_from_json(&Json::Arr(states.iter().map(operation_json).collect())))
        })
    }
}
