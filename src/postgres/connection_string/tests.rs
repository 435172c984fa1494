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
    assert_eq!(
        url.host(),
        "ep-cool-breeze-a1b2c3d4-pooler.c-2.us-east-2.aws.neon.tech"
    );
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
    assert_eq!(
        url.direct().expose(),
        "postgres://u:p@ep-a.x:5432,ep-b.y/db"
    );
}

#[test]
fn direct_url_drops_pooler_from_the_endpoint_named_in_options() {
    let url = parse("postgresql://u:p@127.0.0.1:5433/db?sslmode=disable&options=endpoint%3Dep-a-1-pooler%20-c%20x%3Dep-a-1-pooler");
    assert!(url.is_pooled());
    let direct = url.direct();
    assert_eq!(
        direct.expose(),
        "postgresql://u:p@127.0.0.1:5433/db?sslmode=disable&options=endpoint%3Dep-a-1%20-c%20x%3Dep-a-1-pooler"
    );
    assert!(!direct.is_pooled());
    assert!(!parse("postgres://u@h/db?options=endpoint%3Dep-a&application_name=ep-a-pooler").is_pooled());
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
    assert_eq!(
        url.redact(),
        "postgres://u@h/db?password=****&sslpassword=****&sslmode=require"
    );
}

/// libpq percent-decodes parameter names too: `pass%77ord` is a password (found with the
/// redaction property of tests/properties.rs).
#[test]
fn redact_hides_password_parameters_whose_names_are_percent_encoded() {
    let url = parse("postgresql://h/db?pass%77ord=s3cretA&%73slpassword=s3cretB&sslmode=require");
    assert_eq!(url.redact(), "postgresql://h/db?pass%77ord=****&%73slpassword=****&sslmode=require");
    assert_eq!(url.param("password").as_deref(), Some("s3cretA"));
}

#[test]
fn url_without_password_is_redacted_unchanged() {
    assert_eq!(
        parse("postgres://u@h:5432/db?x=1").redact(),
        "postgres://u@h:5432/db?x=1"
    );
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
fn parts_keep_non_ascii_text_and_odd_delimiters_byte_for_byte() {
    let url = parse("postgres://ü:pä@ss@hö-pooler.x:5432/dä/b@c?q=/ü&password=é");
    assert_eq!(url.user(), Some("ü"));
    assert_eq!(url.expose_password().as_deref(), Some("pä@ss"));
    assert_eq!(url.host(), "hö-pooler.x");
    assert_eq!(url.database(), Some("dä/b@c"));
    assert_eq!(url.param("q").as_deref(), Some("/ü"));
    assert_eq!(url.redact(), "postgres://ü:****@hö-pooler.x:5432/dä/b@c?q=/ü&password=****");
    assert_eq!(url.direct().expose(), "postgres://ü:pä@ss@hö.x:5432/dä/b@c?q=/ü&password=é");

    // A `?` before any `/` starts the query; an `@` after the hosts is no user separator.
    let url = parse("postgres://u:secret@h?x=/y@z");
    assert_eq!((url.host(), url.database()), ("h", None));
    assert_eq!(url.param("x").as_deref(), Some("/y@z"));
    assert_eq!(url.redact(), "postgres://u:****@h?x=/y@z");
    let url = parse("postgres://h/db@x");
    assert_eq!((url.host(), url.user(), url.database()), ("h", None, Some("db@x")));
    assert_eq!(url.redact(), "postgres://h/db@x");
    assert_eq!(parse("postgres://u:@h/").redact(), "postgres://u:@h/");
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
    assert_eq!(
        parse(POOLED).expose_password().as_deref(),
        Some("npg_s3cret")
    );
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
    assert_eq!(
        (url.user(), url.database(), url.port()),
        (None, None, Some(5433))
    );
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
    assert_eq!(
        error("mysql://u:p@h/db"),
        ConnectionStringError::NotPostgresUrl
    );
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
    assert_eq!(
        error("postgres://u:p@/db"),
        ConnectionStringError::MissingHost
    );
    assert_eq!(
        error("postgres://a,,b/db"),
        ConnectionStringError::MissingHost
    );
    assert_eq!(
        error("postgres://:5432/db"),
        ConnectionStringError::MissingHost
    );
}

#[test]
fn bad_ports_are_rejected() {
    for url in [
        "postgres://h:/db",
        "postgres://h:99999/db",
        "postgres://h:-1/db",
        "postgres://h:+5/db",
        "postgres://[::1]x/db",
    ] {
        assert_eq!(error(url), ConnectionStringError::InvalidPort, "{url}");
    }
}

#[test]
fn unclosed_ipv6_bracket_is_rejected() {
    assert_eq!(
        error("postgres://[::1/db"),
        ConnectionStringError::InvalidHost
    );
}

#[test]
fn whitespace_inside_is_rejected() {
    assert_eq!(
        error("postgres://u:p w@h/db"),
        ConnectionStringError::InvalidCharacter
    );
    assert_eq!(
        error("postgres://u@h/d\tb"),
        ConnectionStringError::InvalidCharacter
    );
}

#[test]
fn malformed_escapes_are_rejected_naming_the_part() {
    assert_eq!(
        error("postgres://u%zz@h"),
        ConnectionStringError::InvalidPercentEncoding {
            part: UrlPart::User
        }
    );
    assert_eq!(
        error("postgres://u:p%4@h"),
        ConnectionStringError::InvalidPercentEncoding {
            part: UrlPart::Password
        }
    );
    assert_eq!(
        error("postgres://u@h/%ff"),
        ConnectionStringError::InvalidPercentEncoding {
            part: UrlPart::Database
        }
    );
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
    for input in [
        "postgres://%",
        "postgres://u:%@h",
        "postgres://[",
        "postgres://]:",
        "postgres://@",
        "postgres://:@h",
        "postgres://é-pooler.x/é%C3%A9",
        "postgres://h?&&=&password",
        "postgres://h/?",
        "postgres://h#x",
    ] {
        if let Ok(url) = ConnectionString::parse(input) {
            let _ = (
                url.redact(),
                url.direct(),
                url.host(),
                url.port(),
                url.param("password"),
                format!("{url:?}"),
            );
        }
    }
}
