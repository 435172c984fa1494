//! SQL over HTTP against a real, throwaway PostgreSQL cluster. These tests need `initdb`
//! (Debian's `postgresql` package) and fail loudly without it.

mod common;

use common::Emu;
use reqwest::Method;
use serde_json::{json, Value};

async fn sql(emu: &Emu, conn: &str, body: Value, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut req = emu
        .http
        .post(emu.url("/sql"))
        .header("Neon-Connection-String", conn)
        .json(&body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("sent");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json"))
}

const DRIVER: &[(&str, &str)] = &[
    ("Neon-Raw-Text-Output", "true"),
    ("Neon-Array-Mode", "true"),
];

async fn claimable_connection_string(emu: &Emu) -> String {
    let resp = emu
        .raw(
            Method::POST,
            "/api/v1/database",
            Some(r#"{"ref":"sql-tests"}"#),
        )
        .await;
    let v: Value = resp.json().await.expect("json");
    v["connection_string"]
        .as_str()
        .expect("connection string")
        .to_string()
}

fn project_uri(p: &Value) -> String {
    p["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string()
}

#[tokio::test]
async fn queries_with_parameters_return_neon_shaped_results_on_a_claimable_database() {
    let emu = Emu::start_with_postgres(0).await;
    let conn = claimable_connection_string(&emu).await;
    let (status, v) = sql(&emu, &conn, json!({ "query": "CREATE TABLE todo (id serial PRIMARY KEY, title text NOT NULL, done boolean DEFAULT false)" }), DRIVER).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["command"], "CREATE");
    let (status, v) = sql(
        &emu,
        &conn,
        json!({ "query": "INSERT INTO todo (title) VALUES ($1), ($2) RETURNING id, title, done", "params": ["write tests", "it's done"] }),
        DRIVER,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["command"], "INSERT");
    assert_eq!(v["rowCount"], 2);
    assert_eq!(v["rowAsArray"], true);
    assert_eq!(
        v["rows"],
        json!([["1", "write tests", "f"], ["2", "it's done", "f"]])
    );
    let names: Vec<&str> = v["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["id", "title", "done"]);
    let f = &v["fields"][0];
    for key in [
        "dataTypeID",
        "tableID",
        "columnID",
        "dataTypeSize",
        "dataTypeModifier",
        "format",
    ] {
        assert!(f.get(key).is_some(), "field lacks {key}: {f}");
    }
    assert_eq!(f["dataTypeID"], 23);

    let (_, v) = sql(
        &emu,
        &conn,
        json!({ "query": "SELECT id, done FROM todo WHERE id = $1", "params": [2] }),
        &[],
    )
    .await;
    assert_eq!(
        v["rows"],
        json!([{ "id": 2, "done": false }]),
        "typed JSON without raw text and array mode"
    );
    assert_eq!(v["rowAsArray"], false);
}

#[tokio::test]
async fn a_batch_runs_in_one_transaction_and_rolls_back_on_error() {
    let emu = Emu::start_with_postgres(0).await;
    let conn = claimable_connection_string(&emu).await;
    sql(
        &emu,
        &conn,
        json!({ "query": "CREATE TABLE t (n int PRIMARY KEY)" }),
        DRIVER,
    )
    .await;
    let batch = json!({ "queries": [
        { "query": "INSERT INTO t VALUES ($1)", "params": ["1"] },
        { "query": "SELECT count(*) FROM t", "params": [] },
    ] });
    let (status, v) = sql(
        &emu,
        &conn,
        batch,
        &[
            ("Neon-Batch-Isolation-Level", "Serializable"),
            DRIVER[0],
            DRIVER[1],
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["results"][1]["rows"], json!([["1"]]));
    let failing = json!({ "queries": [
        { "query": "INSERT INTO t VALUES ($1)", "params": ["2"] },
        { "query": "INSERT INTO t VALUES ($1)", "params": ["1"] },
    ] });
    let (status, v) = sql(&emu, &conn, failing, DRIVER).await;
    assert_eq!(status, 400);
    assert_eq!(v["code"], "23505");
    assert_eq!(v["constraint"], "t_pkey");
    let (_, v) = sql(
        &emu,
        &conn,
        json!({ "query": "SELECT count(*) FROM t" }),
        DRIVER,
    )
    .await;
    assert_eq!(
        v["rows"],
        json!([["1"]]),
        "the failed batch left nothing behind"
    );
    let read_only = json!({ "queries": [{ "query": "INSERT INTO t VALUES (3)" }] });
    let (status, v) = sql(&emu, &conn, read_only, &[("Neon-Batch-Read-Only", "true")]).await;
    assert_eq!((status, v["code"].clone()), (400, json!("25006")), "{v}");
}

#[tokio::test]
async fn postgres_errors_wrong_passwords_and_unknown_databases_answer_400_with_sqlstate() {
    let emu = Emu::start_with_postgres(0).await;
    let conn = claimable_connection_string(&emu).await;
    let (status, v) = sql(
        &emu,
        &conn,
        json!({ "query": "SELECT * FROM missing_table" }),
        DRIVER,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(v["code"], "42P01");
    assert_eq!(v["severity"], "ERROR");
    assert_eq!(v["position"], "15");
    let bad_password = conn.replacen("npg_", "npg_x", 1);
    let (status, v) = sql(&emu, &bad_password, json!({ "query": "SELECT 1" }), DRIVER).await;
    assert_eq!((status, v["code"].clone()), (400, json!("28P01")));
    let other_db = conn.replacen("/neondb?", "/otherdb?", 1);
    let (status, v) = sql(&emu, &other_db, json!({ "query": "SELECT 1" }), DRIVER).await;
    assert_eq!((status, v["code"].clone()), (400, json!("3D000")));
}

#[tokio::test]
async fn branches_copy_their_parent_data_and_snapshots_restore_it_under_the_same_connection_string()
{
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("data").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let main = p["branch"]["id"].as_str().expect("id").to_string();
    let uri = project_uri(&p);
    sql(
        &emu,
        &uri,
        json!({ "query": "CREATE TABLE notes (body text)" }),
        DRIVER,
    )
    .await;
    sql(
        &emu,
        &uri,
        json!({ "query": "INSERT INTO notes VALUES ('v1')" }),
        DRIVER,
    )
    .await;

    let (status, snap) = emu
        .api(
            Method::POST,
            &format!("/projects/{pid}/branches/{main}/snapshot?name=v1"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{snap}");
    let sid = snap["snapshot"]["id"].as_str().expect("id").to_string();
    emu.wait_for_operations(&pid).await;

    let (status, b) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "name": "dev" }, "endpoints": [{ "type": "read_write" }] }),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    let dev_uri = b["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    sql(
        &emu,
        &dev_uri,
        json!({ "query": "INSERT INTO notes VALUES ('only on dev')" }),
        DRIVER,
    )
    .await;
    let (_, v) = sql(
        &emu,
        &dev_uri,
        json!({ "query": "SELECT body FROM notes ORDER BY 1" }),
        DRIVER,
    )
    .await;
    assert_eq!(v["rows"], json!([["only on dev"], ["v1"]]));
    sql(
        &emu,
        &uri,
        json!({ "query": "UPDATE notes SET body = 'v2'" }),
        DRIVER,
    )
    .await;
    let (_, v) = sql(
        &emu,
        &uri,
        json!({ "query": "SELECT body FROM notes" }),
        DRIVER,
    )
    .await;
    assert_eq!(v["rows"], json!([["v2"]]));
    emu.wait_for_operations(&pid).await;

    let (status, r) = emu
        .post(
            &format!("/projects/{pid}/snapshots/{sid}/restore"),
            json!({ "target_branch_id": main, "finalize_restore": true }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    emu.wait_for_operations(&pid).await;
    let (status, v) = sql(
        &emu,
        &uri,
        json!({ "query": "SELECT body FROM notes" }),
        DRIVER,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["rows"],
        json!([["v1"]]),
        "the same connection string now reads the snapshot"
    );
}

#[tokio::test]
async fn a_reset_password_retires_the_old_one() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("pw").await;
    let pid = p["project"]["id"].as_str().expect("id");
    let bid = p["branch"]["id"].as_str().expect("id");
    let uri = project_uri(&p);
    let (status, _) = sql(&emu, &uri, json!({ "query": "SELECT 1" }), DRIVER).await;
    assert_eq!(status, 200);
    let (status, _) = emu
        .post(
            &format!("/projects/{pid}/branches/{bid}/roles/neondb_owner/reset_password"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, v) = sql(&emu, &uri, json!({ "query": "SELECT 1" }), DRIVER).await;
    assert_eq!((status, v["code"].clone()), (400, json!("28P01")));
    let (_, fresh) = emu
        .get(&format!(
            "/projects/{pid}/connection_uri?database_name=neondb&role_name=neondb_owner"
        ))
        .await;
    let (status, _) = sql(
        &emu,
        fresh["uri"].as_str().expect("uri"),
        json!({ "query": "SELECT 1" }),
        DRIVER,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn concurrent_branch_creations_on_one_project_let_one_through_and_lock_the_other() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("race").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let path = format!("/projects/{pid}/branches");
    let (a, b) = tokio::join!(emu.post(&path, json!({})), emu.post(&path, json!({})));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [201, 423], "{a:?} {b:?}");
}

#[tokio::test]
async fn a_branch_resets_from_its_parent_and_schema_differences_are_reported() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("reset").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let main = p["branch"]["id"].as_str().expect("id").to_string();
    let uri = project_uri(&p);
    sql(
        &emu,
        &uri,
        json!({ "query": "CREATE TABLE items (id int)" }),
        DRIVER,
    )
    .await;
    let (_, b) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "name": "feature" }, "endpoints": [{ "type": "read_write" }] }),
        )
        .await;
    let bid = b["branch"]["id"].as_str().expect("id").to_string();
    let dev_uri = b["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    let (status, _) = sql(
        &emu,
        &dev_uri,
        json!({ "query": "ALTER TABLE items ADD COLUMN label text" }),
        DRIVER,
    )
    .await;
    assert_eq!(status, 200);

    let (status, schema) = emu
        .get(&format!(
            "/projects/{pid}/branches/{bid}/schema?db_name=neondb"
        ))
        .await;
    assert_eq!(status, 200, "{schema}");
    common::schema::assert_response(
        "/projects/{project_id}/branches/{branch_id}/schema",
        "get",
        200,
        &schema,
    );
    assert!(schema["sql"]
        .as_str()
        .expect("sql")
        .contains("CREATE TABLE public.items"));
    let (status, cmp) = emu
        .get(&format!(
            "/projects/{pid}/branches/{bid}/compare_schema?db_name=neondb"
        ))
        .await;
    assert_eq!(status, 200, "{cmp}");
    common::schema::assert_response(
        "/projects/{project_id}/branches/{branch_id}/compare_schema",
        "get",
        200,
        &cmp,
    );
    assert!(
        cmp["diff"]
            .as_str()
            .expect("diff")
            .contains("+    label text"),
        "{cmp}"
    );

    emu.wait_for_operations(&pid).await;
    let (status, r) = emu
        .post(
            &format!("/projects/{pid}/branches/{bid}/restore"),
            json!({ "source_branch_id": main, "preserve_under_name": "feature-before-reset" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    common::schema::assert_response(
        "/projects/{project_id}/branches/{branch_id}/restore",
        "post",
        200,
        &r,
    );
    assert!(r["branch"]["last_reset_at"].is_string());
    emu.wait_for_operations(&pid).await;
    let (_, cmp) = emu
        .get(&format!(
            "/projects/{pid}/branches/{bid}/compare_schema?db_name=neondb"
        ))
        .await;
    assert_eq!(cmp["diff"], "", "reset to the parent's schema");
    let (status, v) = sql(
        &emu,
        &dev_uri,
        json!({ "query": "SELECT label FROM items" }),
        DRIVER,
    )
    .await;
    assert_eq!(
        (status, v["code"].clone()),
        (400, json!("42703")),
        "the column is gone on the same connection string"
    );
    let (_, list) = emu
        .get(&format!(
            "/projects/{pid}/branches?search=feature-before-reset"
        ))
        .await;
    assert_eq!(
        list["branches"].as_array().map(Vec::len),
        Some(1),
        "the old state is preserved"
    );
}

#[tokio::test]
async fn an_existing_postgres_server_can_back_the_emulator() {
    let cluster = emulator::PgCluster::start_temporary()
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is needed: {e}"));
    let url = format!("postgresql://postgres@{}/postgres", cluster.address);
    let mut config = common::test_config(0);
    config.pg = emulator::PgMode::Url(url);
    let emu = Emu::start(config).await;
    let conn = claimable_connection_string(&emu).await;
    let (status, v) = sql(
        &emu,
        &conn,
        json!({ "query": "SELECT current_database() LIKE 'nd_%' AS mapped" }),
        DRIVER,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["rows"], json!([["t"]]));
    emu.handle.shutdown().await;
    cluster.stop();
}

fn now_millis() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn rows(emu: &Emu, uri: &str, query: &str) -> Value {
    let (status, v) = sql(emu, uri, json!({ "query": query }), DRIVER).await;
    assert_eq!(status, 200, "{v}");
    v["rows"].clone()
}

#[tokio::test]
async fn branches_and_snapshots_at_a_past_timestamp_or_lsn_see_the_data_of_that_moment() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("pitr").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let main = p["branch"]["id"].as_str().expect("id").to_string();
    let uri = project_uri(&p);
    rows(&emu, &uri, "CREATE TABLE ev (id serial, v text)").await;
    sql(
        &emu,
        &uri,
        json!({ "query": "INSERT INTO ev (v) VALUES ($1)", "params": ["v1"] }),
        DRIVER,
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let t1 = now_millis();
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    sql(
        &emu,
        &uri,
        json!({ "query": "INSERT INTO ev (v) VALUES ($1)", "params": ["v2"] }),
        DRIVER,
    )
    .await;

    let branch_at = |body: Value| {
        let emu = &emu;
        let pid = pid.clone();
        async move {
            let (status, b) = emu.post(&format!("/projects/{pid}/branches"), body).await;
            assert_eq!(status, 201, "{b}");
            emu.wait_for_operations(&pid).await;
            b
        }
    };
    let past = branch_at(
        json!({ "branch": { "parent_timestamp": t1 }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    let past_uri = past["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    assert_eq!(
        rows(&emu, &past_uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"]])
    );

    let head = branch_at(json!({ "branch": {} })).await;
    let head_lsn = head["branch"]["parent_lsn"]
        .as_str()
        .expect("lsn")
        .to_string();
    sql(
        &emu,
        &uri,
        json!({ "query": "INSERT INTO ev (v) VALUES ('v3')" }),
        DRIVER,
    )
    .await;
    let at_lsn = branch_at(
        json!({ "branch": { "parent_lsn": head_lsn }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    let lsn_uri = at_lsn["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    assert_eq!(
        rows(&emu, &lsn_uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"], ["v2"]])
    );
    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "parent_lsn": "FF/0" } }),
        )
        .await;
    assert_eq!(status, 400, "an LSN ahead of the parent: {v}");

    let (status, snap) = emu
        .api(
            Method::POST,
            &format!("/projects/{pid}/branches/{main}/snapshot?name=at-t1&timestamp={t1}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{snap}");
    emu.wait_for_operations(&pid).await;
    let sid = snap["snapshot"]["id"].as_str().expect("id");
    let (status, r) = emu
        .post(
            &format!("/projects/{pid}/snapshots/{sid}/restore"),
            json!({ "name": "preview" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    emu.wait_for_operations(&pid).await;
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

    let (status, r) = emu
        .post(&format!("/projects/{pid}/branches/{main}/restore"), json!({ "source_branch_id": main, "source_timestamp": t1, "preserve_under_name": "main-before" }))
        .await;
    assert_eq!(status, 200, "{r}");
    emu.wait_for_operations(&pid).await;
    assert_eq!(
        rows(&emu, &uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"]]),
        "main went back in time"
    );
    sql(
        &emu,
        &uri,
        json!({ "query": "INSERT INTO ev (v) VALUES ('after')" }),
        DRIVER,
    )
    .await;
    assert_eq!(
        rows(&emu, &uri, "SELECT v FROM ev ORDER BY id").await,
        json!([["v1"], ["after"]])
    );
}

#[tokio::test]
async fn a_grandchild_at_a_past_point_replays_its_ancestors_history() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("lineage").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let uri = project_uri(&p);
    rows(&emu, &uri, "CREATE TABLE t (v text)").await;
    rows(&emu, &uri, "INSERT INTO t VALUES ('root')").await;
    let (_, child) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "name": "child" }, "endpoints": [{ "type": "read_write" }] }),
        )
        .await;
    emu.wait_for_operations(&pid).await;
    let child_id = child["branch"]["id"].as_str().expect("id").to_string();
    let child_uri = child["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    rows(&emu, &uri, "INSERT INTO t VALUES ('root later')").await;
    rows(&emu, &child_uri, "INSERT INTO t VALUES ('c1')").await;
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let t = now_millis();
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    rows(&emu, &child_uri, "INSERT INTO t VALUES ('c2')").await;
    let (status, g) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "parent_id": child_id, "parent_timestamp": t }, "endpoints": [{ "type": "read_write" }] }),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    let g_uri = g["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    assert_eq!(
        rows(&emu, &g_uri, "SELECT v FROM t ORDER BY v").await,
        json!([["c1"], ["root"]])
    );
}

#[tokio::test]
async fn more_concurrent_queries_than_postgres_connections_wait_instead_of_failing() {
    let emu = Emu::start_with_postgres(0).await;
    let conn = claimable_connection_string(&emu).await;
    let calls = (0..250).map(|i| {
        let emu = &emu;
        let conn = conn.clone();
        async move {
            sql(
                emu,
                &conn,
                json!({ "query": "SELECT $1::int AS n, pg_sleep(0.05)", "params": [i] }),
                DRIVER,
            )
            .await
        }
    });
    let results = futures_util::future::join_all(calls).await;
    let failed: Vec<_> = results.iter().filter(|(s, _)| *s != 200).take(3).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[tokio::test]
async fn enabling_neon_auth_creates_the_users_sync_table() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("auth").await;
    let pid = p["project"]["id"].as_str().expect("id");
    let bid = p["branch"]["id"].as_str().expect("id");
    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/branches/{bid}/auth"),
            json!({ "auth_provider": "better_auth" }),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let uri = project_uri(&p);
    assert_eq!(
        rows(&emu, &uri, "SELECT count(*) FROM neon_auth.users_sync").await,
        json!([["0"]])
    );
}

#[tokio::test]
async fn queries_run_as_the_connection_strings_role_with_that_roles_privileges() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("roles").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let bid = p["branch"]["id"].as_str().expect("id").to_string();
    let uri = project_uri(&p);
    assert_eq!(
        rows(&emu, &uri, "SELECT current_user, session_user").await,
        json!([["neondb_owner", "neondb_owner"]])
    );
    rows(&emu, &uri, "CREATE TABLE secrets (v text)").await;
    let (status, role) = emu
        .post(
            &format!("/projects/{pid}/branches/{bid}/roles"),
            json!({ "role": { "name": "reader" } }),
        )
        .await;
    assert_eq!(status, 201, "{role}");
    emu.wait_for_operations(&pid).await;
    let (_, reader) = emu
        .get(&format!(
            "/projects/{pid}/connection_uri?database_name=neondb&role_name=reader"
        ))
        .await;
    let reader_uri = reader["uri"].as_str().expect("uri").to_string();
    let (status, v) = sql(
        &emu,
        &reader_uri,
        json!({ "query": "SELECT * FROM secrets" }),
        DRIVER,
    )
    .await;
    assert_eq!((status, v["code"].clone()), (400, json!("42501")), "{v}");
    rows(&emu, &uri, "GRANT SELECT ON secrets TO reader").await;
    assert_eq!(
        rows(&emu, &reader_uri, "SELECT count(*) FROM secrets").await,
        json!([["0"]])
    );
    let (status, v) = emu
        .post(
            &format!("/projects/{pid}/branches/{bid}/roles"),
            json!({ "role": { "name": "pg_admin" } }),
        )
        .await;
    assert_eq!(status, 400, "reserved role names: {v}");
}

#[tokio::test]
async fn a_schema_only_branch_has_the_parents_tables_but_none_of_its_rows() {
    let emu = Emu::start_with_postgres(0).await;
    let p = emu.create_project("schema-only").await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let uri = project_uri(&p);
    rows(
        &emu,
        &uri,
        "CREATE TABLE customers (id serial PRIMARY KEY, email text UNIQUE)",
    )
    .await;
    rows(
        &emu,
        &uri,
        "INSERT INTO customers (email) VALUES ('a@example.com')",
    )
    .await;
    let (status, b) = emu
        .post(
            &format!("/projects/{pid}/branches"),
            json!({ "branch": { "name": "dev", "init_source": "schema-only" }, "endpoints": [{ "type": "read_write" }] }),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    assert_eq!(b["branch"]["init_source"], "schema-only");
    let dev = b["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string();
    assert_eq!(
        rows(&emu, &dev, "SELECT count(*) FROM customers").await,
        json!([["0"]])
    );
    rows(
        &emu,
        &dev,
        "INSERT INTO customers (email) VALUES ('b@example.com')",
    )
    .await;
    assert_eq!(
        rows(
            &emu,
            &dev,
            "SELECT current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'customers')"
        )
        .await,
        json!([["neondb_owner", "neondb_owner"]])
    );
}
