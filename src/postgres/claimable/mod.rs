//! Claimable Postgres (`neon.new`): instant databases that need no account and expire after
//! 72 hours unless claimed. The service has moved hosts before (neon.new, pg.new), so its
//! base URL is an option; the claim URL is always the server's, never rebuilt here.

use crate::core::options::RequestOptions;
use crate::core::http::{self, normalize_base_url, Call, DEFAULT_TIMEOUT, USER_AGENT};
use crate::postgres::connection_string::ConnectionString;
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::transport::{Method, Transport};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The Claimable Postgres API's public base URL.
pub const DEFAULT_CLAIMABLE_BASE_URL: &str = "https://neon.new/api/v1";

/// Where a claimable database is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimStatus {
    /// Usable, expiring at `expires_at` unless claimed.
    Unclaimed,
    /// Someone opened the claim link and is signing in.
    Claiming,
    /// Moved into a Neon account; the connection string is no longer handed out.
    Claimed,
    /// A status this client does not know yet, as the server wrote it.
    Unknown(String),
}

impl ClaimStatus {
    /// Reads the server's status string; unknown values are kept, not refused.
    pub fn parse(status: &str) -> ClaimStatus {
        match status {
            "UNCLAIMED" => ClaimStatus::Unclaimed,
            "CLAIMING" => ClaimStatus::Claiming,
            "CLAIMED" => ClaimStatus::Claimed,
            other => ClaimStatus::Unknown(other.to_owned()),
        }
    }

    /// The status as the server writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ClaimStatus::Unclaimed => "UNCLAIMED",
            ClaimStatus::Claiming => "CLAIMING",
            ClaimStatus::Claimed => "CLAIMED",
            ClaimStatus::Unknown(s) => s,
        }
    }
}

impl fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A claimable database as the service describes it. `Debug` hides the passwords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimableDatabase {
    /// The database's id (a UUID), for [`ClaimableClient::get`].
    pub id: String,
    /// Where the database is in its life.
    pub status: ClaimStatus,
    /// The Neon project behind it.
    pub neon_project_id: String,
    /// The pooled connection string; `None` once claimed.
    pub database_url: Option<ConnectionString>,
    /// The direct connection string (`-pooler` removed from the host); `None` once claimed.
    pub database_url_direct: Option<ConnectionString>,
    /// The link that claims the database into a Neon account, exactly as the server sent it.
    pub claim_url: String,
    /// When an unclaimed database is deleted (RFC 3339).
    pub expires_at: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339), when the server says.
    pub updated_at: Option<String>,
}

/// The body of a create request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateClaimable {
    /// Who provisions the database (the service's `ref`); required, non-blank.
    pub referrer: String,
    /// Enables logical replication (it cannot be turned off later).
    pub logical_replication: bool,
}

impl CreateClaimable {
    /// A request with this referrer and logical replication off.
    pub fn new(referrer: impl Into<String>) -> Self {
        CreateClaimable {
            referrer: referrer.into(),
            logical_replication: false,
        }
    }

    /// Turns logical replication on or off.
    pub fn logical_replication(mut self, on: bool) -> Self {
        self.logical_replication = on;
        self
    }
}

/// Builds a [`ClaimableClient`].
pub struct ClaimableClientBuilder {
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    timeout: Duration,
    user_agent: Option<String>,
}

impl ClaimableClientBuilder {
    /// Overrides [`DEFAULT_CLAIMABLE_BASE_URL`] (an emulator, or the service's next host).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    crate::core::http::http_builder_setters!();

    /// Validates the configuration.
    pub fn build(self) -> Result<ClaimableClient, Error> {
        let base_url = normalize_base_url(
            "baseUrl",
            self.base_url
                .as_deref()
                .unwrap_or(DEFAULT_CLAIMABLE_BASE_URL),
        )?;
        let transport = crate::core::http::check_http(self.transport, self.timeout)?;
        Ok(ClaimableClient {
            inner: Arc::new(Inner {
                base_url,
                transport,
                timeout: self.timeout,
                user_agent: self.user_agent,
            }),
        })
    }
}

struct Inner {
    base_url: String,
    transport: Arc<dyn Transport>,
    timeout: Duration,
    user_agent: Option<String>,
}

/// A client for the Claimable Postgres API. No API key is involved. Cheap to clone.
///
/// ```
/// use neon_edge::claimable::{ClaimStatus, ClaimableClient, CreateClaimable};
/// use neon_edge::transport::{ScriptedResponse, ScriptedTransport};
/// use neon_edge::RequestOptions;
/// use std::sync::Arc;
///
/// let transport = ScriptedTransport::new();
/// transport.push(ScriptedResponse::json(201, r#"{"id":"db-1","status":"UNCLAIMED","neon_project_id":"p-1",
///   "connection_string":"postgresql://owner:secret@ep-a-pooler.example.test/neondb",
///   "claim_url":"https://neon.new/claim/db-1","expires_at":"2026-01-26T14:19:14Z","created_at":"2026-01-23T14:19:14Z"}"#));
/// let claimable = ClaimableClient::builder().transport(Arc::new(transport)).build()?;
/// let db = pollster::block_on(claimable.create(&CreateClaimable::new("my-app"), &RequestOptions::default()))?;
/// assert_eq!(db.status, ClaimStatus::Unclaimed);
/// assert_eq!(db.database_url_direct.unwrap().host(), "ep-a.example.test");
/// # Ok::<(), neon_edge::Error>(())
/// ```
#[derive(Clone)]
pub struct ClaimableClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for ClaimableClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimableClient")
            .field("base_url", &self.inner.base_url)
            .finish()
    }
}

impl ClaimableClient {
    /// Starts building a client.
    pub fn builder() -> ClaimableClientBuilder {
        ClaimableClientBuilder {
            base_url: None,
            transport: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: Some(USER_AGENT.to_owned()),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Creates a database (`POST /database`). A missing or blank referrer is refused before
    /// anything is sent.
    pub async fn create(
        &self,
        request: &CreateClaimable,
        options: &RequestOptions,
    ) -> Result<ClaimableDatabase, Error> {
        const OP: &str = "createClaimableDatabase";
        if request.referrer.trim().is_empty() {
            let problem = "ref is missing or empty: name who provisions the database (e.g. \"my-app\")";
            return Err(Error::invalid_parameter(OP, "ref", problem));
        }
        let body = Json::object([
            ("ref", Json::string(request.referrer.as_str())),
            ("enable_logical_replication", Json::Bool(request.logical_replication)),
        ]);
        let body = body.to_text().into_bytes();
        let url = format!("{}/database", self.inner.base_url);
        let created = self.call(OP, Method::Post, url, Some(body), options).await?;
        // Only a claimed database has no connection string; a new one always has it, and the
        // JS declarations promise it (`UnclaimedDatabase`).
        if created.database_url.is_none() {
            return Err(Error::Decode {
                message: "a new database came without its connection string".into(),
                path: Some("connection_string".into()),
            });
        }
        Ok(created)
    }

    /// Reads a database's current state (`GET /database/{id}`).
    pub async fn get(&self, id: &str, options: &RequestOptions) -> Result<ClaimableDatabase, Error> {
        const OP: &str = "getClaimableDatabase";
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::invalid_parameter(OP, "id", "id is missing or empty"));
        }
        if id == "." || id == ".." {
            return Err(Error::invalid_parameter(OP, "id", &crate::core::text::concat(&["`", id, "` is not a database id"])));
        }
        let mut url = format!("{}/database/", self.inner.base_url);
        crate::core::percent::percent_encode_into(id, &mut url);
        self.call(OP, Method::Get, url, None, options).await
    }

    async fn call(
        &self,
        op: &str,
        method: Method,
        url: String,
        body: Option<Vec<u8>>,
        options: &RequestOptions,
    ) -> Result<ClaimableDatabase, Error> {
        let call = Call {
            method,
            url,
            headers: Vec::new(),
            body,
            timeout: self.inner.timeout,
            options,
            user_agent: self.inner.user_agent.as_deref(),
            what: op,
        };
        let response = http::send(self.inner.transport.as_ref(), call).await?;
        if !(200..300).contains(&response.status) {
            return Err(Error::Api(crate::core::response::api_error(&response, Some(op))));
        }
        from_body(&Json::parse(&response.body)?)
    }
}

/// Reads the service's description of a database (read without serde: the npm module
/// ships no serde_json).
fn from_body(body: &Json) -> Result<ClaimableDatabase, Error> {
    if !matches!(body, Json::Obj(_)) {
        return Err(Error::Decode { message: "expected an object".into(), path: None });
    }
    let text = |key: &str| body.required(key, "a string", Json::as_str).map(str::to_owned);
    let optional = |key: &str| body.member(key, "a string", Json::as_str);
    // The service answers `null` once claimed; treat an empty string the same way.
    let database_url = match optional("connection_string")?.filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(text) => Some(ConnectionString::parse(text).map_err(|e| Error::Decode {
            message: format!("the connection string is not a postgres URL: {e}"),
            path: Some("connection_string".into()),
        })?),
    };
    Ok(ClaimableDatabase {
        id: text("id")?,
        status: ClaimStatus::parse(body.required("status", "a string", Json::as_str)?),
        neon_project_id: text("neon_project_id")?,
        database_url_direct: database_url.as_ref().map(ConnectionString::direct),
        database_url,
        claim_url: text("claim_url")?,
        expires_at: text("expires_at")?,
        created_at: text("created_at")?,
        updated_at: optional("updated_at")?.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests;
