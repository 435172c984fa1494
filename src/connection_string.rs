//! PostgreSQL connection strings (`postgres://` and `postgresql://` URLs), read just
//! enough to find the host, user and database, to turn Neon's pooled URL into the direct
//! one, and to show the URL without its password.
//!
//! The password never leaves a [`ConnectionString`] by accident: `Display` and `Debug`
//! show the redacted URL, and parse errors never quote the input.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// What replaces secrets in [`ConnectionString::redact`].
const REDACTED: &str = "****";
/// The suffix of a Neon endpoint's first host label when it goes through the pooler.
const POOLER_SUFFIX: &str = "-pooler";
/// Query parameters that carry secrets and are redacted too.
const SECRET_PARAMS: [&str; 2] = ["password", "sslpassword"];

/// A parsed `postgres://` or `postgresql://` URL whose `Display` and `Debug` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionString {
    raw: String,
    scheme: Range<usize>,
    user: Option<Range<usize>>,
    password: Option<Range<usize>>,
    hosts: Range<usize>,
    path: Range<usize>,
    query: Option<Range<usize>>,
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
            ConnectionStringError::NotPostgresUrl => f.write_str(
                "the connection string must start with postgres:// or postgresql://",
            ),
            ConnectionStringError::InvalidCharacter => f.write_str(
                "the connection string holds whitespace or a control character; percent-encode it",
            ),
            ConnectionStringError::MissingHost => f.write_str("the connection string has no host"),
            ConnectionStringError::InvalidHost => f.write_str("the connection string's host is malformed"),
            ConnectionStringError::InvalidPort => f.write_str(
                "the connection string's port is not a number from 0 to 65535",
            ),
            ConnectionStringError::InvalidPercentEncoding { part } => {
                write!(f, "the connection string's {part} has a malformed %-escape")
            }
        }
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
        let scheme_end = raw.find("://").ok_or(ConnectionStringError::NotPostgresUrl)?;
        let scheme_text = &raw[..scheme_end];
        if !scheme_text.eq_ignore_ascii_case("postgres") && !scheme_text.eq_ignore_ascii_case("postgresql") {
            return Err(ConnectionStringError::NotPostgresUrl);
        }
        if raw.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            return Err(ConnectionStringError::InvalidCharacter);
        }

        let authority_start = scheme_end + 3;
        let authority_end = raw[authority_start..]
            .find(['/', '?'])
            .map_or(raw.len(), |i| authority_start + i);
        let authority = &raw[authority_start..authority_end];
        let (user, password, hosts) = match authority.rfind('@') {
            Some(at) => {
                let userinfo = authority_start..authority_start + at;
                let (user, password) = match raw[userinfo.clone()].find(':') {
                    Some(colon) => (
                        userinfo.start..userinfo.start + colon,
                        Some(userinfo.start + colon + 1..userinfo.end),
                    ),
                    None => (userinfo, None),
                };
                (Some(user), password, authority_start + at + 1..authority_end)
            }
            None => (None, None, authority_start..authority_end),
        };
        validate_hosts(&raw[hosts.clone()])?;

        let (path, query) = match raw[authority_end..].find('?') {
            Some(q) => (authority_end..authority_end + q, Some(authority_end + q + 1..raw.len())),
            None => (authority_end..raw.len(), None),
        };

        let decoded_user = match &user {
            Some(range) => Some(decode(&raw[range.clone()], UrlPart::User)?),
            None => None,
        };
        if let Some(range) = &password {
            decode(&raw[range.clone()], UrlPart::Password)?;
        }
        let database_text = raw[path.clone()].strip_prefix('/').unwrap_or("");
        let decoded_database = if database_text.is_empty() {
            None
        } else {
            Some(decode(database_text, UrlPart::Database)?)
        };

        Ok(ConnectionString {
            raw: raw.to_string(),
            scheme: 0..scheme_end,
            user,
            password,
            hosts,
            path,
            query,
            decoded_user: decoded_user.filter(|u| !u.is_empty()),
            decoded_database,
        })
    }

    /// The scheme as written: `postgres` or `postgresql` (in the input's case).
    pub fn scheme(&self) -> &str {
        &self.raw[self.scheme.clone()]
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
        let query = &self.raw[self.query.clone()?];
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| decode_lossy(value))
        })
    }

    /// Whether a password is present (even an empty one).
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// The password, percent-decoded. Named so that every use is deliberate.
    pub fn expose_password(&self) -> Option<String> {
        self.password.clone().map(|range| decode_lossy(&self.raw[range]))
    }

    /// The whole URL, password included. Named so that every use is deliberate.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// Whether the first label of some host ends in `-pooler` (Neon's pooled endpoint).
    pub fn is_pooled(&self) -> bool {
        self.host_list().split(',').any(|host| strip_pooler(host).is_some())
    }

    /// The direct (non-pooled) URL: `-pooler` removed from the end of each host's first
    /// label, everything else unchanged. A URL without it is returned as is.
    pub fn direct(&self) -> ConnectionString {
        if !self.is_pooled() {
            return self.clone();
        }
        let hosts: Vec<String> = self
            .host_list()
            .split(',')
            .map(|host| strip_pooler(host).unwrap_or_else(|| host.to_string()))
            .collect();
        let rebuilt = format!(
            "{}{}{}",
            &self.raw[..self.hosts.start],
            hosts.join(","),
            &self.raw[self.hosts.end..]
        );
        // Removing a suffix from a label cannot make a valid URL invalid; keep `self` if it did.
        ConnectionString::parse(&rebuilt).unwrap_or_else(|_| self.clone())
    }

    /// The URL with the password (and any `password`/`sslpassword` query parameter)
    /// replaced by `****`; a URL without a password is returned unchanged.
    pub fn redact(&self) -> String {
        let mut out = String::with_capacity(self.raw.len());
        match &self.password {
            Some(range) if !range.is_empty() => {
                out.push_str(&self.raw[..range.start]);
                out.push_str(REDACTED);
                out.push_str(&self.raw[range.end..self.path.end]);
            }
            _ => out.push_str(&self.raw[..self.path.end]),
        }
        if let Some(range) = &self.query {
            out.push('?');
            let pairs: Vec<String> = self.raw[range.clone()]
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, value)) if !value.is_empty() && SECRET_PARAMS.contains(&key) => {
                        format!("{key}={REDACTED}")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            out.push_str(&pairs.join("&"));
        }
        out
    }

    fn host_list(&self) -> &str {
        &self.raw[self.hosts.clone()]
    }
}

impl fmt::Display for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redact())
    }
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConnectionString").field(&self.redact()).finish()
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
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err() {
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
    let label_end = host.find(['.', ':']).unwrap_or(host.len());
    let label = &host[..label_end];
    let cut = label.len().checked_sub(POOLER_SUFFIX.len()).filter(|&cut| cut > 0)?;
    let suffix = label.get(cut..)?;
    suffix
        .eq_ignore_ascii_case(POOLER_SUFFIX)
        .then(|| format!("{}{}", &label[..cut], &host[label_end..]))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `text` into bytes; `None` on a malformed escape.
fn decode_bytes(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex_value(*bytes.get(i + 1)?)?;
            let low = hex_value(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
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
mod tests {
    use super::*;

    const POOLED: &str = "postgresql://neondb_owner:npg_s3cret@ep-cool-breeze-a1b2c3d4-pooler.c-2.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require";
    const DIRECT: &str = "postgresql://neondb_owner:npg_s3cret@ep-cool-breeze-a1b2c3d4.c-2.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require";

    fn parse(s: &str) -> ConnectionString {
        ConnectionString::parse(s).expect("parses")
    }

    fn error(s: &str) -> ConnectionStringError {
        ConnectionString::parse(s).expect_err("is rejected")
    }

    #[test]
    fn neon_url_yields_host_user_database_and_params() {
        let url = parse(POOLED);
        assert_eq!(url.scheme(), "postgresql");
        assert_eq!(url.host(), "ep-cool-breeze-a1b2c3d4-pooler.c-2.us-east-2.aws.neon.tech");
        assert_eq!(url.user(), Some("neondb_owner"));
        assert_eq!(url.database(), Some("neondb"));
        assert_eq!(url.port(), None);
        assert_eq!(url.param("sslmode").as_deref(), Some("require"));
        assert_eq!(url.param("missing"), None);
    }

    #[test]
    fn postgres_scheme_is_accepted_in_any_case() {
        assert_eq!(parse("postgres://u@h/db").scheme(), "postgres");
        assert_eq!(parse("PostgreSQL://u@h/db").host(), "h");
    }

    #[test]
    fn direct_url_drops_pooler_from_the_first_host_label() {
        let url = parse(POOLED);
        assert!(url.is_pooled());
        let direct = url.direct();
        assert_eq!(direct.expose(), DIRECT);
        assert!(!direct.is_pooled());
    }

    #[test]
    fn direct_url_leaves_pooler_elsewhere_alone() {
        let url = parse("postgres://my-pooler:pw@ep-x.pooler-pooler.example.com/db-pooler?application_name=a-pooler");
        assert!(!url.is_pooled());
        assert_eq!(url.direct().expose(), url.expose());
    }

    #[test]
    fn direct_url_keeps_the_port_and_handles_each_host_of_a_list() {
        let url = parse("postgres://u:p@ep-a-pooler.x:5432,ep-b-POOLER.y/db");
        assert_eq!(url.direct().expose(), "postgres://u:p@ep-a.x:5432,ep-b.y/db");
    }

    #[test]
    fn a_host_that_is_only_the_pooler_suffix_is_left_alone() {
        let url = parse("postgres://u@-pooler.example.com/db");
        assert_eq!(url.direct().expose(), "postgres://u@-pooler.example.com/db");
    }

    #[test]
    fn direct_url_of_a_direct_url_is_unchanged() {
        assert_eq!(parse(DIRECT).direct(), parse(DIRECT));
    }

    #[test]
    fn redact_replaces_the_password_with_stars() {
        assert_eq!(
            parse(POOLED).redact(),
            "postgresql://neondb_owner:****@ep-cool-breeze-a1b2c3d4-pooler.c-2.us-east-2.aws.neon.tech/neondb?sslmode=require&channel_binding=require"
        );
    }

    #[test]
    fn redact_hides_password_query_parameters_too() {
        let url = parse("postgres://u@h/db?password=hunter2&sslpassword=k3y&sslmode=require");
        assert_eq!(url.redact(), "postgres://u@h/db?password=****&sslpassword=****&sslmode=require");
    }

    #[test]
    fn url_without_password_is_redacted_unchanged() {
        assert_eq!(parse("postgres://u@h:5432/db?x=1").redact(), "postgres://u@h:5432/db?x=1");
        assert_eq!(parse("postgres://h").redact(), "postgres://h");
    }

    #[test]
    fn password_containing_colons_and_escapes_is_redacted_whole() {
        let url = parse("postgres://u:a:b%40c@h/db");
        assert_eq!(url.redact(), "postgres://u:****@h/db");
        assert_eq!(url.expose_password().as_deref(), Some("a:b@c"));
    }

    #[test]
    fn unencoded_at_sign_in_password_still_splits_at_the_last_at() {
        let url = parse("postgres://u:p@ss@h/db");
        assert_eq!(url.host(), "h");
        assert_eq!(url.redact(), "postgres://u:****@h/db");
    }

    #[test]
    fn display_and_debug_never_show_the_password() {
        let url = parse(POOLED);
        assert!(!url.to_string().contains("npg_s3cret"));
        assert!(!format!("{url:?}").contains("npg_s3cret"));
        assert!(!format!("{url:#?}").contains("npg_s3cret"));
        assert!(format!("{url:?}").starts_with("ConnectionString(\"postgresql://neondb_owner:****@"));
    }

    #[test]
    fn expose_returns_the_trimmed_input_with_its_password() {
        assert_eq!(parse(&format!("  {POOLED}\n")).expose(), POOLED);
        assert!(parse(POOLED).has_password());
        assert_eq!(parse(POOLED).expose_password().as_deref(), Some("npg_s3cret"));
    }

    #[test]
    fn user_and_database_are_percent_decoded() {
        let url = parse("postgres://al%20ice@h/my%2Fdb");
        assert_eq!(url.user(), Some("al ice"));
        assert_eq!(url.database(), Some("my/db"));
    }

    #[test]
    fn missing_user_and_database_read_as_none() {
        let url = parse("postgres://h:5433");
        assert_eq!((url.user(), url.database(), url.port()), (None, None, Some(5433)));
        assert_eq!(parse("postgres://h/").database(), None);
        assert_eq!(parse("postgres://h?sslmode=require").database(), None);
    }

    #[test]
    fn ipv6_host_is_read_without_brackets() {
        let url = parse("postgres://u@[::1]:5432/db");
        assert_eq!((url.host(), url.port()), ("::1", Some(5432)));
        assert_eq!(parse("postgres://[2001:db8::1]/db").host(), "2001:db8::1");
    }

    #[test]
    fn other_schemes_are_rejected() {
        assert_eq!(error("mysql://u:p@h/db"), ConnectionStringError::NotPostgresUrl);
        assert_eq!(error("https://h"), ConnectionStringError::NotPostgresUrl);
        assert_eq!(error("u:p@h/db"), ConnectionStringError::NotPostgresUrl);
    }

    #[test]
    fn empty_input_is_rejected() {
        assert_eq!(error(""), ConnectionStringError::Empty);
        assert_eq!(error(" \n"), ConnectionStringError::Empty);
    }

    #[test]
    fn missing_host_is_rejected() {
        assert_eq!(error("postgres://"), ConnectionStringError::MissingHost);
        assert_eq!(error("postgres://u:p@/db"), ConnectionStringError::MissingHost);
        assert_eq!(error("postgres://a,,b/db"), ConnectionStringError::MissingHost);
        assert_eq!(error("postgres://:5432/db"), ConnectionStringError::MissingHost);
    }

    #[test]
    fn bad_ports_are_rejected() {
        for url in ["postgres://h:/db", "postgres://h:99999/db", "postgres://h:-1/db", "postgres://h:+5/db", "postgres://[::1]x/db"] {
            assert_eq!(error(url), ConnectionStringError::InvalidPort, "{url}");
        }
    }

    #[test]
    fn unclosed_ipv6_bracket_is_rejected() {
        assert_eq!(error("postgres://[::1/db"), ConnectionStringError::InvalidHost);
    }

    #[test]
    fn whitespace_inside_is_rejected() {
        assert_eq!(error("postgres://u:p w@h/db"), ConnectionStringError::InvalidCharacter);
        assert_eq!(error("postgres://u@h/d\tb"), ConnectionStringError::InvalidCharacter);
    }

    #[test]
    fn malformed_escapes_are_rejected_naming_the_part() {
        assert_eq!(error("postgres://u%zz@h"), ConnectionStringError::InvalidPercentEncoding { part: UrlPart::User });
        assert_eq!(error("postgres://u:p%4@h"), ConnectionStringError::InvalidPercentEncoding { part: UrlPart::Password });
        assert_eq!(error("postgres://u@h/%ff"), ConnectionStringError::InvalidPercentEncoding { part: UrlPart::Database });
    }

    #[test]
    fn errors_never_echo_the_password() {
        let secret = "Sup3rS3cretPw";
        for input in [
            format!("mysql://u:{secret}@h/db"),
            format!("postgres://u:{secret}@h:x{secret}/db"),
            format!("postgres://u:{secret}%@h/db"),
            format!("postgres://u:{secret} @h/db"),
            format!("postgres://u:{secret}/x@h/db"),
            format!("postgres://u:{secret}@/db"),
            secret.to_string(),
        ] {
            let e = ConnectionString::parse(&input).expect_err("is rejected");
            assert!(!e.to_string().contains(secret), "{e}");
            assert!(!format!("{e:?}").contains(secret), "{e:?}");
        }
    }

    #[test]
    fn parses_through_from_str_and_try_from() {
        let a: ConnectionString = POOLED.parse().unwrap();
        let b = ConnectionString::try_from(POOLED).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for input in ["postgres://%", "postgres://u:%@h", "postgres://[", "postgres://]:", "postgres://@", "postgres://:@h", "postgres://é-pooler.x/é%C3%A9", "postgres://h?&&=&password", "postgres://h/?", "postgres://h#x"] {
            if let Ok(url) = ConnectionString::parse(input) {
                let _ = (url.redact(), url.direct(), url.host(), url.port(), url.param("password"), format!("{url:?}"));
            }
        }
    }
}
