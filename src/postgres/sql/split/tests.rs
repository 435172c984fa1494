use super::*;

fn texts(sql: &str) -> Vec<String> {
    split_statements(sql)
        .expect("splits")
        .into_iter()
        .map(|s| s.text)
        .collect()
}

#[test]
fn statements_split_at_top_level_semicolons() {
    assert_eq!(texts("SELECT 1; SELECT 2;"), ["SELECT 1", "SELECT 2"]);
}

#[test]
fn empty_input_has_no_statements() {
    assert!(texts("").is_empty());
    assert!(texts("  \n\t\r\n").is_empty());
}

#[test]
fn final_statement_without_semicolon_is_kept() {
    assert_eq!(texts("SELECT 1;\nSELECT 2\n"), ["SELECT 1", "SELECT 2"]);
}

#[test]
fn empty_statements_are_dropped_and_not_numbered() {
    let statements = split_statements(";;\nSELECT 1;;  ;\nSELECT 2;").unwrap();
    let numbers: Vec<usize> = statements.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(statements[1].text, "SELECT 2");
}

#[test]
fn comment_only_chunks_are_dropped() {
    assert_eq!(
        texts("-- nothing here\n/* nor here */;\nSELECT 1;\n-- trailing\n"),
        ["SELECT 1"]
    );
}

#[test]
fn statement_numbers_and_lines_are_one_based() {
    let statements = split_statements("SELECT 1;\n\n  SELECT\n 2;").unwrap();
    assert_eq!((statements[0].number, statements[0].line), (1, 1));
    assert_eq!((statements[1].number, statements[1].line), (2, 3));
}

#[test]
fn starting_line_skips_leading_comments() {
    let statements = split_statements(
        "SELECT 1;\n-- about the table\n/* more\n text */\nCREATE TABLE t (id int);",
    )
    .unwrap();
    assert_eq!(statements[1].line, 5);
    assert_eq!(statements[1].text, "CREATE TABLE t (id int)");
}

#[test]
fn lines_count_crlf_endings_once() {
    let statements = split_statements("SELECT 1;\r\n\r\nSELECT 2;\r\n").unwrap();
    assert_eq!(statements[1].line, 3);
}

#[test]
fn text_keeps_comments_inside_the_statement() {
    assert_eq!(
        texts("SELECT 1 /* one */ + 1 -- plus\n , 2;"),
        ["SELECT 1 /* one */ + 1 -- plus\n , 2"]
    );
}

#[test]
fn text_drops_a_trailing_comment_before_the_semicolon() {
    assert_eq!(texts("SELECT 1 -- the answer\n;"), ["SELECT 1"]);
}

#[test]
fn first_line_is_the_first_line_of_the_text() {
    let statements = split_statements("-- comment\nINSERT INTO t\r\nVALUES (1);").unwrap();
    assert_eq!(statements[0].first_line(), "INSERT INTO t");
}

#[test]
fn first_line_of_a_single_line_statement_is_the_whole_text() {
    let statements = split_statements("SELECT 1").unwrap();
    assert_eq!(statements[0].first_line(), "SELECT 1");
}

#[test]
fn semicolon_inside_single_quoted_string_does_not_split() {
    assert_eq!(
        texts("INSERT INTO t VALUES ('a;b'); SELECT 1;"),
        ["INSERT INTO t VALUES ('a;b')", "SELECT 1"]
    );
}

#[test]
fn doubled_single_quote_is_an_escape_not_the_end_of_the_string() {
    assert_eq!(
        texts("SELECT 'it''s; fine'; SELECT 2"),
        ["SELECT 'it''s; fine'", "SELECT 2"]
    );
}

#[test]
fn backslash_does_not_escape_a_quote_in_a_standard_string() {
    assert_eq!(
        texts(r"SELECT 'C:\'; SELECT 2"),
        [r"SELECT 'C:\'", "SELECT 2"]
    );
}

#[test]
fn backslash_escaped_quote_in_e_string_does_not_end_it() {
    assert_eq!(
        texts(r"SELECT E'it\'s; fine'; SELECT 2"),
        [r"SELECT E'it\'s; fine'", "SELECT 2"]
    );
}

#[test]
fn lowercase_e_prefix_also_makes_an_escape_string() {
    assert_eq!(
        texts(r"SELECT e'\'; '; SELECT 2"),
        [r"SELECT e'\'; '", "SELECT 2"]
    );
}

#[test]
fn escaped_backslash_before_the_closing_quote_ends_the_e_string() {
    assert_eq!(
        texts(r"SELECT E'a\\'; SELECT 2"),
        [r"SELECT E'a\\'", "SELECT 2"]
    );
}

#[test]
fn doubled_quote_inside_e_string_keeps_backslash_escapes_working() {
    assert_eq!(
        texts(r"SELECT E'a''b\'; c'; SELECT 2"),
        [r"SELECT E'a''b\'; c'", "SELECT 2"]
    );
}

#[test]
fn e_string_continued_on_the_next_line_keeps_backslash_escapes() {
    let sql = "SELECT E'a'\n  -- more\n'b\\'; c';\nSELECT 2";
    assert_eq!(
        texts(sql),
        ["SELECT E'a'\n  -- more\n'b\\'; c'", "SELECT 2"]
    );
}

#[test]
fn e_string_followed_by_a_string_on_the_same_line_is_not_continued() {
    assert_eq!(
        texts(r"SELECT E'a' , 'b'; SELECT 2"),
        [r"SELECT E'a' , 'b'", "SELECT 2"]
    );
}

#[test]
fn unterminated_e_string_continuation_names_the_e_string_line() {
    let error = split_statements("SELECT E'a'\n'b\\';").unwrap_err();
    assert_eq!(error, SplitError::UnterminatedEscapeString { line: 1 });
}

#[test]
fn identifier_ending_in_e_does_not_start_an_escape_string() {
    // `type'…'` is a typed literal, not E'…': the backslash is literal.
    assert_eq!(
        texts(r"SELECT type'\'; SELECT 2"),
        [r"SELECT type'\'", "SELECT 2"]
    );
}

#[test]
fn semicolon_inside_double_quoted_identifier_does_not_split() {
    assert_eq!(
        texts(r#"CREATE TABLE "a;b" ("x"";y" int); SELECT 1"#),
        [r#"CREATE TABLE "a;b" ("x"";y" int)"#, "SELECT 1"]
    );
}

#[test]
fn single_quote_inside_double_quoted_identifier_is_not_a_string() {
    assert_eq!(
        texts(r#"SELECT 1 AS "it's"; SELECT 2"#),
        [r#"SELECT 1 AS "it's""#, "SELECT 2"]
    );
}

#[test]
fn semicolon_inside_dollar_quoted_body_does_not_split() {
    let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2;";
    assert_eq!(
        texts(sql),
        [
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
            "SELECT 2"
        ]
    );
}

#[test]
fn tagged_dollar_quote_ends_only_at_the_same_tag() {
    let sql = "DO $body$ BEGIN PERFORM $$;$$; RAISE NOTICE 'x;'; END $body$; SELECT 2";
    assert_eq!(
        texts(sql),
        [
            "DO $body$ BEGIN PERFORM $$;$$; RAISE NOTICE 'x;'; END $body$",
            "SELECT 2"
        ]
    );
}

#[test]
fn quotes_and_comments_inside_dollar_body_are_plain_text() {
    let sql = "DO $$ -- it's\n /* ; */ ' \" $$; SELECT 2";
    assert_eq!(texts(sql), ["DO $$ -- it's\n /* ; */ ' \" $$", "SELECT 2"]);
}

#[test]
fn dollar_tags_are_case_sensitive() {
    let sql = "SELECT $a$ x $A$ ; $a$; SELECT 2";
    assert_eq!(texts(sql), ["SELECT $a$ x $A$ ; $a$", "SELECT 2"]);
}

#[test]
fn dollar_tag_may_hold_underscores_digits_and_non_ascii_letters() {
    let sql = "SELECT $_t9$;$_t9$, $été$;$été$; SELECT 2";
    assert_eq!(texts(sql), ["SELECT $_t9$;$_t9$, $été$;$été$", "SELECT 2"]);
}

#[test]
fn positional_parameter_is_not_a_dollar_quote() {
    assert_eq!(
        texts("PREPARE p AS SELECT $1; EXECUTE p(1);"),
        ["PREPARE p AS SELECT $1", "EXECUTE p(1)"]
    );
}

#[test]
fn dollar_tag_cannot_start_with_a_digit() {
    assert_eq!(texts("SELECT $1$; SELECT 2"), ["SELECT $1$", "SELECT 2"]);
}

#[test]
fn dollars_inside_an_identifier_do_not_start_a_dollar_quote() {
    assert_eq!(texts("SELECT a$$b; SELECT 2"), ["SELECT a$$b", "SELECT 2"]);
}

#[test]
fn semicolon_inside_line_comment_does_not_split() {
    assert_eq!(
        texts("SELECT 1 -- a; b\n + 1; SELECT 2"),
        ["SELECT 1 -- a; b\n + 1", "SELECT 2"]
    );
}

#[test]
fn quote_inside_line_comment_does_not_open_a_string() {
    assert_eq!(
        texts("SELECT 1; -- don't\nSELECT 2;"),
        ["SELECT 1", "SELECT 2"]
    );
}

#[test]
fn line_comment_at_end_of_input_needs_no_newline() {
    assert_eq!(texts("SELECT 1; -- done"), ["SELECT 1"]);
}

#[test]
fn semicolon_inside_nested_block_comment_does_not_split() {
    let sql = "SELECT /* outer /* inner; */ still; comment */ 1; SELECT 2";
    assert_eq!(
        texts(sql),
        [
            "SELECT /* outer /* inner; */ still; comment */ 1",
            "SELECT 2"
        ]
    );
}

#[test]
fn quote_inside_block_comment_does_not_open_a_string() {
    assert_eq!(
        texts("/* it's */ SELECT 1; SELECT 2"),
        ["SELECT 1", "SELECT 2"]
    );
}

#[test]
fn comment_markers_inside_strings_are_plain_text() {
    assert_eq!(
        texts("SELECT '--', '/*'; SELECT 2"),
        ["SELECT '--', '/*'", "SELECT 2"]
    );
}

#[test]
fn semicolon_inside_parentheses_does_not_split_as_in_psql() {
    assert_eq!(
        texts("SELECT (1; 2); SELECT 3"),
        ["SELECT (1; 2)", "SELECT 3"]
    );
}

#[test]
fn stray_closing_parenthesis_does_not_hide_later_semicolons() {
    assert_eq!(texts("SELECT 1); SELECT 2"), ["SELECT 1)", "SELECT 2"]);
}

#[test]
fn begin_atomic_function_body_stays_in_one_statement() {
    let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 1 END;\nEND;\nSELECT 2;";
    let statements = split_statements(sql).unwrap();
    assert_eq!(statements.len(), 2);
    assert!(statements[0].text.ends_with("END"));
    assert_eq!(statements[1].text, "SELECT 2");
}

#[test]
fn create_or_replace_procedure_with_begin_atomic_stays_in_one_statement() {
    let sql =
        "create or replace procedure p() begin atomic insert into t values (1); end; select 2";
    assert_eq!(
        texts(sql),
        [
            "create or replace procedure p() begin atomic insert into t values (1); end",
            "select 2"
        ]
    );
}

#[test]
fn transaction_begin_does_not_hold_back_the_split() {
    assert_eq!(
        texts("BEGIN; INSERT INTO t VALUES (1); COMMIT;"),
        ["BEGIN", "INSERT INTO t VALUES (1)", "COMMIT"]
    );
}

#[test]
fn create_table_with_begin_column_does_not_hold_back_the_split() {
    assert_eq!(
        texts("CREATE TABLE t (begin int); SELECT 1"),
        ["CREATE TABLE t (begin int)", "SELECT 1"]
    );
}

#[test]
fn leading_byte_order_mark_is_ignored() {
    assert_eq!(texts("\u{feff}SELECT 1;"), ["SELECT 1"]);
}

#[test]
fn non_ascii_text_is_kept_intact() {
    assert_eq!(
        texts("INSERT INTO t VALUES ('héllo; wörld', \"naïve\"); SELECT 'ü'"),
        [
            "INSERT INTO t VALUES ('héllo; wörld', \"naïve\")",
            "SELECT 'ü'"
        ]
    );
}

#[test]
fn unterminated_single_quoted_string_names_its_starting_line() {
    let error = split_statements("SELECT 1;\nSELECT 'oops;\nSELECT 2;").unwrap_err();
    assert_eq!(error, SplitError::UnterminatedString { line: 2 });
    assert_eq!(error.line(), 2);
}

#[test]
fn unterminated_e_string_names_its_starting_line() {
    let error = split_statements("\n\nSELECT E'\\';").unwrap_err();
    assert_eq!(error, SplitError::UnterminatedEscapeString { line: 3 });
}

#[test]
fn unterminated_quoted_identifier_names_its_starting_line() {
    let error = split_statements("SELECT \"a").unwrap_err();
    assert_eq!(error, SplitError::UnterminatedQuotedIdentifier { line: 1 });
}

#[test]
fn unterminated_dollar_quote_names_its_tag_and_starting_line() {
    let error = split_statements("SELECT 1;\n\nDO $fn$ BEGIN END $$;").unwrap_err();
    assert_eq!(
        error,
        SplitError::UnterminatedDollarQuote {
            tag: "fn".into(),
            line: 3
        }
    );
    assert_eq!(
        error.to_string(),
        "unterminated dollar-quoted body $fn$ starting on line 3"
    );
}

#[test]
fn unterminated_nested_block_comment_names_its_starting_line() {
    let error = split_statements("SELECT 1;\n/* a /* b */\nSELECT 2;").unwrap_err();
    assert_eq!(error, SplitError::UnterminatedBlockComment { line: 2 });
}

#[test]
fn error_messages_name_the_construct_and_line() {
    assert_eq!(
        SplitError::UnterminatedString { line: 4 }.to_string(),
        "unterminated quoted string starting on line 4"
    );
    assert_eq!(
        SplitError::UnterminatedBlockComment { line: 1 }.to_string(),
        "unterminated /* comment starting on line 1"
    );
}

#[test]
fn lone_quote_characters_at_the_end_of_input_are_errors_not_panics() {
    for sql in [
        "'", "E'", "e'\\", "\"", "$$", "$a$", "/*", "/*/", "$", "-", "/", "E", "\u{feff}",
    ] {
        let _ = split_statements(sql);
    }
}

#[test]
fn statements_serialize_with_camel_case_fields() {
    let statement = Statement {
        number: 1,
        line: 2,
        text: "SELECT 1".into(),
    };
    let json = serde_json::to_string(&statement).unwrap();
    assert_eq!(json, r#"{"number":1,"line":2,"text":"SELECT 1"}"#);
}

#[test]
fn first_line_of_a_huge_statement_is_capped_at_a_character_boundary() {
    let text = format!("SELECT '{}'", "é".repeat(1_000));
    let statements = split_statements(&text).unwrap();
    let first = statements[0].first_line();
    assert!(first.len() <= super::FIRST_LINE_MAX && first.len() > super::FIRST_LINE_MAX - 2);
    assert!(text.starts_with(first));
}
