//! The SQL lexer and splitter, destructive-statement detection and seed plans. Nothing may
//! panic; split statements joined with `;` split again into the same statements.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_edge::sql::{destructive_statements, split_statements, SeedPlan};

fuzz_target!(|data: &[u8]| {
    let Ok(script) = std::str::from_utf8(data) else { return };
    let _ = SeedPlan::parse(script);
    let Ok(statements) = split_statements(script) else { return };
    for (i, statement) in statements.iter().enumerate() {
        assert_eq!(statement.number, i + 1);
        assert!(!statement.text.is_empty() && script.contains(&statement.text));
        let _ = statement.first_line();
    }
    for flagged in destructive_statements(&statements) {
        assert!(!flagged.reasons.is_empty());
        assert!(statements.iter().any(|s| s.number == flagged.number && s.line == flagged.line));
    }

    // After a line break: a statement may start with U+FEFF, which at the very start of a
    // script is a byte-order mark and skipped.
    let joined = format!("\n{}", statements.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(";\n"));
    let again = split_statements(&joined).unwrap_or_else(|e| panic!("re-splitting {joined:?}: {e}"));
    let texts = |list: &[neon_edge::sql::Statement]| list.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&again), texts(&statements), "joined as {joined:?}");
});
