//! SQL over HTTP, as `@neondatabase/serverless` speaks it: `POST https://api.<host>/sql`
//! with the connection string in the `Neon-Connection-String` header and `{query, params}`
//! (or `{queries: [...]}` for one transaction) as the body. Each request is its own
//! session, so this needs no socket and runs on any runtime with `fetch`.
//!
//! The password only ever goes into that header: errors, `Debug` and `Display` show the
//! connection string redacted, and any echo of the password in a server message is masked.
//!
//! The bodies are built and read over the core JSON value (`wire`); [`Query`] and
//! [`QueryResult`] hold `serde_json` values for Rust callers and convert at that edge, so
//! the JS bindings, which use the wire types directly, ship no serde_json.

use crate::core::options::RequestOptions;
use crate::core::http::{self, normalize_base_url, Call, DEFAULT_TIMEOUT, USER_AGENT};
use crate::postgres::connection_string::ConnectionString;
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::transport::{HttpResponse, Method, Transport};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod error;
mod types;
mod values;
mod wire;

pub use error::{PostgresError, SqlError};
pub use types::{Field, Query, QueryResult};
pub use values::param_text;
pub(crate) use wire::{WireQuery, WireResult};

/// Options of a multi-statement transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionOptions {
    /// `ReadUncommitted`, `ReadCommitted`, `RepeatableRead` or `Serializable`.
    pub isolation_level: Option<String>,
    /// Runs `BEGIN READ ONLY`.
    pub read_only: bool,
    /// Runs `BEGIN … DEFERRABLE` (with serializable, read-only transactions).
    pub deferrable: bool,
}

const ISOLATION_LEVELS: [&str; 4] = [
    "ReadUncommitted",
    "ReadCommitted",
    "RepeatableRead",
    "Serializable",
];

/// The `/sql` URL `@neondatabase/serverless` derives from a host: the first label is
/// replaced by `api` (`ep-x-pooler.us-east-2.aws.neon.tech` → `https://api.us-east-2.aws.neon.tech/sql`);
/// a single-label host is used as is.
pub fn endpoint_for_host(host: &str) -> String {
    match host.split_once('.') {
        Some((_, rest)) if !rest.is_empty() => format!("https://api.{rest}/sql"),
        _ => format!("https://{host}/sql"),
    }
}

/// Builds a [`SqlClient`].
pub struct SqlClientBuilder {
    connection_string: String,
    endpoint: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    timeout: Duration,
    user_agent: Option<String>,
    raw_text: bool,
}

impl SqlClientBuilder {
    /// Sends to this URL instead of the one derived from the host (an emulator, a proxy).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Asks for every value as Postgres's text (`Neon-Raw-Text-Output`), as
    /// `@neondatabase/serverless` does, for callers that parse values by type themselves;
    /// otherwise booleans, numbers that fit and `json`/`jsonb` come as JSON values.
    pub fn raw_text_output(mut self, raw: bool) -> Self {
        self.raw_text = raw;
        self
    }

    crate::core::http::http_builder_setters!();

    /// Reads the connection string and validates the options.
    pub fn build(self) -> Result<SqlClient, SqlError> {
        let connection =
            ConnectionString::parse(&self.connection_string).map_err(SqlError::ConnectionString)?;
        let endpoint = match self.endpoint {
            Some(url) => normalize_base_url("endpoint", &url)?,
            None => endpoint_for_host(connection.host()),
        };
        let transport = crate::core::http::check_http(self.transport, self.timeout)?;
        Ok(SqlClient {
            inner: Arc::new(Inner {
                connection,
                endpoint,
                transport,
                timeout: self.timeout,
                user_agent: self.user_agent,
                raw_text: self.raw_text,
            }),
        })
    }
}

struct Inner {
    connection: ConnectionString,
    endpoint: String,
    transport: Arc<dyn Transport>,
    timeout: Duration,
    user_agent: Option<String>,
    raw_text: bool,
}

/// Runs SQL on a Neon database over HTTP. Cheap to clone; `Debug` hides the password.
///
/// ```
/// use neon_edge::sql::{Query, SqlClient};
/// use neon_edge::transport::{ScriptedResponse, ScriptedTransport};
/// use neon_edge::RequestOptions;
/// use std::sync::Arc;
///
/// let transport = ScriptedTransport::new();
/// transport.push(ScriptedResponse::json(200, r#"{"command":"SELECT","rowCount":1,"rowAsArray":true,
///   "fields":[{"name":"title","dataTypeID":25}],"rows":[["ship it"]]}"#));
/// let sql = SqlClient::builder("postgresql://owner:secret@ep-a.us-east-2.aws.neon.tech/neondb")
///     .transport(Arc::new(transport.clone()))
///     .build()?;
/// assert_eq!(sql.endpoint(), "https://api.us-east-2.aws.neon.tech/sql");
/// let query = Query::with_params("SELECT title FROM todo WHERE title = $1", vec!["ship it".into()]);
/// let result = pollster::block_on(sql.query(&query, &RequestOptions::default()))?;
/// assert_eq!(result.rows, vec![vec![serde_json::json!("ship it")]]);
/// assert!(!format!("{sql:?}").contains("secret"));
/// # Ok::<(), neon_edge::sql::SqlError>(())
/// ```
#[derive(Clone)]
pub struct SqlClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for SqlClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlClient")
            .field("connection", &self.inner.connection)
            .field("endpoint", &self.inner.endpoint)
            .finish()
    }
}

impl SqlClient {
    /// Starts building a client for `connection_string`.
    pub fn builder(connection_string: impl Into<String>) -> SqlClientBuilder {
        SqlClientBuilder {
            connection_string: connection_string.into(),
            endpoint: None,
            transport: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: Some(USER_AGENT.to_owned()),
            raw_text: false,
        }
    }

    /// The `/sql` URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The connection string (its `Display` and `Debug` are redacted).
    pub fn connection_string(&self) -> &ConnectionString {
        &self.inner.connection
    }

    /// Runs one statement.
    pub async fn query(
        &self,
        query: &Query,
        options: &RequestOptions,
    ) -> Result<QueryResult, SqlError> {
        Ok(QueryResult::try_from(self.query_wire(&WireQuery::from(query), options).await?)?)
    }

    /// Runs the statements in one transaction: all of them or none.
    pub async fn transaction(
        &self,
        queries: &[Query],
        transaction: &TransactionOptions,
        options: &RequestOptions,
    ) -> Result<Vec<QueryResult>, SqlError> {
        let queries: Vec<WireQuery> = queries.iter().map(WireQuery::from).collect();
        let results = self.transaction_wire(&queries, transaction, options).await?;
        let typed = results.into_iter().enumerate().map(|(i, result)| {
            QueryResult::try_from(result).map_err(|e| crate::core::json::within(&format!("results[{i}]"), e))
        });
        Ok(typed.collect::<Result<_, _>>()?)
    }

    /// [`SqlClient::query`] on the wire's values, with no serde on the way.
    pub(crate) async fn query_wire(
        &self,
        query: &WireQuery,
        options: &RequestOptions,
    ) -> Result<WireResult, SqlError> {
        let response = self.query_response(query, options).await?;
        self.read_result(&response)
    }

    /// Sends one statement; resolves to the successful answer, unread (the JS bindings read
    /// it with the engine's `JSON.parse`).
    pub(crate) async fn query_response(&self, query: &WireQuery, options: &RequestOptions) -> Result<HttpResponse, SqlError> {
        self.post(&wire::query_body(query), &[], options).await
    }

    /// Reads a successful answer to one statement.
    pub(crate) fn read_result(&self, response: &HttpResponse) -> Result<WireResult, SqlError> {
        self.read(response, wire::read_result)
    }

    /// [`SqlClient::transaction`] on the wire's values, with no serde on the way.
    pub(crate) async fn transaction_wire(
        &self,
        queries: &[WireQuery],
        transaction: &TransactionOptions,
        options: &RequestOptions,
    ) -> Result<Vec<WireResult>, SqlError> {
        let response = self.transaction_response(queries, transaction, options).await?;
        self.read_transaction(&response)
    }

    /// Sends the statements as one transaction; resolves to the successful answer, unread.
    pub(crate) async fn transaction_response(
        &self,
        queries: &[WireQuery],
        transaction: &TransactionOptions,
        options: &RequestOptions,
    ) -> Result<HttpResponse, SqlError> {
        let mut headers = Vec::new();
        if let Some(level) = &transaction.isolation_level {
            if !ISOLATION_LEVELS.contains(&level.as_str()) {
                let problem = crate::core::text::concat(&["must be one of ", &crate::core::text::join(&ISOLATION_LEVELS, ", "), ", not `", level, "`"]);
                return Err(Error::invalid_option("isolationLevel", &problem).into());
            }
            headers.push(("Neon-Batch-Isolation-Level".to_owned(), level.clone()));
        }
        if transaction.read_only {
            headers.push(("Neon-Batch-Read-Only".to_owned(), "true".to_owned()));
        }
        if transaction.deferrable {
            headers.push(("Neon-Batch-Deferrable".to_owned(), "true".to_owned()));
        }
        self.post(&wire::transaction_body(queries), &headers, options).await
    }

    /// Reads a successful answer to a transaction.
    pub(crate) fn read_transaction(&self, response: &HttpResponse) -> Result<Vec<WireResult>, SqlError> {
        self.read(response, wire::read_transaction)
    }

    async fn post(
        &self,
        body: &Json,
        extra: &[(String, String)],
        options: &RequestOptions,
    ) -> Result<HttpResponse, SqlError> {
        let response = http::send(self.inner.transport.as_ref(), self.call(body, extra, options)).await;
        self.answered(response)
    }

    /// The POST of `body` with the connection's headers and `extra`.
    fn call<'a>(&'a self, body: &Json, extra: &[(String, String)], options: &'a RequestOptions) -> Call<'a> {
        let mut headers = vec![
            (
                "Neon-Connection-String".to_owned(),
                self.inner.connection.expose().to_owned(),
            ),
            ("Neon-Array-Mode".to_owned(), "true".to_owned()),
        ];
        if self.inner.raw_text {
            headers.push(("Neon-Raw-Text-Output".to_owned(), "true".to_owned()));
        }
        headers.extend_from_slice(extra);
        Call {
            method: Method::Post,
            url: self.inner.endpoint.clone(),
            headers,
            body: Some(body.to_text().into_bytes()),
            timeout: self.inner.timeout,
            options,
            user_agent: self.inner.user_agent.as_deref(),
            what: "sql",
        }
    }

    /// A sent request's response as the client reports it: the 2xx answer, or the error
    /// (scrubbed of the connection's secrets).
    fn answered(&self, response: Result<HttpResponse, Error>) -> Result<HttpResponse, SqlError> {
        let response = response.map_err(|e| SqlError::Request(self.scrub_error(e)))?;
        if (200..300).contains(&response.status) {
            return Ok(response);
        }
        Err(self.error_for(&response))
    }

    /// Reads a 2xx body with `read`; a decode error is scrubbed like any other.
    fn read<T>(&self, response: &HttpResponse, read: fn(Json) -> Result<T, Error>) -> Result<T, SqlError> {
        Json::parse(&response.body)
            .and_then(read)
            .map_err(|e| SqlError::Request(self.scrub_error(e)))
    }

    /// The error for a non-2xx answer: a Postgres error when the body has a SQLSTATE.
    fn error_for(&self, response: &HttpResponse) -> SqlError {
        let body = Json::parse(&response.body).unwrap_or_default();
        let text = |key: &str| match body.get(key) {
            Some(Json::Str(s)) if !s.is_empty() => Some(self.scrub(s)),
            Some(Json::Num(n)) => Some(n.clone()),
            _ => None,
        };
        match (text("code"), text("message")) {
            (Some(code), Some(message)) if is_sqlstate(&code) => {
                SqlError::Postgres(Box::new(PostgresError {
                    code,
                    message,
                    severity: text("severity"),
                    detail: text("detail"),
                    hint: text("hint"),
                    position: text("position"),
                    constraint: text("constraint"),
                }))
            }
            _ => {
                let mut api = crate::core::response::api_error(response, Some("sql"));
                api.message = self.scrub(&api.message);
                // Every text the body gave: a server can echo the password in any field.
                api.code = api.code.map(|code| self.scrub(&code));
                api.request_id = api.request_id.map(|id| self.scrub(&id));
                SqlError::Request(Error::Api(api))
            }
        }
    }

    fn scrub_error(&self, error: Error) -> Error {
        match error {
            Error::Network { message } => Error::Network {
                message: self.scrub(&message),
            },
            Error::Decode { message, path } => Error::Decode {
                message: self.scrub(&message),
                path,
            },
            other => other,
        }
    }

    /// Masks the connection string and its password wherever a server echoes them.
    fn scrub(&self, text: &str) -> String {
        let connection = &self.inner.connection;
        let mut out = crate::core::text::replace_all(text, connection.expose(), &connection.redact());
        if let Some(password) = connection.expose_password().filter(|p| p.len() >= 4) {
            out = crate::core::text::replace_all(&out, &password, "****");
        }
        out
    }
}

/// A request sent by the JS bindings' own sender (see `bindings::postgres::sql`).
#[cfg(all(target_arch = "wasm32", feature = "js-postgres"))]
impl SqlClient {
    /// The request of one statement with default options, for a caller that sends it with its
    /// own HTTP stack (the wasm module's JS: a successful answer is read there, never copied
    /// through wasm memory) and hands what became of it to [`SqlClient::response_from`].
    pub(crate) fn query_request(&self, query: &WireQuery) -> Option<crate::core::transport::HttpRequest> {
        http::request(self.call(&wire::query_body(query), &[], &RequestOptions::default())).ok()
    }

    /// The request of a transaction with default [`TransactionOptions`] and call options,
    /// as [`SqlClient::query_request`].
    pub(crate) fn transaction_request(&self, queries: &[WireQuery]) -> Option<crate::core::transport::HttpRequest> {
        http::request(self.call(&wire::transaction_body(queries), &[], &RequestOptions::default())).ok()
    }

    /// The successful answer, or the error, of a request from [`SqlClient::query_request`] or
    /// [`SqlClient::transaction_request`] that the caller sent: as if this client had sent it.
    pub(crate) fn response_from(&self, outcome: Result<HttpResponse, crate::core::transport::TransportError>) -> Result<HttpResponse, SqlError> {
        self.answered(outcome.map_err(|e| Error::from_transport(e, "sql", self.inner.timeout)))
    }
}

fn is_sqlstate(code: &str) -> bool {
    code.len() == 5
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
