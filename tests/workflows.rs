//! The workflows end to end, natively, against the local emulator on a real PostgreSQL:
//! the library as a Rust user calls it (`client.projects().create_and_connect(..)`), over a
//! reqwest transport, with SQL over HTTP checking the data behind the connection strings.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/emulator_client.rs"]
mod support;

use neon_edge::core::json::Json;
use neon_edge::workflows::{
    BranchRef, CheckpointParams, Compute, ConnectionStringParams, CreateBranchParams, CreateProjectParams, Phase,
    ScheduleParams, SnapshotRef, Step, WorkflowOptions,
};
use neon_edge::{ErrorKind, IfExists};
use std::sync::{Arc, Mutex};
use support::Emulator;

fn text<'a>(item: &'a Json, key: &str) -> &'a str {
    item.get(key).and_then(Json::as_str).unwrap_or_default()
}

/// Options that record every progress step.
fn recording() -> (WorkflowOptions, Arc<Mutex<Vec<Step>>>) {
    let steps = Arc::new(Mutex::new(Vec::new()));
    let sink = steps.clone();
    let options = WorkflowOptions {
        on_progress: Some(Arc::new(move |s: &Step| sink.lock().unwrap().push(s.clone()))),
        ..WorkflowOptions::default()
    };
    (options, steps)
}

fn project(name: &str) -> CreateProjectParams {
    CreateProjectParams { project: Json::object([("name", Json::string(name))]), ..CreateProjectParams::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_connect_then_connection_strings_branches_and_waits() {
    let emu = Emulator::start().await;
    let neon = emu.client();

    // projects.createAndConnect: waited for, pooled by default, and the database answers.
    let (options, steps) = recording();
    let created = neon.projects().create_and_connect(&project("wf-app"), &options).await.unwrap();
    let project_id = text(&created.project, "id").to_owned();
    assert!(created.connection_string.contains("-pooler"), "pooled by default");
    assert!(!created.existing);
    assert_eq!(emu.column(&created.connection_string, "SELECT current_user").await, ["neondb_owner"]);
    {
        let steps = steps.lock().unwrap();
        let names: Vec<(&str, Phase)> = steps.iter().map(|s| (s.step, s.phase)).collect();
        assert_eq!(names[..2], [("create_project", Phase::Started), ("create_project", Phase::Done)], "{names:?}");
        assert!(names.contains(&("wait_for_operations", Phase::Waiting)), "{names:?}");
        assert!(names.contains(&("wait_for_operations", Phase::Done)), "{names:?}");
        assert!(steps.iter().all(|s| s.workflow == "projects.createAndConnect"));
        assert!(steps[1].resources.iter().any(|r| r.kind == "project" && r.id == project_id));
        let waiting = steps.iter().find(|s| s.phase == Phase::Waiting).unwrap();
        assert!(!waiting.operations.is_empty() && waiting.operations.iter().all(|o| !o.status.is_empty()));
        let debug = format!("{steps:?}");
        assert!(!debug.contains(&created.connection_string), "no connection string in progress events");
    }

    // postgres.connectionString: the default branch, its only role and database; direct on request.
    let params = ConnectionStringParams { project_id: Some(project_id.clone()), pooled: false, ..Default::default() };
    let direct = neon.postgres().connection_string(&params, &WorkflowOptions::default()).await.unwrap();
    assert!(!direct.contains("-pooler"));
    assert_eq!(direct, created.connection_string.replacen("-pooler", "", 1));

    // Two roles: a clear error listing them, before asking for a connection string.
    let branch_id = text(&created.branch, "id").to_owned();
    let role = serde_json::json!({"projectId": project_id, "branchId": branch_id, "body": {"role": {"name": "reader"}}});
    neon.execute(neon_edge::api::operations::CREATE_PROJECT_BRANCH_ROLE, &role, &neon_edge::CallOptions { wait: true, ..Default::default() })
        .await
        .unwrap();
    let err = neon.postgres().connection_string(&params, &WorkflowOptions::default()).await.unwrap_err();
    assert_eq!(err.step, "pick_role");
    assert_eq!(err.kind(), ErrorKind::Client);
    let message = err.to_string();
    assert!(message.contains("neondb_owner") && message.contains("reader") && message.contains("roleName"), "{message}");
    let picked = ConnectionStringParams { role_name: Some("neondb_owner".into()), ..params.clone() };
    assert_eq!(neon.postgres().connection_string(&picked, &WorkflowOptions::default()).await.unwrap(), direct);

    // branches.createAndConnect: bad compute refused before sending; a branch sees its parent's rows.
    emu.execute(&created.connection_string, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('from main')").await;
    let bad = CreateBranchParams {
        project_id: Some(project_id.clone()),
        compute: Compute { min_cu: Some(0.25), max_cu: Some(16.0), ..Default::default() },
        ..Default::default()
    };
    let err = neon.branches().create_and_connect(&bad, &WorkflowOptions::default()).await.unwrap_err();
    assert_eq!((err.step, err.kind()), ("validate", ErrorKind::Client));
    assert!(err.to_string().contains("maxCu"), "{err}");
    let dev = CreateBranchParams {
        project_id: Some(project_id.clone()),
        name: Some("dev".into()),
        compute: Compute { min_cu: Some(0.25), max_cu: Some(0.5), suspend_timeout_seconds: Some(300) },
        ..Default::default()
    };
    let branch = neon.branches().create_and_connect(&dev, &WorkflowOptions::default()).await.unwrap();
    assert_eq!(text(&branch.branch, "name"), "dev");
    assert_eq!(branch.endpoint.get("autoscaling_limit_max_cu"), Some(&Json::Num("0.5".into())));
    assert_ne!(branch.connection_string, created.connection_string);
    assert_eq!(emu.column(&branch.connection_string, "SELECT body FROM notes").await, ["from main"]);

    // branches.getDefault / setDefault.
    let default = neon.branches().get_default(&project_id, &WorkflowOptions::default()).await.unwrap();
    assert_eq!(text(&default, "id"), branch_id);
    let dev_ref = BranchRef { project_id: Some(project_id.clone()), branch_id: Some(text(&branch.branch, "id").to_owned()) };
    neon.branches().set_default(&dev_ref, &WorkflowOptions::default()).await.unwrap();
    let default = neon.branches().get_default(&project_id, &WorkflowOptions::default()).await.unwrap();
    assert_eq!(text(&default, "id"), text(&branch.branch, "id"));

    // branches.resetFromParent: the dev branch loses its own rows, keeps its connection string.
    emu.execute(&branch.connection_string, "INSERT INTO notes VALUES ('from dev')").await;
    let reset = neon.branches().reset_from_parent(&dev_ref, None, &WorkflowOptions::default()).await.unwrap();
    assert_eq!(text(&reset, "id"), text(&branch.branch, "id"));
    assert_eq!(emu.column(&branch.connection_string, "SELECT body FROM notes").await, ["from main"]);
    let main_ref = BranchRef { project_id: Some(project_id.clone()), branch_id: Some(branch_id.clone()) };
    let err = neon.branches().reset_from_parent(&main_ref, None, &WorkflowOptions::default()).await.unwrap_err();
    assert_eq!(err.step, "get_branch");
    assert!(err.to_string().contains("no parent"), "{err}");

    // operations.waitFor, on a fresh mutation's operations.
    let args = serde_json::json!({"projectId": project_id, "body": {"branch": {"name": "scratch"}}});
    let response = neon.execute(neon_edge::api::operations::CREATE_PROJECT_BRANCH, &args, &Default::default()).await.unwrap();
    let body = Json::parse(&response.body).unwrap();
    let ops = body.get("operations").and_then(Json::as_array).unwrap().to_vec();
    let states = neon.operations().wait_for(&project_id, &ops, &WorkflowOptions::default()).await.unwrap();
    assert_eq!(states.len(), ops.len());
    assert!(states.iter().all(|s| s.status == "finished"), "{states:?}");

    emu.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_roll_back_on_the_same_connection_string_and_preview_beside_production() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let none = WorkflowOptions::default();
    let app = neon.projects().create_and_connect(&project("wf-checkpoints"), &none).await.unwrap();
    let project_id = text(&app.project, "id").to_owned();
    let main = text(&app.branch, "id").to_owned();
    emu.execute(&app.connection_string, "CREATE TABLE todo (title text); INSERT INTO todo VALUES ('v1')").await;

    let checkpoint = CheckpointParams {
        project_id: Some(project_id.clone()),
        branch_id: Some(main.clone()),
        name: Some("version-1".into()),
        expires_at: None,
    };
    let snapshot = neon.checkpoints().create(&checkpoint, &none).await.unwrap();
    let snap = SnapshotRef { project_id: Some(project_id.clone()), snapshot_id: Some(text(&snapshot, "id").to_owned()) };
    emu.execute(&app.connection_string, "INSERT INTO todo VALUES ('v2')").await;

    // Version history, newest first; renamed.
    let history = neon.checkpoints().list(&project_id, &none).await.unwrap();
    assert_eq!(history.iter().map(|s| text(s, "name")).collect::<Vec<_>>(), ["version-1"]);
    let renamed = neon.checkpoints().update(&snap, Some("version-1.0"), None, &none).await.unwrap();
    assert_eq!(text(&renamed, "name"), "version-1.0");

    // Preview: its own connection string sees v1; production still has v2.
    let preview = neon.checkpoints().preview(&snap, Some("preview-1"), &none).await.unwrap();
    assert_ne!(preview.connection_string, app.connection_string);
    assert_eq!(emu.column(&preview.connection_string, "SELECT title FROM todo ORDER BY 1").await, ["v1"]);
    assert_eq!(emu.column(&app.connection_string, "SELECT title FROM todo ORDER BY 1").await, ["v1", "v2"]);

    // Rollback: the same connection string now serves v1; no "(old)" branch stays.
    let (options, steps) = recording();
    let rolled = neon.checkpoints().rollback(&snap, Some(&main), &options).await.unwrap();
    assert_eq!(rolled.deleted_branch_ids, std::slice::from_ref(&main));
    assert_eq!(emu.column(&app.connection_string, "SELECT title FROM todo ORDER BY 1").await, ["v1"]);
    let listed = neon.execute(neon_edge::api::operations::LIST_PROJECT_BRANCHES, &serde_json::json!({"projectId": project_id}), &Default::default()).await.unwrap();
    let listed = String::from_utf8(listed.body).unwrap();
    assert!(!listed.contains("(old)"), "{listed}");
    assert!(steps.lock().unwrap().iter().any(|s| s.step == "delete_branch" && s.phase == Phase::Done));

    // A second rollback to the same checkpoint finds its branch although the source was replaced.
    emu.execute(&app.connection_string, "INSERT INTO todo VALUES ('v3')").await;
    neon.checkpoints().rollback(&snap, None, &none).await.unwrap();
    assert_eq!(emu.column(&app.connection_string, "SELECT title FROM todo ORDER BY 1").await, ["v1"]);

    // Only root branches: a preview branch is refused, naming its parent.
    let preview_id = text(&preview.branch, "id").to_owned();
    let dev = CheckpointParams { branch_id: Some(preview_id), ..checkpoint.clone() };
    let child = neon.branches().create_and_connect(
        &CreateBranchParams { project_id: Some(project_id.clone()), name: Some("child".into()), ..Default::default() },
        &none,
    ).await.unwrap();
    let dev = CheckpointParams { branch_id: Some(text(&child.branch, "id").to_owned()), ..dev };
    let err = neon.checkpoints().create(&dev, &none).await.unwrap_err();
    assert_eq!(err.step, "get_branch");
    assert!(err.to_string().contains("not a root branch"), "{err}");

    neon.checkpoints().delete(&snap, &none).await.unwrap();
    assert!(neon.checkpoints().list(&project_id, &none).await.unwrap().is_empty());
    emu.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_operation_midway_names_the_step_and_what_it_left_and_a_rerun_completes_it() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let none = WorkflowOptions::default();
    let app = neon.projects().create_and_connect(&project("wf-resume"), &none).await.unwrap();
    let project_id = text(&app.project, "id").to_owned();

    emu.control("config", serde_json::json!({"fail_next_operations": 1})).await;
    let params = CreateBranchParams { project_id: Some(project_id.clone()), name: Some("feature".into()), ..Default::default() };
    let err = neon.branches().create_and_connect(&params, &none).await.unwrap_err();
    assert_eq!(err.workflow, "branches.createAndConnect");
    assert_eq!(err.step, "wait_for_operations");
    assert_eq!(err.kind(), ErrorKind::Operation);
    assert_eq!(err.left_behind.len(), 1);
    assert_eq!(err.left_behind[0].kind, "branch");
    assert!(err.to_string().contains(&err.left_behind[0].id), "{err}");

    // The re-run finds the branch by name and finishes: no second "feature".
    let resume = WorkflowOptions { call: neon_edge::CallOptions { if_exists: IfExists::Return, ..Default::default() }, ..none.clone() };
    let done = neon.branches().create_and_connect(&params, &resume).await.unwrap();
    assert!(done.existing);
    assert_eq!(text(&done.branch, "id"), err.left_behind[0].id);
    assert_eq!(emu.column(&done.connection_string, "SELECT 1").await, ["1"]);
    let listed = neon.execute(neon_edge::api::operations::LIST_PROJECT_BRANCHES, &serde_json::json!({"projectId": project_id}), &Default::default()).await.unwrap();
    let listed = Json::parse(&listed.body).unwrap();
    let features = listed.get("branches").and_then(Json::as_array).unwrap().iter().filter(|b| text(b, "name") == "feature").count();
    assert_eq!(features, 1);

    // A project created but not waited for (its wait failed) is found by name on the re-run.
    emu.control("config", serde_json::json!({"fail_next_operations": 1})).await;
    let err = neon.projects().create_and_connect(&project("wf-tenant-42"), &none).await.unwrap_err();
    assert_eq!((err.step, err.left_behind.len()), ("wait_for_operations", 1));
    let done = neon.projects().create_and_connect(&project("wf-tenant-42"), &resume).await.unwrap();
    assert!(done.existing);
    assert_eq!(text(&done.project, "id"), err.left_behind[0].id);
    assert_eq!(emu.column(&done.connection_string, "SELECT 1").await, ["1"]);
    emu.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_schedules_are_set_and_read_back_on_the_default_branch() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let options = WorkflowOptions::default();
    let created = neon.projects().create_and_connect(&project("wf-schedule"), &options).await.unwrap();
    let project_id = text(&created.project, "id").to_owned();
    let target = BranchRef { project_id: Some(project_id.clone()), branch_id: None };

    assert_eq!(neon.snapshots().get_schedule(&target, &options).await.unwrap(), Json::Arr(vec![]), "none at first");
    let daily = Json::parse(br#"[{"frequency":"daily","hour":3,"retention_seconds":604800}]"#).unwrap();
    let params = ScheduleParams { project_id: Some(project_id.clone()), branch_id: None, schedule: daily };
    let set = neon.snapshots().set_schedule(&params, &options).await.unwrap();
    let items = set.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(text(&items[0], "frequency"), "daily");
    // Read through the default branch's id, as a second caller would.
    let default_id = text(&neon.branches().get_default(&project_id, &options).await.unwrap(), "id").to_owned();
    let by_id = BranchRef { project_id: Some(project_id.clone()), branch_id: Some(default_id) };
    assert_eq!(neon.snapshots().get_schedule(&by_id, &options).await.unwrap(), set);

    // Bad input is refused before sending, naming the field; the API's refusals come back typed.
    let bad = ScheduleParams { schedule: Json::object([("frequency", Json::string("daily"))]), ..params.clone() };
    let e = neon.snapshots().set_schedule(&bad, &options).await.unwrap_err();
    assert_eq!((e.step, e.kind()), ("set_schedule", ErrorKind::Client), "{e}");
    assert!(e.to_string().contains("schedule"), "{e}");
    let wrong = ScheduleParams { schedule: Json::parse(br#"[{"frequency":"every minute"}]"#).unwrap(), ..params };
    let e = neon.snapshots().set_schedule(&wrong, &options).await.unwrap_err();
    assert_eq!(e.step, "set_schedule", "{e}");
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert_eq!(neon.snapshots().get_schedule(&target, &options).await.unwrap(), set, "the refused schedule changed nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollback_interrupted_before_its_clean_up_is_finished_by_a_rerun_without_a_second_restore() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let none = WorkflowOptions::default();
    let app = neon.projects().create_and_connect(&project("wf-interrupted"), &none).await.unwrap();
    let project_id = text(&app.project, "id").to_owned();
    let main = text(&app.branch, "id").to_owned();
    emu.execute(&app.connection_string, "CREATE TABLE todo (title text); INSERT INTO todo VALUES ('v1')").await;
    let checkpoint = CheckpointParams { project_id: Some(project_id.clone()), branch_id: Some(main.clone()), name: Some("v1".into()), expires_at: None };
    let snapshot = neon.checkpoints().create(&checkpoint, &none).await.unwrap();
    let snap = SnapshotRef { project_id: Some(project_id.clone()), snapshot_id: Some(text(&snapshot, "id").to_owned()) };
    emu.execute(&app.connection_string, "INSERT INTO todo VALUES ('v2')").await;
    let branches = || async {
        let listed = neon.execute(neon_edge::api::operations::LIST_PROJECT_BRANCHES, &serde_json::json!({"projectId": project_id}), &Default::default()).await.unwrap();
        let listed = Json::parse(&listed.body).unwrap();
        let mut names: Vec<String> = listed.get("branches").and_then(Json::as_array).unwrap().iter().map(|b| text(b, "name").to_owned()).collect();
        names.sort();
        names
    };

    // The restore goes through; deleting the "(old)" branch fails (every retry of it).
    let path = format!("/api/v2/projects/{project_id}/branches/{main}");
    emu.control("faults", serde_json::json!({"path": path, "method": "DELETE", "status": 500, "times": 0})).await;
    let err = neon.checkpoints().rollback(&snap, None, &none).await.unwrap_err();
    assert_eq!((err.workflow, err.step), ("checkpoints.rollback", "delete_branch"), "{err}");
    assert_eq!(branches().await, ["main", "main (old)"]);
    assert_eq!(emu.column(&app.connection_string, "SELECT title FROM todo ORDER BY 1").await, ["v1"], "restored already");

    // The re-run (the source branch is now "main (old)") finishes the clean-up: no second
    // restore, the "(old)" branch deleted once, the restored rows on the same string.
    let status = reqwest::Client::new().delete(format!("{}/__emulator/faults", emu.handle.base_url)).send().await.unwrap().status();
    assert!(status.is_success());
    let (options, steps) = recording();
    let rolled = neon.checkpoints().rollback(&snap, None, &options).await.unwrap();
    assert_eq!(rolled.deleted_branch_ids, std::slice::from_ref(&main));
    assert_eq!(text(&rolled.branch, "name"), "main");
    let steps = steps.lock().unwrap().clone();
    assert!(!steps.iter().any(|s| s.step == "restore_snapshot"), "no second restore: {steps:?}");
    assert_eq!(steps.iter().filter(|s| s.step == "delete_branch" && s.phase == Phase::Done).count(), 1);
    assert_eq!(branches().await, ["main"], "no duplicate branches, no (old) branch");
    assert_eq!(emu.column(&app.connection_string, "SELECT title FROM todo ORDER BY 1").await, ["v1"]);
    emu.handle.shutdown().await;
}
