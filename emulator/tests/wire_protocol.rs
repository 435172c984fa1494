//! The emulator's connection strings over the Postgres wire protocol, used as they are handed
//! out: tokio-postgres (a Rust client) and `psql`, branch isolation, claimable databases and
//! Neon's refusals. These tests need `initdb` and `psql` (Debian's `postgresql` package).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::sql::{claimable_connection_string, create_branch, first_uri, project};
use common::Emu;
use serde_json::json;
use tokio_postgres::NoTls;

/// `psql` from Debian's PostgreSQL packages (the newest version), `$NEON_EMULATOR_PG_BIN`, or PATH.
fn psql() -> PathBuf {
    if let Ok(dir) = std::env::var("NEON_EMULATOR_PG_BIN") {
        return PathBuf::from(dir).join("psql");
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(|d| d.ok())
                .map(|d| d.path().join("bin/psql"))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from("psql"))
}

/// Runs `sql` with `psql` on `uri`: stdout on success, stderr otherwise.
fn run_psql(uri: &str, sql: &str) -> Result<String, String> {
    let out = Command::new(psql())
        .args([uri, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("psql runs");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

async fn connect(uri: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, conn) = tokio_postgres::connect(uri, NoTls).await?;
    tokio::spawn(conn);
    Ok(client)
}

#[tokio::test]
async fn psql_and_tokio_postgres_use_the_strings_as_handed_out_and_branches_stay_apart() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "wire").await;
    let wire = emu.handle.wire_addr.to_string();
    assert!(
        p.uri.contains(&format!("@{wire}/neondb?")),
        "the string names the wire address"
    );
    let dev = create_branch(
        &emu,
        &p.id,
        json!({ "branch": { "name": "dev" }, "endpoints": [{ "type": "read_write" }] }),
    )
    .await;
    emu.wait_for_operations(&p.id).await;
    let dev_uri = first_uri(&dev);

    let main = connect(&p.uri).await.expect("tokio-postgres connects");
    main.batch_execute("CREATE TABLE t (v text); INSERT INTO t VALUES ('main')")
        .await
        .expect("writes on main");
    let row = main
        .query_one("SELECT current_user::text, $1::int + 1", &[&41i32])
        .await
        .expect("a parameterized query");
    assert_eq!(row.get::<_, String>(0), "neondb_owner");
    assert_eq!(row.get::<_, i32>(1), 42);

    let uri = dev_uri.clone();
    let seen = tokio::task::spawn_blocking(move || {
        let missing = run_psql(&uri, "SELECT v FROM t");
        let written = run_psql(
            &uri,
            "CREATE TABLE t (v text); INSERT INTO t VALUES ('dev'); SELECT v FROM t",
        );
        (missing, written)
    })
    .await
    .expect("psql task");
    let missing = seen
        .0
        .expect_err("the dev branch was made before the table");
    assert!(
        missing.contains("relation \"t\" does not exist"),
        "{missing}"
    );
    assert_eq!(seen.1.as_deref(), Ok("CREATE TABLE\nINSERT 0 1\ndev"));

    let rows = main
        .query("SELECT v FROM t", &[])
        .await
        .expect("reads main");
    let values: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(values, ["main"]);
    emu.handle.shutdown().await;
}

#[tokio::test]
async fn a_claimable_connection_string_works_with_psql() {
    let emu = Emu::start_with_postgres(0).await;
    let conn = claimable_connection_string(&emu).await;
    assert!(conn.contains("-pooler"), "{conn}");
    let out = tokio::task::spawn_blocking(move || {
        run_psql(&conn, "SELECT current_database() IS NOT NULL")
    })
    .await
    .expect("psql task");
    assert_eq!(out.as_deref(), Ok("t"));
    emu.handle.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_and_a_missing_endpoint_get_neons_errors() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "wire-refusals").await;
    let password = p
        .uri
        .split_once("neondb_owner:")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(pw, _)| pw.to_string())
        .expect("a password");
    let wrong = p.uri.replace(&password, "wrong");
    let err = connect(&wrong).await.expect_err("refused");
    let db = err.as_db_error().expect("a server error");
    assert_eq!(db.code().code(), "28P01");
    assert_eq!(
        db.message(),
        "password authentication failed for user 'neondb_owner'"
    );
    let bare = p
        .uri
        .split("?options=")
        .next()
        .expect("a prefix")
        .to_string();
    let err = connect(&bare).await.expect_err("refused");
    let message = err.as_db_error().map(|e| e.message().to_string());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.starts_with("Endpoint ID is not specified.")),
        "{err}"
    );
    let out = tokio::task::spawn_blocking(move || run_psql(&wrong, "SELECT 1"))
        .await
        .expect("psql task");
    let stderr = out.expect_err("psql is refused");
    assert!(
        stderr.contains("password authentication failed"),
        "{stderr}"
    );
    assert!(!stderr.contains(&password), "the password is not echoed");
    emu.handle.shutdown().await;
}
