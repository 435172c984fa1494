//! `sql(connectionString)`: SQL over HTTP from JS (queries, transactions, seeding) and
//! `planSeed`, which splits a script and lists its destructive statements.

use crate::bindings::shared::promise::promise;
use crate::bindings::shared::errors::{client_js_error, invalid_option, invalid_parameter, js_error, to_js};
use crate::bindings::shared::json::{js_from_json, param_to_json};
use crate::bindings::shared::values::set;
use crate::bindings::shared::options::{opt_millis, opt_string};
use crate::bindings::shared::values::prop;
use crate::bindings::shared::call::CallGuard;
use crate::bindings::shared::{fetch_option, user_agent};
use crate::core::json::Json;
use crate::bindings::shared::fetch::{js_parts, sent_outcome};
use crate::core::transport::{HttpRequest, HttpResponse};
use crate::postgres::sql::http::{SqlClient, SqlError, TransactionOptions, WireQuery, WireResult};
use crate::postgres::sql::seed::{SeedError, SeedPlan};
use crate::postgres::sql::{DestructiveStatement, Statement};
use js_sys::{Array, Function, Object, Promise};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_SQL: &str = include_str!("sql.d.ts");

#[wasm_bindgen(module = "/src/bindings/postgres/results.js")]
extern "C" {
    /// The `SqlResult` of an answer's text, or `undefined` when it must be read in Rust.
    #[wasm_bindgen(catch, js_name = sqlResult)]
    fn js_sql_result(text: &str, types: &JsValue) -> Result<JsValue, JsValue>;
    /// The `SqlResult[]` of a transaction's answer, or `undefined` likewise.
    #[wasm_bindgen(catch, js_name = sqlResults)]
    fn js_sql_results(text: &str, types: &JsValue) -> Result<JsValue, JsValue>;
}

/// A successful answer as JS results: built in JS (`results.js`, through the `types` parsers
/// when given) when it has the expected shape, else read in Rust (`rust`), which names what
/// was wrong.
fn answer(
    response: &HttpResponse,
    types: &JsValue,
    js: fn(&str, &JsValue) -> Result<JsValue, JsValue>,
    rust: impl FnOnce() -> Result<JsValue, SqlError>,
) -> Result<JsValue, JsValue> {
    if let Ok(text) = std::str::from_utf8(&response.body) {
        let shaped = js(text, types)?;
        if !shaped.is_undefined() {
            return Ok(shaped);
        }
    }
    rust().map_err(|e| sql_error(&e))
}

fn sql_error(error: &SqlError) -> JsValue {
    match error {
        SqlError::ConnectionString(e) => client_js_error(e.reason(), &e.to_string(), &Object::new()),
        SqlError::Request(e) => to_js(e),
        SqlError::Postgres(pg) => {
            let details = Object::new();
            set(&details, "code", pg.code.as_str());
            for (key, value) in [
                ("severity", &pg.severity),
                ("detail", &pg.detail),
                ("hint", &pg.hint),
                ("position", &pg.position),
                ("constraint", &pg.constraint),
            ] {
                if let Some(v) = value {
                    set(&details, key, v.as_str());
                }
            }
            js_error("sql", &pg.message, &details)
        }
    }
}

fn seed_error(error: &SeedError) -> JsValue {
    match error {
        SeedError::Split(e) => {
            let details = Object::new();
            set(&details, "line", e.line() as u32);
            client_js_error(e.reason(), &error.to_string(), &details)
        }
        SeedError::Statement { number, line, first_line, error: inner } => {
            let js = sql_error(inner);
            let statement = Object::new();
            set(&statement, "number", *number as u32);
            set(&statement, "line", *line as u32);
            set(&statement, "firstLine", first_line.as_str());
            set(&js.clone().unchecked_into::<Object>(), "statement", statement);
            // The message names the statement; the server's own message moves to `serverMessage`.
            if let Ok(message) = js_sys::Reflect::get(&js, &"message".into()) {
                set(&js.clone().unchecked_into::<Object>(), "serverMessage", message);
            }
            set(&js.clone().unchecked_into::<Object>(), "message", error.to_string());
            js
        }
    }
}

fn statement_object(s: &Statement) -> Object {
    let obj = Object::new();
    set(&obj, "number", s.number as u32);
    set(&obj, "line", s.line as u32);
    set(&obj, "text", s.text.as_str());
    set(&obj, "firstLine", s.first_line());
    obj
}

fn destructive_list(list: &[DestructiveStatement]) -> Array {
    list.iter()
        .map(|d| {
            let obj = Object::new();
            set(&obj, "number", d.number as u32);
            set(&obj, "line", d.line as u32);
            set(&obj, "firstLine", d.first_line.as_str());
            let reasons: Array = d.reasons.iter().map(|r| JsValue::from_str(&r.to_string())).collect();
            set(&obj, "reasons", reasons);
            JsValue::from(obj)
        })
        .collect()
}

fn parse_plan(script: &JsValue) -> Result<SeedPlan, JsValue> {
    let text = script.as_string().ok_or_else(|| invalid_parameter("", "script", "the seed script must be a string"))?;
    SeedPlan::parse(&text).map_err(|e| seed_error(&SeedError::Split(e)))
}

/// Splits a seed script into statements and lists the destructive ones; nothing is sent.
#[wasm_bindgen(js_name = planSeed, unchecked_return_type = "SeedPlan")]
pub fn plan_seed(#[wasm_bindgen(unchecked_param_type = "string")] script: JsValue) -> Result<JsValue, JsValue> {
    let plan = parse_plan(&script)?;
    let obj = Object::new();
    let statements: Array = plan.statements().iter().map(|s| JsValue::from(statement_object(s))).collect();
    set(&obj, "statements", statements);
    set(&obj, "destructive", destructive_list(plan.destructive()));
    Ok(obj.into())
}

fn result_object(result: &WireResult) -> JsValue {
    let obj = Object::new();
    set(&obj, "command", result.command.as_str());
    set(&obj, "rowCount", result.row_count.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64)));
    let fields: Array = result
        .fields
        .iter()
        .map(|f| {
            let field = Object::new();
            set(&field, "name", f.name.as_str());
            set(&field, "dataTypeID", f.data_type_id);
            set(&field, "tableID", f.table_id);
            JsValue::from(field)
        })
        .collect();
    let rows: Array = result
        .rows
        .iter()
        .map(|row| {
            let obj = Object::new();
            for (field, value) in result.fields.iter().zip(row) {
                set(&obj, &field.name, js_from_json(value));
            }
            JsValue::from(obj)
        })
        .collect();
    set(&obj, "fields", fields);
    set(&obj, "rows", rows);
    obj.into()
}

fn params_of(value: &JsValue, what: &str) -> Result<Vec<Json>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(value) {
        return Err(invalid_parameter(what, "params", "params must be an array"));
    }
    value
        .unchecked_ref::<Array>()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            param_to_json(&v).map_err(|e| {
                let name = format!("${}", i + 1);
                invalid_parameter(what, &name, &crate::core::text::concat(&["parameter ", &name, ": ", &e]))
            })
        })
        .collect()
}

fn statement_of(value: &JsValue, index: usize) -> Result<WireQuery, JsValue> {
    let what = format!("transaction: statement {}", index + 1);
    if let Some(text) = value.as_string() {
        return Ok(WireQuery::new(text));
    }
    if Array::is_array(value) {
        let pair: &Array = value.unchecked_ref();
        let text = pair.get(0).as_string().ok_or_else(|| invalid_parameter(&what, "text", "the text must be a string"))?;
        return Ok(WireQuery { text, params: params_of(&pair.get(1), &what)? });
    }
    let text = opt_string(value, "text", &format!("{what}: text"))?
        .ok_or_else(|| invalid_parameter(&what, "statements", "expected a string, { text, params } or [text, params]"))?;
    let params = prop(value, "params").unwrap_or(JsValue::UNDEFINED);
    Ok(WireQuery { text, params: params_of(&params, &what)? })
}

/// Runs SQL on a Neon database over HTTP; made by `sql(connectionString)`.
#[wasm_bindgen(js_name = NeonSql)]
pub struct JsSql {
    core: SqlClient,
    /// The `types` option (`undefined` when not given).
    types: JsValue,
    /// Whether requests go to the global `fetch` (no `fetch` option): then the package's JS
    /// may send a query without options itself (`__queryPlan`).
    global_fetch: bool,
}

/// A SQL-over-HTTP client for a connection string (its password is never shown in errors).
#[wasm_bindgen(js_name = sql)]
pub fn sql(
    #[wasm_bindgen(js_name = connectionString, unchecked_param_type = "string")] connection_string: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SqlOptions")] options: JsValue,
) -> Result<JsSql, JsValue> {
    let Some(text) = connection_string.as_string() else {
        return Err(invalid_parameter("sql(connectionString)", "connectionString", "connectionString must be a string"));
    };
    let transport = fetch_option(&options)?;
    let global_fetch = prop(&options, "fetch").is_none();
    let mut builder = SqlClient::builder(text)
        .transport(Arc::new(transport))
        .user_agent(user_agent());
    if let Some(url) = opt_string(&options, "endpoint", "endpoint")? {
        builder = builder.endpoint(url);
    }
    if let Some(t) = opt_millis(&options, "timeoutMs", "timeoutMs")? {
        builder = builder.timeout(t);
    }
    let types = prop(&options, "types").unwrap_or(JsValue::UNDEFINED);
    if !types.is_undefined() {
        if !prop(&types, "getTypeParser").is_some_and(|f| f.is_function()) {
            return Err(invalid_option("types", "must be an object with a getTypeParser(oid, format) function"));
        }
        builder = builder.raw_text_output(true);
    }
    builder.build().map(|core| JsSql { core, types, global_fetch }).map_err(|e| sql_error(&e))
}

#[wasm_bindgen(js_class = NeonSql)]
impl JsSql {
    /// The /sql URL requests go to.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.core.endpoint().to_owned()
    }

    // (The package's own exports are documented in plain comments: wasm-bindgen ships doc
    // comments in the glue, bytes every user downloads for methods no user calls.)
    // What the package's JS sends the queries and transactions it writes the body of with
    // (`pkg-template/postgres/send-query.js`): `[url, headers, timeoutMs, types]`, the request
    // `query` sends without its body; undefined when they go through `query` (a `fetch` option).
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __sendSettings, skip_typescript, skip_jsdoc)]
    pub fn send_settings(&self) -> JsValue {
        let request = self.core.query_request(&WireQuery::new(String::new())).filter(|_| self.global_fetch);
        let Some(request) = request else { return JsValue::UNDEFINED };
        let [headers, _, timeout] = js_parts(&request);
        Array::of4(&JsValue::from_str(&request.url), &headers, &timeout, &self.types).into()
    }

    // The request of `query(text, params)` without options, for the package's JS to send
    // (`pkg-template/postgres/send-query.js`): `[url, headers, body, timeoutMs, types]`, or
    // undefined when the query goes through `query` (a `fetch` option, arguments `query`
    // refuses). What became of it comes back through `query`'s options.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __queryPlan, skip_typescript, skip_jsdoc)]
    pub fn query_plan(&self, text: JsValue, params: JsValue) -> JsValue {
        let Some(text) = text.as_string().filter(|_| self.global_fetch) else { return JsValue::UNDEFINED };
        let request = params_of(&params, "query").ok().and_then(|params| self.core.query_request(&WireQuery { text, params }));
        self.plan(request)
    }

    // The request of `transaction(statements)` without options, as `__queryPlan`.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __transactionPlan, skip_typescript, skip_jsdoc)]
    pub fn transaction_plan(&self, statements: JsValue) -> JsValue {
        if !self.global_fetch || !Array::is_array(&statements) {
            return JsValue::UNDEFINED;
        }
        let queries = statements.unchecked_ref::<Array>().iter().enumerate().map(|(i, v)| statement_of(&v, i)).collect::<Result<Vec<_>, _>>();
        self.plan(queries.ok().and_then(|queries| self.core.transaction_request(&queries)))
    }

    fn plan(&self, request: Option<HttpRequest>) -> JsValue {
        let Some(request) = request else { return JsValue::UNDEFINED };
        let [headers, body, timeout] = js_parts(&request);
        Array::of5(&JsValue::from_str(&request.url), &headers, &body, &timeout, &self.types).into()
    }

    /// Runs one statement with `$1, $2, …` parameters.
    #[wasm_bindgen(unchecked_return_type = "Promise<SqlResult>")]
    pub fn query(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SqlParam[]")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ signal?: AbortSignal }")] options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        let types = self.types.clone();
        promise(async move {
            let text = text.as_string().ok_or_else(|| invalid_parameter("query(text, params)", "text", "text must be a string"))?;
            let query = WireQuery { text, params: params_of(&params, "query")? };
            let response = match sent_outcome(&options) {
                Some((_, outcome)) => core.response_from(outcome),
                None => core.query_response(&query, &CallGuard::new(&options)?.options).await,
            };
            let response = response.map_err(|e| sql_error(&e))?;
            answer(&response, &types, js_sql_result, || core.read_result(&response).map(|r| result_object(&r)))
        })
    }

    /// Runs the statements in one transaction: all of them or none.
    #[wasm_bindgen(unchecked_return_type = "Promise<SqlResult[]>")]
    pub fn transaction(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SqlStatement[]")] statements: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SqlTransactionOptions")] options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        let types = self.types.clone();
        promise(async move {
            if !Array::is_array(&statements) {
                return Err(invalid_parameter("transaction(statements)", "statements", "statements must be an array"));
            }
            let queries = statements
                .unchecked_ref::<Array>()
                .iter()
                .enumerate()
                .map(|(i, v)| statement_of(&v, i))
                .collect::<Result<Vec<_>, _>>()?;
            let transaction = TransactionOptions {
                isolation_level: opt_string(&options, "isolationLevel", "isolationLevel")?,
                read_only: prop(&options, "readOnly").and_then(|v| v.as_bool()).unwrap_or(false),
                deferrable: prop(&options, "deferrable").and_then(|v| v.as_bool()).unwrap_or(false),
            };
            let response = match sent_outcome(&options) {
                Some((_, outcome)) => core.response_from(outcome),
                None => core.transaction_response(&queries, &transaction, &CallGuard::new(&options)?.options).await,
            };
            let response = response.map_err(|e| sql_error(&e))?;
            answer(&response, &types, js_sql_results, || {
                core.read_transaction(&response).map(|results| results.iter().map(result_object).collect::<Array>().into())
            })
        })
    }

    /// Runs a SQL script statement by statement, in order; stops at the first failure with
    /// an error naming the statement.
    #[wasm_bindgen(unchecked_return_type = "Promise<{ statements: number }>")]
    pub fn seed(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] script: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SeedOptions")] options: JsValue,
    ) -> Promise {
        let core = self.core.clone();
        promise(async move {
            let plan = parse_plan(&script)?;
            if !plan.destructive().is_empty() {
                if let Some(ask) = prop(&options, "onDestructive") {
                    let ask: Function = ask.dyn_into().map_err(|_| invalid_option("onDestructive", "must be a function"))?;
                    let answer = ask.call1(&JsValue::UNDEFINED, &destructive_list(plan.destructive()))?;
                    let answer = crate::bindings::shared::values::settled(&answer).await?;
                    if !answer.is_truthy() {
                        let count = plan.destructive().len();
                        let message = format!("seeding stopped before it began: {count} destructive statement(s) were not confirmed");
                        return Err(client_js_error("not_confirmed", &message, &Object::new()));
                    }
                }
            }
            let progress_fn: Option<Function> = prop(&options, "onProgress").and_then(|f| f.dyn_into().ok());
            let call = CallGuard::new(&options)?;
            let mut progress = |p: crate::postgres::sql::seed::SeedProgress<'_>| {
                if let Some(f) = &progress_fn {
                    let obj = Object::new();
                    set(&obj, "statement", statement_object(p.statement));
                    set(&obj, "total", p.total as u32);
                    // A throwing progress callback must not stop the seed half-way.
                    let _ = f.call1(&JsValue::UNDEFINED, &obj);
                }
            };
            let report = core.seed(&plan, &mut progress, &call.options).await.map_err(|e| seed_error(&e))?;
            let obj = Object::new();
            set(&obj, "statements", report.statements as u32);
            Ok(obj.into())
        })
    }
}
