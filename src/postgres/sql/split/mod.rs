//! Splits a SQL script (a seed file) into statements at top-level semicolons.
//!
//! Semicolons inside single-quoted strings (`''` escapes), `E''` strings (backslash
//! escapes), double-quoted identifiers, dollar-quoted bodies (`$$`, `$tag$`), `--` line
//! comments and nested `/* */` block comments do not split. Like `psql`, a semicolon
//! inside parentheses, or inside the `BEGIN ATOMIC … END` body of a
//! `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, does not split either.
//!
//! Scripts are read as `psql` reads them with `standard_conforming_strings` on (the
//! default since PostgreSQL 9.1): backslashes are escapes only in `E''` strings.

use std::fmt;

use serde::Serialize;

use super::lexer::{Lexer, Token, TokenKind};

/// One statement of a script, without its terminating semicolon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// Position of the statement in the script, starting at 1 (empty statements are not counted).
    pub number: usize,
    /// Line of the script (1-based) on which the statement's first token stands.
    pub line: usize,
    /// The statement's text, from its first token to its last; comments before and after
    /// it are left out, comments inside it are kept.
    pub text: String,
}

/// The longest first line [`Statement::first_line`] gives, in bytes.
pub const FIRST_LINE_MAX: usize = 200;

impl Statement {
    /// The first line of the statement's text, for progress and error messages: at most
    /// [`FIRST_LINE_MAX`] bytes (cut at a character boundary), so that a huge one-line
    /// statement does not make every message that names it as large.
    pub fn first_line(&self) -> &str {
        let line = self.text.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut end = line.len().min(FIRST_LINE_MAX);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        line.get(..end).unwrap_or(line)
    }
}

/// Why a script could not be split: a construct opened and never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A `'…'` string constant has no closing quote.
    UnterminatedString {
        /// Line on which the string starts.
        line: usize,
    },
    /// An `E'…'` string constant has no closing quote.
    UnterminatedEscapeString {
        /// Line on which the string starts.
        line: usize,
    },
    /// A `"…"` quoted identifier has no closing quote.
    UnterminatedQuotedIdentifier {
        /// Line on which the identifier starts.
        line: usize,
    },
    /// A dollar-quoted body (`$$…$$` or `$tag$…$tag$`) has no closing delimiter.
    UnterminatedDollarQuote {
        /// The tag between the dollars (empty for `$$`).
        tag: String,
        /// Line on which the body starts.
        line: usize,
    },
    /// A `/* … */` comment (nesting counted) is not closed.
    UnterminatedBlockComment {
        /// Line on which the comment starts.
        line: usize,
    },
}

impl SplitError {
    /// The stable name of this cause, `"invalid_script"` (`error.reason` in JS).
    pub fn reason(&self) -> &'static str {
        "invalid_script"
    }

    /// The 1-based line on which the unterminated construct starts.
    pub fn line(&self) -> usize {
        match self {
            SplitError::UnterminatedString { line }
            | SplitError::UnterminatedEscapeString { line }
            | SplitError::UnterminatedQuotedIdentifier { line }
            | SplitError::UnterminatedDollarQuote { line, .. }
            | SplitError::UnterminatedBlockComment { line } => *line,
        }
    }
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::UnterminatedString { line } => {
                write!(f, "unterminated quoted string starting on line {line}")
            }
            SplitError::UnterminatedEscapeString { line } => {
                write!(f, "unterminated E'' string starting on line {line}")
            }
            SplitError::UnterminatedQuotedIdentifier { line } => {
                write!(f, "unterminated quoted identifier starting on line {line}")
            }
            SplitError::UnterminatedDollarQuote { tag, line } => {
                write!(
                    f,
                    "unterminated dollar-quoted body ${tag}$ starting on line {line}"
                )
            }
            SplitError::UnterminatedBlockComment { line } => {
                write!(f, "unterminated /* comment starting on line {line}")
            }
        }
    }
}

impl std::error::Error for SplitError {}

/// Splits `sql` into its statements, in order. Empty statements and chunks holding only
/// comments are dropped; a final statement without a semicolon is kept.
pub fn split_statements(sql: &str) -> Result<Vec<Statement>, SplitError> {
    let mut statements = Vec::new();
    let mut current = Pending::default();
    for token in Lexer::new(sql) {
        let token = token?;
        if token.is_punct(b';') && current.ends_at_semicolon() {
            current.finish(sql, &mut statements);
            continue;
        }
        current.push(sql, token);
    }
    current.finish(sql, &mut statements);
    Ok(statements)
}

/// The statement being collected, with the nesting `psql` tracks to decide whether a
/// semicolon ends it.
#[derive(Default)]
struct Pending {
    first: Option<Token>,
    last: Option<Token>,
    paren_depth: usize,
    begin_depth: usize,
    /// `psql`'s record of the statement's first four words, kept only when they are one of
    /// `create`, `or`, `replace`, `function`, `procedure` (by first letter), to recognise
    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE` bodies written with `BEGIN ATOMIC`.
    leading_words: [u8; 4],
    word_count: usize,
}

impl Pending {
    fn ends_at_semicolon(&self) -> bool {
        self.paren_depth == 0 && self.begin_depth == 0
    }

    fn push(&mut self, sql: &str, token: Token) {
        if self.first.is_none() {
            self.first = Some(token);
        }
        self.last = Some(token);
        match token.kind {
            TokenKind::Punct(b'(') => self.paren_depth += 1,
            TokenKind::Punct(b')') => self.paren_depth = self.paren_depth.saturating_sub(1),
            TokenKind::Word => self.track_word(token.text(sql)),
            _ => {}
        }
    }

    fn track_word(&mut self, word: &str) {
        const TRACKED: [&str; 5] = ["create", "function", "procedure", "or", "replace"];
        if TRACKED.iter().any(|t| word.eq_ignore_ascii_case(t)) {
            if let (Some(slot), Some(first)) = (
                self.leading_words.get_mut(self.word_count),
                word.bytes().next(),
            ) {
                *slot = first.to_ascii_lowercase();
            }
        }
        self.word_count = self.word_count.saturating_add(1);

        let w = &self.leading_words;
        let defines_routine = w[0] == b'c'
            && (w[1] == b'f'
                || w[1] == b'p'
                || (w[1] == b'o' && w[2] == b'r' && (w[3] == b'f' || w[3] == b'p')));
        if !defines_routine || self.paren_depth != 0 {
            return;
        }
        if word.eq_ignore_ascii_case("begin") {
            self.begin_depth += 1;
        } else if word.eq_ignore_ascii_case("case") {
            // CASE also closes with END; it only matters once inside a BEGIN.
            if self.begin_depth > 0 {
                self.begin_depth += 1;
            }
        } else if word.eq_ignore_ascii_case("end") {
            self.begin_depth = self.begin_depth.saturating_sub(1);
        }
    }

    fn finish(&mut self, sql: &str, statements: &mut Vec<Statement>) {
        let pending = std::mem::take(self);
        if let (Some(first), Some(last)) = (pending.first, pending.last) {
            statements.push(Statement {
                number: statements.len() + 1,
                line: first.line,
                text: sql.get(first.start..last.end).unwrap_or("").to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests;
