use super::*;

fn env(text: &str) -> DotEnv {
    DotEnv::parse(text)
}

fn merged(text: &str, additions: &[Addition]) -> String {
    env(text).merge(additions).expect("merges")
}

// --- reading ---------------------------------------------------------------------------

#[test]
fn plain_assignments_are_read() {
    let e = env("A=1\nB=two words\n");
    assert_eq!(e.get("A"), Some("1"));
    assert_eq!(e.get("B"), Some("two words"));
    assert_eq!(e.get("C"), None);
}

#[test]
fn spaces_around_the_equals_sign_and_value_are_trimmed() {
    let e = env("  A  =   spaced out   \n");
    assert_eq!(e.get("A"), Some("spaced out"));
}

#[test]
fn export_prefix_is_recognised_and_remembered() {
    let e = env("export DATABASE_URL=postgres://x\n");
    assert!(e.contains("DATABASE_URL"));
    assert!(e.entries()[0].exported);
    assert!(!e.contains("export"));
}

#[test]
fn a_key_named_export_is_still_a_key() {
    assert_eq!(env("export=1\n").get("export"), Some("1"));
    assert_eq!(env("export =1\n").get("export"), Some("1"));
}

#[test]
fn colon_separator_is_recognised_as_dotenv_does() {
    assert_eq!(env("A: 1\n").get("A"), Some("1"));
    assert!(!env("A:1\n").contains("A"));
}

#[test]
fn a_colon_before_a_crlf_is_not_an_assignment_as_before_a_lf() {
    assert!(env("a:\r\nB=1\r\n").get("a").is_none());
    assert!(env("a:\nB=1\n").get("a").is_none());
    let out = merged("\r\na:", &[Addition::new("NEW_A", "")]);
    assert_eq!(out, "\r\na:\r\n\r\nNEW_A=");
}

#[test]
fn keys_may_hold_dots_and_dashes() {
    assert_eq!(env("my.key-1=x\n").get("my.key-1"), Some("x"));
}

#[test]
fn empty_value_still_counts_as_set() {
    let e = env("EMPTY=\nALSO_EMPTY=''\n");
    assert!(e.contains("EMPTY"));
    assert_eq!(e.get("EMPTY"), Some(""));
    assert_eq!(e.get("ALSO_EMPTY"), Some(""));
}

#[test]
fn comment_lines_and_commented_out_keys_are_ignored() {
    let e = env("# DATABASE_URL=old\n  #B=2\n\nC=3\n");
    assert!(!e.contains("DATABASE_URL"));
    assert!(!e.contains("B"));
    assert_eq!(e.get("C"), Some("3"));
}

#[test]
fn hash_ends_an_unquoted_value() {
    assert_eq!(env("A=abc # note\n").get("A"), Some("abc"));
    assert_eq!(env("A=abc#note\n").get("A"), Some("abc"));
}

#[test]
fn quoted_values_keep_hashes_and_spaces() {
    let e = env("A='  # not a comment '\nB=\"x # y\" # comment\nC=`a'b\"c`\n");
    assert_eq!(e.get("A"), Some("  # not a comment "));
    assert_eq!(e.get("B"), Some("x # y"));
    assert_eq!(e.get("C"), Some("a'b\"c"));
    assert_eq!(e.entries()[0].quote, Some(Quote::Single));
    assert_eq!(e.entries()[1].quote, Some(Quote::Double));
    assert_eq!(e.entries()[2].quote, Some(Quote::Backtick));
}

#[test]
fn double_quoted_values_expand_newline_escapes_only() {
    let e = env(r#"A="line1\nline2\r\t\\x""#);
    assert_eq!(e.get("A"), Some("line1\nline2\r\\t\\\\x"));
}

#[test]
fn single_quoted_values_are_literal() {
    assert_eq!(env(r"A='a\nb'").get("A"), Some(r"a\nb"));
}

#[test]
fn quoted_value_may_span_lines_and_hides_keys_inside_it() {
    let text = "CERT=\"-----BEGIN\nDATABASE_URL=inside\n-----END\"\nAFTER=1\n";
    let e = env(text);
    assert_eq!(
        e.get("CERT"),
        Some("-----BEGIN\nDATABASE_URL=inside\n-----END")
    );
    assert!(!e.contains("DATABASE_URL"));
    assert_eq!(e.entries()[1].line, 4);
}

#[test]
fn unclosed_quote_reads_as_an_unquoted_value_on_its_line() {
    let e = env("A=\"abc\nB=2\n");
    assert_eq!(e.get("A"), Some("\"abc"));
    assert_eq!(e.get("B"), Some("2"));
}

#[test]
fn text_after_a_closing_quote_makes_the_value_unquoted() {
    let e = env("A='x' y\nB=\"p\" \"q\"\n");
    assert_eq!(e.get("A"), Some("'x' y"));
    assert_eq!(e.get("B"), Some("p\" \"q"));
}

#[test]
fn backslash_escaped_quote_does_not_close_a_value() {
    assert_eq!(env(r#"A="say \"hi\"""#).get("A"), Some(r#"say \"hi\""#));
}

#[test]
fn crlf_line_endings_are_not_part_of_values() {
    let e = env("A=1\r\nB='2'\r\nC=\"3\" # c\r\n");
    assert_eq!(
        (e.get("A"), e.get("B"), e.get("C")),
        (Some("1"), Some("2"), Some("3"))
    );
}

#[test]
fn last_assignment_of_a_repeated_key_wins() {
    let e = env("A=first\nA=second\n");
    assert_eq!(e.get("A"), Some("second"));
    assert_eq!(e.entries().len(), 2);
}

#[test]
fn lines_that_are_not_assignments_are_ignored() {
    let e = env("just words\n=novalue\nA B=1\nOK=yes\n");
    assert_eq!(e.entries().len(), 1);
    assert_eq!(e.get("OK"), Some("yes"));
}

#[test]
fn entries_record_their_line_numbers() {
    let e = env("# c\n\nA=1\r\nB=2");
    let lines: Vec<usize> = e.entries().iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4]);
}

#[test]
fn line_ending_follows_the_file() {
    assert_eq!(env("A=1\r\nB=2\r\n").line_ending(), LineEnding::CrLf);
    assert_eq!(env("A=1\nB=2\n").line_ending(), LineEnding::Lf);
    assert_eq!(env("").line_ending(), LineEnding::Lf);
    assert_eq!(env("A=1\r\nB=2\nC=3\r\n").line_ending(), LineEnding::CrLf);
}

#[test]
fn odd_text_does_not_panic() {
    for text in [
        "=", "'", "A='", "A=\"\\", "export", "export ", "A:", "A: '", "\r", "é=1", "A=é'é'",
        "A=\"\\\"", "`",
    ] {
        let e = env(text);
        let _ = e.merge(&[Addition::new("NEW", "v")]);
    }
}

#[test]
fn many_unclosed_quotes_are_read_in_linear_time() {
    let text = "A=\"x\n".repeat(50_000) + "B=\"y\" " + &"junk ".repeat(50_000) + "\n";
    let started = std::time::Instant::now();
    let e = env(&text);
    assert_eq!(e.entries().len(), 50_001);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

// --- merging ---------------------------------------------------------------------------

#[test]
fn merge_appends_after_a_blank_line_and_keeps_every_existing_byte() {
    let text = "# app settings\nexport API='x y' # quoted\n\nPORT=3000\n";
    let out = merged(text, &[Addition::new("DATABASE_URL", "postgres://u@h/db")]);
    assert_eq!(out, format!("{text}\nDATABASE_URL=postgres://u@h/db\n"));
}

#[test]
fn merge_into_an_empty_file_writes_only_the_new_lines() {
    assert_eq!(
        merged("", &[Addition::new("A", "1"), Addition::new("B", "2")]),
        "A=1\nB=2\n"
    );
}

#[test]
fn merge_adds_no_second_blank_line_when_the_file_ends_with_one() {
    assert_eq!(
        merged("A=1\n\n", &[Addition::new("B", "2")]),
        "A=1\n\nB=2\n"
    );
}

#[test]
fn merge_keeps_crlf_line_endings_for_added_lines() {
    let out = merged("A=1\r\n", &[Addition::new("B", "2").with_comment("note")]);
    assert_eq!(out, "A=1\r\n\r\n# note\r\nB=2\r\n");
}

#[test]
fn merge_keeps_a_missing_final_newline_missing() {
    assert_eq!(
        merged("A=1", &[Addition::new("B", "2"), Addition::new("C", "3")]),
        "A=1\n\nB=2\nC=3"
    );
    assert_eq!(
        merged("A=1\r\nB=2", &[Addition::new("C", "3")]),
        "A=1\r\nB=2\r\n\r\nC=3"
    );
}

#[test]
fn merge_with_nothing_to_add_returns_the_text_unchanged() {
    assert_eq!(merged("A=1", &[]), "A=1");
}

#[test]
fn merge_writes_comment_lines_before_their_key() {
    let out = merged(
        "",
        &[Addition::new("A", "1")
            .with_comment("first\nsecond")
            .with_comment("")],
    );
    assert_eq!(out, "# first\n# second\n#\nA=1\n");
}

#[test]
fn merge_refuses_to_overwrite_an_existing_key() {
    let error = env("DATABASE_URL=old\n")
        .merge(&[Addition::new("DATABASE_URL", "new")])
        .unwrap_err();
    assert_eq!(
        error,
        DotEnvError::KeysExist {
            keys: vec!["DATABASE_URL".into()]
        }
    );
}

#[test]
fn merge_refuses_exported_and_empty_existing_keys_too() {
    let e = env("export A=1\nB=\n");
    let error = e
        .merge(&[
            Addition::new("A", "x"),
            Addition::new("C", "y"),
            Addition::new("B", "z"),
        ])
        .unwrap_err();
    assert_eq!(
        error,
        DotEnvError::KeysExist {
            keys: vec!["A".into(), "B".into()]
        }
    );
}

#[test]
fn commented_out_key_does_not_block_a_merge() {
    let out = merged(
        "# DATABASE_URL=old\n",
        &[Addition::new("DATABASE_URL", "new")],
    );
    assert_eq!(out, "# DATABASE_URL=old\n\nDATABASE_URL=new\n");
}

#[test]
fn conflict_message_lists_keys_and_the_three_ways_out() {
    let message = DotEnvError::KeysExist {
        keys: vec!["DATABASE_URL".into(), "DATABASE_URL_DIRECT".into()],
    }
    .to_string();
    assert!(
        message.contains("DATABASE_URL, DATABASE_URL_DIRECT are already set"),
        "{message}"
    );
    assert!(message.contains("remove or comment out the existing line"));
    assert!(message.contains("--env"));
    assert!(message.contains("--key"));
    let single = DotEnvError::KeysExist {
        keys: vec!["A".into()],
    }
    .to_string();
    assert!(single.starts_with("the key A is already set"), "{single}");
}

#[test]
fn merge_rejects_invalid_keys() {
    for key in ["", "1A", "A-B", "A B", "A=B", "É"] {
        let error = env("").merge(&[Addition::new(key, "v")]).unwrap_err();
        assert_eq!(error, DotEnvError::InvalidKey { key: key.into() });
    }
}

#[test]
fn merge_rejects_a_key_added_twice() {
    let error = env("")
        .merge(&[Addition::new("A", "1"), Addition::new("A", "2")])
        .unwrap_err();
    assert_eq!(error, DotEnvError::DuplicateKey { key: "A".into() });
}

#[test]
fn values_that_need_quotes_get_them_and_read_back_unchanged() {
    let values = [
        (
            "plain",
            "postgresql://u:p@h-pooler.x/db?sslmode=require&channel_binding=require",
            "postgresql://u:p@h-pooler.x/db?sslmode=require&channel_binding=require",
        ),
        ("spaces", "two words", "'two words'"),
        ("hash", "a#b", "'a#b'"),
        ("dollar", "pa$$word", "'pa$$word'"),
        ("edge spaces", " padded ", "' padded '"),
        ("single quote", "it's", "\"it's\""),
        ("newline", "line1\nline2", "\"line1\\nline2\""),
        ("backslash", r"C:\dir", r"'C:\dir'"),
        ("trailing backslash", r"end\", r"end\"),
        ("lone backslash", r"\", r"\"),
        ("both quotes", r#"it's "x""#, r#"`it's "x"`"#),
        ("quote and newline and backslash", "a\\\nb", "'a\\\nb'"),
        ("empty", "", ""),
        ("unicode", "héllo", "'héllo'"),
    ];
    for (name, value, written) in values {
        let out = merged("", &[Addition::new("K", value)]);
        assert_eq!(out, format!("K={written}\n"), "{name}");
        assert_eq!(env(&out).get("K"), Some(value), "{name}");
    }
}

#[test]
fn value_no_quoting_can_hold_is_refused_without_echoing_it() {
    let error = env("")
        .merge(&[Addition::new("K", "'\"`\nsecret")])
        .unwrap_err();
    assert_eq!(error, DotEnvError::UnrepresentableValue { key: "K".into() });
    assert!(!error.to_string().contains("secret"));
}

#[test]
fn a_value_ending_in_a_backslash_is_not_swallowed_by_a_later_quote() {
    // Written as `'\'`, the first value's closing quote would be escaped, and the `'` of
    // the next value would close it instead.
    let additions = [Addition::new("A", "\\"), Addition::new("B", "\\\n'\n")];
    let out = merged("", &additions);
    let read = env(&out);
    assert_eq!(read.get("A"), Some("\\"));
    assert_eq!(read.get("B"), Some("\\\n'\n"));
    // With what a bare value loses or changes (an edge space, `#`, a `\r` that `dotenv` reads
    // as a line break, a `$` that `dotenv-expand` expands) it has no form at all, and says so
    // rather than write a trap.
    for value in [" end\\", "a#b\\", "a\rb\\", "pa$\\"] {
        let error = env("").merge(&[Addition::new("K", value)]).unwrap_err();
        assert_eq!(error, DotEnvError::UnrepresentableValue { key: "K".into() }, "{value:?}");
    }
}

#[test]
fn merge_refuses_when_an_unclosed_quote_would_swallow_the_new_lines() {
    let error = env("A='open\n")
        .merge(&[Addition::new("B", "1").with_comment("x'")])
        .unwrap_err();
    assert_eq!(error, DotEnvError::WouldChangeExisting);
}

#[test]
fn merge_result_reads_back_with_old_and_new_keys() {
    let text = "export A=\"multi\nline\"\r\nB='b' # c\r\n";
    let out = merged(text, &[Addition::new("C", "c d")]);
    assert!(out.starts_with(text));
    let e = env(&out);
    assert_eq!(
        (e.get("A"), e.get("B"), e.get("C")),
        (Some("multi\nline"), Some("b"), Some("c d"))
    );
}
