//! A Cloudflare Worker in Rust: workers-rs serves the requests, and neon-edge sends its own
//! through workers-rs's `Fetch` (the [`Transport`] trait) and sleeps on its `Delay` (the
//! [`Runtime`] trait). No JS glue of neon-edge is involved: the crate is built without its JS
//! bindings features.
//!
//! - `POST /claimable`: provisions a claimable database and reads `now()` from it over SQL
//!   over HTTP; answers with the claim link, never the connection string.
//! - `GET /projects`: the account's projects (id and name), with the key kept in the Worker.
//!
//! Bindings: the secret `NEON_API_KEY`; the vars `NEON_BASE_URL`, `NEON_CLAIMABLE_URL` and
//! `NEON_SQL_ENDPOINT` (each optional: Neon's own URLs by default; the emulator's locally).
#![cfg(target_arch = "wasm32")]

use neon_edge::api::ListProjectsParams;
use neon_edge::claimable::{ClaimableClient, CreateClaimable};
use neon_edge::runtime::Runtime;
use neon_edge::sql::{Query, SqlClient};
use neon_edge::transport::{within_limits, BoxFuture, HttpRequest, HttpResponse, Method, SentState, Transport, TransportError};
use neon_edge::{ApiKey, CallOptions, NeonClient, RequestOptions};
use std::sync::Arc;
use std::time::Duration;
use worker::{event, AbortController, Context, Date, Delay, Env, Fetch, Headers, Request, RequestInit, Response};

/// neon-edge's requests, sent with the Workers runtime's `fetch` through workers-rs.
struct WorkerFetch;

impl WorkerFetch {
    async fn exchange(request: HttpRequest, controller: &AbortController) -> Result<HttpResponse, TransportError> {
        let not_sent = |what: &str, e: worker::Error| TransportError::Network { message: format!("{what}: {e}"), sent: SentState::NotSent };
        let headers = Headers::new();
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(|e| not_sent("bad header", e))?;
        }
        let mut init = RequestInit::new();
        init.with_method(match request.method {
            Method::Get => worker::Method::Get,
            Method::Post => worker::Method::Post,
            Method::Put => worker::Method::Put,
            Method::Patch => worker::Method::Patch,
            Method::Delete => worker::Method::Delete,
            Method::Head => worker::Method::Head,
        })
        .with_headers(headers);
        if let Some(body) = &request.body {
            init.with_body(Some(worker::js_sys::Uint8Array::from(body.as_slice()).into()));
        }
        let built = Request::new_with_init(&request.url, &init).map_err(|e| not_sent("the request could not be built", e))?;
        let maybe_sent = |e: worker::Error| TransportError::Network { message: e.to_string(), sent: SentState::MaybeSent };
        let mut response = Fetch::Request(built).send_with_signal(&controller.signal()).await.map_err(maybe_sent)?;
        let status = response.status_code();
        let headers = response.headers().entries().collect();
        let body = response.bytes().await.map_err(maybe_sent)?;
        Ok(HttpResponse { status, headers, body })
    }
}

impl Transport for WorkerFetch {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let controller = AbortController::default();
            let (timeout, cancel) = (request.timeout, request.cancel.clone());
            let exchange = Self::exchange(request, &controller);
            match within_limits(timeout, cancel.as_ref(), Delay::from, exchange).await {
                Ok(result) => result,
                Err(stopped) => {
                    controller.abort();
                    Err(stopped.into())
                }
            }
        })
    }
}

/// Sleeps with workers-rs's `Delay` (`setTimeout`) and reads the isolate's `Date.now()`.
struct WorkerTime;

impl Runtime for WorkerTime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(Delay::from(duration))
    }

    fn now_ms(&self) -> f64 {
        Date::now().as_millis() as f64
    }
}

/// A var's text, or `None` when it is unset or empty.
fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty())
}

async fn claimable(env: &Env) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let mut builder = ClaimableClient::builder().transport(Arc::new(WorkerFetch)).user_agent(None);
    if let Some(url) = var(env, "NEON_CLAIMABLE_URL") {
        builder = builder.base_url(url);
    }
    let db = builder.build()?.create(&CreateClaimable::new("neon-edge-rust-worker"), &RequestOptions::default()).await?;
    let url = db.database_url.ok_or("the new database has no connection string")?;
    let mut sql = SqlClient::builder(url.expose()).transport(Arc::new(WorkerFetch)).user_agent(None);
    if let Some(endpoint) = var(env, "NEON_SQL_ENDPOINT") {
        sql = sql.endpoint(endpoint);
    }
    let result = sql.build()?.query(&Query::new("SELECT now() AS now"), &RequestOptions::default()).await?;
    Ok(serde_json::json!({ "id": db.id, "claimUrl": db.claim_url, "expiresAt": db.expires_at, "rows": result.row_objects() }))
}

async fn projects(env: &Env) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let key = env.secret("NEON_API_KEY").map(|s| s.to_string()).map_err(|_| "the secret NEON_API_KEY is not set")?;
    let mut builder = NeonClient::builder()
        .api_key(ApiKey::fixed(key)?)
        .transport(Arc::new(WorkerFetch))
        .runtime(Arc::new(WorkerTime))
        .user_agent(None);
    if let Some(url) = var(env, "NEON_BASE_URL") {
        builder = builder.base_url(url);
    }
    let listed = builder.build()?.list_projects(&ListProjectsParams { limit: Some(10), ..Default::default() }, &CallOptions::default()).await?;
    let projects: Vec<_> = listed.projects.iter().map(|p| serde_json::json!({ "id": p.id, "name": p.name })).collect();
    Ok(serde_json::json!({ "projects": projects }))
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let answer = match (req.method(), req.path().as_str()) {
        (worker::Method::Post, "/claimable") => claimable(&env).await,
        (worker::Method::Get, "/projects") => projects(&env).await,
        _ => return Response::error("not found", 404),
    };
    match answer {
        Ok(body) => Response::from_json(&body),
        // neon-edge's errors never hold the key or a password: safe to answer with.
        Err(e) => Response::error(e.to_string(), 502),
    }
}
