//! Native tests of pagination, operation waiting and `ifExists` re-runs over the scripted
//! transport and virtual time.

#[path = "support/virtual_runtime.rs"]
mod virtual_runtime;

#[path = "support/scripted.rs"]
mod scripted;
use scripted::run;

use neon_edge::cancel::CancelToken;
use neon_edge::json::Json;
use neon_edge::operation::Operation;
use neon_edge::operations_wait::{wait_for_operations, WaitOptions, WaitProgress};
use neon_edge::paginate::{is_paginated, Paginator};
use neon_edge::transport::{Method, ScriptedResponse, ScriptedTransport};
use neon_edge::{CallOptions, Created, Error, ErrorKind, IfExists, NeonClient};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use virtual_runtime::VirtualRuntime;

fn client(t: &ScriptedTransport, rt: &VirtualRuntime) -> NeonClient {
    scripted::timed_builder(t, Arc::new(rt.clone())).build().unwrap()
}


/// A `pagination.next`-shaped listing, as branches use.
fn list_branches() -> Operation {
    neon_edge::api::operation("listProjectBranches").unwrap()
}

fn page(t: &ScriptedTransport, body: Value) {
    t.push(ScriptedResponse::json(200, &body.to_string()));
}

fn urls(t: &ScriptedTransport) -> Vec<String> {
    t.requests()
        .iter()
        .map(|r| r.url.replace("https://api.example.test/api/v2", ""))
        .collect()
}

#[test]
fn every_operation_with_cursor_and_limit_is_paginated() {
    let listed: Vec<&str> = neon_edge::api::all_operations()
        .filter(|op| is_paginated(*op))
        .map(|op| op.id())
        .collect();
    assert!(listed.contains(&"listProjects"), "{listed:?}");
    assert!(is_paginated(list_branches()));
    let get = neon_edge::api::operation("getProject").unwrap();
    assert!(!is_paginated(get));
}

#[test]
fn pages_follow_pagination_cursor_until_an_empty_page() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    page(
        &t,
        json!({ "projects": [{ "id": "a" }, { "id": "b" }], "pagination": { "cursor": "b" } }),
    );
    page(
        &t,
        json!({ "projects": [{ "id": "c" }], "pagination": { "cursor": "c" }, "unavailable_project_ids": ["x"] }),
    );
    page(
        &t,
        json!({ "projects": [], "pagination": { "cursor": "c2" } }),
    );
    let op = neon_edge::api::operation("listProjects").unwrap();
    let all = run(Paginator::new(
        &client(&t, &rt),
        op,
        json!({ "limit": 2 }),
        CallOptions::default(),
    )
    .unwrap()
    .all())
    .unwrap();
    let ids: Vec<&str> = all
        .items
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(all.unavailable_project_ids, ["x"]);
    assert_eq!(all.pages, 3);
    assert_eq!(
        urls(&t),
        [
            "/projects?limit=2",
            "/projects?cursor=b&limit=2",
            "/projects?cursor=c&limit=2"
        ]
    );
}

#[test]
fn pages_follow_pagination_next_and_stop_without_a_cursor() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    page(
        &t,
        json!({ "branches": [{ "id": "br-1" }], "annotations": {}, "pagination": { "next": "n1", "sort_by": "updated_at" } }),
    );
    page(
        &t,
        json!({ "branches": [{ "id": "br-2" }], "pagination": {} }),
    );
    let c = client(&t, &rt);
    let mut pages = Paginator::new(
        &c,
        list_branches(),
        json!({ "projectId": "p", "limit": 1 }),
        CallOptions::default(),
    )
    .unwrap();
    let first = run(pages.next_page()).unwrap().unwrap();
    assert_eq!(first.items_key.as_deref(), Some("branches"));
    assert_eq!(first.next_cursor.as_deref(), Some("n1"));
    let second = run(pages.next_page()).unwrap().unwrap();
    assert_eq!(second.items[0]["id"], "br-2");
    assert!(run(pages.next_page()).unwrap().is_none());
    assert_eq!(
        urls(&t),
        [
            "/projects/p/branches?limit=1",
            "/projects/p/branches?cursor=n1&limit=1"
        ]
    );
}

#[test]
fn a_repeated_cursor_ends_with_a_pagination_error_instead_of_looping() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    page(
        &t,
        json!({ "projects": [{ "id": "a" }], "pagination": { "cursor": "same" } }),
    );
    page(
        &t,
        json!({ "projects": [{ "id": "b" }], "pagination": { "cursor": "same" } }),
    );
    let op = neon_edge::api::operation("listProjects").unwrap();
    let err = run(
        Paginator::new(&client(&t, &rt), op, json!({}), CallOptions::default())
            .unwrap()
            .all(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Pagination);
    assert_eq!(
        err,
        Error::Pagination {
            operation: "listProjects".into(),
            cursor: "same".into()
        }
    );
    assert_eq!(t.requests().len(), 2);
}

#[test]
fn paginating_an_unpaginated_operation_is_a_client_error() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let op = neon_edge::api::operation("getProject").unwrap();
    let err = Paginator::new(&client(&t, &rt), op, json!({}), CallOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Client);
}

fn operation(id: &str, status: &str) -> Value {
    json!({ "id": id, "project_id": "p-1", "action": "create_branch", "status": status })
}

fn poll_answer(t: &ScriptedTransport, id: &str, status: &str) {
    page(t, json!({ "operation": operation(id, status) }));
}

#[test]
fn waiting_polls_until_every_operation_is_terminal_and_reports_progress() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, "op-1", "running");
    poll_answer(&t, "op-2", "finished");
    poll_answer(&t, "op-1", "skipped");
    let seen = Arc::new(Mutex::new(Vec::<WaitProgress>::new()));
    let sink = seen.clone();
    let options = WaitOptions {
        on_progress: Some(Arc::new(move |p: &WaitProgress| {
            sink.lock().unwrap().push(p.clone())
        })),
        ..WaitOptions::default()
    };
    let ops = [
        json!({ "id": "op-1", "action": "x", "status": "running" }),
        json!("op-2"),
    ];
    let out = run(wait_for_operations(&client(&t, &rt), "p-1", &ops.map(Json::from), &options)).unwrap();
    assert_eq!(
        out.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
        ["skipped", "finished"]
    );
    assert_eq!(
        urls(&t),
        [
            "/projects/p-1/operations/op-1",
            "/projects/p-1/operations/op-2",
            "/projects/p-1/operations/op-1"
        ]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].polls, 3);
    // An id alone is looked up at once; later polls wait.
    assert_eq!(rt.sleeps().len(), 1);
}

#[test]
fn failed_errored_and_cancelled_operations_reject_with_an_operation_error_listing_them() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, "a", "failed");
    page(
        &t,
        json!({ "operation": { "id": "b", "action": "start_compute", "status": "error", "error": "boom" } }),
    );
    poll_answer(&t, "c", "cancelled");
    poll_answer(&t, "d", "finished");
    let ops = [json!("a"), json!("b"), json!("c"), json!("d")];
    let err = run(wait_for_operations(
        &client(&t, &rt),
        "p-1",
        &ops.map(Json::from),
        &WaitOptions::default(),
    ))
    .unwrap_err();
    let Error::Operation { failed } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        failed.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert_eq!(failed[1].error.as_deref(), Some("boom"));
    assert_eq!(err.kind(), ErrorKind::Operation);
}

#[test]
fn waiting_gives_up_with_a_timeout_naming_the_pending_operations() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    for _ in 0..200 {
        poll_answer(&t, "slow", "running");
    }
    let options = WaitOptions {
        timeout: Duration::from_secs(10),
        ..WaitOptions::default()
    };
    let err = run(wait_for_operations(
        &client(&t, &rt),
        "p-1",
        &[operation("slow", "running").into()],
        &options,
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("slow"), "{err}");
    assert!(rt.elapsed_ms() <= 10_000.0);
    // At 10% of the time waited, 10 s of waiting costs a few dozen polls, not hundreds.
    assert!(t.requests().len() < 40, "{}", t.requests().len());
}

#[test]
fn a_cancelled_wait_stops_polling() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let token = CancelToken::new();
    token.cancel();
    let options = WaitOptions {
        cancel: Some(token),
        ..WaitOptions::default()
    };
    let err = run(wait_for_operations(
        &client(&t, &rt),
        "p-1",
        &[operation("o", "running").into()],
        &options,
    ))
    .unwrap_err();
    assert_eq!(err, Error::Aborted);
    assert!(t.requests().is_empty());
}

#[test]
fn wait_true_waits_for_the_operations_of_a_mutating_call_then_returns_its_body() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let created =
        json!({ "project": { "id": "p-1" }, "operations": [operation("op-9", "running")] });
    page(&t, created.clone());
    poll_answer(&t, "op-9", "finished");
    let op = neon_edge::api::operation("createProject").unwrap();
    let opts = CallOptions {
        wait: true,
        ..CallOptions::default()
    };
    let out =
        run(client(&t, &rt).execute(op, &json!({ "body": { "project": {} } }), &opts)).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&out.body).unwrap(), created);
    assert_eq!(urls(&t), ["/projects", "/projects/p-1/operations/op-9"]);
}

const EXISTS: &str = r#"{"code":"","message":"project with this name already exists"}"#;

#[test]
fn if_exists_return_resolves_a_409_to_the_existing_resource() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::json(409, EXISTS));
    page(
        &t,
        json!({ "projects": [{ "id": "p-0", "name": "other" }, { "id": "p-7", "name": "demo" }], "pagination": {} }),
    );
    let op = neon_edge::api::operation("createProject").unwrap();
    let opts = CallOptions {
        if_exists: IfExists::Return,
        ..CallOptions::default()
    };
    let out = run(client(&t, &rt).execute(
        op,
        &json!({ "body": { "project": { "name": "demo" } } }),
        &opts,
    ))
    .unwrap();
    let body: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(body["project"]["id"], "p-7");
    assert_eq!(t.requests()[1].method, Method::Get);
}

/// A branch create answering 409, the branch found in the listing, and the project's
/// operations: `op-b` on that branch still running, another branch's done.
fn existing_branch(t: &ScriptedTransport) {
    t.push(ScriptedResponse::json(409, r#"{"message":"branch dev already exists"}"#));
    page(t, json!({ "branches": [{ "id": "br-dev", "name": "dev", "project_id": "p-1" }], "pagination": {} }));
    let mut other = operation("op-a", "running");
    other["branch_id"] = json!("br-other");
    let mut mine = operation("op-b", "running");
    mine["branch_id"] = json!("br-dev");
    page(t, json!({ "operations": [other, mine], "pagination": {} }));
}

fn create_dev_branch() -> neon_edge::api::CreateProjectBranchParams {
    serde_json::from_value(json!({ "projectId": "p-1", "body": { "branch": { "name": "dev" } } })).unwrap()
}

#[test]
fn a_typed_create_under_if_exists_return_says_to_use_create_or_existing_instead_of_failing_to_decode() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    existing_branch(&t);
    let opts = CallOptions { if_exists: IfExists::Return, ..CallOptions::default() };
    let err = run(client(&t, &rt).create_project_branch(&create_dev_branch(), &opts)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Client, "{err}");
    assert!(err.to_string().contains("create_or_existing"), "{err}");
}

#[test]
fn create_or_existing_returns_the_existing_branch_with_its_unfinished_operations() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    existing_branch(&t);
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let opts = CallOptions { if_exists: IfExists::Return, ..CallOptions::default() };
    let out: Created<neon_edge::api::CreatedBranchResponse> =
        run(client(&t, &rt).create_or_existing(op, &create_dev_branch(), &opts)).unwrap();
    let Created::Existing(existing) = out else { panic!("expected the existing branch: {out:?}") };
    assert_eq!(existing.resource, "branch");
    assert_eq!(existing.item["id"], "br-dev");
    let ops: Vec<&str> = existing.operations.iter().filter_map(|o| o["id"].as_str()).collect();
    assert_eq!(ops, ["op-b"]);
    assert_eq!(existing.to_json()["existing"], Json::Bool(true));
    assert_eq!(urls(&t), ["/projects/p-1/branches", "/projects/p-1/branches", "/projects/p-1/operations"]);
}

#[test]
fn wait_true_waits_for_the_existing_resources_unfinished_operations() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    existing_branch(&t);
    poll_answer(&t, "op-b", "running");
    poll_answer(&t, "op-b", "finished");
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let opts = CallOptions { if_exists: IfExists::Return, wait: true, ..CallOptions::default() };
    let out = run(client(&t, &rt).execute(op, &json!({ "projectId": "p-1", "body": { "branch": { "name": "dev" } } }), &opts)).unwrap();
    let body: Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(body["branch"]["id"], "br-dev");
    assert_eq!(body["existing"], true);
    let polls = urls(&t).iter().filter(|u| u.as_str() == "/projects/p-1/operations/op-b").count();
    assert_eq!(polls, 2, "{:?}", urls(&t));
}

#[test]
fn a_409_stays_an_error_by_default_and_when_the_resource_is_not_found() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let op = neon_edge::api::operation("createProject").unwrap();
    let args = json!({ "body": { "project": { "name": "demo" } } });
    t.push(ScriptedResponse::json(409, EXISTS));
    let err = run(client(&t, &rt).execute(op, &args, &CallOptions::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(t.requests().len(), 1);
    t.push(ScriptedResponse::json(409, EXISTS));
    page(&t, json!({ "projects": [], "pagination": {} }));
    let opts = CallOptions {
        if_exists: IfExists::Return,
        ..CallOptions::default()
    };
    let err = run(client(&t, &rt).execute(op, &args, &opts)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
}

#[test]
fn a_409_that_is_not_about_existence_is_never_resolved() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    t.push(ScriptedResponse::json(
        409,
        r#"{"message":"a concurrent update"}"#,
    ));
    let op = neon_edge::api::operation("createProject").unwrap();
    let opts = CallOptions {
        if_exists: IfExists::Return,
        ..CallOptions::default()
    };
    let err = run(client(&t, &rt).execute(
        op,
        &json!({ "body": { "project": { "name": "d" } } }),
        &opts,
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn a_paginator_is_a_stream_of_pages_that_ends_after_the_last() {
    use futures_core::Stream;
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    page(
        &t,
        json!({ "projects": [{ "id": "a" }], "pagination": { "cursor": "a" } }),
    );
    page(&t, json!({ "projects": [{ "id": "b" }] }));
    let op = neon_edge::api::operation("listProjects").unwrap();
    let mut stream = Paginator::new(&client(&t, &rt), op, json!({}), CallOptions::default())
        .unwrap()
        .into_stream();
    let mut next = || {
        run(std::future::poll_fn(|cx| {
            std::pin::Pin::new(&mut stream).poll_next(cx)
        }))
    };
    assert_eq!(next().unwrap().unwrap().items[0]["id"], "a");
    assert_eq!(next().unwrap().unwrap().items[0]["id"], "b");
    assert!(next().is_none());
    assert!(next().is_none());
}
