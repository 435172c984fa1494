//! The Claimable Postgres API (`/api/v1/database`).

mod common;

use common::{test_config, Emu};
use reqwest::Method;
use serde_json::Value;

async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

#[tokio::test]
async fn a_claimable_database_has_a_pooled_connection_string_a_claim_url_and_expires_in_72_hours() {
    let emu = Emu::start(test_config(0)).await;
    let (status, v) = json_of(
        emu.raw(
            Method::POST,
            "/api/v1/database",
            Some(r#"{"ref":"neon-edge-tests"}"#),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{v}");
    for key in [
        "id",
        "status",
        "neon_project_id",
        "connection_string",
        "claim_url",
        "expires_at",
        "created_at",
        "updated_at",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["status"], "UNCLAIMED");
    let conn = v["connection_string"].as_str().expect("connection string");
    assert!(
        conn.starts_with("postgresql://") && conn.ends_with("-pooler"),
        "{conn}"
    );
    let created =
        chrono::DateTime::parse_from_rfc3339(v["created_at"].as_str().expect("created_at"))
            .expect("timestamp");
    let expires =
        chrono::DateTime::parse_from_rfc3339(v["expires_at"].as_str().expect("expires_at"))
            .expect("timestamp");
    assert_eq!((expires - created).num_hours(), 72);
    let id = v["id"].as_str().expect("id").to_string();
    let (status, again) = json_of(
        emu.raw(Method::GET, &format!("/api/v1/database/{id}"), None)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(again["connection_string"], v["connection_string"]);
    let (_, projects) = emu.get("/projects").await;
    assert_eq!(
        projects["projects"].as_array().map(Vec::len),
        Some(0),
        "unclaimed databases are not the user's projects"
    );
}

#[tokio::test]
async fn claiming_goes_unclaimed_claiming_claimed_and_drops_the_connection_string() {
    let emu = Emu::start(test_config(0)).await;
    let (_, v) = json_of(
        emu.raw(
            Method::POST,
            "/api/v1/database",
            Some(r#"{"ref":"t","enable_logical_replication":true}"#),
        )
        .await,
    )
    .await;
    let id = v["id"].as_str().expect("id").to_string();
    let (_, c) = json_of(
        emu.raw(
            Method::POST,
            &format!("/__emulator/claimable/{id}/advance"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(c["status"], "CLAIMING");
    assert!(c["connection_string"].is_string());
    let (_, c) = json_of(
        emu.raw(
            Method::POST,
            &format!("/__emulator/claimable/{id}/advance"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(c["status"], "CLAIMED");
    let (_, c) = json_of(
        emu.raw(Method::GET, &format!("/api/v1/database/{id}"), None)
            .await,
    )
    .await;
    assert_eq!(c["status"], "CLAIMED");
    assert!(c["connection_string"].is_null());
    let pid = c["neon_project_id"].as_str().expect("project id");
    let (status, p) = emu.get(&format!("/projects/{pid}")).await;
    assert_eq!(status, 200);
    assert_eq!(p["project"]["settings"]["enable_logical_replication"], true);
}

#[tokio::test]
async fn the_documented_errors_are_answered() {
    let emu = Emu::start(test_config(0)).await;
    for body in [r#"{}"#, r#"{"ref":""}"#] {
        let (status, v) =
            json_of(emu.raw(Method::POST, "/api/v1/database", Some(body)).await).await;
        assert_eq!(status, 400);
        assert_eq!(v["message"], "Missing referrer");
    }
    let (status, v) = json_of(
        emu.raw(Method::POST, "/api/v1/database", Some("{oops"))
            .await,
    )
    .await;
    assert_eq!(status, 500);
    assert_eq!(v["message"], "Failed to create the database.");
    let (status, v) = json_of(
        emu.raw(Method::GET, "/api/v1/database/not-a-database", None)
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(v["message"], "Database not found");
}

#[tokio::test]
async fn an_expired_database_is_gone() {
    let emu = Emu::start(test_config(0)).await;
    let (_, v) = json_of(
        emu.raw(Method::POST, "/api/v1/database", Some(r#"{"ref":"t"}"#))
            .await,
    )
    .await;
    let id = v["id"].as_str().expect("id").to_string();
    let (status, _) = json_of(
        emu.raw(
            Method::POST,
            &format!("/__emulator/claimable/{id}/expire"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, v) = json_of(
        emu.raw(Method::GET, &format!("/api/v1/database/{id}"), None)
            .await,
    )
    .await;
    assert_eq!(
        (status, v["message"].clone()),
        (400, serde_json::json!("Database not found"))
    );
    let pid = v.get("neon_project_id").cloned();
    assert!(pid.is_none());
}
