//! Point-in-time history of branches: every successful SQL-over-HTTP request is logged with a
//! timestamp and an LSN, and a branch's state at an earlier point is rebuilt by replaying its
//! log (and its ancestors' logs) onto its starting state.

use chrono::{DateTime, Utc};
use tokio_postgres::Client;

use crate::app::Shared;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::state::{Branch, Database, Store};

/// How far one logged request moves a branch's LSN.
const LSN_STEP: u64 = 0x100;

/// One successful SQL-over-HTTP request (a single query or a transaction).
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub lsn: u64,
    pub database: String,
    /// The role the request ran as.
    pub role: String,
    pub begin: Option<String>,
    pub statements: Vec<(String, Vec<Option<String>>)>,
}

/// Where a branch's history starts.
#[derive(Debug, Clone, Default)]
pub enum Base {
    /// Empty databases (a project's first branch).
    #[default]
    Empty,
    /// Its parent's state at `lsn`.
    Parent { branch_id: String, lsn: u64 },
    /// Physical copies kept for the purpose: (database name, physical name).
    Copies(Vec<(String, String)>),
}

/// `0/1DE2850`
pub fn lsn_string(lsn: u64) -> String {
    format!("{:X}/{:X}", lsn >> 32, lsn & 0xffff_ffff)
}

/// Parses `0/1DE2850`.
pub fn parse_lsn(s: &str) -> Option<u64> {
    let (hi, lo) = s.split_once('/')?;
    let hi = u64::from_str_radix(hi, 16).ok()?;
    let lo = u64::from_str_radix(lo, 16).ok()?;
    (hi <= 0xffff_ffff && lo <= 0xffff_ffff).then_some((hi << 32) | lo)
}

/// Records a request on a branch and moves its LSN.
pub fn record(
    store: &mut Store,
    branch_id: &str,
    database: &str,
    role: &str,
    begin: Option<String>,
    statements: Vec<(String, Vec<Option<String>>)>,
) {
    if let Some(b) = store.branches.get_mut(branch_id) {
        b.lsn += LSN_STEP;
        let lsn = b.lsn;
        b.log.push(LogEntry {
            at: Utc::now(),
            lsn,
            database: database.to_string(),
            role: role.to_string(),
            begin,
            statements,
        });
    }
}

/// The branch's LSN at a timestamp: its last logged change at or before `at`.
pub fn lsn_at(b: &Branch, at: DateTime<Utc>) -> u64 {
    b.log
        .iter()
        .filter(|e| e.at <= at)
        .map(|e| e.lsn)
        .max()
        .unwrap_or(b.start_lsn)
}

/// Resolves a point given as LSN or timestamp on `b`; `None` means its head.
pub fn point(b: &Branch, lsn: Option<&str>, timestamp: Option<&str>) -> ApiResult<Option<u64>> {
    if let Some(l) = lsn {
        let v = parse_lsn(l).ok_or_else(|| {
            ApiError::bad_request(format!("invalid LSN {l}: expected a value like 0/1DE2850"))
        })?;
        if v > b.lsn {
            return Err(ApiError::bad_request(format!(
                "LSN {l} is ahead of branch {} (at {})",
                b.id,
                lsn_string(b.lsn)
            )));
        }
        if v < b.start_lsn {
            return Err(ApiError::bad_request(format!(
                "LSN {l} is before the start of branch {}",
                b.id
            )));
        }
        return Ok((v < b.lsn).then_some(v));
    }
    if let Some(t) = timestamp {
        let at = DateTime::parse_from_rfc3339(t)
            .map_err(|_| {
                ApiError::bad_request(format!("invalid timestamp {t}: expected RFC 3339"))
            })?
            .with_timezone(&Utc);
        let v = lsn_at(b, at);
        return Ok((v < b.lsn).then_some(v));
    }
    Ok(None)
}

/// One step of rebuilding a database: where it starts, then which requests to replay.
struct Plan {
    start: Option<String>,
    replay: Vec<LogEntry>,
}

fn plan(store: &Store, branch_id: &str, lsn: u64, database: &str) -> ApiResult<Plan> {
    let mut levels: Vec<(&Branch, u64)> = Vec::new();
    let mut cur = (branch_id.to_string(), lsn);
    loop {
        let b = store
            .branches
            .get(&cur.0)
            .ok_or_else(|| ApiError::internal(format!("history of branch {} is gone", cur.0)))?;
        levels.push((b, cur.1));
        match &b.base {
            Base::Parent { branch_id, lsn } => cur = (branch_id.clone(), *lsn),
            _ => break,
        }
        if levels.len() > 1000 {
            return Err(ApiError::internal("branch lineage is too deep"));
        }
    }
    let start = match levels.last().map(|(b, _)| &b.base) {
        Some(Base::Copies(c)) => c
            .iter()
            .find(|(n, _)| n == database)
            .map(|(_, p)| p.clone()),
        _ => None,
    };
    let mut replay = Vec::new();
    for (b, upto) in levels.iter().rev() {
        replay.extend(
            b.log
                .iter()
                .filter(|e| e.lsn <= *upto && e.database == database)
                .cloned(),
        );
    }
    Ok(Plan { start, replay })
}

/// Runs logged requests again on `client`; a failing one is reported on stderr and skipped.
async fn replay(client: &Client, entries: &[LogEntry], as_roles: bool) {
    for e in entries {
        if as_roles {
            let role = crate::pg::quote_ident(&e.role);
            if let Err(err) = client
                .batch_execute(&format!("SET SESSION AUTHORIZATION {role}"))
                .await
            {
                crate::log(&format!("replaying history as {}: {err}", e.role));
            }
        }
        if let Some(begin) = &e.begin {
            let _ = client.simple_query(begin).await;
        }
        let mut ok = true;
        for (q, p) in &e.statements {
            if let Err(err) = crate::sql_http::execute_text(client, q, p).await {
                crate::log(&format!("replaying history: {err}"));
                ok = false;
                break;
            }
        }
        if e.begin.is_some() {
            let _ = client
                .simple_query(if ok { "COMMIT" } else { "ROLLBACK" })
                .await;
        }
    }
}

/// New physical databases holding `branch_id`'s databases as they were at `lsn`.
pub async fn materialize_at(app: &Shared, branch_id: &str, lsn: u64) -> ApiResult<Vec<Database>> {
    let (dbs, plans) = {
        let mut store = app.lock();
        let b = store
            .branches
            .get(branch_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("branch {branch_id} not found")))?;
        let mut plans = Vec::new();
        for d in &b.databases {
            plans.push(plan(&store, branch_id, lsn, &d.name)?);
        }
        let now = ids::now();
        let dbs: Vec<Database> = b
            .databases
            .iter()
            .map(|d| store.copy_database(d, &now))
            .collect();
        (dbs, plans)
    };
    let pg = match &app.pg {
        Some(pg) => pg.clone(),
        None => return Ok(dbs),
    };
    let mut made = Vec::new();
    for (d, p) in dbs.iter().zip(plans) {
        let owner = if p.start.is_none() {
            Some(d.owner_name.as_str())
        } else {
            None
        };
        if let Err(e) = app.pg_create(&d.pg_name, p.start.as_deref(), owner).await {
            app.pg_drop_all(made).await;
            return Err(e);
        }
        made.push(d.pg_name.clone());
        if !p.replay.is_empty() {
            let client = pg
                .connect(&d.pg_name)
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?;
            replay(&client, &p.replay, pg.roles_supported().await).await;
        }
    }
    Ok(dbs)
}

/// Extra physical copies of `dbs` to start a branch's history from.
pub async fn base_copies(app: &Shared, dbs: &[Database]) -> ApiResult<Base> {
    let mut copies = Vec::new();
    for d in dbs {
        let name = ids::pg_database_name();
        if let Err(e) = app.pg_create(&name, Some(&d.pg_name), None).await {
            app.pg_drop_all(copies.into_iter().map(|(_, p)| p).collect())
                .await;
            return Err(e);
        }
        copies.push((d.name.clone(), name));
    }
    Ok(Base::Copies(copies))
}

/// The physical databases a branch's base keeps.
pub fn base_databases(b: &Branch) -> Vec<String> {
    match &b.base {
        Base::Copies(c) => c.iter().map(|(_, p)| p.clone()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsns_print_and_parse_like_postgres() {
        assert_eq!(lsn_string(0x1_4E0_000), "0/14E0000");
        assert_eq!(parse_lsn("0/1DE2850"), Some(0x1DE2850));
        assert_eq!(parse_lsn("1/0"), Some(1 << 32));
        assert_eq!(parse_lsn("nonsense"), None);
    }
}
