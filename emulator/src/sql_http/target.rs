//! Which database a request runs on: the `Neon-Connection-String` header parsed, then matched
//! against the endpoints, roles and databases the emulator handed out.

use super::error::SqlError;
use crate::app::Shared;
use crate::endpoints::wake;
use crate::proxy::route;

/// The parts of a `postgresql://` URL the emulator needs.
#[derive(Debug, PartialEq)]
pub struct ConnInfo {
    pub user: String,
    pub password: String,
    pub host: String,
    pub database: String,
    /// The endpoint named in `options` (`endpoint=ep-…`), as the emulator's strings carry it.
    pub options_endpoint: Option<String>,
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
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let rest = rest.split('#').next()?;
    let options_endpoint = query
        .split(['&', '#'])
        .filter_map(|kv| kv.strip_prefix("options="))
        .find_map(|v| route::split_options(&pct_decode(v)).0);
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
        options_endpoint,
    })
}

/// The database a request runs on.
pub(super) struct Target {
    pub(super) pg_name: String,
    pub(super) branch_id: String,
    pub(super) database: String,
    pub(super) role: String,
}

/// Finds the physical database behind a connection string (the endpoint from `options`, else
/// from the host's first label), checking role and password; a suspended endpoint wakes up.
pub(super) fn resolve(app: &Shared, info: &ConnInfo) -> Result<Target, SqlError> {
    let label = info.host.split('.').next().unwrap_or("");
    let endpoint_id = match &info.options_endpoint {
        Some(id) => id.as_str(),
        None => route::endpoint_id(label),
    };
    let mut store = app.lock();
    let found = route::resolve(
        &store,
        endpoint_id,
        &info.user,
        &info.password,
        &info.database,
    )
    .map_err(|r| SqlError::bad(r.code, r.message))?;
    wake(&mut store, endpoint_id);
    Ok(Target {
        pg_name: found.pg_name,
        branch_id: found.branch_id,
        database: info.database.clone(),
        role: info.user.clone(),
    })
}
