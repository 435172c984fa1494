//! Who a query runs as over SQL: the connection string's role with its privileges, passwords
//! that stop working once reset, and the table Neon Auth syncs its users into. These tests need
//! `initdb` (Debian's `postgresql` package) and fail loudly without it.

mod common;

use common::sql::{project, query, rows};
use common::Emu;
use reqwest::Method;
use serde_json::json;

/// The connection string `role` gets for database `neondb` of project `pid`.
async fn role_uri(emu: &Emu, pid: &str, role: &str) -> String {
    let path = format!("/projects/{pid}/connection_uri?database_name=neondb&role_name={role}");
    let (_, v) = emu.get(&path).await;
    v["uri"].as_str().expect("uri").to_string()
}

#[tokio::test]
async fn a_reset_password_retires_the_old_one() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "pw").await;
    rows(&emu, &p.uri, "SELECT 1").await;
    let reset = format!(
        "/projects/{}/branches/{}/roles/neondb_owner/reset_password",
        p.id, p.main
    );
    emu.expect(200, Method::POST, &reset, Some(json!({}))).await;
    let (status, v) = query(&emu, &p.uri, "SELECT 1").await;
    assert_eq!((status, v["code"].clone()), (400, json!("28P01")));
    let fresh = role_uri(&emu, &p.id, "neondb_owner").await;
    rows(&emu, &fresh, "SELECT 1").await;
}

#[tokio::test]
async fn queries_run_as_the_connection_strings_role_with_that_roles_privileges() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "roles").await;
    assert_eq!(
        rows(&emu, &p.uri, "SELECT current_user, session_user").await,
        json!([["neondb_owner", "neondb_owner"]])
    );
    rows(&emu, &p.uri, "CREATE TABLE secrets (v text)").await;
    let roles = format!("/projects/{}/branches/{}/roles", p.id, p.main);
    let reader = json!({ "role": { "name": "reader" } });
    emu.expect(201, Method::POST, &roles, Some(reader)).await;
    emu.wait_for_operations(&p.id).await;
    let reader_uri = role_uri(&emu, &p.id, "reader").await;
    let (status, v) = query(&emu, &reader_uri, "SELECT * FROM secrets").await;
    assert_eq!((status, v["code"].clone()), (400, json!("42501")), "{v}");
    rows(&emu, &p.uri, "GRANT SELECT ON secrets TO reader").await;
    assert_eq!(
        rows(&emu, &reader_uri, "SELECT count(*) FROM secrets").await,
        json!([["0"]])
    );
    let reserved = json!({ "role": { "name": "pg_admin" } });
    let (status, v) = emu.post(&roles, reserved).await;
    assert_eq!(status, 400, "reserved role names: {v}");
}

#[tokio::test]
async fn enabling_neon_auth_creates_the_users_sync_table() {
    let emu = Emu::start_with_postgres(0).await;
    let p = project(&emu, "auth").await;
    let auth = format!("/projects/{}/branches/{}/auth", p.id, p.main);
    let body = json!({ "auth_provider": "better_auth" });
    emu.expect(201, Method::POST, &auth, Some(body)).await;
    assert_eq!(
        rows(&emu, &p.uri, "SELECT count(*) FROM neon_auth.users_sync").await,
        json!([["0"]])
    );
}
