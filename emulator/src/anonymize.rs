//! Anonymized branches: a branch made with masking rules that rewrite the copied data on the
//! real PostgreSQL (static masking, as PostgreSQL Anonymizer's `anon.*` functions do; the
//! emulator installs SQL versions of the common ones in an `anon` schema of each database).

use axum::body::{to_bytes, Bytes};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::{get_branch, opt_bool, opt_str, parse_body, Shared};
use crate::error::{pg_internal, ApiError, ApiResult};
use crate::ids;
use crate::pg::quote_ident;
use crate::render::USER_ID;

/// The `anon` functions the emulator provides, in SQL.
const ANON_FUNCTIONS: &str = "CREATE SCHEMA IF NOT EXISTS anon;
CREATE OR REPLACE FUNCTION anon.random_string(n int) RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT string_agg(substr('abcdefghijklmnopqrstuvwxyz0123456789', 1 + floor(random() * 36)::int, 1), '') FROM generate_series(1, n) $$;
CREATE OR REPLACE FUNCTION anon.random_int_between(lo int, hi int) RETURNS int LANGUAGE sql VOLATILE AS
  $$ SELECT lo + floor(random() * (hi - lo + 1))::int $$;
CREATE OR REPLACE FUNCTION anon.fake_email() RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT anon.random_string(10) || '@example.com' $$;
CREATE OR REPLACE FUNCTION anon.fake_first_name() RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT (ARRAY['Alex','Sam','Robin','Kim','Jo','Lee','Max','Ari'])[1 + floor(random() * 8)::int] $$;
CREATE OR REPLACE FUNCTION anon.fake_last_name() RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT (ARRAY['Smith','Garcia','Chen','Novak','Okafor','Silva','Berg','Haddad'])[1 + floor(random() * 8)::int] $$;
CREATE OR REPLACE FUNCTION anon.hash(v text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT encode(sha256(convert_to(v, 'UTF8')), 'hex') $$;
CREATE OR REPLACE FUNCTION anon.partial(v text, prefix int, padding text, suffix int) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT substr(v, 1, prefix) || padding || substr(v, greatest(length(v) - suffix + 1, prefix + 1)) $$;";

/// The anonymization state of an anonymized branch.
#[derive(Debug, Clone)]
pub struct Anonymized {
    pub project_id: String,
    pub rules: Vec<Value>,
    pub state: String,
    pub status_message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub failed_at: Option<String>,
    pub last_run: Option<Value>,
}

fn status_json(bid: &str, a: &Anonymized) -> Value {
    let mut v = json!({ "project_id": a.project_id, "branch_id": bid, "state": a.state,
                        "created_at": a.created_at, "updated_at": a.updated_at });
    if let Some(m) = &a.status_message {
        v["status_message"] = json!(m);
    }
    if let Some(f) = &a.failed_at {
        v["failed_at"] = json!(f);
    }
    if let Some(r) = &a.last_run {
        v["last_run"] = r.clone();
    }
    v
}

/// Reads `masking_rules`: each names a database of the branch, a schema, table and column, and
/// a `masking_function` or a `masking_value`.
fn parse_rules(body: &Value, databases: &[String]) -> ApiResult<Vec<Value>> {
    let rules = match body.get("masking_rules") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(ApiError::bad_request("masking_rules must be an array")),
    };
    for r in &rules {
        for key in ["database_name", "schema_name", "table_name", "column_name"] {
            if opt_str(r, key)?.is_none_or(|v| v.is_empty()) {
                return Err(ApiError::bad_request(format!(
                    "masking_rules[].{key} is required"
                )));
            }
        }
        let db = opt_str(r, "database_name")?.unwrap_or_default();
        if !databases.contains(&db) {
            return Err(ApiError::bad_request(format!(
                "masking_rules[].database_name: database {db} is not on the branch"
            )));
        }
        if opt_str(r, "masking_function")?.is_none() && opt_str(r, "masking_value")?.is_none() {
            return Err(ApiError::bad_request(
                "each masking rule needs a masking_function or a masking_value",
            ));
        }
    }
    Ok(rules)
}

fn branch_databases(app: &Shared, pid: &str, bid: &str) -> ApiResult<Vec<String>> {
    let store = app.lock();
    Ok(get_branch(&store, pid, bid)?
        .databases
        .iter()
        .map(|d| d.name.clone())
        .collect())
}

/// `POST /projects/{project_id}/branch_anonymized` `{branch_create?, masking_rules?,
/// start_anonymization?}`: creates the branch as `createProjectBranch` does, then keeps its rules.
async fn create(
    State(app): State<Shared>,
    Path(pid): Path<String>,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let body = parse_body(&body)?;
    let start = opt_bool(&body, "start_anonymization")?.unwrap_or(false);
    let branch_create = crate::app::sub_object(&body, "branch_create")?;
    let request = Bytes::from(
        serde_json::to_vec(&branch_create).map_err(|e| ApiError::internal(e.to_string()))?,
    );
    let created = crate::branches::create(State(app.clone()), Path(pid.clone()), request)
        .await?
        .into_response();
    let status = created.status();
    let bytes = to_bytes(created.into_body(), 16 * 1024 * 1024)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let mut out: Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::internal(e.to_string()))?;
    let bid = out["branch"]["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ApiError::internal("the new branch has no id"))?;
    let rules = match parse_rules(&body, &branch_databases(&app, &pid, &bid)?) {
        Ok(r) => r,
        Err(e) => {
            // The branch exists now: say so rather than leave it unexplained.
            return Err(ApiError::bad_request(format!(
                "{} (branch {bid} was created without masking rules)",
                e.message
            )));
        }
    };
    let now = ids::now();
    let a = Anonymized {
        project_id: pid.clone(),
        rules,
        state: "initialized".into(),
        status_message: None,
        created_at: now.clone(),
        updated_at: now,
        failed_at: None,
        last_run: None,
    };
    app.lock().anonymized.insert(bid.clone(), a);
    if start {
        run(&app, &pid, &bid).await?;
    }
    out["endpoints"] = out.get("endpoints").cloned().unwrap_or(json!([]));
    Ok((status, Json(out)))
}

fn anonymized<'a>(
    store: &'a mut crate::state::Store,
    pid: &str,
    bid: &str,
) -> ApiResult<&'a mut Anonymized> {
    get_branch(store, pid, bid)?;
    store
        .anonymized
        .get_mut(bid)
        .ok_or_else(|| ApiError::bad_request(format!("branch {bid} is not an anonymized branch")))
}

/// `GET .../masking_rules`
async fn get_rules(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    Ok(Json(
        json!({ "masking_rules": anonymized(&mut store, &pid, &bid)?.rules }),
    ))
}

/// `PATCH .../masking_rules` `{masking_rules}`: replaces every rule.
async fn update_rules(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    if body.get("masking_rules").is_none() {
        return Err(ApiError::bad_request("masking_rules is required"));
    }
    let rules = parse_rules(&body, &branch_databases(&app, &pid, &bid)?)?;
    let mut store = app.lock();
    let a = anonymized(&mut store, &pid, &bid)?;
    a.rules = rules;
    a.updated_at = ids::now();
    Ok(Json(json!({ "masking_rules": a.rules })))
}

/// `GET .../anonymized_status`
async fn status(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut store = app.lock();
    let a = anonymized(&mut store, &pid, &bid)?;
    Ok(Json(status_json(&bid, a)))
}

/// `POST .../anonymize`: applies the rules now (from the initialized, error or anonymized state).
async fn start(
    State(app): State<Shared>,
    Path((pid, bid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(run(&app, &pid, &bid).await?))
}

/// The UPDATE one rule makes.
fn rule_sql(rule: &Value) -> ApiResult<String> {
    let s = |k: &str| opt_str(rule, k).map(Option::unwrap_or_default);
    let value = match opt_str(rule, "masking_value")? {
        Some(v) => format!("'{}'", v.replace('\'', "''")),
        None => s("masking_function")?,
    };
    Ok(format!(
        "UPDATE {}.{} SET {} = {value}",
        quote_ident(&s("schema_name")?),
        quote_ident(&s("table_name")?),
        quote_ident(&s("column_name")?)
    ))
}

/// Applies the branch's rules to its databases and records the run.
async fn run(app: &Shared, pid: &str, bid: &str) -> ApiResult<Value> {
    let (rules, dbs) = {
        let mut store = app.lock();
        let a = anonymized(&mut store, pid, bid)?;
        if !["initialized", "error", "anonymized"].contains(&a.state.as_str()) {
            return Err(ApiError::conflict(format!(
                "anonymization cannot start in state {}",
                a.state
            )));
        }
        a.state = "anonymizing".into();
        let rules = a.rules.clone();
        let b = get_branch(&store, pid, bid)?;
        let dbs: Vec<(String, String, String)> = b
            .databases
            .iter()
            .map(|d| (d.name.clone(), d.pg_name.clone(), d.owner_name.clone()))
            .collect();
        (rules, dbs)
    };
    let started_at = ids::now();
    let mut failure = None;
    if let Some(pg) = &app.pg {
        for (name, pg_name, owner) in &dbs {
            let statements: Vec<String> = match rules
                .iter()
                .filter(|r| r.get("database_name").and_then(Value::as_str) == Some(name))
                .map(rule_sql)
                .collect::<ApiResult<Vec<_>>>()
            {
                Ok(s) if s.is_empty() => continue,
                Ok(s) => s,
                Err(e) => {
                    failure = Some(e.message);
                    break;
                }
            };
            let script = format!("{ANON_FUNCTIONS}\n{};", statements.join(";\n"));
            let outcome = match pg.connect_as(pg_name, owner).await {
                Ok(c) => c
                    .batch_execute(&format!("BEGIN; {script}; COMMIT;"))
                    .await
                    .map_err(|e| pg_internal(&e).message),
                Err(e) => Err(pg_internal(&e).message),
            };
            match outcome {
                Ok(()) => crate::history::record(
                    &mut app.lock(),
                    bid,
                    name,
                    owner,
                    None,
                    vec![(script, vec![])],
                ),
                Err(m) => {
                    failure = Some(format!("masking database {name}: {m}"));
                    break;
                }
            }
        }
    }
    let now = ids::now();
    let mut store = app.lock();
    let a = anonymized(&mut store, pid, bid)?;
    a.updated_at = now.clone();
    a.last_run = Some(
        json!({ "started_at": started_at, "completed_at": now, "triggered_by": USER_ID,
                              "triggered_by_username": "emulator", "masked_columns": rules.len() }),
    );
    match failure {
        Some(m) => {
            a.state = "error".into();
            a.failed_at = Some(now);
            a.status_message = Some(m);
        }
        None => {
            a.state = "anonymized".into();
            a.failed_at = None;
            a.status_message = Some(format!("{} columns masked", rules.len()));
        }
    }
    Ok(status_json(bid, a))
}

/// The anonymization routes.
pub fn routes() -> Router<Shared> {
    const B: &str = "/projects/{project_id}/branches/{branch_id}";
    Router::new()
        .route("/projects/{project_id}/branch_anonymized", post(create))
        .route(
            &format!("{B}/masking_rules"),
            get(get_rules).patch(update_rules),
        )
        .route(&format!("{B}/anonymized_status"), get(status))
        .route(&format!("{B}/anonymize"), post(start))
}
