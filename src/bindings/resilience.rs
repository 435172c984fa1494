//! JS options and methods of the resilience layer: `retry`, `rateLimit` and
//! `operationDurations` client options, `waitForOperations`, and the paginator the
//! `neon.paginate.*` shim (pkg-template/setup.js) iterates. The per-call
//! `{ wait, ifExists, retry, deadlineMs }` are read in `call.rs`.

use super::call::{function, number, retry_policy, CallGuard};
use super::client::JsNeonClient;
use super::errors::{client_error, to_js};
use super::js_values::{js_from_json, json_from_js, set};
use super::duration_store::JsDurationStore;
use super::rate_limit_store::JsRateLimitStore;
use super::values::{opt_millis, opt_string, prop, text};
use super::promise::promise;
use crate::client::ClientBuilder;
use crate::observer::Observer;
use crate::operations_wait::{wait_for_operations, WaitOptions, WaitProgress};
use crate::paginate::{is_paginated, Page, Paginator};
use crate::rate_limit::{RateLimitConfig, RateLimiter};
use crate::json::Json;
use js_sys::{Function, Object};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_RESILIENCE: &str = r#"
/** Why a failed attempt is retried. */
export type RetryReason =
  | "rate_limited" | "locked" | "not_ready" | "origin_timeout" | "unavailable" | "network" | "timeout";

/** What `onRetry` sees before the client waits and tries again. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  reason: RetryReason;
  /** The HTTP status of the failed attempt, when there was a response. */
  status?: number;
  /** The operationId called. */
  operation?: string;
}

/** Retry settings; `false` turns retries off. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** No retry starts later than this after the call began (default 60000). */
  maxElapsedMs?: number;
  /** Called before each retry's wait. */
  onRetry?: (event: RetryEvent) => void;
}

/** Client-side pacing to Neon's limits; `false` turns it off. */
export interface RateLimitOptions {
  /** Requests per minute for the account (default 700). */
  perMinute?: number;
  /** Requests per second on one route (default 40). */
  perRoutePerSecond?: number;
  /** Shared bucket state (a Durable Object, ...); in memory, per client, by default. */
  store?: RateLimitStore;
  /**
   * Names the buckets. Clients with the same scope share them: through `store` when given,
   * else in this isolate's memory (clients created per request stay paced together).
   * Without a scope each client keeps its own buckets.
   */
  scope?: string;
}

/** A Neon operation as the API returns it. */
export interface NeonOperation {
  id: string;
  project_id?: string;
  action: string;
  status: string;
  error?: string;
  [field: string]: unknown;
}

/** What `onProgress` sees after each polling round. */
export interface WaitProgress {
  operations: NeonOperation[];
  /** Polling requests sent so far. */
  polls: number;
  elapsedMs: number;
}

/** Arguments of `waitForOperations`: operations (as a call returned them) or their ids. */
export interface WaitForOperationsInit {
  projectId: string;
  operations?: { id: string }[];
  operationIds?: string[];
  /** Give up after this long (default 300000). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: WaitProgress) => void;
}

/** One page of a paginated listing. */
export interface NeonPage<T> {
  items: T[];
  /** The cursor of the next page, when there is one. */
  nextCursor?: string;
  /** Projects the API could not list this time (`listProjects`). */
  unavailableProjectIds: string[];
  /** The whole response body. */
  body: unknown;
}

/** A lazy listing: `for await` over items, or `page()` / `all()`. */
export interface NeonPages<T> extends AsyncIterable<T> {
  /** The next page, or `undefined` after the last one. */
  page(): Promise<NeonPage<T> | undefined>;
  /** Every remaining item. */
  all(): Promise<T[]>;
  /** Every `unavailable_project_ids` entry seen so far. */
  readonly unavailableProjectIds: string[];
}

/** The element type of a paginated response's list. */
export type NeonPageItem<R> = {
  [K in keyof R]-?: K extends "unavailable_project_ids" | "pagination"
    ? never
    : NonNullable<R[K]> extends (infer I)[] ? I : never;
}[keyof R];

/** The operationIds whose parameters include `cursor` and `limit`. */
export type PaginatedOperationId = {
  [K in Exclude<keyof NeonClient, "paginate">]: NeonClient[K] extends (params: infer P, options?: CallOptions) => Promise<unknown>
    ? "cursor" extends keyof NonNullable<P> ? "limit" extends keyof NonNullable<P> ? K : never : never
    : never;
}[Exclude<keyof NeonClient, "paginate">];

/** `neon.paginate.<operationId>(params, options)` for every paginated operation. */
export type NeonPaginators = {
  [K in PaginatedOperationId]: NeonClient[K] extends (params: infer P, options?: CallOptions) => Promise<infer R>
    ? undefined extends P
      ? (params?: NonNullable<P>, options?: CallOptions) => NeonPages<NeonPageItem<R>>
      : (params: P, options?: CallOptions) => NeonPages<NeonPageItem<R>>
    : never;
};

export interface NeonClient {
  /** Lazy listings over every cursor-paginated operation. */
  readonly paginate: NeonPaginators;
}
"#;

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

fn operation_json(state: &crate::operations_wait::OperationState) -> Json {
    if state.raw.as_object().is_some() {
        return state.raw.clone();
    }
    Json::object([
        ("id", Json::string(state.id.clone())),
        ("action", Json::string(state.action.clone())),
        ("status", Json::string(state.status.clone())),
    ])
}

/// Applies the constructor's `retry`, `rateLimit` and `operationDurations` options.
pub(super) fn client_policies(mut builder: ClientBuilder, options: &JsValue) -> Result<ClientBuilder, JsValue> {
    if let Some(retry) = prop(options, "retry") {
        builder = builder.retry(retry_policy(&retry, "retry")?);
    }
    if let Some(limit) = prop(options, "rateLimit") {
        if limit.as_bool() == Some(false) {
            builder = builder.rate_limiter(None);
        } else if limit.is_object() {
            let defaults = RateLimitConfig::default();
            let scope = opt_string(&limit, "scope", "rateLimit.scope")?;
            let config = RateLimitConfig {
                per_minute: number(&limit, "perMinute", "rateLimit.perMinute")?.unwrap_or(defaults.per_minute),
                per_route_per_second: number(&limit, "perRoutePerSecond", "rateLimit.perRoutePerSecond")?
                    .unwrap_or(defaults.per_route_per_second),
                scope: scope.clone().unwrap_or(defaults.scope),
            };
            // A named scope without a store shares this isolate's buckets with its namesakes.
            let limiter = match (prop(&limit, "store"), scope) {
                (Some(store), _) => RateLimiter::new(config, Arc::new(JsRateLimitStore::new(store)?)),
                (None, Some(_)) => RateLimiter::process_wide(config),
                (None, None) => RateLimiter::in_memory(config),
            };
            builder = builder.rate_limiter(Some(limiter.map_err(|e| to_js(&e))?));
        } else if limit.as_bool() != Some(true) {
            return Err(client_error("rateLimit must be false or an object"));
        }
    }
    if let Some(store) = prop(options, "operationDurations") {
        builder = builder.operation_durations(Arc::new(JsDurationStore::new(store)?));
    }
    Ok(builder)
}

/// The operationIds the `paginate` shim exposes: those taking `cursor` and `limit`.
#[wasm_bindgen(js_name = paginatedOperationIds, unchecked_return_type = "string[]")]
pub fn paginated_operation_ids() -> js_sys::Array {
    crate::api::all_operations().filter(|op| is_paginated(*op)).map(|op| JsValue::from_str(op.id())).collect()
}

/// Walks the pages of one listing; `neon.paginate.*` wraps it in an async iterable.
#[wasm_bindgen(js_name = NeonPaginator)]
pub struct JsPaginator {
    pages: Rc<RefCell<Option<Paginator>>>,
    _guard: Rc<CallGuard>,
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
                .ok_or_else(|| client_error("paginate: wait for the previous page before asking for the next"))?;
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
        #[wasm_bindgen(unchecked_param_type = "object | undefined")] args: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions | undefined")] options: JsValue,
    ) -> Result<JsPaginator, JsValue> {
        let op = crate::api::operation(&operation_id).ok_or_else(|| super::client::unknown_operation(&operation_id))?;
        let args = json_from_js(&args, &text(&[&operation_id, ": the argument"]))?;
        let guard = CallGuard::new(&options)?;
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
                .ok_or_else(|| client_error("waitForOperations: projectId is required"))?;
            let mut ops = match json_from_js(&prop(&init, "operations").unwrap_or(JsValue::NULL), "operations")? {
                Json::Arr(ops) => ops,
                Json::Null => Vec::new(),
                _ => return Err(client_error("waitForOperations: operations must be an array")),
            };
            match json_from_js(&prop(&init, "operationIds").unwrap_or(JsValue::NULL), "operationIds")? {
                Json::Arr(ids) if ids.iter().all(|id| id.as_str().is_some()) => ops.extend(ids),
                Json::Null => {}
                _ => return Err(client_error("waitForOperations: operationIds must be an array of strings")),
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
