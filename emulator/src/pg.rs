//! The real PostgreSQL server behind the emulator: an existing one (`--pg-url`) or a throwaway
//! cluster created with `initdb` in a temp directory (`--pg-auto`, made by `pg/throwaway.rs`),
//! removed on shutdown. This module holds the connections and the databases made in either.

mod throwaway;

use std::path::PathBuf;
use std::sync::Mutex;

use tokio::process::Command;
use tokio_postgres::{Client, NoTls};

pub use throwaway::find_pg_bin_dir;
use throwaway::OwnedCluster;

/// Connections the emulator opens at once: requests beyond it wait instead of failing with
/// "too many clients" (the throwaway cluster allows 200).
const MAX_CONNECTIONS: usize = 150;

/// A connection that holds one of the cluster's connection slots while it lives.
pub struct PgConnection {
    client: Client,
    _slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl std::ops::Deref for PgConnection {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// A PostgreSQL server the emulator creates databases in.
pub struct PgCluster {
    config: tokio_postgres::Config,
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    pub(crate) roles: tokio::sync::OnceCell<bool>,
    /// `host:port` for display.
    pub address: String,
    owned: Mutex<Option<OwnedCluster>>,
}

/// Quotes an SQL identifier.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

impl PgCluster {
    /// Uses an existing server; `url` must name a role that may create databases.
    pub async fn from_url(url: &str) -> Result<Self, String> {
        let config: tokio_postgres::Config =
            url.parse().map_err(|e| format!("invalid --pg-url: {e}"))?;
        PgCluster::open(config, None)
            .await
            .map_err(|e| format!("cannot connect to {url}: {e}"))
    }

    /// A handle on the server `config` names (one this process made when `owned` is given),
    /// once an admin connection to it works.
    async fn open(
        config: tokio_postgres::Config,
        owned: Option<OwnedCluster>,
    ) -> Result<Self, tokio_postgres::Error> {
        let cluster = PgCluster {
            address: address(&config),
            config,
            owned: Mutex::new(owned),
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS)),
            roles: tokio::sync::OnceCell::new(),
        };
        cluster.admin().await?;
        Ok(cluster)
    }

    /// The schema of database `db` as `pg_dump --schema-only` prints it (without the random
    /// `\restrict` lines of recent pg_dump releases, so two dumps compare cleanly).
    pub async fn dump_schema(&self, db: &str) -> Result<String, String> {
        let bin =
            find_pg_bin_dir().ok_or_else(|| "pg_dump not found: install PostgreSQL".to_string())?;
        let host = self
            .config
            .get_hosts()
            .first()
            .map(|h| match h {
                tokio_postgres::config::Host::Tcp(s) => s.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(p) => p.to_string_lossy().to_string(),
            })
            .unwrap_or_else(|| "127.0.0.1".into());
        let port = self
            .config
            .get_ports()
            .first()
            .copied()
            .unwrap_or(5432)
            .to_string();
        let user = self.config.get_user().unwrap_or("postgres").to_string();
        let mut cmd = Command::new(bin.join("pg_dump"));
        cmd.args([
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "-h",
            &host,
            "-p",
            &port,
            "-U",
            &user,
            "-d",
            db,
        ]);
        if let Some(pw) = self.config.get_password() {
            cmd.env("PGPASSWORD", String::from_utf8_lossy(pw).to_string());
        }
        let out = cmd
            .output()
            .await
            .map_err(|e| format!("cannot run pg_dump: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "pg_dump failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .map(|l| format!("{l}\n"))
            .collect())
    }

    /// Stops and removes the cluster if this process created it.
    pub fn stop(&self) {
        let owned = self.owned.lock().unwrap_or_else(|e| e.into_inner()).take();
        drop(owned);
    }

    /// The data directory of a cluster this process created.
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.owned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|o| o.data_dir.clone())
    }

    /// A new connection to database `db`, once a connection slot is free.
    pub async fn connect(&self, db: &str) -> Result<PgConnection, tokio_postgres::Error> {
        // The semaphore is never closed, so this only waits for a free slot.
        let slot = self.slots.clone().acquire_owned().await.ok();
        let mut config = self.config.clone();
        config.dbname(db);
        let (client, conn) = config.connect(NoTls).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(PgConnection {
            client,
            _slot: slot,
        })
    }

    pub(crate) async fn admin(&self) -> Result<PgConnection, tokio_postgres::Error> {
        let db = self.config.get_dbname().unwrap_or("postgres").to_string();
        self.connect(&db).await
    }

    /// `CREATE DATABASE name [TEMPLATE template]`, closing sessions on the template first.
    pub async fn create_database(&self, name: &str, template: Option<&str>) -> Result<(), String> {
        let admin = self.admin().await.map_err(|e| e.to_string())?;
        let sql = match template {
            Some(t) => {
                let _ = admin
                    .execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                        &[&t],
                    )
                    .await;
                // A copy belongs to its template's owner, as a Neon branch's databases belong
                // to the same roles as its parent's (CREATE DATABASE would give it to us).
                let owner: String = admin
                    .query_one(
                        "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1",
                        &[&t],
                    )
                    .await
                    .map_err(|e| format!("cannot read the owner of database {t}: {e}"))?
                    .get(0);
                format!(
                    "CREATE DATABASE {} TEMPLATE {} OWNER {}",
                    quote_ident(name),
                    quote_ident(t),
                    quote_ident(&owner)
                )
            }
            None => format!("CREATE DATABASE {}", quote_ident(name)),
        };
        let mut last = String::new();
        // A session may reconnect to the template between the terminate and the copy: retry.
        for _ in 0..5 {
            match admin.batch_execute(&sql).await {
                Ok(()) => return Ok(()),
                Err(e) => {
                    last = e.to_string();
                    if let Some(t) = template {
                        let _ = admin
                            .execute(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                                &[&t],
                            )
                            .await;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
        Err(format!("cannot create database {name}: {last}"))
    }

    /// `DROP DATABASE IF EXISTS name WITH (FORCE)`.
    pub async fn drop_database(&self, name: &str) -> Result<(), String> {
        let admin = self.admin().await.map_err(|e| e.to_string())?;
        admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(name)
            ))
            .await
            .map_err(|e| e.to_string())
    }
}

/// `host:port` of the server `config` names, for display.
fn address(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.to_string_lossy().to_string(),
        })
        .unwrap_or_default();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}")
}
