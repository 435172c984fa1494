//! Snapshots of root branches and both ways of restoring them.

mod common;

use common::schema::assert_response;
use common::{test_config, Emu};
use serde_json::{json, Value};

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
        .to_string()
}

async fn project_with_snapshot(emu: &Emu) -> (String, String, String, String) {
    let p = emu.create_project("versions").await;
    let pid = s(&p["project"]["id"]);
    let main = s(&p["branch"]["id"]);
    let endpoint = s(&p["endpoints"][0]["id"]);
    let (status, snap) = emu
        .api(
            reqwest::Method::POST,
            &format!(
                "/projects/{pid}/branches/{main}/snapshot?name=v1&expires_at=2099-01-01T00:00:00Z"
            ),
            None,
        )
        .await;
    assert_eq!(status, 200, "{snap}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/snapshot",
        "post",
        200,
        &snap,
    );
    assert_eq!(snap["snapshot"]["name"], "v1");
    emu.wait_for_operations(&pid).await;
    (pid, main, endpoint, s(&snap["snapshot"]["id"]))
}

#[tokio::test]
async fn snapshots_are_taken_from_root_branches_only_listed_renamed_and_deleted() {
    let emu = Emu::start(test_config(0)).await;
    let (pid, main, _, sid) = project_with_snapshot(&emu).await;
    let (_, child) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "parent_id": main } }),
        )
        .await;
    let child_id = s(&child["branch"]["id"]);
    emu.wait_for_operations(&pid).await;
    let (status, v) = emu
        .api(
            reqwest::Method::POST,
            &format!("/projects/{pid}/branches/{child_id}/snapshot"),
            None,
        )
        .await;
    assert_eq!(status, 400, "a child branch: {v}");

    let (status, list) = emu.get(&format!("/projects/{pid}/snapshots")).await;
    assert_eq!(status, 200);
    assert_response("/projects/{project_id}/snapshots", "get", 200, &list);
    assert_eq!(list["snapshots"].as_array().map(Vec::len), Some(1));
    let (status, v) = emu
        .patch(
            &format!("/projects/{pid}/snapshots/{sid}"),
            json!({ "snapshot": { "name": "v1-final" } }),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/snapshots/{snapshot_id}",
        "patch",
        200,
        &v,
    );
    assert_eq!(v["snapshot"]["name"], "v1-final");
    let (status, v) = emu
        .delete(&format!("/projects/{pid}/snapshots/{sid}"))
        .await;
    assert_eq!(status, 202, "{v}");
    assert_response(
        "/projects/{project_id}/snapshots/{snapshot_id}",
        "delete",
        202,
        &v,
    );
    let (_, list) = emu.get(&format!("/projects/{pid}/snapshots")).await;
    assert_eq!(list["snapshots"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_finalized_restore_keeps_the_endpoint_and_leaves_an_old_branch_to_delete() {
    let emu = Emu::start(test_config(0)).await;
    let (pid, main, endpoint, sid) = project_with_snapshot(&emu).await;
    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/snapshots/{sid}/restore"),
            json!({ "target_branch_id": main, "finalize_restore": true }),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/snapshots/{snapshot_id}/restore",
        "post",
        200,
        &v,
    );
    let restored = s(&v["branch"]["id"]);
    assert_ne!(restored, main);
    assert_eq!(v["branch"]["name"], "main");
    assert_eq!(v["branch"]["default"], true);
    assert_eq!(
        v["endpoints"][0]["id"],
        endpoint.as_str(),
        "the endpoint moved to the restored branch"
    );
    emu.wait_for_operations(&pid).await;
    let (_, old) = emu.get(&format!("/projects/{pid}/branches/{main}")).await;
    assert_eq!(old["branch"]["name"], "main (old)");
    assert_eq!(old["branch"]["default"], false);
    let (_, ep) = emu
        .get(&format!("/projects/{pid}/endpoints/{endpoint}"))
        .await;
    assert_eq!(ep["endpoint"]["branch_id"], restored.as_str());
    let (status, v) = emu
        .delete(&format!("/projects/{pid}/branches/{main}"))
        .await;
    assert_eq!(status, 200, "the (old) branch can be deleted: {v}");
}

#[tokio::test]
async fn a_restore_without_finalizing_makes_a_new_branch_that_can_be_finalized_later() {
    let emu = Emu::start(test_config(0)).await;
    let (pid, main, endpoint, sid) = project_with_snapshot(&emu).await;
    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/snapshots/{sid}/restore"),
            json!({ "name": "preview", "finalize_restore": false }),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/snapshots/{snapshot_id}/restore",
        "post",
        200,
        &v,
    );
    let preview = s(&v["branch"]["id"]);
    assert_eq!(v["branch"]["name"], "preview");
    assert_eq!(v["branch"]["restore_status"], "restored");
    assert_ne!(
        v["endpoints"][0]["id"],
        endpoint.as_str(),
        "a new endpoint, a new connection string"
    );
    let (_, main_now) = emu.get(&format!("/projects/{pid}/branches/{main}")).await;
    assert_eq!(main_now["branch"]["name"], "main");
    emu.wait_for_operations(&pid).await;

    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/branches/{preview}/finalize_restore"),
            json!({ "name": "main-before" }),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_response(
        "/projects/{project_id}/branches/{branch_id}/finalize_restore",
        "post",
        200,
        &v,
    );
    emu.wait_for_operations(&pid).await;
    let (_, b) = emu
        .get(&format!("/projects/{pid}/branches/{preview}"))
        .await;
    assert_eq!(b["branch"]["name"], "main");
    assert_eq!(b["branch"]["restore_status"], "finalized");
    let (_, old) = emu.get(&format!("/projects/{pid}/branches/{main}")).await;
    assert_eq!(old["branch"]["name"], "main-before");
    let (_, ep) = emu
        .get(&format!("/projects/{pid}/endpoints/{endpoint}"))
        .await;
    assert_eq!(ep["endpoint"]["branch_id"], preview.as_str());
    let (status, _) = emu
        .post(
            &format!("/projects/{pid}/branches/{preview}/finalize_restore"),
            json!({}),
        )
        .await;
    assert_eq!(status, 400, "finalizing twice");
}
