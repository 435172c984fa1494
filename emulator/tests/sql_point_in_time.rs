//! Point-in-time branching over SQL: branches, snapshots and restores at a past timestamp or
//! LSN see the data of that moment, replayed through the branch's ancestors. These tests need
//! `initdb` (Debian's `postgresql` package) and fail loudly without it.

mod common;

use std::time::Duration;

use common::sql::{create_branch, first_uri, now_millis, project, rows, snapshot, sql, DRIVER};
use common::Emu;
use reqwest::Method;
use serde_json::{json, Value};

/// The time of a point between two writes, clear of both.
async fn moment_between_writes() -> String {
    tokio::time::sleep(Duration::from_millis(30)).await;
    let t = now_millis();
    tokio::time::sleep(Duration::from_millis(30)).await;
    t
}

#[tokio::test]
async fn branches_and_snapshots_at_a_past_timestamp_or_lsn_see_the_data_of_that_moment() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "pitr").await;
    let (pid, main, uri) = (&p.id, &p.main, &p.uri);
    rows(&emu, uri, "CREATE TABLE ev (id serial, v text)").await;
    let insert = |v: &str| json!({ "query": "INSERT INTO ev (v) VALUES ($1)", "params": [v] });
    sql(&emu, uri, insert("v1"), DRIVER).await;
    let t1 = moment_between_writes().await;
    sql(&emu, uri, insert("v2"), DRIVER).await;

    let branch_at = |body: Value| async {
        let b = create_branch(&emu, pid, body).await;
        emu.wait_for_operations(pid).await;
        b
    };
    let past = branch_at(
        json!({ "branch": { "parent_timestamp": t1 }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    assert_eq!(
        rows(&emu, &first_uri(&past), "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"]])
    );

    let head = branch_at(json!({ "branch": {} })).await;
    let head_lsn = head["branch"]["parent_lsn"].as_str().expect("lsn");
    rows(&emu, uri, "INSERT INTO ev (v) VALUES ('v3')").await;
    let at_lsn = branch_at(
        json!({ "branch": { "parent_lsn": head_lsn }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    assert_eq!(
        rows(&emu, &first_uri(&at_lsn), "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"], ["v2"]])
    );
    let ahead = json!({ "branch": { "parent_lsn": "FF/0" } });
    let (status, v) = emu.post(&format!("/projects/{pid}/branches"), ahead).await;
    assert_eq!(status, 400, "an LSN ahead of the parent: {v}");

    let sid = snapshot(&emu, pid, main, &format!("name=at-t1&timestamp={t1}")).await;
    let restore = format!("/projects/{pid}/snapshots/{sid}/restore");
    let preview = json!({ "name": "preview" });
    let r = emu.expect(200, Method::POST, &restore, Some(preview)).await;
    emu.wait_for_operations(pid).await;
    let ep = r["endpoints"][0]["id"].as_str().expect("endpoint");
    let (_, pw) = emu
        .get(&format!(
            "/projects/{pid}/branches/{}/roles/neondb_owner/reveal_password",
            r["branch"]["id"].as_str().expect("id")
        ))
        .await;
    let preview_uri = format!(
        "postgresql://neondb_owner:{}@{ep}.localhost/neondb?sslmode=require",
        pw["password"].as_str().expect("pw")
    );
    assert_eq!(
        rows(&emu, &preview_uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"]])
    );

    let back = json!({ "source_branch_id": main, "source_timestamp": t1, "preserve_under_name": "main-before" });
    let restore = format!("/projects/{pid}/branches/{main}/restore");
    emu.expect(200, Method::POST, &restore, Some(back)).await;
    emu.wait_for_operations(pid).await;
    assert_eq!(
        rows(&emu, uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"]]),
        "main went back in time"
    );
    rows(&emu, uri, "INSERT INTO ev (v) VALUES ('after')").await;
    assert_eq!(
        rows(&emu, uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"], ["after"]])
    );
}

#[tokio::test]
async fn a_grandchild_at_a_past_point_replays_its_ancestors_history() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "lineage").await;
    rows(&emu, &p.uri, "CREATE TABLE t (v text)").await;
    rows(&emu, &p.uri, "INSERT INTO t VALUES ('root')").await;
    let child = json!({ "branch": { "name": "child" }, "endpoints": [{ "type": "read_write" }] });
    let child = create_branch(&emu, &p.id, child).await;
    emu.wait_for_operations(&p.id).await;
    let child_id = child["branch"]["id"].as_str().expect("id");
    let child_uri = first_uri(&child);
    rows(&emu, &p.uri, "INSERT INTO t VALUES ('root later')").await;
    rows(&emu, &child_uri, "INSERT INTO t VALUES ('c1')").await;
    let t = moment_between_writes().await;
    rows(&emu, &child_uri, "INSERT INTO t VALUES ('c2')").await;
    let g = create_branch(
        &emu,
        &p.id,
        json!({ "branch": { "parent_id": child_id, "parent_timestamp": t }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    assert_eq!(
        rows(&emu, &first_uri(&g), "SELECT v FROM t ORDER BY v").await,
        json!([["c1"], ["root"]])
    );
}
