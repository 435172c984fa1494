use super::query::literal;
use super::target::parse_connection_string;

#[test]
fn connection_strings_split_into_role_password_host_and_database() {
    let c = parse_connection_string(
        "postgresql://neondb_owner:npg%40x@ep-a-b-1-pooler.localhost/neondb?sslmode=require",
    )
    .expect("parses");
    assert_eq!(c.user, "neondb_owner");
    assert_eq!(c.password, "npg@x");
    assert_eq!(c.host, "ep-a-b-1-pooler.localhost");
    assert_eq!(c.database, "neondb");
    assert_eq!(c.options_endpoint, None);
    assert!(parse_connection_string("mysql://x").is_none());
    let c = parse_connection_string(
        "postgresql://r:p@127.0.0.1:5433/db?sslmode=disable&options=endpoint%3Dep-a-b-1-pooler",
    )
    .expect("parses");
    assert_eq!(c.host, "127.0.0.1");
    assert_eq!(c.options_endpoint.as_deref(), Some("ep-a-b-1"));
}

#[test]
fn literals_double_their_quotes() {
    assert_eq!(literal(&Some("it's".into())), "'it''s'");
    assert_eq!(literal(&None), "NULL");
}
