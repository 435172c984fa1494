use super::claimable::format_utc_date;
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

// --- the claimable block ---------------------------------------------------------------

const POOLED: &str = "postgresql://o:p@ep-a-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require";
const DIRECT: &str = "postgresql://o:p@ep-a.us-east-2.aws.neon.tech/neondb?sslmode=require";
const CLAIM: &str = "https://neon.new/claim/019beb39-37fb-709d-87ac-7ad6198b89f7";

fn block() -> ClaimableEnv {
    ClaimableEnv::new(POOLED, DIRECT, "2026-01-26T14:19:14.580Z", CLAIM)
}

#[test]
fn claimable_block_matches_what_neon_new_writes() {
    let out = block().merge_into(&env("")).unwrap();
    assert_eq!(
        out,
        format!(
            "DATABASE_URL={POOLED}\nDATABASE_URL_DIRECT={DIRECT}\n# Claimable DB expires at: Mon, 26 Jan 2026 14:19:14 GMT\n# Claim it now to your account using the link below:\nPUBLIC_POSTGRES_CLAIM_URL={CLAIM}\n"
        )
    );
}

#[test]
fn claimable_block_uses_the_chosen_key_and_prefix() {
    let b = block().with_key("NEON_URL").with_prefix("VITE_");
    assert_eq!(
        (b.key(), b.direct_key(), b.claim_url_key()),
        (
            "NEON_URL",
            "NEON_URL_DIRECT".into(),
            "VITE_POSTGRES_CLAIM_URL".into()
        )
    );
    let e = env(&b.merge_into(&env("OTHER=1\n")).unwrap());
    assert_eq!(e.get("NEON_URL"), Some(POOLED));
    assert_eq!(e.get("NEON_URL_DIRECT"), Some(DIRECT));
    assert_eq!(e.get("VITE_POSTGRES_CLAIM_URL"), Some(CLAIM));
}

#[test]
fn claim_url_is_found_again_under_the_prefixed_key() {
    let out = block()
        .with_prefix("NEXT_PUBLIC_")
        .merge_into(&env(""))
        .unwrap();
    assert_eq!(env(&out).get(&claim_url_key("NEXT_PUBLIC_")), Some(CLAIM));
    assert_eq!(claim_url_key(DEFAULT_PREFIX), "PUBLIC_POSTGRES_CLAIM_URL");
}

#[test]
fn claimable_block_with_an_empty_prefix_writes_postgres_claim_url() {
    assert_eq!(
        block().with_prefix("").claim_url_key(),
        "POSTGRES_CLAIM_URL"
    );
}

#[test]
fn claimable_block_is_refused_when_any_of_its_keys_exists() {
    let error = block()
        .merge_into(&env("DATABASE_URL_DIRECT=x\n"))
        .unwrap_err();
    assert_eq!(
        error,
        DotEnvError::KeysExist {
            keys: vec!["DATABASE_URL_DIRECT".into()]
        }
    );
}

#[test]
fn claimable_block_keeps_a_crlf_file_crlf() {
    let out = block().merge_into(&env("A=1\r\n")).unwrap();
    assert!(out.starts_with("A=1\r\n\r\nDATABASE_URL="));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
}

#[test]
fn claimable_block_writes_an_unparseable_expiry_as_given() {
    let out = ClaimableEnv::new(POOLED, DIRECT, "in 72 hours", CLAIM)
        .merge_into(&env(""))
        .unwrap();
    assert!(out.contains("# Claimable DB expires at: in 72 hours\n"));
}

#[test]
fn claimable_block_cannot_inject_lines_through_the_expiry() {
    let out = ClaimableEnv::new(POOLED, DIRECT, "soon\nDATABASE_URL=evil", CLAIM)
        .merge_into(&env(""))
        .unwrap();
    assert!(out.contains("# Claimable DB expires at: soon\n# DATABASE_URL=evil\n"));
    assert_eq!(env(&out).get("DATABASE_URL"), Some(POOLED));
}

#[test]
fn expiry_is_formatted_as_a_utc_date() {
    assert_eq!(
        format_utc_date("2026-02-01T12:00:00Z").as_deref(),
        Some("Sun, 01 Feb 2026 12:00:00 GMT")
    );
    assert_eq!(
        format_utc_date("1970-01-01T00:00:00Z").as_deref(),
        Some("Thu, 01 Jan 1970 00:00:00 GMT")
    );
    assert_eq!(
        format_utc_date("2024-02-29 23:59:59.999999z").as_deref(),
        Some("Thu, 29 Feb 2024 23:59:59 GMT")
    );
}

#[test]
fn expiry_offsets_are_converted_to_utc_across_days_and_years() {
    assert_eq!(
        format_utc_date("2025-12-31T22:30:00-02:00").as_deref(),
        Some("Thu, 01 Jan 2026 00:30:00 GMT")
    );
    assert_eq!(
        format_utc_date("2026-03-01T01:00:00+05:30").as_deref(),
        Some("Sat, 28 Feb 2026 19:30:00 GMT")
    );
}

#[test]
fn invalid_expiry_timestamps_are_not_formatted() {
    for s in [
        "",
        "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+5:00",
        "2026-01-01T00:00:00.Z",
        "２０２６-01-01T00:00:00Z",
        "2026-01-01T00:00:00Zjunk",
    ] {
        assert_eq!(format_utc_date(s), None, "{s}");
    }
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
fn a_colon_before_a_crlf_is_not_an_assignment_as_before_a_lf() {
    assert!(env("a:\r\nB=1\r\n").get("a").is_none());
    assert!(env("a:\nB=1\n").get("a").is_none());
    let out = merged("\r\na:", &[Addition::new("NEW_A", "")]);
    assert_eq!(out, "\r\na:\r\n\r\nNEW_A=");
}
