//! Native tests of where operation waits learn action durations (`DurationStore`): the first
//! poll aims at what the store expects, failing or silent stores never fail a wait, and the
//! in-memory default behaves as it always did. Scripted transport, virtual time.

#[path = "support/virtual_runtime.rs"]
mod virtual_runtime;

#[path = "support/scripted.rs"]
mod scripted;
use scripted::run;

use neon_edge::operation_durations::{DurationStore, MemoryDurations};
use neon_edge::operations_wait::{wait_for_operations, WaitOptions};
use neon_edge::transport::{BoxFuture, ScriptedResponse, ScriptedTransport};
use neon_edge::{CallOptions, ClientError, Error};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use virtual_runtime::VirtualRuntime;

fn builder(t: &ScriptedTransport, rt: &VirtualRuntime) -> neon_edge::ClientBuilder {
    scripted::timed_builder(t, Arc::new(rt.clone()))
}

/// A store answering `expected` (or failing, or never answering) and keeping what it is told.
#[derive(Default)]
struct ScriptedStore {
    expected: Option<f64>,
    fails: bool,
    silent: bool,
    recorded: Mutex<Vec<(String, f64)>>,
}

impl DurationStore for ScriptedStore {
    fn expected<'a>(&'a self, _action: &'a str) -> BoxFuture<'a, Result<Option<f64>, Error>> {
        if self.silent {
            return Box::pin(std::future::pending());
        }
        let out = match self.fails {
            true => Err(store_down("expected")),
            false => Ok(self.expected),
        };
        Box::pin(async move { out })
    }

    fn record<'a>(&'a self, action: &'a str, ms: f64) -> BoxFuture<'a, Result<(), Error>> {
        self.recorded.lock().unwrap().push((action.to_owned(), ms));
        let out = match self.fails {
            true => Err(store_down("record")),
            false => Ok(()),
        };
        Box::pin(async move { out })
    }
}

/// What a Rust store returns when its backend fails.
fn store_down(method: &str) -> Error {
    ClientError::StoreFailed { what: ["scripted store.", method].concat(), message: "store down".into() }.into()
}

fn running(action: &str) -> Value {
    json!({ "id": "op-1", "project_id": "p-1", "action": action, "status": "running" })
}

fn poll_answer(t: &ScriptedTransport, action: &str, status: &str, total_ms: f64) {
    let op = json!({ "id": "op-1", "project_id": "p-1", "action": action, "status": status, "total_duration_ms": total_ms });
    t.push(ScriptedResponse::json(200, &json!({ "operation": op }).to_string()));
}

fn wait_with(store: Arc<dyn DurationStore>, t: &ScriptedTransport, rt: &VirtualRuntime, action: &str) -> Result<(), Error> {
    let options = WaitOptions { durations: Some(store), ..WaitOptions::default() };
    run(wait_for_operations(&builder(t, rt).build().unwrap(), "p-1", &[running(action).into()], &options)).map(|_| ())
}

#[test]
fn a_learned_duration_sends_the_first_poll_just_after_it() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, "start_compute", "finished", 1990.0);
    let store = Arc::new(ScriptedStore { expected: Some(2000.0), ..ScriptedStore::default() });
    wait_with(store.clone(), &t, &rt, "start_compute").unwrap();
    // 2000 ms plus 2% of it: one sleep, one poll.
    assert_eq!(rt.sleeps(), [Duration::from_millis(2040)]);
    assert_eq!(t.requests().len(), 1);
    assert_eq!(*store.recorded.lock().unwrap(), [("start_compute".to_owned(), 1990.0)]);
}

#[test]
fn without_a_learned_duration_polls_follow_the_ten_percent_rule_and_the_result_is_recorded() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    for _ in 0..3 {
        poll_answer(&t, "create_branch", "running", 0.0);
    }
    poll_answer(&t, "create_branch", "finished", 380.0);
    let store = Arc::new(ScriptedStore::default());
    wait_with(store.clone(), &t, &rt, "create_branch").unwrap();
    assert_eq!(rt.sleeps(), [Duration::from_millis(100); 4]);
    assert_eq!(*store.recorded.lock().unwrap(), [("create_branch".to_owned(), 380.0)]);
}

#[test]
fn a_failing_store_never_fails_the_wait_which_falls_back_to_the_ten_percent_rule() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, "create_branch", "running", 0.0);
    poll_answer(&t, "create_branch", "finished", 150.0);
    let store = Arc::new(ScriptedStore { expected: Some(5000.0), fails: true, ..ScriptedStore::default() });
    wait_with(store.clone(), &t, &rt, "create_branch").unwrap();
    assert_eq!(rt.sleeps(), [Duration::from_millis(100); 2]);
    // It was still told (and its failure ignored).
    assert_eq!(store.recorded.lock().unwrap().len(), 1);
}

#[test]
fn a_store_that_never_answers_is_given_up_on_after_a_second() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, "create_branch", "finished", 900.0);
    let store = Arc::new(ScriptedStore { silent: true, ..ScriptedStore::default() });
    wait_with(store, &t, &rt, "create_branch").unwrap();
    // The second of patience, then 10% of the time waited.
    assert_eq!(rt.sleeps(), [Duration::from_secs(1), Duration::from_millis(100)]);
}

#[test]
fn wait_true_uses_the_store_the_client_was_built_with() {
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    let created = json!({ "branch": { "id": "br-1" }, "operations": [running("create_branch")] });
    t.push(ScriptedResponse::json(201, &created.to_string()));
    poll_answer(&t, "create_branch", "finished", 700.0);
    let store = Arc::new(ScriptedStore { expected: Some(700.0), ..ScriptedStore::default() });
    let client = builder(&t, &rt).operation_durations(store.clone()).build().unwrap();
    let op = neon_edge::api::operation("createProjectBranch").unwrap();
    let opts = CallOptions { wait: true, ..CallOptions::default() };
    run(client.execute(op, &json!({ "projectId": "p-1", "body": { "branch": {} } }), &opts)).unwrap();
    assert_eq!(rt.sleeps(), [Duration::from_millis(725)]);
    assert_eq!(t.requests().len(), 2);
    assert_eq!(store.recorded.lock().unwrap().len(), 1);
}

#[test]
fn by_default_new_clients_of_one_process_learn_from_each_others_waits() {
    // An action no other test uses: the default store is process-wide.
    let action = "durations_test_default_store";
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, action, "running", 0.0);
    poll_answer(&t, action, "finished", 180.0);
    let first = builder(&t, &rt).build().unwrap();
    run(wait_for_operations(&first, "p-1", &[running(action).into()], &WaitOptions::default())).unwrap();
    assert_eq!(rt.sleeps().len(), 2);

    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, action, "finished", 240.0);
    let second = builder(&t, &rt).build().unwrap();
    run(wait_for_operations(&second, "p-1", &[running(action).into()], &WaitOptions::default())).unwrap();
    // 180 ms learned, plus max(2%, min_interval / 4).
    assert_eq!(rt.sleeps(), [Duration::from_millis(205)]);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn a_memory_store_of_its_own_keeps_a_wait_apart_from_the_process_wide_one() {
    let action = "durations_test_own_store";
    let own = Arc::new(MemoryDurations::new());
    let (t, rt) = (ScriptedTransport::new(), VirtualRuntime::new());
    poll_answer(&t, action, "finished", 3000.0);
    wait_with(own.clone(), &t, &rt, action).unwrap();
    assert_eq!(run(own.expected(action)).unwrap(), Some(3000.0));
    assert_eq!(run(MemoryDurations::process_wide().expected(action)).unwrap(), None);
}
