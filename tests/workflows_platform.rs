//! The agent-platform guide's procedures end to end, natively, against the local emulator:
//! per-user provisioning from a tier table (resumed after a failure), tier upgrade, point in
//! time branches, preview cleanup, autoscaling and suspension, usage.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/emulator_client.rs"]
mod support;

use neon_edge::core::json::Json;
use neon_edge::workflows::{
    CleanupParams, DataApiParams, NeonAuthParams, NeonAuthSetupParams, Compute, CreateBranchParams, EndpointTarget, PointInTimeParams, ProvisionParams, Tier, UsageParams,
    WorkflowOptions,
};
use neon_edge::ErrorKind;
use support::Emulator;

fn text<'a>(item: &'a Json, key: &str) -> &'a str {
    item.get(key).and_then(Json::as_str).unwrap_or_default()
}

/// A number field, whatever text the server wrote it with (`1`, `1.0`).
fn num(item: &Json, key: &str) -> f64 {
    match item.get(key) {
        Some(Json::Num(n)) => n.parse().unwrap(),
        other => panic!("{key} is {other:?}"),
    }
}

async fn get(neon: &neon_edge::NeonClient, op: neon_edge::operation::Operation, args: serde_json::Value) -> Json {
    Json::parse(&neon.execute(op, &args, &Default::default()).await.unwrap().body).unwrap()
}

/// The guide's two tiers as a caller's table: sponsored (free-tier-like) and paid.
fn tiers(sponsored: &str, paid: &str) -> (Tier, Tier) {
    let quota = |active: &str, written: &str| {
        Json::object([("active_time_seconds", Json::Num(active.into())), ("written_data_bytes", Json::Num(written.into()))])
    };
    (
        Tier {
            org_id: Some(sponsored.into()),
            compute: Compute { min_cu: Some(0.25), max_cu: Some(1.0), suspend_timeout_seconds: Some(300) },
            quota: quota("360000", "1073741824"),
        },
        Tier {
            org_id: Some(paid.into()),
            compute: Compute { min_cu: Some(0.25), max_cu: Some(4.0), suspend_timeout_seconds: Some(600) },
            quota: quota("3600000", "10737418240"),
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioning_from_a_tier_table_resumes_after_a_failure_and_upgrades() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let none = WorkflowOptions::default();
    let orgs = get(&neon, neon_edge::api::operations::GET_CURRENT_USER_ORGANIZATIONS, serde_json::json!({})).await;
    let orgs = orgs.get("organizations").and_then(Json::as_array).unwrap().to_vec();
    let (sponsored, paid) = tiers(text(&orgs[0], "id"), text(&orgs[1], "id"));

    let bad = ProvisionParams {
        name: Some("user-0".into()),
        tier: Tier { compute: Compute { min_cu: Some(0.1), ..Default::default() }, ..sponsored.clone() },
        ..Default::default()
    };
    let err = neon.platform().provision(&bad, &none).await.unwrap_err();
    assert_eq!((err.step, err.kind()), ("validate", ErrorKind::Client));

    let params = ProvisionParams {
        name: Some("user-1".into()),
        tier: sponsored.clone(),
        pg_version: Some(17),
        branch_name: Some("main".into()),
        role_name: Some("app_user".into()),
        database_name: Some("app_db".into()),
        ..Default::default()
    };
    // The first run fails while waiting for the new project: it is named as left behind.
    emu.control("config", serde_json::json!({"fail_next_operations": 1})).await;
    let err = neon.platform().provision(&params, &none).await.unwrap_err();
    assert_eq!(err.step, "wait_for_operations");
    assert_eq!(err.left_behind.iter().map(|r| r.kind).collect::<Vec<_>>(), ["project"]);
    // The re-run finds it by name and finishes configuring it.
    let user = neon.platform().provision(&params, &none).await.unwrap();
    assert!(user.existing);
    let project_id = text(&user.project, "id").to_owned();
    assert_eq!(project_id, err.left_behind[0].id);
    assert!(user.pooled_connection_string.contains("-pooler"));
    assert!(!user.direct_connection_string.contains("-pooler"));
    for url in [&user.pooled_connection_string, &user.direct_connection_string] {
        assert_eq!(emu.column(url, "SELECT current_user").await, ["app_user"]);
    }
    let listed = get(&neon, neon_edge::api::operations::LIST_PROJECTS, serde_json::json!({"search": "user-1"})).await;
    assert_eq!(listed.get("projects").and_then(Json::as_array).unwrap().len(), 1, "no duplicate");
    let project = get(&neon, neon_edge::api::operations::GET_PROJECT, serde_json::json!({"projectId": project_id})).await;
    let project = project.get("project").unwrap();
    assert_eq!(text(project, "org_id"), sponsored.org_id.as_deref().unwrap());
    let quota = project.get("settings").and_then(|s| s.get("quota")).unwrap();
    assert_eq!(num(quota, "active_time_seconds"), 360000.0);
    assert_eq!(num(&user.endpoint, "autoscaling_limit_max_cu"), 1.0);

    // Tier upgrade: moved to the paid organization, its quotas and autoscaling applied.
    let upgraded = neon.platform().upgrade_tier(&project_id, &paid, &none).await.unwrap();
    assert_eq!(text(&upgraded, "org_id"), paid.org_id.as_deref().unwrap());
    let quota = upgraded.get("settings").and_then(|s| s.get("quota")).unwrap();
    assert_eq!(num(quota, "active_time_seconds"), 3600000.0);
    let endpoints = get(&neon, neon_edge::api::operations::LIST_PROJECT_ENDPOINTS, serde_json::json!({"projectId": project_id})).await;
    let endpoint = &endpoints.get("endpoints").and_then(Json::as_array).unwrap()[0];
    assert_eq!(num(endpoint, "autoscaling_limit_max_cu"), 4.0);
    assert_eq!(num(endpoint, "suspend_timeout_seconds"), 600.0);
    // A re-run of the upgrade finds the project moved and applies the tier again.
    neon.platform().upgrade_tier(&project_id, &paid, &none).await.unwrap();
    emu.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn point_in_time_branches_previews_cleanup_autoscaling_and_usage() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let none = WorkflowOptions::default();
    let params = neon_edge::workflows::CreateProjectParams {
        project: Json::object([("name", Json::string("pitr"))]),
        ..Default::default()
    };
    let app = neon.projects().create_and_connect(&params, &none).await.unwrap();
    let project_id = text(&app.project, "id").to_owned();
    emu.execute(&app.connection_string, "CREATE TABLE events (n int); INSERT INTO events VALUES (1)").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let moment = emu
        .column(&app.connection_string, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        .await
        .remove(0);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    emu.execute(&app.connection_string, "INSERT INTO events VALUES (2)").await;

    // Point in time: the rows of that moment, production untouched.
    let pitr = PointInTimeParams {
        project_id: Some(project_id.clone()),
        name: Some("pitr-1".into()),
        timestamp: Some(moment),
        compute: Compute { max_cu: Some(0.5), ..Default::default() },
        ..Default::default()
    };
    let past = neon.branches().point_in_time(&pitr, &none).await.unwrap();
    assert_eq!(emu.column(&past.connection_string, "SELECT n FROM events ORDER BY n").await, ["1"]);
    assert_eq!(emu.column(&app.connection_string, "SELECT n FROM events ORDER BY n").await, ["1", "2"]);
    let both = PointInTimeParams { lsn: Some("0/1".into()), ..pitr.clone() };
    assert_eq!(neon.branches().point_in_time(&both, &none).await.unwrap_err().step, "validate");

    // Preview cleanup: deletes the old previews, refuses (and names) one with children.
    let branch = |name: &str, parent: Option<String>| CreateBranchParams {
        project_id: Some(project_id.clone()),
        name: Some(name.into()),
        parent_id: parent,
        ..Default::default()
    };
    neon.branches().create_and_connect(&branch("preview-a", None), &none).await.unwrap();
    let b = neon.branches().create_and_connect(&branch("preview-b", None), &none).await.unwrap();
    neon.branches().create_and_connect(&branch("child-of-b", Some(text(&b.branch, "id").to_owned())), &none).await.unwrap();
    let cleanup = CleanupParams {
        project_id: Some(project_id.clone()),
        name_prefix: Some("preview-".into()),
        created_before: Some("2999-01-01T00:00:00Z".into()),
    };
    let done = neon.branches().cleanup_previews(&cleanup, &none).await.unwrap();
    assert_eq!(done.deleted.iter().map(|b| text(b, "name")).collect::<Vec<_>>(), ["preview-a"]);
    assert_eq!(done.refused.len(), 1);
    assert_eq!((text(&done.refused[0].0, "name"), done.refused[0].1.clone()), ("preview-b", vec!["child-of-b".to_owned()]));
    let none_before = CleanupParams { created_before: Some("2000-01-01T00:00:00Z".into()), ..cleanup };
    assert!(neon.branches().cleanup_previews(&none_before, &none).await.unwrap().deleted.is_empty());

    // Autoscaling on a branch's endpoints, checked first; suspension off on one.
    let target = EndpointTarget { project_id: Some(project_id.clone()), branch_id: Some(text(&past.branch, "id").to_owned()), ..Default::default() };
    let too_big = Compute { max_cu: Some(10.0), ..Default::default() };
    assert_eq!(neon.endpoints().set_autoscaling(&target, &too_big, &none).await.unwrap_err().step, "validate");
    let range = Compute { min_cu: Some(0.5), max_cu: Some(2.0), ..Default::default() };
    let updated = neon.endpoints().set_autoscaling(&target, &range, &none).await.unwrap();
    assert_eq!(updated.len(), 1);
    assert_eq!(num(&updated[0], "autoscaling_limit_min_cu"), 0.5);
    assert_eq!(num(&updated[0], "autoscaling_limit_max_cu"), 2.0);
    let one = EndpointTarget { endpoint_id: Some(text(&updated[0], "id").to_owned()), ..target };
    let always_on = neon.endpoints().disable_suspend(&one, &none).await.unwrap();
    assert_eq!(num(&always_on[0], "suspend_timeout_seconds"), -1.0);

    // Usage: one project, and many over a period (every page).
    let usage = neon.usage().project(&project_id, &none).await.unwrap();
    assert_eq!(text(&usage, "project_id"), project_id);
    let org = text(&app.project, "org_id").to_owned();
    let history = UsageParams {
        org_id: Some(org),
        from: Some("2026-01-01T00:00:00Z".into()),
        to: Some("2026-02-01T00:00:00Z".into()),
        granularity: Some("monthly".into()),
        project_ids: vec![project_id.clone()],
        ..Default::default()
    };
    let items = neon.usage().projects(&history, &none).await.unwrap();
    assert_eq!(items.iter().map(|p| text(p, "project_id")).collect::<Vec<_>>(), [project_id.as_str()]);
    assert_eq!(neon.usage().projects(&UsageParams::default(), &none).await.unwrap_err().step, "validate");

    // Data API with Neon Auth: Neon Auth enabled first (its users table is there over SQL);
    // a re-run returns what the first enabled instead of a 409.
    let data_api = DataApiParams { project_id: Some(project_id.clone()), database_name: Some("neondb".into()), ..Default::default() };
    let enabled = neon.addons().data_api_enable(&data_api, &none).await.unwrap();
    let url = text(&enabled.data_api, "url").to_owned();
    assert!(url.contains("/rest/v1"), "{url}");
    assert_eq!(text(enabled.neon_auth.as_ref().unwrap(), "auth_provider"), "better_auth");
    assert_eq!(emu.column(&app.connection_string, "SELECT count(*) FROM neon_auth.users_sync").await, ["0"]);
    let again = neon.addons().data_api_enable(&data_api, &none).await.unwrap();
    assert_eq!(text(&again.data_api, "url"), url);
    let auth = NeonAuthParams { project_id: Some(project_id.clone()), ..Default::default() };
    assert_eq!(neon.addons().neon_auth_enable(&auth, &none).await.unwrap(), enabled.neon_auth.unwrap());
    let external = DataApiParams { auth_provider: Some("external".into()), ..data_api };
    assert_eq!(neon.addons().data_api_enable(&external, &none).await.unwrap_err().step, "validate");
    emu.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn neon_auth_set_up_as_the_guide_does_reads_synced_users_and_resumes_without_duplicates() {
    let emu = Emulator::start().await;
    let neon = emu.client();
    let options = WorkflowOptions::default();
    let app = neon
        .projects()
        .create_and_connect(&neon_edge::workflows::CreateProjectParams { project: Json::object([("name", Json::string("wf-auth"))]), ..Default::default() }, &options)
        .await
        .unwrap();
    let project_id = text(&app.project, "id").to_owned();
    let user = |email: &str, name: &str| Json::object([("email", Json::string(email)), ("name", Json::string(name))]);
    let provider = |id: &str| Json::object([("id", Json::string(id))]);
    let mut params = NeonAuthSetupParams {
        project_id: Some(project_id.clone()),
        oauth_providers: vec![provider("google"), provider("github")],
        users: vec![user("ada@example.com", "Ada"), user("alan@example.com", "Alan")],
        sql_endpoint: Some(format!("{}/sql", emu.handle.base_url)),
        ..NeonAuthSetupParams::default()
    };

    let first = neon.addons().neon_auth_setup(&params, &options).await.unwrap();
    assert!(text(&first.keys, "secret_server_key").starts_with("ssk_"), "SDK keys");
    assert!(!format!("{first:?}").contains(text(&first.keys, "secret_server_key")), "Debug hides the keys");
    let ids = |list: &[Json]| list.iter().map(|p| text(p, "id").to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&first.oauth_providers), ["google", "github"]);
    assert_eq!(first.created_user_ids.len(), 2);
    let emails = |list: &[Json]| list.iter().map(|u| text(u, "email").to_owned()).collect::<Vec<_>>();
    assert_eq!(emails(&first.synced_users), ["ada@example.com", "alan@example.com"]);
    assert_eq!(ids(&first.synced_users), first.created_user_ids, "the synced rows are the users created");

    // A re-run with one more user: nothing duplicated, the new one added and synced.
    params.users.push(user("grace@example.com", "Grace"));
    let again = neon.addons().neon_auth_setup(&params, &options).await.unwrap();
    assert_eq!(ids(&again.oauth_providers), ["google", "github"], "no duplicate providers");
    assert_eq!(again.created_user_ids.len(), 1);
    assert_eq!(emails(&again.synced_users), ["ada@example.com", "alan@example.com", "grace@example.com"]);
    assert_eq!(text(&again.auth, "auth_provider"), text(&first.auth, "auth_provider"));
    // The same rows through the connection string a user holds.
    let rows = emu.column(&app.connection_string, "SELECT count(*) FROM neon_auth.users_sync WHERE deleted_at IS NULL").await;
    assert_eq!(rows, ["3"]);

    // Bad input is refused before anything is sent, naming the field.
    let bad = NeonAuthSetupParams { users: vec![Json::object([("name", Json::string("no email"))])], ..params.clone() };
    let e = neon.addons().neon_auth_setup(&bad, &options).await.unwrap_err();
    assert_eq!((e.step, e.kind()), ("validate", ErrorKind::Client), "{e}");
    assert!(e.to_string().contains("email"), "{e}");
}
