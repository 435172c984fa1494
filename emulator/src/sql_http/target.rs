//! Which database a request runs on: the `Neon-Connection-String` header parsed, then matched
//! against the endpoints, roles and databases the emulator handed out.

use super::error::SqlError;
use crate::app::Shared;
use crate::endpoints::wake;

/// The parts of a `postgresql://` URL the emulator needs.
#[derive(Debug, PartialEq)]
pub struct ConnInfo {
    pub user: String,
    pub password: String,
    pub host: String,
    pub database: String,
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `postgres[ql]://user:password@host[:port]/database[?params]`.
pub fn parse_connection_string(s: &str) -> Option<ConnInfo> {
    let rest = s
        .strip_prefix("postgresql://")
        .or_else(|| s.strip_prefix("postgres://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let (auth, hostpath) = rest.rsplit_once('@')?;
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let (hostport, db) = hostpath.split_once('/').unwrap_or((hostpath, ""));
    let host = hostport.split(':').next()?.to_lowercase();
    let database = if db.is_empty() {
        pct_decode(user)
    } else {
        pct_decode(db)
    };
    Some(ConnInfo {
        user: pct_decode(user),
        password: pct_decode(password),
        host,
        database,
    })
}

/// The database a request runs on.
pub(super) struct Target {
    pub(super) pg_name: String,
    pub(super) branch_id: String,
    pub(super) database: String,
    pub(super) role: String,
}

/// Finds the physical database behind a connection string, checking role and password.
pub(super) fn resolve(app: &Shared, info: &ConnInfo) -> Result<Target, SqlError> {
    let label = info.host.split('.').next().unwrap_or("");
    let endpoint_id = label.strip_suffix("-pooler").unwrap_or(label);
    let mut store = app.lock();
    let ep = store.endpoints.get(endpoint_id).cloned().ok_or_else(|| {
        SqlError::bad(
            "XX000",
            format!("endpoint {endpoint_id} not found (host {})", info.host),
        )
    })?;
    if ep.disabled {
        return Err(SqlError::bad(
            "XX000",
            format!("endpoint {endpoint_id} is disabled"),
        ));
    }
    let branch = store
        .branches
        .get(&ep.branch_id)
        .ok_or_else(|| SqlError::bad("XX000", "branch of the endpoint not found"))?;
    let role = branch.roles.iter().find(|r| r.name == info.user);
    if role.is_none_or(|r| r.password != info.password) {
        return Err(SqlError::bad(
            "28P01",
            format!("password authentication failed for user '{}'", info.user),
        ));
    }
    let db = branch
        .databases
        .iter()
        .find(|d| d.name == info.database)
        .ok_or_else(|| {
            SqlError::bad(
                "3D000",
                format!("database \"{}\" does not exist", info.database),
            )
        })?;
    let pg_name = db.pg_name.clone();
    let target = Target {
        pg_name,
        branch_id: ep.branch_id.clone(),
        database: info.database.clone(),
        role: info.user.clone(),
    };
    wake(&mut store, endpoint_id);
    Ok(target)
}
