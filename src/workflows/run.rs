//! What every workflow shares: its options (the per-call `timeout` / `cancel` / `deadline`
//! and a progress observer), the [`Step`] events it reports, the [`WorkflowError`] it fails
//! with, and [`Run`], which sends each request of a workflow under one deadline, reports the
//! steps and remembers the resources the workflow created so that a failure can name them.

use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::observer::Observer;
use crate::core::options::RequestOptions;
use crate::core::time::{from_millis, millis};
use crate::management::client::{CallOptions, IfExists, NeonClient};
use crate::management::operation::Operation;
use crate::management::wait::{wait_for_operations, OperationState, WaitOptions, WaitProgress};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed step future (like the client's own calls, not `Send`).
pub(crate) type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Options every workflow takes.
#[derive(Clone, Default)]
pub struct WorkflowOptions {
    /// `timeout` bounds each request; `deadline` the whole workflow (every request, retry and
    /// operation wait); `cancel` stops it; `retry` replaces the client's policy. `if_exists:
    /// Return` makes the workflows that create a named resource look it up first and carry
    /// on with the one found (how a re-run resumes). `wait` is ignored: workflows always wait.
    pub call: CallOptions,
    /// Told about each step as it starts, waits and ends.
    pub on_progress: Option<Arc<dyn Observer<Step>>>,
}

impl fmt::Debug for WorkflowOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkflowOptions").field("call", &self.call).finish()
    }
}

impl From<RequestOptions> for WorkflowOptions {
    fn from(request: RequestOptions) -> WorkflowOptions {
        WorkflowOptions { call: request.into(), on_progress: None }
    }
}

/// A resource a workflow touched: named in progress events and, when the workflow created it
/// and then failed, in [`WorkflowError::left_behind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `project`, `branch`, `endpoint` or `snapshot`.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Its name, when it has one.
    pub name: Option<String>,
}

impl Resource {
    /// The resource `kind` described by `item` (an API object with `id` and maybe `name`).
    pub(crate) fn of(kind: &'static str, item: &Json) -> Option<Resource> {
        Some(Resource {
            kind,
            id: item.get("id")?.as_str()?.to_owned(),
            name: item.get("name").and_then(Json::as_str).map(str::to_owned),
        })
    }
}

/// Where a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The step begins.
    Started,
    /// The step waits for Neon operations (one event per polling round).
    Waiting,
    /// The step ended well.
    Done,
}

impl Phase {
    /// `started`, `waiting` or `done`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Started => "started",
            Phase::Waiting => "waiting",
            Phase::Done => "done",
        }
    }
}

/// A progress event: which workflow, which step, where it is, the resources it concerns
/// and, while waiting, the operations' last known states.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The workflow, as JS calls it: `projects.createAndConnect`.
    pub workflow: &'static str,
    /// The step: `create_project`, `wait_for_operations`, ...
    pub step: &'static str,
    /// Where the step is.
    pub phase: Phase,
    /// The resources the step concerns, as far as known.
    pub resources: Vec<Resource>,
    /// While waiting: the operations' last known states.
    pub operations: Vec<OperationState>,
}

/// A workflow that failed: the step that failed, why (the typed error of the request or
/// wait) and what the workflow created before it failed and left in place. Running the same
/// workflow again picks these up instead of creating them twice.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowError {
    /// The workflow, as JS calls it: `projects.createAndConnect`.
    pub workflow: &'static str,
    /// The step that failed.
    pub step: &'static str,
    /// Why it failed.
    pub cause: Error,
    /// Resources this run created and left behind.
    pub left_behind: Vec<Resource>,
}

impl WorkflowError {
    /// The coarse kind of the cause.
    pub fn kind(&self) -> crate::core::error::ErrorKind {
        self.cause.kind()
    }
}

impl fmt::Display for WorkflowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::core::text::concat(&[self.workflow, ": step `", self.step, "` failed: "]))?;
        fmt::Display::fmt(&self.cause, f)?;
        if !self.left_behind.is_empty() {
            let left: Vec<String> =
                self.left_behind.iter().map(|r| crate::core::text::concat(&[r.kind, " ", &r.id])).collect();
            f.write_str(&crate::core::text::concat(&["; left behind: ", &crate::core::text::join(&left, ", ")]))?;
        }
        Ok(())
    }
}

impl std::error::Error for WorkflowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

/// The result of a workflow.
pub type WorkflowResult<T> = Result<T, WorkflowError>;

/// One run of a workflow.
pub(crate) struct Run<'a> {
    pub(crate) client: &'a NeonClient,
    workflow: &'static str,
    options: &'a WorkflowOptions,
    started_ms: f64,
    left_behind: Vec<Resource>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(client: &'a NeonClient, workflow: &'static str, options: &'a WorkflowOptions) -> Run<'a> {
        Run { client, workflow, options, started_ms: client.runtime().now_ms(), left_behind: Vec::new() }
    }

    /// The failure of `step` with `cause`, naming what this run left behind.
    pub(crate) fn fail(&self, step: &'static str, cause: Error) -> WorkflowError {
        WorkflowError { workflow: self.workflow, step, cause, left_behind: self.left_behind.clone() }
    }

    /// A bad argument of the workflow (`name`), found at `step` (`validate` before anything
    /// was sent).
    pub(crate) fn invalid(&self, step: &'static str, name: &str, problem: &str) -> WorkflowError {
        self.fail(step, Error::invalid_parameter(self.workflow, name, problem))
    }

    /// A required string argument.
    pub(crate) fn required<'v>(&self, value: Option<&'v str>, name: &str) -> WorkflowResult<&'v str> {
        match value {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(self.fail(
                "validate",
                Error::missing_parameter(self.workflow, name, crate::core::error::ParamLocation::Argument),
            )),
        }
    }

    /// Records a resource this run created: a later failure names it.
    pub(crate) fn created(&mut self, resource: Resource) {
        self.left_behind.push(resource);
    }

    /// Forgets a created resource (the run deleted it again).
    pub(crate) fn removed(&mut self, id: &str) {
        self.left_behind.retain(|r| r.id != id);
    }

    /// Tells the observer about a step.
    pub(crate) fn progress(&self, step: &'static str, phase: Phase, resources: &[Resource], operations: &[OperationState]) {
        if let Some(hook) = &self.options.on_progress {
            hook.notify(&Step {
                workflow: self.workflow,
                step,
                phase,
                resources: resources.to_vec(),
                operations: operations.to_vec(),
            });
        }
    }

    /// Whether the caller asked to carry on with resources found already there.
    pub(crate) fn reuse(&self) -> bool {
        self.options.call.if_exists == IfExists::Return
    }

    /// The time left of the workflow's deadline, if it has one.
    fn remaining(&self) -> Option<std::time::Duration> {
        let spent = self.client.runtime().now_ms() - self.started_ms;
        self.options.call.deadline.map(|d| from_millis((millis(d) - spent).max(1.0)))
    }

    /// Options for one request of the workflow: the caller's timeout, cancel and retry, what
    /// is left of the deadline, and `if_exists`; the workflow waits for operations itself.
    pub(crate) fn call_options(&self, if_exists: IfExists) -> CallOptions {
        CallOptions { deadline: self.remaining(), wait: false, if_exists, ..self.options.call.clone() }
    }

    /// Calls `op` with `args` (the JS argument shape) as step `step` and returns the body.
    pub(crate) fn call(&self, step: &'static str, op: Operation, args: Json) -> Boxed<'_, WorkflowResult<Json>> {
        self.call_with(step, op, args, IfExists::Error)
    }

    /// [`Run::call`] with `if_exists`: under `Return` a create that finds its resource
    /// answers with [`Existing::to_json`](crate::management::if_exists::Existing::to_json).
    /// Reports the step's start, and its end with the resources the answer names. Boxed: one
    /// copy of the call's code serves every step (measured in the wasm module).
    pub(crate) fn call_with(&self, step: &'static str, op: Operation, args: Json, if_exists: IfExists) -> Boxed<'_, WorkflowResult<Json>> {
        Box::pin(async move {
            self.progress(step, Phase::Started, &[], &[]);
            let response = self.client.execute(op, &args, &self.call_options(if_exists)).await.map_err(|e| self.fail(step, e))?;
            let body = match response.body.iter().all(u8::is_ascii_whitespace) {
                true => Json::Null,
                false => Json::parse(&response.body).map_err(|e| self.fail(step, e))?,
            };
            self.progress(step, Phase::Done, &resources_in(&body), &[]);
            Ok(body)
        })
    }

    /// Waits, as step `step`, for the unfinished ones of `operations` (API operation objects
    /// or ids) of `project_id`, reporting each polling round; returns every operation's
    /// last known state (those given as finished objects as given).
    pub(crate) fn wait<'w>(
        &'w self,
        step: &'static str,
        project_id: &'w str,
        operations: &'w [Json],
        resources: &'w [Resource],
    ) -> Boxed<'w, WorkflowResult<Vec<OperationState>>> {
        Box::pin(async move {
            let (pending, mut done): (Vec<&Json>, Vec<&Json>) =
                operations.iter().partition(|op| OperationState::from_value(op).is_none_or(|s| !s.is_terminal()));
            let mut states: Vec<OperationState> = done.drain(..).filter_map(OperationState::from_value).collect();
            if pending.is_empty() {
                return Ok(states);
            }
            let pending: Vec<Json> = pending.into_iter().cloned().collect();
            self.progress(step, Phase::Started, resources, &[]);
            let defaults = WaitOptions::default();
            let on_progress: Option<Arc<dyn Observer<WaitProgress>>> = self.options.on_progress.as_ref().map(|hook| {
                let hook = hook.clone();
                let workflow = self.workflow;
                let resources = resources.to_vec();
                Arc::new(move |p: &WaitProgress| {
                    hook.notify(&Step { workflow, step, phase: Phase::Waiting, resources: resources.clone(), operations: p.operations.clone() })
                }) as Arc<dyn Observer<WaitProgress>>
            });
            let wait = WaitOptions {
                timeout: self.remaining().unwrap_or(defaults.timeout),
                cancel: self.options.call.cancel.clone(),
                on_progress,
                ..defaults
            };
            let waited = wait_for_operations(self.client, project_id, &pending, &wait).await.map_err(|e| self.fail(step, e))?;
            self.progress(step, Phase::Done, resources, &waited);
            states.extend(waited);
            Ok(states)
        })
    }

    /// Waits for every unfinished operation of `project_id` (those another run or another
    /// client started), as step `step`.
    pub(crate) fn settle<'w>(&'w self, step: &'static str, project_id: &'w str, resources: &'w [Resource]) -> Boxed<'w, WorkflowResult<()>> {
        Box::pin(async move {
            let op = crate::management::api::operations::LIST_PROJECT_OPERATIONS;
            let body = self.call(step, op, Json::object([("projectId", Json::string(project_id))])).await?;
            self.wait(step, project_id, list(&body, "operations"), resources).await.map(drop)
        })
    }
}

/// The resources an answer names: its `project`, `branch`, `snapshot`, `endpoint` and
/// `endpoints`.
pub(crate) fn resources_in(body: &Json) -> Vec<Resource> {
    let mut found: Vec<Resource> = ["project", "branch", "snapshot", "endpoint"]
        .into_iter()
        .filter_map(|kind| body.get(kind).and_then(|item| Resource::of(kind, item)))
        .collect();
    found.extend(list(body, "endpoints").iter().filter_map(|e| Resource::of("endpoint", e)));
    found
}

/// The array `key` of a response body (empty when absent).
pub(crate) fn list<'j>(body: &'j Json, key: &str) -> &'j [Json] {
    body.get(key).and_then(Json::as_array).unwrap_or_default()
}

/// The string `key` of an object.
pub(crate) fn text<'j>(item: &'j Json, key: &str) -> Option<&'j str> {
    item.get(key).and_then(Json::as_str)
}
