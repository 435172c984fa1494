//! SQL over HTTP itself against a real, throwaway PostgreSQL cluster: results, batches, errors,
//! more queries than connections, and an existing server behind the emulator. These tests need
//! `initdb` (Debian's `postgresql` package) and fail loudly without it.

mod common;

use common::sql::{claimable_connection_string, query, rows, sql, DRIVER};
use common::Emu;
use serde_json::json;

#[tokio::test]
async fn queries_with_parameters_return_neon_shaped_results_on_a_claimable_database() {
    let emu = Emu::start_with_postgres(0).await;
    let conn = claimable_connection_string(&emu).await;
    let create = "CREATE TABLE todo (id serial PRIMARY KEY, title text NOT NULL, done boolean DEFAULT false)";
    let (status, v) = query(&emu, &conn, create).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["command"], "CREATE");
    let insert = json!({ "query": "INSERT INTO todo (title) VALUES ($1), ($2) RETURNING id, title, done", "params": ["write tests", "it's done"] });
    let (status, v) = sql(&emu, &conn, insert, DRIVER).await;
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

    let select = json!({ "query": "SELECT id, done FROM todo WHERE id = $1", "params": [2] });
    let (_, v) = sql(&emu, &conn, select, &[]).await;
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
    rows(&emu, &conn, "CREATE TABLE t (n int PRIMARY KEY)").await;
    let batch = json!({ "queries": [
        { "query": "INSERT INTO t VALUES ($1)", "params": ["1"] },
        { "query": "SELECT count(*) FROM t", "params": [] },
    ] });
    let serializable = [
        ("Neon-Batch-Isolation-Level", "Serializable"),
        DRIVER[0],
        DRIVER[1],
    ];
    let (status, v) = sql(&emu, &conn, batch, &serializable).await;
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
    assert_eq!(
        rows(&emu, &conn, "SELECT count(*) FROM t").await,
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
    let (status, v) = query(&emu, &conn, "SELECT * FROM missing_table").await;
    assert_eq!(status, 400);
    assert_eq!(v["code"], "42P01");
    assert_eq!(v["severity"], "ERROR");
    assert_eq!(v["position"], "15");
    let bad_password = conn.replacen("npg_", "npg_x", 1);
    let (status, v) = query(&emu, &bad_password, "SELECT 1").await;
    assert_eq!((status, v["code"].clone()), (400, json!("28P01")));
    let other_db = conn.replacen("/neondb?", "/otherdb?", 1);
    let (status, v) = query(&emu, &other_db, "SELECT 1").await;
    assert_eq!((status, v["code"].clone()), (400, json!("3D000")));
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
    let (status, v) = query(
        &emu,
        &conn,
        "SELECT current_database() LIKE 'nd_%' AS mapped",
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["rows"], json!([["t"]]));
    emu.handle.shutdown().await;
    cluster.stop();
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
