//! Shared test helpers: an in-process emulator, a small HTTP client and the OpenAPI spec.
#![allow(dead_code)]

pub mod schema;
pub mod sql;

use std::time::Duration;

use emulator::{Config, Handle, PgMode};
use reqwest::Method;
use serde_json::Value;

/// A running emulator plus a client with an API key.
pub struct Emu {
    pub handle: Handle,
    pub http: reqwest::Client,
    pub key: String,
}

/// Settings for tests: quick operations, no rate limits unless a test asks.
pub fn test_config(op_ms: u64) -> Config {
    Config {
        op_duration: Duration::from_millis(op_ms),
        rate_limit_per_minute: 0,
        rate_limit_route_per_second: 0,
        ..Config::default()
    }
}

impl Emu {
    pub async fn start(config: Config) -> Emu {
        let handle = emulator::start(config).await.expect("the emulator starts");
        Emu {
            handle,
            http: reqwest::Client::new(),
            key: "test-key".into(),
        }
    }

    /// An emulator whose databases live in a throwaway PostgreSQL cluster; fails loudly without one.
    pub async fn start_with_postgres(op_ms: u64) -> Emu {
        let mut config = test_config(op_ms);
        config.pg = PgMode::Auto;
        match emulator::start(config).await {
            Ok(handle) => Emu { handle, http: reqwest::Client::new(), key: "test-key".into() },
            Err(e) => panic!(
                "these tests need PostgreSQL (Debian: apt-get install postgresql; or set NEON_EMULATOR_PG_BIN): {e}"
            ),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.handle.base_url, path)
    }

    /// A Management API call (`/api/v2` + path) with the bearer key.
    pub async fn api(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, self.url(&format!("/api/v2{path}")))
            .bearer_auth(&self.key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body read");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.api(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.api(Method::POST, path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.api(Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.api(Method::DELETE, path, None).await
    }

    /// A call that must answer `status`; returns the body.
    pub async fn expect(
        &self,
        status: u16,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let (got, v) = self.api(method.clone(), path, body).await;
        assert_eq!(got, status, "{method} {path}: {v}");
        v
    }

    /// A raw request to any path, without the API key.
    pub async fn raw(&self, method: Method, path: &str, body: Option<&str>) -> reqwest::Response {
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        req.send().await.expect("request sent")
    }

    /// Waits until every operation of the project has finished.
    pub async fn wait_for_operations(&self, project_id: &str) {
        for _ in 0..200 {
            let (s, v) = self
                .get(&format!("/projects/{project_id}/operations?limit=1000"))
                .await;
            assert_eq!(s, 200, "{v}");
            let ops = v["operations"].as_array().cloned().unwrap_or_default();
            if ops.iter().all(|o| o["status"] == "finished") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("operations of {project_id} did not finish");
    }

    /// Creates a project and waits for its operations; returns the creation response.
    pub async fn create_project(&self, name: &str) -> Value {
        let (s, v) = self
            .post(
                "/projects",
                serde_json::json!({ "project": { "name": name } }),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["project"]["id"].as_str().expect("project id").to_string();
        self.wait_for_operations(&id).await;
        v
    }
}
