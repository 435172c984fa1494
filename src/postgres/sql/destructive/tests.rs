use super::*;
use crate::postgres::sql::split_statements;

fn reasons(sql: &str) -> Vec<DestructiveReason> {
    Statement {
        number: 1,
        line: 1,
        text: sql.to_string(),
    }
    .destructive_reasons()
}

fn drop(object: &str) -> DestructiveReason {
    DestructiveReason::Drop {
        object: object.to_string(),
    }
}

#[test]
fn drop_table_is_destructive() {
    assert_eq!(reasons("DROP TABLE users"), [drop("TABLE")]);
}

#[test]
fn drop_is_recognised_in_any_case() {
    assert_eq!(
        reasons("drop Table if exists users cascade"),
        [drop("TABLE")]
    );
}

#[test]
fn drop_names_multi_word_object_kinds() {
    assert_eq!(
        reasons("DROP MATERIALIZED VIEW v"),
        [drop("MATERIALIZED VIEW")]
    );
    assert_eq!(
        reasons("DROP FOREIGN DATA WRAPPER w"),
        [drop("FOREIGN DATA WRAPPER")]
    );
    assert_eq!(
        reasons("DROP TEXT SEARCH CONFIGURATION c"),
        [drop("TEXT SEARCH CONFIGURATION")]
    );
    assert_eq!(reasons("DROP OWNED BY bob"), [drop("OWNED BY")]);
}

#[test]
fn drop_object_stops_at_the_object_name() {
    assert_eq!(reasons("DROP SCHEMA text"), [drop("SCHEMA")]);
    assert_eq!(reasons("DROP USER mapping"), [drop("USER MAPPING")]);
}

#[test]
fn bare_drop_reason_displays_as_drop() {
    assert_eq!(reasons("DROP"), [drop("")]);
    assert_eq!(drop("").to_string(), "DROP");
}

#[test]
fn truncate_is_destructive() {
    assert_eq!(
        reasons("TRUNCATE TABLE users RESTART IDENTITY"),
        [DestructiveReason::Truncate]
    );
    assert_eq!(reasons("truncate users"), [DestructiveReason::Truncate]);
}

#[test]
fn delete_without_where_is_destructive() {
    assert_eq!(
        reasons("DELETE FROM users"),
        [DestructiveReason::DeleteWithoutWhere]
    );
    assert_eq!(
        reasons("delete from only users returning *"),
        [DestructiveReason::DeleteWithoutWhere]
    );
}

#[test]
fn delete_with_where_is_not_destructive() {
    assert!(reasons("DELETE FROM users WHERE id = 1").is_empty());
    assert!(reasons("delete from users where current of c").is_empty());
}

#[test]
fn delete_whose_where_is_inside_a_using_subquery_is_destructive() {
    let sql = "DELETE FROM users USING (SELECT id FROM banned WHERE true) b";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn delete_with_where_holding_a_subquery_is_not_destructive() {
    assert!(reasons("DELETE FROM users WHERE id IN (SELECT id FROM banned)").is_empty());
}

#[test]
fn delete_after_a_cte_whose_where_belongs_to_the_cte_is_destructive() {
    let sql = "WITH old AS (SELECT id FROM users WHERE age > 90) DELETE FROM users";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn delete_after_a_cte_with_its_own_where_is_not_destructive() {
    let sql =
        "WITH old AS (SELECT id FROM users) DELETE FROM users WHERE id IN (SELECT id FROM old)";
    assert!(reasons(sql).is_empty());
}

#[test]
fn delete_inside_a_cte_without_where_is_destructive() {
    let sql =
        "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone WHERE id > 0";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn delete_inside_a_cte_with_where_is_not_destructive() {
    let sql = "WITH gone AS (DELETE FROM users WHERE id = 1 RETURNING id) SELECT * FROM gone";
    assert!(reasons(sql).is_empty());
}

#[test]
fn where_after_returning_does_not_count_for_the_delete() {
    let sql = "WITH gone AS (DELETE FROM users RETURNING (SELECT 1 WHERE true)) SELECT 1";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn on_delete_cascade_is_not_a_delete() {
    let sql = "CREATE TABLE a (id int REFERENCES b ON DELETE CASCADE)";
    assert!(reasons(sql).is_empty());
}

#[test]
fn grants_triggers_and_policies_on_delete_are_not_deletes() {
    assert!(reasons("GRANT SELECT, DELETE ON users TO app").is_empty());
    assert!(
        reasons("CREATE TRIGGER t BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION f()")
            .is_empty()
    );
    assert!(reasons("CREATE POLICY p ON users FOR DELETE USING (true)").is_empty());
}

#[test]
fn a_column_named_delete_is_not_a_delete() {
    assert!(reasons("SELECT delete FROM audit").is_empty());
    assert!(reasons("SELECT a, delete FROM audit").is_empty());
    assert!(reasons("SELECT a.delete FROM audit a").is_empty());
}

#[test]
fn rule_that_deletes_everything_is_destructive() {
    let sql = "CREATE RULE r AS ON INSERT TO log DO INSTEAD DELETE FROM log";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn explain_analyze_delete_without_where_is_destructive() {
    assert_eq!(
        reasons("EXPLAIN ANALYZE DELETE FROM users"),
        [DestructiveReason::DeleteWithoutWhere]
    );
}

#[test]
fn keywords_inside_comments_and_strings_are_ignored() {
    assert!(reasons("SELECT 'DROP TABLE users' /* DELETE FROM users */ -- TRUNCATE\n").is_empty());
    assert!(reasons("INSERT INTO log VALUES ($$DELETE FROM users$$)").is_empty());
    assert!(reasons(r#"SELECT 1 AS "drop""#).is_empty());
}

#[test]
fn leading_comment_does_not_hide_a_drop() {
    assert_eq!(
        reasons("/* cleanup */ -- first\nDROP TABLE users"),
        [drop("TABLE")]
    );
}

#[test]
fn where_inside_a_comment_does_not_count() {
    assert_eq!(
        reasons("DELETE FROM users -- WHERE id = 1"),
        [DestructiveReason::DeleteWithoutWhere]
    );
    assert_eq!(
        reasons("DELETE FROM users /* WHERE */"),
        [DestructiveReason::DeleteWithoutWhere]
    );
}

#[test]
fn each_reason_is_listed_once() {
    let sql = "WITH a AS (DELETE FROM x), b AS (DELETE FROM y) SELECT 1";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn alter_table_drop_column_is_destructive() {
    assert_eq!(
        reasons("ALTER TABLE users DROP COLUMN email"),
        [DestructiveReason::DropColumn]
    );
    assert_eq!(
        reasons("alter table users drop email, add x int"),
        [DestructiveReason::DropColumn]
    );
}

#[test]
fn alter_table_drop_constraint_or_default_is_not_destructive() {
    assert!(reasons("ALTER TABLE users DROP CONSTRAINT users_pkey").is_empty());
    assert!(
        reasons("ALTER TABLE users ALTER COLUMN a DROP DEFAULT, ALTER b DROP NOT NULL").is_empty()
    );
    assert!(reasons("ALTER TABLE users ALTER COLUMN id DROP IDENTITY IF EXISTS").is_empty());
}

#[test]
fn ordinary_statements_are_not_destructive() {
    for sql in [
        "CREATE TABLE users (id serial PRIMARY KEY)",
        "INSERT INTO users DEFAULT VALUES",
        "UPDATE users SET name = 'x' WHERE id = 1",
        "SELECT * FROM users",
        "BEGIN",
        "",
    ] {
        assert!(reasons(sql).is_empty(), "{sql}");
    }
}

#[test]
fn destructive_statements_lists_number_line_first_line_and_reasons() {
    let sql = "CREATE TABLE t (id int);\n\n-- reset\nDROP TABLE t\n  CASCADE;\nINSERT INTO t VALUES (1);\nDELETE FROM t;\nTRUNCATE t;";
    let statements = split_statements(sql).unwrap();
    let destructive = destructive_statements(&statements);
    let summary: Vec<(usize, usize, &str)> = destructive
        .iter()
        .map(|d| (d.number, d.line, d.first_line.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (2, 4, "DROP TABLE t"),
            (4, 7, "DELETE FROM t"),
            (5, 8, "TRUNCATE t")
        ]
    );
    assert_eq!(destructive[0].reasons, [drop("TABLE")]);
}

#[test]
fn destructive_statement_displays_where_it_is_and_why() {
    let statements = split_statements("SELECT 1;\nDELETE FROM users;").unwrap();
    let destructive = destructive_statements(&statements);
    assert_eq!(
        destructive[0].to_string(),
        "statement 2 on line 2 (DELETE without WHERE): DELETE FROM users"
    );
}

#[test]
fn hand_built_statement_with_an_unterminated_quote_is_checked_up_to_the_quote() {
    assert_eq!(reasons("DROP TABLE 'oops"), [drop("TABLE")]);
}

#[test]
fn reasons_serialize_with_a_kind_tag() {
    let json =
        serde_json::to_string(&[drop("TABLE"), DestructiveReason::DeleteWithoutWhere]).unwrap();
    assert_eq!(
        json,
        r#"[{"kind":"drop","object":"TABLE"},{"kind":"deleteWithoutWhere"}]"#
    );
}

#[test]
fn rule_body_with_several_deletes_is_checked_delete_by_delete() {
    let guarded =
        "CREATE RULE r AS ON INSERT TO t DO ALSO (DELETE FROM a WHERE x; DELETE FROM b WHERE y)";
    assert!(reasons(guarded).is_empty());
    let unguarded =
        "CREATE RULE r AS ON INSERT TO t DO ALSO (DELETE FROM a WHERE x; DELETE FROM b)";
    assert_eq!(reasons(unguarded), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn nested_deletes_each_need_their_own_where() {
    let sql = "WITH a AS (DELETE FROM x WHERE id IN (WITH b AS (DELETE FROM y RETURNING id) SELECT id FROM b)) SELECT 1";
    assert_eq!(reasons(sql), [DestructiveReason::DeleteWithoutWhere]);
}

#[test]
fn many_deletes_in_one_statement_are_checked_in_linear_time() {
    let sql = "DELETE FROM t WHERE (".repeat(20_000) + &")".repeat(20_000);
    let started = std::time::Instant::now();
    assert!(reasons(&sql).is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}
