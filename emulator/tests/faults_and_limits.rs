//! Rate limits and injected faults.

mod common;

use common::{test_config, Emu};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_per_route_burst_limit_answers_429_with_retry_after() {
    let mut config = test_config(0);
    config.rate_limit_route_per_second = 5;
    config.rate_limit_per_minute = 700;
    let emu = Emu::start(config).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..8 {
        let resp = emu
            .http
            .get(emu.url("/api/v2/projects"))
            .bearer_auth("k")
            .send()
            .await
            .expect("sent");
        if resp.status().as_u16() == 429 {
            retry_after = resp
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap_or("").to_string());
        }
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(retry_after.as_deref(), Some("1"));
    let other_key = emu
        .http
        .get(emu.url("/api/v2/projects"))
        .bearer_auth("k2")
        .send()
        .await
        .expect("sent");
    assert_eq!(other_key.status().as_u16(), 200, "limits are per key");
}

#[tokio::test]
async fn the_per_minute_limit_counts_every_route_of_a_key() {
    let emu = Emu::start(test_config(0)).await;
    emu.raw(
        Method::POST,
        "/__emulator/config",
        Some(r#"{"rate_limit_per_minute":3}"#),
    )
    .await;
    let (a, _) = emu.get("/projects").await;
    let (b, _) = emu.get("/users/me").await;
    let (c, _) = emu.get("/api_keys").await;
    let (d, v) = emu.get("/projects").await;
    assert_eq!((a, b, c, d), (200, 200, 200, 429), "{v}");
    assert!(v["request_id"].is_string());
}

#[tokio::test]
async fn injected_statuses_apply_the_requested_number_of_times() {
    let emu = Emu::start(test_config(0)).await;
    let rule = json!({ "path": "/api/v2/projects", "method": "GET", "status": 423, "times": 3 });
    let resp = emu
        .raw(Method::POST, "/__emulator/faults", Some(&rule.to_string()))
        .await;
    assert_eq!(resp.status().as_u16(), 200);
    for _ in 0..3 {
        let (status, v) = emu.get("/projects").await;
        assert_eq!(status, 423);
        assert_eq!(v["message"], "project already has running conflicting operations, scheduling of new ones is prohibited");
    }
    let (status, _) = emu.get("/projects").await;
    assert_eq!(status, 200);
    let rule = json!({ "faults": [{ "path": "/api/v2", "status": 503, "retry_after": 2 }] });
    emu.raw(Method::POST, "/__emulator/faults", Some(&rule.to_string()))
        .await;
    let resp = emu
        .http
        .get(emu.url("/api/v2/projects"))
        .bearer_auth("k")
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 503);
    assert_eq!(resp.headers()["retry-after"], "2");
}

#[tokio::test]
async fn injected_delays_and_dropped_connections_happen() {
    let emu = Emu::start(test_config(0)).await;
    let rule = json!({ "path": "/api/v2/users/me", "delay_ms": 300 });
    emu.raw(Method::POST, "/__emulator/faults", Some(&rule.to_string()))
        .await;
    let t = std::time::Instant::now();
    let (status, _) = emu.get("/users/me").await;
    assert_eq!(status, 200);
    assert!(t.elapsed() >= std::time::Duration::from_millis(300));

    let rule = json!({ "path": "/api/v2/users/me", "drop_connection": true });
    emu.raw(Method::POST, "/__emulator/faults", Some(&rule.to_string()))
        .await;
    let resp = emu
        .http
        .get(emu.url("/api/v2/users/me"))
        .bearer_auth("k")
        .send()
        .await
        .expect("headers arrive");
    assert!(resp.text().await.is_err(), "the body is cut off");
    let (status, _) = emu.get("/users/me").await;
    assert_eq!(status, 200, "only once");
}

#[tokio::test]
async fn reset_forgets_projects_and_faults() {
    let emu = Emu::start(test_config(0)).await;
    emu.create_project("gone").await;
    emu.raw(
        Method::POST,
        "/__emulator/faults",
        Some(r#"{"path":"/api/v2/regions","status":500,"times":0}"#),
    )
    .await;
    let resp = emu.raw(Method::POST, "/__emulator/reset", None).await;
    assert_eq!(resp.status().as_u16(), 200);
    let (_, v) = emu.get("/projects").await;
    assert_eq!(v["projects"].as_array().map(Vec::len), Some(0));
    let (status, _) = emu.get("/regions").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn cors_preflights_are_answered_and_every_response_carries_cors_headers() {
    let emu = Emu::start(test_config(0)).await;
    let resp = emu
        .http
        .request(Method::OPTIONS, emu.url("/sql"))
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "neon-connection-string, neon-raw-text-output",
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 204);
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        resp.headers()["access-control-allow-headers"],
        "neon-connection-string, neon-raw-text-output"
    );
    let resp = emu.raw(Method::GET, "/api/v2/projects", None).await;
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert!(resp.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn injected_operation_failures_end_in_failed_with_an_error() {
    let emu = Emu::start(test_config(50)).await;
    emu.raw(
        Method::POST,
        "/__emulator/config",
        Some(r#"{"fail_next_operations":1}"#),
    )
    .await;
    let (_, p) = emu.post("/projects", json!({ "project": {} })).await;
    let pid = p["project"]["id"].as_str().expect("id").to_string();
    let op = p["operations"][0]["id"].as_str().expect("op").to_string();
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    let (_, v) = emu.get(&format!("/projects/{pid}/operations/{op}")).await;
    common::schema::assert_response(
        "/projects/{project_id}/operations/{operation_id}",
        "get",
        200,
        &v,
    );
    assert_eq!(v["operation"]["status"], "failed");
    assert_eq!(v["operation"]["failures_count"], 1);
    assert!(v["operation"]["error"].is_string());
    let (_, second) = emu
        .get(&format!(
            "/projects/{pid}/operations/{}",
            p["operations"][1]["id"].as_str().expect("op")
        ))
        .await;
    assert_eq!(
        second["operation"]["status"], "finished",
        "only one operation fails"
    );
    let (status, _) = emu
        .post(&format!("/projects/{pid}/branches"), json!({}))
        .await;
    assert_eq!(status, 201, "a failed operation does not lock the project");
}

#[tokio::test]
async fn a_thousand_concurrent_calls_under_the_limit_all_succeed() {
    let mut config = test_config(0);
    config.rate_limit_per_minute = 700;
    config.rate_limit_route_per_second = 0;
    let emu = Emu::start(config).await;
    let calls = (0..1000).map(|i| {
        let http = emu.http.clone();
        let url = emu.url("/api/v2/regions");
        async move {
            http.get(url)
                .bearer_auth(format!("key-{}", i % 2))
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    let statuses = futures_util::future::join_all(calls).await;
    let ok = statuses.iter().filter(|s| matches!(s, Ok(200))).count();
    assert_eq!(
        ok,
        1000,
        "{:?}",
        statuses
            .iter()
            .filter(|s| !matches!(s, Ok(200)))
            .take(5)
            .collect::<Vec<_>>()
    );
}
