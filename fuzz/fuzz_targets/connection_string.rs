//! Connection-string parsing and redaction. Nothing may panic; the redacted form, `Display`
//! and `Debug` never show the password (as decoded or as written) nor a `password` or
//! `sslpassword` parameter's value, wherever it could not come from elsewhere in the URL; the
//! direct URL parses again, and redaction is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_edge::connection_string::ConnectionString;
use neon_edge::core::percent::decode_bytes;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let Ok(url) = ConnectionString::parse(input) else { return };
    // Surrounding whitespace is not part of the URL.
    let input = input.trim();
    let _ = (url.scheme(), url.user(), url.host(), url.port(), url.database(), url.param("sslmode"), url.is_pooled());
    assert_eq!(url.expose(), input);
    let redacted = url.redact();
    // `Display` and `Debug` show the redacted form and nothing else of the URL.
    assert_eq!(url.to_string(), redacted);
    assert_eq!(format!("{url:?}"), format!("ConnectionString({redacted:?})"));
    let mut secrets = secret_params(input);
    if let Some(password) = url.expose_password() {
        secrets.extend([password, written_password(input).to_owned()]);
    }
    for secret in secrets.iter().filter(|s| telling(input, s)) {
        assert!(!redacted.contains(secret.as_str()), "{secret:?} shows in {redacted:?}");
    }
    let direct = url.direct();
    assert!(ConnectionString::parse(direct.expose()).is_ok(), "direct URL does not parse");
    if let Ok(again) = ConnectionString::parse(&redacted) {
        assert_eq!(again.redact(), redacted, "redacting twice changed the text");
    }
});

/// The password as written in the URL: between the first `:` of the userinfo and its `@`.
fn written_password(input: &str) -> &str {
    let rest = input.split_once("://").map_or(input, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let userinfo = authority.rsplit_once('@').map_or("", |(u, _)| u);
    userinfo.split_once(':').map_or("", |(_, p)| p)
}

/// The values of `password` and `sslpassword` query parameters, their names read decoded
/// as libpq reads them (`pass%77ord`).
fn secret_params(input: &str) -> Vec<String> {
    let query = input.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(key, _)| decode_bytes(key).is_some_and(|k| k == b"password" || k == b"sslpassword"))
        .map(|(_, value)| value.to_owned())
        .collect()
}

/// Whether a secret can only have come from the password: it occurs once in the input, is
/// not empty and holds no delimiter or `*` (else parts of the redacted URL around it could
/// spell it).
fn telling(input: &str, secret: &str) -> bool {
    !secret.is_empty() && input.matches(secret).count() == 1 && !secret.contains(['*', ':', '@', '/', '?', '&', '=', '#'])
}
