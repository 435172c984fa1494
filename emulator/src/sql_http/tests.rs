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
    assert!(parse_connection_string("mysql://x").is_none());
}

#[test]
fn literals_double_their_quotes() {
    assert_eq!(literal(&Some("it's".into())), "'it''s'");
    assert_eq!(literal(&None), "NULL");
}
