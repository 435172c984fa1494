//! Neon's roles inside the real PostgreSQL server: every Neon role is a login role in the
//! `neon_superuser` group (as on Neon), databases belong to their owner role, and SQL over
//! HTTP runs as the connection string's role. Roles are cluster-wide and never dropped: Neon
//! role names repeat across projects.

use crate::pg::{quote_ident, PgCluster, PgConnection};

const NEON_SUPERUSER: &str = "neon_superuser";

/// Role names Neon refuses.
pub fn is_reserved_role(name: &str) -> bool {
    name.starts_with("pg_") || ["postgres", NEON_SUPERUSER, "public", "none"].contains(&name)
}

impl PgCluster {
    /// Whether the emulator can act as Neon's roles (it connects as a superuser); sets up the
    /// `neon_superuser` group the first time.
    pub async fn roles_supported(&self) -> bool {
        *self
            .roles
            .get_or_init(|| async {
                let Ok(admin) = self.admin().await else {
                    return false;
                };
                let superuser = admin
                    .query_one(
                        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
                        &[],
                    )
                    .await
                    .ok()
                    .and_then(|r| r.try_get::<_, bool>(0).ok())
                    .unwrap_or(false);
                if !superuser {
                    return false;
                }
                let exists = admin
                    .query_opt(
                        "SELECT 1 FROM pg_roles WHERE rolname = $1",
                        &[&NEON_SUPERUSER],
                    )
                    .await
                    .map(|r| r.is_some())
                    .unwrap_or(false);
                if !exists {
                    let sql = format!(
                        "CREATE ROLE {NEON_SUPERUSER} NOLOGIN CREATEDB CREATEROLE BYPASSRLS"
                    );
                    if let Err(e) = admin.batch_execute(&sql).await {
                        if e.code() != Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT) {
                            return false;
                        }
                    }
                }
                true
            })
            .await
    }

    /// Creates the login role `name` in `neon_superuser` unless it exists.
    pub async fn ensure_role(&self, name: &str) -> Result<(), String> {
        if !self.roles_supported().await {
            return Ok(());
        }
        let admin = self.admin().await.map_err(|e| e.to_string())?;
        let exists = admin
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])
            .await
            .map_err(|e| e.to_string())?
            .is_some();
        if exists {
            return Ok(());
        }
        let sql = format!(
            "CREATE ROLE {} LOGIN IN ROLE {NEON_SUPERUSER}",
            quote_ident(name)
        );
        match admin.batch_execute(&sql).await {
            Ok(()) => Ok(()),
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT) => {
                Ok(())
            }
            Err(e) => Err(format!("cannot create role {name}: {e}")),
        }
    }

    /// Gives a new, empty database to `owner` and lets `neon_superuser` members create in it.
    pub async fn prepare_database(&self, db: &str, owner: &str) -> Result<(), String> {
        if !self.roles_supported().await {
            return Ok(());
        }
        self.ensure_role(owner).await?;
        let admin = self.admin().await.map_err(|e| e.to_string())?;
        admin
            .batch_execute(&format!(
                "ALTER DATABASE {} OWNER TO {}",
                quote_ident(db),
                quote_ident(owner)
            ))
            .await
            .map_err(|e| e.to_string())?;
        let conn = self.connect(db).await.map_err(|e| e.to_string())?;
        conn.batch_execute(&format!("GRANT ALL ON SCHEMA public TO {NEON_SUPERUSER}"))
            .await
            .map_err(|e| e.to_string())
    }

    /// A connection to `db` acting as `role` (as the superuser when roles are not supported).
    pub async fn connect_as(
        &self,
        db: &str,
        role: &str,
    ) -> Result<PgConnection, tokio_postgres::Error> {
        let conn = self.connect(db).await?;
        if self.roles_supported().await {
            conn.batch_execute(&format!("SET SESSION AUTHORIZATION {}", quote_ident(role)))
                .await?;
        }
        Ok(conn)
    }
}
