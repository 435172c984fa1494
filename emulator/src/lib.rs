//! A local, stateful emulator of the services neon-edge talks to: Neon's Management API v2,
//! the Claimable Postgres API and SQL over HTTP, backed by a real PostgreSQL server.
//!
//! Start it in-process with [`start`], or run the `neon-emulator` binary.

mod addons;
mod advisors;
mod anonymize;
mod app;
mod auth_config;
mod auth_email;
mod auth_sections;
mod auth_users;
mod backup_schedule;
mod branches;
mod claimable;
mod claimable_neon;
mod control;
mod credentials;
mod endpoints;
mod error;
mod faults;
mod functions;
mod history;
mod http;
mod ids;
mod jwks;
mod listing;
mod operations;
mod org_members;
mod orgs;
/// The PostgreSQL server behind the emulated databases.
pub mod pg;
mod pg_roles;
mod project_access;
mod projects;
mod proxy;
mod ratelimit;
mod recovery;
mod render;
mod restore;
mod roles_dbs;
mod snapshots;
mod sql_http;
mod sql_values;
mod state;
mod storage;
mod vpc;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use pg::PgCluster;

/// Writes `neon-emulator: {message}` to stderr, ignoring write errors (a closed pipe).
pub fn log(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "neon-emulator: {message}");
}

/// Where the emulator gets its PostgreSQL server from.
#[derive(Debug, Clone, Default)]
pub enum PgMode {
    /// No PostgreSQL: the API works, SQL over HTTP answers an error.
    #[default]
    None,
    /// An existing server whose URL names a role allowed to create databases.
    Url(String),
    /// A throwaway cluster made with `initdb` in a temp directory.
    Auto,
}

/// Emulator settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// TCP port on 127.0.0.1 (0 = a free one).
    pub port: u16,
    /// How long every operation takes to go from scheduling to finished.
    pub op_duration: Duration,
    /// Where PostgreSQL comes from.
    pub pg: PgMode,
    /// Management API requests allowed per key per minute (0 = unlimited).
    pub rate_limit_per_minute: u32,
    /// Management API requests allowed per key and route per second (0 = unlimited).
    pub rate_limit_route_per_second: u32,
    /// Logs every request (method, path, status, time) to stderr.
    pub log_requests: bool,
    /// TCP port on 127.0.0.1 of the Postgres wire protocol (0 = a free one).
    pub wire_port: u16,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            op_duration: Duration::from_millis(200),
            pg: PgMode::None,
            rate_limit_per_minute: 700,
            rate_limit_route_per_second: 40,
            log_requests: false,
            wire_port: 0,
        }
    }
}

/// A running emulator.
pub struct Handle {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// The origin of the emulated Claimable Neon service: the base URL itself (its routes are
    /// at the root, as Neon's CLI wants an origin without a path).
    pub claimable_neon_origin: String,
    /// The bound address.
    pub addr: SocketAddr,
    /// Where the Postgres wire protocol is served (the host and port of every connection string).
    pub wire_addr: SocketAddr,
    /// `host:port` of the PostgreSQL server, when one is attached.
    pub pg_address: Option<String>,
    pg: Option<Arc<PgCluster>>,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Handle {
    /// Stops serving, then stops and removes a temporary PostgreSQL cluster.
    pub async fn shutdown(&self) {
        let stop = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(s) = stop {
            let _ = s.send(());
        }
        let task = self.task.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = task {
            let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
        }
        if let Some(pg) = &self.pg {
            pg.stop();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let stop = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(s) = stop {
            let _ = s.send(());
        }
        if let Some(pg) = &self.pg {
            pg.stop();
        }
    }
}

/// Starts the emulator on 127.0.0.1 and returns once it accepts connections.
pub async fn start(config: Config) -> Result<Handle, String> {
    let pg = match &config.pg {
        PgMode::None => None,
        PgMode::Url(url) => Some(Arc::new(PgCluster::from_url(url).await?)),
        PgMode::Auto => Some(Arc::new(PgCluster::start_temporary().await?)),
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
        .await
        .map_err(|e| format!("cannot bind 127.0.0.1:{}: {e}", config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = format!("http://{addr}");
    let wire = tokio::net::TcpListener::bind(("127.0.0.1", config.wire_port))
        .await
        .map_err(|e| format!("cannot bind 127.0.0.1:{}: {e}", config.wire_port))?;
    let wire_addr = wire.local_addr().map_err(|e| e.to_string())?;
    let app = Arc::new(app::App {
        store: Mutex::new(state::Store::new(config.op_duration, wire_addr.to_string())),
        connections: proxy::Connections::default(),
        pg: pg.clone(),
        base_url: base_url.clone(),
        log_requests: config.log_requests,
        faults: Mutex::new(faults::Faults::default()),
        claimable_neon: claimable_neon::Service::new()?,
        limiter: Mutex::new(ratelimit::RateLimiter::new(
            config.rate_limit_per_minute,
            config.rate_limit_route_per_second,
        )),
    });
    let wire_task = proxy::spawn(wire, app.clone());
    let router = http::router(app);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
                wire_task.abort();
            })
            .await;
    });
    Ok(Handle {
        claimable_neon_origin: base_url.clone(),
        base_url,
        addr,
        wire_addr,
        pg_address: pg.as_ref().map(|p| p.address.clone()),
        pg,
        stop: Mutex::new(Some(tx)),
        task: Mutex::new(Some(task)),
    })
}
