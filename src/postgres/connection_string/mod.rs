//! PostgreSQL connection strings (`postgres://` and `postgresql://` URLs), read just
//! enough to find the host, user and database, to turn Neon's pooled URL into the direct
//! one, and to show the URL without its password.
//!
//! The password never leaves a [`ConnectionString`] by accident: `Display` and `Debug`
//! show the redacted URL, and parse errors never quote the input.

use std::fmt;
use std::str::FromStr;

use crate::core::percent::decode_bytes;
use crate::core::text;

/// What replaces secrets in [`ConnectionString::redact`].
const REDACTED: &str = "****";
/// The suffix of a Neon endpoint's first host label when it goes through the pooler.
const POOLER_SUFFIX: &str = "-pooler";
/// Query parameters that carry secrets and are redacted too.
const SECRET_PARAMS: [&str; 2] = ["password", "sslpassword"];

/// A parsed `postgres://` or `postgresql://` URL whose `Display` and `Debug` hide the password.
///
/// The parts are kept as written, so that `scheme://[user[:password]@]hosts[/path][?query]`
/// gives back `raw` (owned rather than ranges into `raw`: slicing a `str` by range would bring
/// its panic path into the wasm module; see the `text` module).
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionString {
    raw: String,
    scheme: String,
    user: Option<String>,
    password: Option<String>,
    hosts: String,
    /// What follows the `/` after the hosts; `None` without a `/`.
    path: Option<String>,
    query: Option<String>,
    decoded_user: Option<String>,
    decoded_database: Option<String>,
}

/// The part of a connection string a [`ConnectionStringError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPart {
    /// The user name before `:` or `@`.
    User,
    /// The password between `:` and `@`.
    Password,
    /// The database name after the host.
    Database,
}

impl fmt::Display for UrlPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlPart::User => "user name",
            UrlPart::Password => "password",
            UrlPart::Database => "database name",
        })
    }
}

/// Why a connection string could not be read. Messages never quote the input, which may
/// hold a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionStringError {
    /// The string is empty or only whitespace.
    Empty,
    /// The string does not start with `postgres://` or `postgresql://`.
    NotPostgresUrl,
    /// The string holds whitespace or a control character.
    InvalidCharacter,
    /// There is no host after `://` (or an empty one in a host list).
    MissingHost,
    /// A host is malformed, such as an IPv6 address without its closing `]`.
    InvalidHost,
    /// A port is not a number from 0 to 65535.
    InvalidPort,
    /// A `%` escape is malformed or does not decode to UTF-8.
    InvalidPercentEncoding {
        /// Where the bad escape is.
        part: UrlPart,
    },
}

impl fmt::Display for ConnectionStringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectionStringError::Empty => f.write_str("the connection string is empty"),
            ConnectionStringError::NotPostgresUrl => {
                f.write_str("the connection string must start with postgres:// or postgresql://")
            }
            ConnectionStringError::InvalidCharacter => f.write_str(
                "the connection string holds whitespace or a control character; percent-encode it",
            ),
            ConnectionStringError::MissingHost => f.write_str("the connection string has no host"),
            ConnectionStringError::InvalidHost => {
                f.write_str("the connection string's host is malformed")
            }
            ConnectionStringError::InvalidPort => {
                f.write_str("the connection string's port is not a number from 0 to 65535")
            }
            ConnectionStringError::InvalidPercentEncoding { part } => {
                write!(f, "the connection string's {part} has a malformed %-escape")
            }
        }
    }
}

impl ConnectionStringError {
    /// The stable name of this cause, `"invalid_connection_string"` (`error.reason` in JS).
    pub fn reason(&self) -> &'static str {
        "invalid_connection_string"
    }
}

impl std::error::Error for ConnectionStringError {}

impl ConnectionString {
    /// Parses a connection string; surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Self, ConnectionStringError> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(ConnectionStringError::Empty);
        }
        let (scheme, after_scheme) =
            text::split_once(raw, "://").ok_or(ConnectionStringError::NotPostgresUrl)?;
        if !scheme.eq_ignore_ascii_case("postgres") && !scheme.eq_ignore_ascii_case("postgresql") {
            return Err(ConnectionStringError::NotPostgresUrl);
        }
        if raw
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(ConnectionStringError::InvalidCharacter);
        }

        // The authority ends at the first `/` or `?`; the query starts at the first `?`, which
        // is therefore never before the path.
        let (before_query, query) = match after_scheme.split_once('?') {
            Some((before, query)) => (before, Some(query)),
            None => (after_scheme, None),
        };
        let (authority, path) = match before_query.split_once('/') {
            Some((authority, path)) => (authority, Some(path)),
            None => (before_query, None),
        };
        let (user, password, hosts) = match text::rsplit_once(authority, "@") {
            Some((userinfo, hosts)) => match userinfo.split_once(':') {
                Some((user, password)) => (Some(user), Some(password), hosts),
                None => (Some(userinfo), None, hosts),
            },
            None => (None, None, authority),
        };
        validate_hosts(hosts)?;

        let decoded_user = user.map(|user| decode(user, UrlPart::User)).transpose()?;
        if let Some(password) = password {
            decode(password, UrlPart::Password)?;
        }
        let decoded_database = match path {
            Some(database) if !database.is_empty() => Some(decode(database, UrlPart::Database)?),
            _ => None,
        };

        Ok(ConnectionString {
            raw: raw.to_string(),
            scheme: scheme.to_string(),
            user: user.map(str::to_string),
            password: password.map(str::to_string),
            hosts: hosts.to_string(),
            path: path.map(str::to_string),
            query: query.map(str::to_string),
            decoded_user: decoded_user.filter(|u| !u.is_empty()),
            decoded_database,
        })
    }

    /// The scheme as written: `postgres` or `postgresql` (in the input's case).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The user name, percent-decoded; `None` when absent or empty.
    pub fn user(&self) -> Option<&str> {
        self.decoded_user.as_deref()
    }

    /// The first host's name, without port or IPv6 brackets.
    pub fn host(&self) -> &str {
        let first = self.host_list().split(',').next().unwrap_or("");
        split_host_port(first).0
    }

    /// The first host's port, when one is given.
    pub fn port(&self) -> Option<u16> {
        let first = self.host_list().split(',').next().unwrap_or("");
        split_host_port(first).1.and_then(|p| p.parse().ok())
    }

    /// The database name, percent-decoded; `None` when the URL has no path.
    pub fn database(&self) -> Option<&str> {
        self.decoded_database.as_deref()
    }

    /// The value of query parameter `name`, percent-decoded (lossily), if present.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query.as_deref()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_lossy(key) == name).then(|| decode_lossy(value))
        })
    }

    /// Whether a password is present (even an empty one).
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// The password, percent-decoded. Named so that every use is deliberate.
    pub fn expose_password(&self) -> Option<String> {
        self.password.as_deref().map(decode_lossy)
    }

    /// The whole URL, password included. Named so that every use is deliberate.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// Whether the first label of some host ends in `-pooler` (Neon's pooled endpoint), or the
    /// endpoint named in `options` (`endpoint=ep-…-pooler`, for clients without SNI) does.
    pub fn is_pooled(&self) -> bool {
        self.host_list()
            .split(',')
            .any(|host| strip_pooler(host).is_some())
            || self.pooled_options_endpoint().is_some()
    }

    /// The direct (non-pooled) URL: `-pooler` removed from the end of each host's first
    /// label and of the endpoint in `options`, everything else unchanged. A URL without it is
    /// returned as is.
    pub fn direct(&self) -> ConnectionString {
        if !self.is_pooled() {
            return self.clone();
        }
        let hosts: Vec<String> = self
            .host_list()
            .split(',')
            .map(|host| strip_pooler(host).unwrap_or_else(|| host.to_string()))
            .collect();
        let mut unpooled = self.clone();
        let pooled_id = self.pooled_options_endpoint();
        let direct_id = pooled_id.and_then(strip_pooler);
        if let (Some(id), Some(direct_id), Some(query)) = (pooled_id, &direct_id, &self.query) {
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| {
                    match pair
                        .strip_prefix("options=")
                        .and_then(|value| text::split_once(value, id))
                    {
                        Some((before, after)) => {
                            text::concat(&["options=", before, direct_id, after])
                        }
                        None => pair.to_string(),
                    }
                })
                .collect();
            unpooled.query = Some(text::join(&pairs, "&"));
        }
        let rebuilt = unpooled.assemble(&text::join(&hosts, ","), Shown::AsWritten);
        // Removing a suffix from a label cannot make a valid URL invalid; keep `self` if it did.
        ConnectionString::parse(&rebuilt).unwrap_or_else(|_| self.clone())
    }

    /// The URL with the password (and any `password`/`sslpassword` query parameter)
    /// replaced by `****`; a URL without a password is returned unchanged.
    pub fn redact(&self) -> String {
        self.assemble(&self.hosts, Shown::Redacted)
    }

    /// `scheme://[user[:password]@]hosts[/path][?query]` from this URL's parts with `hosts`
    /// in place of its own, secrets as `shown`.
    fn assemble(&self, hosts: &str, shown: Shown) -> String {
        let mut out = String::with_capacity(self.raw.len());
        out.push_str(&self.scheme);
        out.push_str("://");
        if let Some(user) = &self.user {
            out.push_str(user);
            if let Some(password) = &self.password {
                out.push(':');
                out.push_str(match shown {
                    Shown::Redacted if !password.is_empty() => REDACTED,
                    _ => password,
                });
            }
            out.push('@');
        }
        out.push_str(hosts);
        if let Some(path) = &self.path {
            out.push('/');
            out.push_str(path);
        }
        if let Some(query) = &self.query {
            out.push('?');
            match shown {
                Shown::AsWritten => out.push_str(query),
                Shown::Redacted => {
                    let pairs: Vec<String> = query
                        .split('&')
                        .map(|pair| match pair.split_once('=') {
                            // Compared decoded: libpq reads `pass%77ord` as `password`.
                            Some((key, value))
                                if !value.is_empty() && SECRET_PARAMS.contains(&decode_lossy(key).as_str()) =>
                            {
                                format!("{key}={REDACTED}")
                            }
                            _ => pair.to_string(),
                        })
                        .collect();
                    out.push_str(&text::join(&pairs, "&"));
                }
            }
        }
        out
    }

    fn host_list(&self) -> &str {
        &self.hosts
    }

    /// The endpoint id in `options` (`endpoint%3Dep-…` or `endpoint=ep-…`, read as written:
    /// ids are letters, digits and dashes), when it ends in `-pooler`.
    fn pooled_options_endpoint(&self) -> Option<&str> {
        self.query.as_deref()?.split('&').find_map(|pair| {
            let value = pair.strip_prefix("options=")?;
            let (_, after) = ["endpoint%3D", "endpoint%3d", "endpoint="]
                .iter()
                .find_map(|prefix| text::split_once(value, prefix))?;
            let end = after
                .bytes()
                .position(|b| !(b.is_ascii_alphanumeric() || b == b'-'))
                .unwrap_or(after.len());
            let id = after.get(..end)?;
            strip_pooler(id).is_some().then_some(id)
        })
    }
}

/// How [`ConnectionString::assemble`] writes the secrets.
#[derive(Clone, Copy)]
enum Shown {
    AsWritten,
    Redacted,
}

impl fmt::Display for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redact())
    }
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConnectionString")
            .field(&self.redact())
            .finish()
    }
}

impl FromStr for ConnectionString {
    type Err = ConnectionStringError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConnectionString::parse(s)
    }
}

impl TryFrom<&str> for ConnectionString {
    type Error = ConnectionStringError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        ConnectionString::parse(s)
    }
}

/// Checks a comma-separated host list: each host non-empty, IPv6 brackets closed, ports numeric.
fn validate_hosts(list: &str) -> Result<(), ConnectionStringError> {
    for host in list.split(',') {
        if host.starts_with('[') && !host.contains(']') {
            return Err(ConnectionStringError::InvalidHost);
        }
        let (name, port) = split_host_port(host);
        if name.is_empty() {
            return Err(ConnectionStringError::MissingHost);
        }
        if let Some(port) = port {
            if port.is_empty()
                || !port.bytes().all(|b| b.is_ascii_digit())
                || port.parse::<u16>().is_err()
            {
                return Err(ConnectionStringError::InvalidPort);
            }
        }
    }
    Ok(())
}

/// Splits `host[:port]` or `[v6]:port` into the host name (without brackets) and the port text.
fn split_host_port(host: &str) -> (&str, Option<&str>) {
    if let Some(rest) = host.strip_prefix('[') {
        return match rest.split_once(']') {
            // Anything after `]` other than `:port` is kept as a (bad) port, so it gets rejected.
            Some((name, "")) => (name, None),
            Some((name, after)) => (name, Some(after.strip_prefix(':').unwrap_or(after))),
            None => (rest, None),
        };
    }
    match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

/// `host` with `-pooler` removed from the end of its first label, or `None` if it has none.
fn strip_pooler(host: &str) -> Option<String> {
    if host.starts_with('[') {
        return None;
    }
    let (label, rest) = text::split_before(host, |c| c == '.' || c == ':');
    // `None` when the label is no longer than the suffix or would be cut inside a char.
    let (name, suffix) = label
        .len()
        .checked_sub(POOLER_SUFFIX.len())
        .filter(|&cut| cut > 0)
        .and_then(|cut| label.split_at_checked(cut))?;
    suffix
        .eq_ignore_ascii_case(POOLER_SUFFIX)
        .then(|| format!("{name}{rest}"))
}

fn decode(text: &str, part: UrlPart) -> Result<String, ConnectionStringError> {
    decode_bytes(text)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or(ConnectionStringError::InvalidPercentEncoding { part })
}

fn decode_lossy(text: &str) -> String {
    match decode_bytes(text) {
        Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
