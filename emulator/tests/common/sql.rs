//! Helpers for the SQL-over-HTTP tests: `POST /sql` requests and the connection strings the
//! emulator hands out.

use reqwest::Method;
use serde_json::{json, Value};

use super::Emu;

/// The headers Neon's serverless driver sends: values as text, rows as arrays.
pub const DRIVER: &[(&str, &str)] = &[
    ("Neon-Raw-Text-Output", "true"),
    ("Neon-Array-Mode", "true"),
];

/// `POST /sql` with `body` on the connection string `conn`: the status and the JSON answer.
pub async fn sql(emu: &Emu, conn: &str, body: Value, headers: &[(&str, &str)]) -> (u16, Value) {
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

/// One query without parameters, sent the way the driver sends it.
pub async fn query(emu: &Emu, conn: &str, query: &str) -> (u16, Value) {
    sql(emu, conn, json!({ "query": query }), DRIVER).await
}

/// The rows of a query that must succeed, the way the driver gets them.
pub async fn rows(emu: &Emu, conn: &str, text: &str) -> Value {
    let (status, v) = query(emu, conn, text).await;
    assert_eq!(status, 200, "{v}");
    v["rows"].clone()
}

/// The connection string of a new claimable database.
pub async fn claimable_connection_string(emu: &Emu) -> String {
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

/// The first connection URI of a project or branch creation response.
pub fn first_uri(created: &Value) -> String {
    created["connection_uris"][0]["connection_uri"]
        .as_str()
        .expect("uri")
        .to_string()
}

/// A new project, once its operations have finished.
pub struct Project {
    pub id: String,
    /// The default branch.
    pub main: String,
    /// The owner role's connection string.
    pub uri: String,
}

/// Creates project `name` and waits for its operations.
pub async fn project(emu: &Emu, name: &str) -> Project {
    let p = emu.create_project(name).await;
    let id = |v: &Value| v["id"].as_str().expect("id").to_string();
    Project {
        id: id(&p["project"]),
        main: id(&p["branch"]),
        uri: first_uri(&p),
    }
}

/// Creates a branch of project `pid` from `body`, expecting 201; returns the response.
pub async fn create_branch(emu: &Emu, pid: &str, body: Value) -> Value {
    let path = format!("/projects/{pid}/branches");
    emu.expect(201, Method::POST, &path, Some(body)).await
}

/// Takes a snapshot of branch `bid` (`query`: `name=..` and maybe `timestamp=..`), waits for
/// its operations and returns its id.
pub async fn snapshot(emu: &Emu, pid: &str, bid: &str, query: &str) -> String {
    let path = format!("/projects/{pid}/branches/{bid}/snapshot?{query}");
    let snap = emu.expect(200, Method::POST, &path, None).await;
    emu.wait_for_operations(pid).await;
    snap["snapshot"]["id"].as_str().expect("id").to_string()
}

/// Now, as an RFC 3339 timestamp with milliseconds.
pub fn now_millis() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
