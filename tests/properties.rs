//! Properties of the text helpers, over generated inputs (proptest, default case counts):
//!
//! - a .env merge keeps every byte of the file and adds only the keys it writes;
//! - statements split from a script, joined with `;`, split back into the same statements;
//! - redaction never leaves a password of the input in the output;
//! - percent-encoding round-trips, alone and through a connection string.
//!
//! The fuzz targets (`fuzz/`, `npm run fuzz`) check the same on unstructured input; these
//! build inputs that reach the interesting cases on every `cargo test`.
#![cfg(not(target_arch = "wasm32"))]

use neon_edge::connection_string::ConnectionString;
use neon_edge::core::percent::{decode_bytes, percent_encode};
use neon_edge::dotenv::{Addition, DotEnv, DotEnvError};
use neon_edge::sql::split_statements;
use proptest::prelude::*;

/// A line of a .env file: assignments (plain, exported, quoted, with comments), comments,
/// blank lines, malformed lines and an unclosed quote that swallows what follows.
fn env_line() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[A-Z_][A-Z0-9_]{0,6}", "[ -~]{0,12}").prop_map(|(k, v)| format!("{k}={v}")),
        ("[A-Z_][A-Z0-9_]{0,6}", "[a-z ;#=]{0,8}").prop_map(|(k, v)| format!("export {k}='{v}'")),
        ("[A-Z_][A-Z0-9_]{0,6}", "[a-z \n]{0,8}").prop_map(|(k, v)| format!("{k}=\"{v}\" # note")),
        "#[ -~]{0,12}",
        "[ \t]{0,3}",
        "[ -~]{1,12}",
        "[A-Z]{1,4}=\"unclosed[a-z ]{0,5}",
    ]
}

/// A .env file's text: lines with LF or CRLF endings, with or without a final newline.
fn env_text() -> impl Strategy<Value = String> {
    (prop::collection::vec(env_line(), 0..8), prop::bool::ANY, prop::bool::ANY).prop_map(|(lines, crlf, last_newline)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(eol);
        if last_newline && !text.is_empty() {
            text.push_str(eol);
        }
        text
    })
}

/// Values to add: anything printable, quotes, `#`, `$`, spaces and newlines included.
fn additions() -> impl Strategy<Value = Vec<Addition>> {
    prop::collection::btree_map("NEW_[A-Z0-9_]{1,6}", "[ -~\n]{0,16}", 1..4)
        .prop_map(|pairs| pairs.into_iter().map(|(k, v)| Addition::new(k, v)).collect())
}

/// Whether a value needs more than one kind of quoting: only such values may be refused
/// (a value holding `'`, `"`, `` ` `` and a line break has no form every reader reads back).
fn unquotable(value: &str) -> bool {
    value.contains(['\\', '\'', '"', '`'])
}

proptest! {
    #[test]
    fn an_env_merge_keeps_every_byte_outside_the_keys_it_writes(text in env_text(), added in additions()) {
        let env = DotEnv::parse(&text);
        let merged = match env.merge(&added) {
            Ok(merged) => merged,
            // The refusals this input allows, each for its own reason only.
            // A quote left open in the file would swallow the new lines.
            Err(DotEnvError::WouldChangeExisting) if text.contains(['\'', '"', '`']) => return Ok(()),
            Err(DotEnvError::KeysExist { keys }) if keys.iter().all(|k| env.contains(k)) => return Ok(()),
            Err(DotEnvError::UnrepresentableValue { key }) if added.iter().any(|a| a.key == key && unquotable(&a.value)) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("refused to merge {added:?} into {text:?}: {e}"))),
        };
        prop_assert!(merged.starts_with(&text), "the file's bytes changed: {:?} -> {:?}", text, merged);
        let reread = DotEnv::parse(&merged);
        prop_assert_eq!(&reread.entries()[..env.entries().len()], env.entries());
        let new: Vec<(&str, &str)> = reread.entries()[env.entries().len()..].iter().map(|e| (e.key.as_str(), e.value.as_str())).collect();
        let wanted: Vec<(&str, &str)> = added.iter().map(|a| (a.key.as_str(), a.value.as_str())).collect();
        prop_assert_eq!(new, wanted.clone());
        // What follows the old text reads, on its own, as the new assignments and nothing else.
        let tail = DotEnv::parse(&merged[text.len()..]);
        let tail: Vec<(&str, &str)> = tail.entries().iter().map(|e| (e.key.as_str(), e.value.as_str())).collect();
        prop_assert_eq!(tail, wanted);
    }
}

/// A fragment of a statement: words and the constructs whose `;` does not split.
fn sql_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,6}".prop_map(String::from),
        Just("'it''s; fine'".to_owned()),
        Just("E'back\\'slash;'".to_owned()),
        Just("$$ body; $$".to_owned()),
        Just("$fn$ a; $x$ ; $fn$".to_owned()),
        Just("\"odd;name\"".to_owned()),
        Just("/* a; /* nested; */ */".to_owned()),
        Just("-- line; comment\n".to_owned()),
        Just("(1; 2)".to_owned()),
        Just("::".to_owned()),
    ]
}

/// A statement: fragments between two words (so its text starts and ends with a token).
fn sql_statement() -> impl Strategy<Value = String> {
    ("[a-z]{1,6}", prop::collection::vec(sql_fragment(), 0..6), "[a-z0-9]{1,4}")
        .prop_map(|(first, middle, last)| format!("{first} {} {last}", middle.join(" ")).replace("  ", " "))
}

proptest! {
    #[test]
    fn split_then_join_gives_the_statements_back(statements in prop::collection::vec(sql_statement(), 1..6), sep in "[ \n]{0,2}") {
        let script = statements.join(&format!(";{sep}"));
        let split = split_statements(&script).map_err(|e| TestCaseError::fail(format!("{script:?}: {e}")))?;
        let texts: Vec<&str> = split.iter().map(|s| s.text.as_str()).collect();
        prop_assert_eq!(&texts, &statements.iter().map(String::as_str).collect::<Vec<_>>());
        let joined = texts.join(";\n");
        let again = split_statements(&joined).map_err(|e| TestCaseError::fail(format!("{joined:?}: {e}")))?;
        prop_assert_eq!(again.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), texts);
    }
}

proptest! {
    #[test]
    fn redaction_never_leaves_a_password_of_the_input(
        user in "[a-z][a-z0-9_]{0,8}",
        password in "[^\u{0}-\u{1f}]{6,24}",
        query_password in "[^\u{0}-\u{1f}&]{6,16}",
        host in "ep-[a-z]{4,8}(-pooler)?\\.[a-z]{2,6}\\.neon\\.tech(:5432)?",
        with_param in prop::bool::ANY,
        // libpq percent-decodes parameter names, so an encoded name is a password too.
        param in prop::sample::select(vec!["password", "sslpassword", "pass%77ord", "%73slpassword"]),
    ) {
        let written = percent_encode(&password);
        let query = if with_param { format!("?sslmode=require&{param}={}", percent_encode(&query_password)) } else { String::new() };
        let url = format!("postgresql://{user}:{written}@{host}/neondb{query}");
        let others = format!("postgresql://{user}:@{host}/neondb?sslmode=require&{param}=****");
        // A secret that also spells another part of the URL proves nothing when it shows.
        prop_assume!(![&password, &written].iter().any(|s| others.contains(s.as_str())));
        let parsed = ConnectionString::parse(&url).map_err(|e| TestCaseError::fail(format!("{url:?}: {e}")))?;
        prop_assert_eq!(parsed.expose_password(), Some(password.clone()));
        let mut secrets = vec![password.clone(), written.clone()];
        if with_param {
            secrets.extend([query_password.clone(), percent_encode(&query_password)]);
        }
        for shown in [parsed.redact(), parsed.to_string(), format!("{parsed:?}"), parsed.direct().redact()] {
            for secret in &secrets {
                prop_assert!(!shown.contains(secret.as_str()), "{:?} shows in {:?}", secret, shown);
            }
        }
    }

    #[test]
    fn percent_encoding_round_trips(value in any::<String>()) {
        let encoded = percent_encode(&value);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{:?}", encoded);
        prop_assert_eq!(decode_bytes(&encoded), Some(value.into_bytes()));
    }

    #[test]
    fn user_and_database_round_trip_through_a_connection_string(user in "[^\u{0}]{1,16}", database in "[^\u{0}]{1,16}") {
        let url = format!("postgres://{}:pw@localhost:5432/{}", percent_encode(&user), percent_encode(&database));
        let parsed = ConnectionString::parse(&url).map_err(|e| TestCaseError::fail(format!("{url:?}: {e}")))?;
        prop_assert_eq!(parsed.user(), Some(user.as_str()));
        prop_assert_eq!(parsed.database(), Some(database.as_str()));
    }
}
