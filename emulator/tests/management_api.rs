//! Whole Management API flows against an in-process emulator, with responses checked against
//! the official OpenAPI spec.

mod common;

use common::schema::assert_response;
use common::{test_config, Emu};
use reqwest::Method;
use serde_json::{json, Value};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
        .to_string()
}

#[tokio::test]
async fn a_new_project_comes_with_a_main_branch_endpoint_owner_role_database_and_uris() {
    let emu = Emu::start(test_config(50)).await;
    let (status, v) = emu
        .post("/projects", json!({ "project": { "name": "first" } }))
        .await;
    assert_eq!(status, 201, "{v}");
    assert_response("/projects", "post", 201, &v);
    assert_eq!(v["branch"]["name"], "main");
    assert_eq!(v["branch"]["default"], true);
    assert_eq!(v["roles"][0]["name"], "neondb_owner");
    assert_eq!(v["databases"][0]["name"], "neondb");
    assert_eq!(v["endpoints"][0]["type"], "read_write");
    let uri = s(&v["connection_uris"][0]["connection_uri"]);
    assert!(
        uri.starts_with("postgresql://neondb_owner:")
            && uri.contains("/neondb?options=endpoint%3Dep-"),
        "{uri}"
    );
    let ops = v["operations"].as_array().expect("operations");
    assert!(!ops.is_empty());

    let id = s(&v["project"]["id"]);
    let (status, got) = emu.get(&format!("/projects/{id}")).await;
    assert_eq!(status, 200);
    assert_response("/projects/{project_id}", "get", 200, &got);
    assert_eq!(got["project"]["name"], "first");
}

#[tokio::test]
async fn requests_without_a_bearer_key_are_refused_with_401_and_a_request_id() {
    let emu = Emu::start(test_config(0)).await;
    let resp = emu.raw(Method::GET, "/api/v2/projects", None).await;
    assert_eq!(resp.status().as_u16(), 401);
    let rid = resp
        .headers()
        .get("x-request-id")
        .expect("x-request-id")
        .to_str()
        .expect("ascii")
        .to_string();
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["request_id"], rid);
    assert_eq!(body["code"], "");
    assert!(body["message"].is_string());
    assert_response("/projects", "get", 401, &body);
}

#[tokio::test]
async fn unknown_objects_and_bad_bodies_get_neon_style_errors() {
    let emu = Emu::start(test_config(0)).await;
    let (status, v) = emu.get("/projects/no-such-project").await;
    assert_eq!(status, 404);
    assert!(
        v["request_id"].is_string() && v["message"].is_string(),
        "{v}"
    );
    let resp = emu
        .http
        .post(emu.url("/api/v2/projects"))
        .bearer_auth("k")
        .header("x-request-id", "my-request")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 400);
    assert_eq!(resp.headers()["x-request-id"], "my-request");
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["request_id"], "my-request");
}

#[tokio::test]
async fn projects_are_listed_page_by_page_with_a_cursor_and_filtered_by_search() {
    let emu = Emu::start(test_config(0)).await;
    for i in 0..5 {
        emu.create_project(&format!("app-{i}")).await;
    }
    emu.create_project("other").await;
    let (status, page1) = emu.get("/projects?limit=4").await;
    assert_eq!(status, 200);
    assert_response("/projects", "get", 200, &page1);
    assert_eq!(page1["projects"].as_array().map(Vec::len), Some(4));
    let cursor = s(&page1["pagination"]["cursor"]);
    let (_, page2) = emu.get(&format!("/projects?limit=4&cursor={cursor}")).await;
    assert_eq!(page2["projects"].as_array().map(Vec::len), Some(2));
    let (_, found) = emu.get("/projects?search=app-").await;
    assert_eq!(found["projects"].as_array().map(Vec::len), Some(5));
    let (status, _) = emu.get("/projects?limit=0").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_project_can_be_renamed_and_deleted() {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("before").await;
    let id = s(&p["project"]["id"]);
    let (status, v) = emu
        .patch(
            &format!("/projects/{id}"),
            json!({ "project": { "name": "after" } }),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response("/projects/{project_id}", "patch", 200, &v);
    assert_eq!(v["project"]["name"], "after");
    let (status, v) = emu.delete(&format!("/projects/{id}")).await;
    assert_eq!(status, 200);
    assert_response("/projects/{project_id}", "delete", 200, &v);
    let (status, _) = emu.get(&format!("/projects/{id}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn operations_go_from_scheduling_through_running_to_finished() {
    let emu = Emu::start(test_config(600)).await;
    let (_, p) = emu.post("/projects", json!({ "project": {} })).await;
    let id = s(&p["project"]["id"]);
    let op_id = s(&p["operations"][0]["id"]);
    assert_eq!(p["operations"][0]["status"], "scheduling");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (status, v) = emu.get(&format!("/projects/{id}/operations/{op_id}")).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/operations/{operation_id}",
        "get",
        200,
        &v,
    );
    assert_eq!(v["operation"]["status"], "running");
    emu.wait_for_operations(&id).await;
    let (_, v) = emu.get(&format!("/projects/{id}/operations")).await;
    assert_response("/projects/{project_id}/operations", "get", 200, &v);
    assert!(v["operations"]
        .as_array()
        .expect("ops")
        .iter()
        .all(|o| o["status"] == "finished"));
}

#[tokio::test]
async fn a_mutation_while_operations_run_gets_423_locked() {
    let emu = Emu::start(test_config(400)).await;
    let (_, p) = emu.post("/projects", json!({ "project": {} })).await;
    let id = s(&p["project"]["id"]);
    let (status, v) = emu
        .post(&format!("/projects/{id}/branches"), json!({}))
        .await;
    assert_eq!(status, 423, "{v}");
    assert_eq!(v["code"], "");
    assert_eq!(
        v["message"],
        "project already has running conflicting operations, scheduling of new ones is prohibited"
    );
    emu.wait_for_operations(&id).await;
    let (status, v) = emu
        .post(&format!("/projects/{id}/branches"), json!({}))
        .await;
    assert_eq!(status, 201, "{v}");
}

#[tokio::test]
async fn branches_are_created_from_a_parent_and_deleting_default_root_or_parent_branches_is_refused(
) {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("branches").await;
    let pid = s(&p["project"]["id"]);
    let main = s(&p["branch"]["id"]);
    let ts = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let (status, dev) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "name": "dev", "parent_id": main, "parent_timestamp": ts }, "endpoints": [{ "type": "read_write" }] }),
        )
        .await;
    assert_eq!(status, 201, "{dev}");
    assert_response("/projects/{project_id}/branches", "post", 201, &dev);
    assert_eq!(dev["branch"]["parent_id"], main.as_str());
    assert_eq!(dev["branch"]["parent_timestamp"], ts.as_str());
    assert_eq!(dev["endpoints"].as_array().map(Vec::len), Some(1));
    assert!(dev["connection_uris"][0]["connection_uri"].is_string());
    let dev_id = s(&dev["branch"]["id"]);
    let (status, child) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "parent_id": dev_id, "name": "child" } }),
        )
        .await;
    assert_eq!(status, 201, "{child}");
    let child_id = s(&child["branch"]["id"]);

    let (status, bad) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "parent_timestamp": "2999-01-01T00:00:00Z" } }),
        )
        .await;
    assert_eq!(status, 400, "{bad}");

    let (_, list) = emu.get(&format!("/projects/{pid}/branches")).await;
    assert_response("/projects/{project_id}/branches", "get", 200, &list);
    assert_eq!(list["branches"].as_array().map(Vec::len), Some(3));
    let (_, one) = emu.get(&format!("/projects/{pid}/branches/{dev_id}")).await;
    assert_response(
        "/projects/{project_id}/branches/{branch_id}",
        "get",
        200,
        &one,
    );
    let (status, upd) = emu
        .patch(
            &format!("/projects/{pid}/branches/{dev_id}"),
            json!({ "branch": { "name": "develop" } }),
        )
        .await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/branches/{branch_id}",
        "patch",
        200,
        &upd,
    );
    assert_eq!(upd["branch"]["name"], "develop");

    let (status, v) = emu
        .delete(&format!("/projects/{pid}/branches/{main}"))
        .await;
    assert_eq!(status, 400, "default branch: {v}");
    let (status, v) = emu
        .delete(&format!("/projects/{pid}/branches/{dev_id}"))
        .await;
    assert_eq!(status, 400, "branch with children: {v}");

    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/branches/{dev_id}/set_as_default"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/set_as_default",
        "post",
        200,
        &v,
    );
    assert_eq!(v["branch"]["default"], true);
    let (status, v) = emu
        .delete(&format!("/projects/{pid}/branches/{main}"))
        .await;
    assert_eq!(status, 400, "root branch: {v}");

    emu.wait_for_operations(&pid).await;
    let (status, v) = emu
        .delete(&format!("/projects/{pid}/branches/{child_id}"))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}",
        "delete",
        200,
        &v,
    );
    let (_, count) = emu.get(&format!("/projects/{pid}/branches/count")).await;
    assert_eq!(count["count"], 2);
}

#[tokio::test]
async fn endpoints_are_created_updated_suspended_started_restarted_and_deleted() {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("computes").await;
    let pid = s(&p["project"]["id"]);
    let main = s(&p["branch"]["id"]);
    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/endpoints"),
            json!({ "endpoint": { "branch_id": main, "type": "read_write" } }),
        )
        .await;
    assert_eq!(status, 400, "a second read_write endpoint: {v}");
    let (status, ro) = emu
        .post(
            &format!("/projects/{pid}/endpoints"),
            json!({ "endpoint": { "branch_id": main, "type": "read_only" } }),
        )
        .await;
    assert_eq!(status, 201, "{ro}");
    assert_response("/projects/{project_id}/endpoints", "post", 201, &ro);
    let eid = s(&ro["endpoint"]["id"]);
    let base = format!("/projects/{pid}/endpoints/{eid}");
    let (status, v) = emu
        .patch(&base, json!({ "endpoint": { "autoscaling_limit_min_cu": 0.5, "autoscaling_limit_max_cu": 2, "suspend_timeout_seconds": 600 } }))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/endpoints/{endpoint_id}",
        "patch",
        200,
        &v,
    );
    assert_eq!(v["endpoint"]["autoscaling_limit_max_cu"], 2.0);
    assert_eq!(v["endpoint"]["suspend_timeout_seconds"], 600);
    let (status, _) = emu
        .patch(
            &base,
            json!({ "endpoint": { "suspend_timeout_seconds": 5 } }),
        )
        .await;
    assert_eq!(status, 400);

    let (status, v) = emu.post(&format!("{base}/suspend"), json!({})).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/endpoints/{endpoint_id}/suspend",
        "post",
        200,
        &v,
    );
    let (_, v) = emu.get(&base).await;
    assert_eq!(v["endpoint"]["current_state"], "idle");
    let (status, v) = emu.post(&format!("{base}/start"), json!({})).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/endpoints/{endpoint_id}/start",
        "post",
        200,
        &v,
    );
    let (status, v) = emu.post(&format!("{base}/restart"), json!({})).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/endpoints/{endpoint_id}/restart",
        "post",
        200,
        &v,
    );
    let (_, v) = emu.get(&base).await;
    assert_response(
        "/projects/{project_id}/endpoints/{endpoint_id}",
        "get",
        200,
        &v,
    );
    assert_eq!(v["endpoint"]["current_state"], "active");
    let (_, list) = emu.get(&format!("/projects/{pid}/endpoints")).await;
    assert_response("/projects/{project_id}/endpoints", "get", 200, &list);
    assert_eq!(list["endpoints"].as_array().map(Vec::len), Some(2));
    let (status, v) = emu.delete(&base).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/endpoints/{endpoint_id}",
        "delete",
        200,
        &v,
    );
    let (status, _) = emu.get(&base).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn databases_and_roles_are_managed_and_passwords_revealed_and_reset() {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("dbs").await;
    let pid = s(&p["project"]["id"]);
    let bid = s(&p["branch"]["id"]);
    let b = format!("/projects/{pid}/branches/{bid}");
    let (status, role) = emu
        .post(&format!("{b}/roles"), json!({ "role": { "name": "app" } }))
        .await;
    assert_eq!(status, 201, "{role}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/roles",
        "post",
        201,
        &role,
    );
    let first_password = s(&role["role"]["password"]);
    let (status, dup) = emu
        .post(&format!("{b}/roles"), json!({ "role": { "name": "app" } }))
        .await;
    assert_eq!(status, 409, "{dup}");
    let (status, db) = emu
        .post(
            &format!("{b}/databases"),
            json!({ "database": { "name": "shop", "owner_name": "app" } }),
        )
        .await;
    assert_eq!(status, 201, "{db}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/databases",
        "post",
        201,
        &db,
    );
    let (_, dbs) = emu.get(&format!("{b}/databases")).await;
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/databases",
        "get",
        200,
        &dbs,
    );
    assert_eq!(dbs["databases"].as_array().map(Vec::len), Some(2));
    let (_, roles) = emu.get(&format!("{b}/roles")).await;
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/roles",
        "get",
        200,
        &roles,
    );

    let (status, pw) = emu.get(&format!("{b}/roles/app/reveal_password")).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/roles/{role_name}/reveal_password",
        "get",
        200,
        &pw,
    );
    assert_eq!(pw["password"], first_password.as_str());
    let (status, reset) = emu
        .post(&format!("{b}/roles/app/reset_password"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/roles/{role_name}/reset_password",
        "post",
        200,
        &reset,
    );
    assert_ne!(reset["role"]["password"], first_password.as_str());
    let (_, pw) = emu.get(&format!("{b}/roles/app/reveal_password")).await;
    assert_eq!(pw["password"], reset["role"]["password"]);

    let (status, uri) = emu
        .get(&format!(
            "/projects/{pid}/connection_uri?database_name=shop&role_name=app&pooled=true"
        ))
        .await;
    assert_eq!(status, 200, "{uri}");
    assert_response("/projects/{project_id}/connection_uri", "get", 200, &uri);
    assert!(s(&uri["uri"]).ends_with("-pooler"));
    let (status, _) = emu
        .get(&format!(
            "/projects/{pid}/connection_uri?database_name=nope&role_name=app"
        ))
        .await;
    assert_eq!(status, 404);

    emu.wait_for_operations(&pid).await;
    let (status, v) = emu.delete(&format!("{b}/roles/app")).await;
    assert_eq!(status, 400, "a role that owns a database: {v}");
    let (status, v) = emu.delete(&format!("{b}/databases/shop")).await;
    assert_eq!(status, 200, "{v}");
    emu.wait_for_operations(&pid).await;
    let (status, v) = emu.delete(&format!("{b}/roles/app")).await;
    assert_eq!(status, 200, "{v}");
}

#[tokio::test]
async fn consumption_is_reported_per_project_and_in_history() {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("usage").await;
    let pid = s(&p["project"]["id"]);
    let (status, v) = emu.get(&format!("/projects/{pid}/consumption")).await;
    assert_eq!(status, 200);
    assert_eq!(v["project_id"], pid.as_str());
    let q = "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&granularity=daily";
    let (status, v) = emu.get(&format!("/consumption_history/projects?{q}")).await;
    assert_eq!(status, 200, "{v}");
    assert_response("/consumption_history/projects", "get", 200, &v);
    let (status, v) = emu
        .get(&format!("/consumption_history/v2/projects?{q}&org_id=org-emulator-personal-00000001&metrics=compute_unit_seconds"))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response("/consumption_history/v2/projects", "get", 200, &v);
    let (status, _) = emu
        .get("/consumption_history/projects?granularity=daily")
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn projects_move_between_organizations_at_most_400_per_request() {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("moving").await;
    let pid = s(&p["project"]["id"]);
    let (_, orgs) = emu.get("/users/me/organizations").await;
    assert_response("/users/me/organizations", "get", 200, &orgs);
    let source = s(&p["project"]["org_id"]);
    let dest = orgs["organizations"]
        .as_array()
        .expect("orgs")
        .iter()
        .map(|o| s(&o["id"]))
        .find(|id| id != &source)
        .expect("a second organization");
    let (_, org) = emu.get(&format!("/organizations/{dest}")).await;
    assert_response("/organizations/{org_id}", "get", 200, &org);

    let too_many: Vec<String> = (0..401).map(|i| format!("p-{i}")).collect();
    let (status, v) = emu
        .post(
            &format!("/organizations/{source}/projects/transfer"),
            json!({ "destination_org_id": dest, "project_ids": too_many }),
        )
        .await;
    assert_eq!(status, 400, "{v}");
    let (status, v) = emu
        .post(
            &format!("/organizations/{source}/projects/transfer"),
            json!({ "destination_org_id": dest, "project_ids": [pid] }),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/organizations/{source_org_id}/projects/transfer",
        "post",
        200,
        &v,
    );
    let (_, got) = emu.get(&format!("/projects/{pid}")).await;
    assert_eq!(got["project"]["org_id"], dest.as_str());
    let (status, _) = emu
        .post(
            &format!("/organizations/{source}/projects/transfer"),
            json!({ "destination_org_id": dest, "project_ids": [pid] }),
        )
        .await;
    assert_eq!(
        status, 422,
        "a project no longer in the source organization"
    );
}

#[tokio::test]
async fn api_keys_are_created_listed_and_revoked_and_revoked_keys_stop_working() {
    let emu = Emu::start(test_config(0)).await;
    let (status, k) = emu.post("/api_keys", json!({ "key_name": "ci" })).await;
    assert_eq!(status, 200, "{k}");
    assert_response("/api_keys", "post", 200, &k);
    let (_, list) = emu.get("/api_keys").await;
    assert_response("/api_keys", "get", 200, &list);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let key_id = k["id"].as_i64().expect("id");
    let (status, r) = emu.delete(&format!("/api_keys/{key_id}")).await;
    assert_eq!(status, 200);
    assert_response("/api_keys/{key_id}", "delete", 200, &r);
    assert_eq!(r["revoked"], true);
    let revoked = emu
        .http
        .get(emu.url("/api/v2/projects"))
        .bearer_auth(s(&k["key"]))
        .send()
        .await
        .expect("sent");
    assert_eq!(revoked.status().as_u16(), 401);
}

#[test]
fn the_schema_checker_catches_missing_and_mistyped_fields() {
    let project = common::schema::component("Project");
    assert!(!common::schema::violations(&project, &json!({})).is_empty());
    let op = common::schema::component("Operation");
    let bad = json!({ "id": "x", "project_id": "p", "action": "not_an_action", "status": "finished",
                      "failures_count": "0", "created_at": "t", "updated_at": "t", "total_duration_ms": 1 });
    let errors = common::schema::violations(&op, &bad);
    assert!(errors.iter().any(|e| e.contains("action")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("failures_count")),
        "{errors:?}"
    );
}

#[tokio::test]
async fn framework_rejections_also_answer_in_the_neon_error_shape() {
    let emu = Emu::start(test_config(0)).await;
    let (status, v) = emu.api(Method::PUT, "/projects", None).await;
    assert_eq!(status, 405);
    assert!(
        v["request_id"].is_string() && v["message"].is_string(),
        "{v}"
    );
    let (status, v) = emu.get("/no/such/route").await;
    assert_eq!(status, 404);
    assert_eq!(v["code"], "");
}

#[tokio::test]
async fn the_data_api_and_neon_auth_can_be_enabled_read_and_disabled() {
    let emu = Emu::start(test_config(0)).await;
    let p = emu.create_project("addons").await;
    let pid = s(&p["project"]["id"]);
    let bid = s(&p["branch"]["id"]);
    let api = format!("/projects/{pid}/branches/{bid}/data-api/neondb");
    let (status, _) = emu.get(&api).await;
    assert_eq!(status, 404);
    let (status, v) = emu
        .post(&api, json!({ "auth_provider": "neon_auth" }))
        .await;
    assert_eq!(status, 201, "{v}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/data-api/{database_name}",
        "post",
        201,
        &v,
    );
    let (status, v) = emu.get(&api).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/data-api/{database_name}",
        "get",
        200,
        &v,
    );
    let (status, _) = emu.delete(&api).await;
    assert_eq!(status, 200);

    let auth = format!("/projects/{pid}/branches/{bid}/auth");
    let (status, v) = emu
        .post(&auth, json!({ "auth_provider": "better_auth" }))
        .await;
    assert_eq!(status, 201, "{v}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/auth",
        "post",
        201,
        &v,
    );
    let (status, v) = emu.get(&auth).await;
    assert_eq!(status, 200);
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/auth",
        "get",
        200,
        &v,
    );
    assert_eq!(v["db_name"], "neondb");
    let (status, _) = emu
        .post(&auth, json!({ "auth_provider": "better_auth" }))
        .await;
    assert_eq!(status, 409);
    let (status, _) = emu.delete(&auth).await;
    assert_eq!(status, 200);
}
