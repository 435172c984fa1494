//! Branch restore (reset from a parent or another branch) and schema dumps and comparisons.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::app::{
    ensure_no_running_operations, get_branch, opt_str, parse_body, BusyGuard, QueryMap, Shared,
};
use crate::branches::{copy_databases, materialize, new_branch};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Base};
use crate::ids;
use crate::render;

/// `POST /projects/{project_id}/branches/{branch_id}/restore`
pub async fn restore_branch(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let source_id = opt_str(&body, "source_branch_id")?
        .ok_or_else(|| ApiError::bad_request("source_branch_id is required"))?;
    let source_lsn = opt_str(&body, "source_lsn")?;
    let source_timestamp = opt_str(&body, "source_timestamp")?;
    let preserve = opt_str(&body, "preserve_under_name")?;
    if source_id == bid && source_lsn.is_none() && source_timestamp.is_none() {
        return Err(ApiError::bad_request(
            "restoring a branch from itself needs source_lsn or source_timestamp",
        ));
    }
    if let Some(ts) = &source_timestamp {
        chrono::DateTime::parse_from_rfc3339(ts)
            .map_err(|_| ApiError::bad_request("source_timestamp must be an RFC 3339 timestamp"))?;
    }
    let (copies, point, _busy) = {
        let mut store = app.lock();
        let target = get_branch(&store, &pid, &bid)?.clone();
        let source = get_branch(&store, &pid, &source_id)?.clone();
        ensure_no_running_operations(&store, &pid)?;
        if preserve.is_none()
            && store
                .branches
                .values()
                .any(|b| b.parent_id.as_deref() == Some(bid.as_str()))
        {
            return Err(ApiError::bad_request(
                "a branch with children can only be restored with preserve_under_name",
            ));
        }
        let _ = target;
        let point = history::point(&source, source_lsn.as_deref(), source_timestamp.as_deref())?;
        let copies = match point {
            Some(_) => Vec::new(),
            None => copy_databases(&mut store, &source.databases),
        };
        (copies, point, BusyGuard::mark(&app, &mut store, &pid))
    };
    let databases = match point {
        Some(lsn) => history::materialize_at(&app, &source_id, lsn).await?,
        None => {
            materialize(&app, &copies).await?;
            copies.into_iter().map(|(c, _)| c).collect()
        }
    };
    let base = match history::base_copies(&app, &databases).await {
        Ok(b) => b,
        Err(e) => {
            app.pg_drop_all(databases.into_iter().map(|d| d.pg_name).collect())
                .await;
            return Err(e);
        }
    };
    let (resp, to_drop) = {
        let mut store = app.lock();
        let target = get_branch(&store, &pid, &bid)?.clone();
        let source_roles = get_branch(&store, &pid, &source_id)
            .map(|b| b.roles.clone())
            .unwrap_or_default();
        let now = ids::now();
        let mut ops = vec![store.add_operation(&pid, Some(&bid), None, "create_timeline")];
        let eps: Vec<String> = store
            .endpoints
            .values()
            .filter(|e| e.branch_id == bid)
            .map(|e| e.id.clone())
            .collect();
        for e in &eps {
            ops.push(store.add_operation(&pid, Some(&bid), Some(e), "suspend_compute"));
            ops.push(store.add_operation(&pid, Some(&bid), Some(e), "start_compute"));
        }
        let mut to_drop = Vec::new();
        match preserve {
            Some(name) => {
                let mut backup = new_branch(
                    &mut store,
                    &pid,
                    Some(name),
                    target.databases.clone(),
                    target.roles.clone(),
                );
                backup.parent_id = target.parent_id.clone();
                backup.parent_lsn = target.parent_lsn.clone();
                backup.parent_timestamp = target.parent_timestamp.clone();
                backup.base = target.base.clone();
                backup.log = target.log.clone();
                backup.lsn = target.lsn;
                backup.start_lsn = target.start_lsn;
                // Children keep their history: they now hang off the preserved state.
                let backup_id = backup.id.clone();
                for child in store
                    .branches
                    .values_mut()
                    .filter(|c| c.parent_id.as_deref() == Some(bid.as_str()))
                {
                    child.parent_id = Some(backup_id.clone());
                    if let Base::Parent { branch_id, .. } = &mut child.base {
                        *branch_id = backup_id.clone();
                    }
                }
                ops.push(store.add_operation(&pid, Some(&backup.id), None, "create_branch"));
                store.branches.insert(backup.id.clone(), backup);
            }
            None => {
                to_drop.extend(history::base_databases(&target));
                to_drop.extend(target.databases.iter().map(|d| d.pg_name.clone()));
            }
        }
        let mut roles = target.roles.clone();
        for r in source_roles {
            if !roles.iter().any(|x| x.name == r.name) {
                roles.push(r);
            }
        }
        let settle = store.settle_time();
        let branch = store
            .branches
            .get_mut(&bid)
            .ok_or_else(|| ApiError::not_found(format!("branch {bid} not found")))?;
        branch.databases = databases;
        branch.base = base;
        branch.log.clear();
        branch.start_lsn = branch.lsn;
        branch.roles = roles;
        branch.last_reset_at = Some(now.clone());
        branch.updated_at = now;
        branch.ready_at = settle;
        let branch = branch.clone();
        let resp = json!({ "branch": render::branch(&branch), "operations": render::operations(&store, &ops) });
        (resp, to_drop)
    };
    app.pg_drop_all(to_drop).await;
    Ok(Json(resp))
}

async fn schema_of(app: &Shared, pid: &str, bid: &str, db_name: &str) -> ApiResult<String> {
    let pg_name = {
        let store = app.lock();
        let b = get_branch(&store, pid, bid)?;
        b.databases
            .iter()
            .find(|d| d.name == db_name)
            .map(|d| d.pg_name.clone())
            .ok_or_else(|| ApiError::not_found(format!("database {db_name} not found")))?
    };
    let pg = app.pg.clone().ok_or_else(|| {
        ApiError::bad_request(
            "schemas need PostgreSQL: start the emulator with --pg-auto or --pg-url",
        )
    })?;
    pg.dump_schema(&pg_name).await.map_err(ApiError::internal)
}

/// `GET /projects/{project_id}/branches/{branch_id}/schema?db_name=`
pub async fn schema(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let db = q
        .get("db_name")
        .ok_or_else(|| ApiError::bad_request("db_name is required"))?;
    Ok(Json(
        json!({ "sql": schema_of(&app, &pid, &bid, db).await? }),
    ))
}

/// `GET /projects/{project_id}/branches/{branch_id}/compare_schema?db_name=&base_branch_id=`
pub async fn compare_schema(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let db = q
        .get("db_name")
        .ok_or_else(|| ApiError::bad_request("db_name is required"))?;
    let base = match q.get("base_branch_id") {
        Some(b) => b.clone(),
        None => {
            let store = app.lock();
            get_branch(&store, &pid, &bid)?
                .parent_id
                .clone()
                .ok_or_else(|| {
                    ApiError::bad_request("the branch has no parent: give base_branch_id")
                })?
        }
    };
    let base_sql = schema_of(&app, &pid, &base, db).await?;
    let sql = schema_of(&app, &pid, &bid, db).await?;
    Ok(Json(
        json!({ "diff": unified_diff(&base_sql, &sql, &base, &bid) }),
    ))
}

/// A unified diff of two texts (whole-file hunk), empty when they are equal.
pub fn unified_diff(a: &str, b: &str, a_name: &str, b_name: &str) -> String {
    if a == b {
        return String::new();
    }
    let x: Vec<&str> = a.lines().collect();
    let y: Vec<&str> = b.lines().collect();
    if x.len().saturating_mul(y.len()) > 4_000_000 {
        // Too large for the quadratic table: show the whole change.
        let mut out = format!(
            "--- {a_name}\n+++ {b_name}\n@@ -1,{} +1,{} @@\n",
            x.len(),
            y.len()
        );
        x.iter().for_each(|l| out.push_str(&format!("-{l}\n")));
        y.iter().for_each(|l| out.push_str(&format!("+{l}\n")));
        return out;
    }
    // Longest common subsequence table; schema dumps are small.
    let mut lcs = vec![vec![0usize; y.len() + 1]; x.len() + 1];
    for i in (0..x.len()).rev() {
        for j in (0..y.len()).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = format!(
        "--- {a_name}\n+++ {b_name}\n@@ -1,{} +1,{} @@\n",
        x.len(),
        y.len()
    );
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        if i < x.len() && j < y.len() && x[i] == y[j] {
            out.push_str(&format!(" {}\n", x[i]));
            i += 1;
            j += 1;
        } else if j < y.len() && (i == x.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{}\n", y[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{}\n", x[i]));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn a_diff_marks_added_and_removed_lines() {
        let d = unified_diff("a\nb\nc\n", "a\nc\nd\n", "base", "branch");
        assert!(
            d.contains("-b\n") && d.contains("+d\n") && d.contains(" a\n"),
            "{d}"
        );
        assert_eq!(unified_diff("same\n", "same\n", "x", "y"), "");
    }
}
