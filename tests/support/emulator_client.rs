//! Native workflow tests against the local emulator (cargo feature `native`: the library's
//! own reqwest transport): an emulator with a throwaway PostgreSQL cluster, a client of it, SQL over HTTP on the
//! connection strings it hands out, and its control plane (faults, failing operations).
#![allow(dead_code)]

use emulator::{Config, Handle, PgMode};
use neon_edge::sql::{Query, SqlClient};
use neon_edge::transport::ReqwestTransport;
use neon_edge::{ApiKey, NeonClient, RequestOptions};
use std::sync::Arc;
use std::time::Duration;

/// A running emulator on a throwaway PostgreSQL cluster, with quick operations and no rate
/// limits.
pub struct Emulator {
    pub handle: Handle,
    http: reqwest::Client,
}

impl Emulator {
    pub async fn start() -> Emulator {
        let config = Config {
            op_duration: Duration::from_millis(100),
            rate_limit_per_minute: 0,
            rate_limit_route_per_second: 0,
            pg: PgMode::Auto,
            ..Config::default()
        };
        let handle = emulator::start(config)
            .await
            .expect("the emulator starts (it needs PostgreSQL: apt-get install postgresql)");
        Emulator { handle, http: reqwest::Client::new() }
    }

    /// A client of its Management API, as a user builds one.
    pub fn client(&self) -> NeonClient {
        NeonClient::builder()
            .api_key(ApiKey::fixed("napi_workflows").unwrap())
            .base_url(format!("{}/api/v2", self.handle.base_url))
            .transport(Arc::new(ReqwestTransport::with_client(self.http.clone())))
            .rate_limiter(None)
            .build()
            .unwrap()
    }

    /// The values of the first column of `sql` run on `connection_string`, as text.
    pub async fn column(&self, connection_string: &str, sql: &str) -> Vec<String> {
        let db = SqlClient::builder(connection_string)
            .endpoint(format!("{}/sql", self.handle.base_url))
            .transport(Arc::new(ReqwestTransport::with_client(self.http.clone())))
            .build()
            .unwrap();
        let result = db.query(&Query::new(sql), &RequestOptions::default()).await.unwrap();
        result
            .rows
            .iter()
            .map(|row| match &row[0] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    }

    /// Runs each statement of `sql` (one statement per request, as SQL over HTTP takes them).
    pub async fn execute(&self, connection_string: &str, sql: &str) {
        for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
            self.column(connection_string, statement).await;
        }
    }

    /// `POST /__emulator/<path>` with a JSON body.
    pub async fn control(&self, path: &str, body: serde_json::Value) {
        let status = self
            .http
            .post(format!("{}/__emulator/{path}", self.handle.base_url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "/__emulator/{path}: {status}");
    }
}
