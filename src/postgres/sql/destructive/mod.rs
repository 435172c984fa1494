//! Spots statements that destroy data, so that seeding can list them and ask before
//! running: `DROP …`, `TRUNCATE …`, `DELETE FROM …` without a `WHERE` clause, and
//! `ALTER TABLE … DROP [COLUMN] …`.
//!
//! Only tokens that carry meaning are looked at: keywords inside comments, strings,
//! quoted identifiers and dollar-quoted bodies (such as a `DO $$ … $$` block) are not
//! seen. Keywords match case-insensitively.

use std::fmt;

use serde::Serialize;

use super::lexer::{Lexer, Token, TokenKind};
use super::split::Statement;

/// Why a statement is destructive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DestructiveReason {
    /// A `DROP` statement; `object` is the kind of object dropped, upper-cased
    /// (`TABLE`, `MATERIALIZED VIEW`, …), empty when it could not be read.
    Drop {
        /// The dropped object's kind, e.g. `TABLE` or `SCHEMA`.
        object: String,
    },
    /// A `TRUNCATE` statement.
    Truncate,
    /// A `DELETE FROM` (at the top level, in a CTE or in a rule) with no `WHERE` of its own.
    DeleteWithoutWhere,
    /// An `ALTER TABLE` that drops a column.
    DropColumn,
}

impl fmt::Display for DestructiveReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DestructiveReason::Drop { object } if object.is_empty() => f.write_str("DROP"),
            DestructiveReason::Drop { object } => write!(f, "DROP {object}"),
            DestructiveReason::Truncate => f.write_str("TRUNCATE"),
            DestructiveReason::DeleteWithoutWhere => f.write_str("DELETE without WHERE"),
            DestructiveReason::DropColumn => f.write_str("ALTER TABLE … DROP COLUMN"),
        }
    }
}

/// A destructive statement of a script: where it is and why it is destructive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DestructiveStatement {
    /// The statement's 1-based number in the script.
    pub number: usize,
    /// The line on which the statement starts.
    pub line: usize,
    /// The statement's first line, to show the user.
    pub first_line: String,
    /// Every reason found, in order of appearance, without repeats.
    pub reasons: Vec<DestructiveReason>,
}

impl fmt::Display for DestructiveStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "statement {} on line {} (", self.number, self.line)?;
        for (i, reason) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{reason}")?;
        }
        write!(f, "): {}", self.first_line)
    }
}

/// The destructive statements among `statements`, in order.
pub fn destructive_statements(statements: &[Statement]) -> Vec<DestructiveStatement> {
    statements
        .iter()
        .filter_map(|statement| {
            let reasons = statement.destructive_reasons();
            (!reasons.is_empty()).then(|| DestructiveStatement {
                number: statement.number,
                line: statement.line,
                first_line: statement.first_line().to_string(),
                reasons,
            })
        })
        .collect()
}

impl Statement {
    /// Why this statement destroys data; empty when it does not.
    pub fn destructive_reasons(&self) -> Vec<DestructiveReason> {
        let sql = self.text.as_str();
        // A statement built by hand may hold an unterminated quote: look at what comes before it.
        let tokens: Vec<Token> = Lexer::new(sql).map_while(Result::ok).collect();
        let depths = nesting_depths(&tokens);
        let mut reasons = Vec::new();
        let mut add = |reason: DestructiveReason| {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        };

        if let Some((first, rest)) = tokens.split_first() {
            if first.is_keyword(sql, "DROP") {
                add(DestructiveReason::Drop {
                    object: dropped_object(sql, rest),
                });
            }
            if first.is_keyword(sql, "TRUNCATE") {
                add(DestructiveReason::Truncate);
            }
        }
        if alters_table(sql, &tokens) && drops_column(sql, &tokens, &depths) {
            add(DestructiveReason::DropColumn);
        }
        if has_delete_without_where(sql, &tokens, &depths) {
            add(DestructiveReason::DeleteWithoutWhere);
        }
        reasons
    }
}

/// The parenthesis depth each token sits at; a closing parenthesis sits at the outer depth.
fn nesting_depths(tokens: &[Token]) -> Vec<usize> {
    let mut depth = 0usize;
    tokens
        .iter()
        .map(|token| match token.kind {
            TokenKind::Punct(b'(') => {
                depth += 1;
                depth - 1
            }
            TokenKind::Punct(b')') => {
                depth = depth.saturating_sub(1);
                depth
            }
            _ => depth,
        })
        .collect()
}

/// Reads the object kind after `DROP`: one word, or two or three for the kinds spelled so
/// (`MATERIALIZED VIEW`, `FOREIGN DATA WRAPPER`, `TEXT SEARCH CONFIGURATION`, …).
fn dropped_object(sql: &str, rest: &[Token]) -> String {
    const LEADS: [&str; 11] = [
        "MATERIALIZED",
        "FOREIGN",
        "EVENT",
        "ACCESS",
        "TEXT",
        "SEARCH",
        "USER",
        "OWNED",
        "OPERATOR",
        "PROCEDURAL",
        "DATA",
    ];
    const FOLLOWS: [&str; 16] = [
        "VIEW",
        "TABLE",
        "DATA",
        "WRAPPER",
        "TRIGGER",
        "METHOD",
        "SEARCH",
        "CONFIGURATION",
        "DICTIONARY",
        "PARSER",
        "TEMPLATE",
        "MAPPING",
        "BY",
        "CLASS",
        "FAMILY",
        "LANGUAGE",
    ];
    let mut words: Vec<String> = Vec::new();
    for token in rest.iter().take(4) {
        if token.kind != TokenKind::Word {
            break;
        }
        let word = token.text(sql).to_ascii_uppercase();
        let continues = match words.last() {
            None => true,
            Some(previous) => {
                LEADS.contains(&previous.as_str()) && FOLLOWS.contains(&word.as_str())
            }
        };
        if !continues {
            break;
        }
        words.push(word);
    }
    crate::core::text::join(&words, " ")
}

fn alters_table(sql: &str, tokens: &[Token]) -> bool {
    let keyword = |i: usize, k: &str| tokens.get(i).is_some_and(|t| t.is_keyword(sql, k));
    keyword(0, "ALTER") && (keyword(1, "TABLE") || (keyword(1, "FOREIGN") && keyword(2, "TABLE")))
}

/// Whether a top-level `DROP` in an `ALTER TABLE` removes a column (rather than a
/// constraint, or a column's default, `NOT NULL`, identity or generation expression).
fn drops_column(sql: &str, tokens: &[Token], depths: &[usize]) -> bool {
    const KEEPS_DATA: [&str; 5] = ["CONSTRAINT", "DEFAULT", "NOT", "IDENTITY", "EXPRESSION"];
    tokens.iter().enumerate().any(|(i, token)| {
        depths.get(i) == Some(&0)
            && token.is_keyword(sql, "DROP")
            && !tokens
                .get(i + 1)
                .is_some_and(|next| KEEPS_DATA.iter().any(|k| next.is_keyword(sql, k)))
    })
}

/// Whether `DELETE FROM` starts at token `i` (and is not a column named `delete`).
fn starts_delete(sql: &str, tokens: &[Token], i: usize) -> bool {
    const NOT_A_STATEMENT_AFTER: [&str; 4] = ["SELECT", "DISTINCT", "ALL", "AS"];
    let is_delete = tokens.get(i).is_some_and(|t| t.is_keyword(sql, "DELETE"))
        && tokens.get(i + 1).is_some_and(|t| t.is_keyword(sql, "FROM"));
    let previous = i.checked_sub(1).and_then(|p| tokens.get(p));
    let names_a_column = previous.is_some_and(|p| {
        p.is_punct(b',')
            || p.is_punct(b'.')
            || NOT_A_STATEMENT_AFTER.iter().any(|k| p.is_keyword(sql, k))
    });
    is_delete && !names_a_column
}

/// Whether some `DELETE FROM` lacks a `WHERE` at its own level. A `DELETE`'s clause
/// ends at its `RETURNING`, at the `)` closing the CTE or rule body holding it, at a `;`
/// (rule and `BEGIN ATOMIC` bodies), or at the next `DELETE` at its level; a `WHERE`
/// inside a deeper subquery (of its `USING` list, say) does not count.
///
/// One pass with a stack of the `DELETE`s still waiting for their `WHERE`, one per depth,
/// so that hostile input cannot make this quadratic.
fn has_delete_without_where(sql: &str, tokens: &[Token], depths: &[usize]) -> bool {
    let mut waiting: Vec<usize> = Vec::new();
    for (i, (token, &depth)) in tokens.iter().zip(depths).enumerate() {
        if waiting.last().is_some_and(|&d| d > depth) {
            return true; // left the parentheses of a DELETE that never had a WHERE
        }
        let waiting_here = waiting.last() == Some(&depth);
        if starts_delete(sql, tokens, i) {
            if waiting_here {
                return true;
            }
            waiting.push(depth);
        } else if waiting_here {
            if token.is_keyword(sql, "WHERE") {
                waiting.pop();
            } else if token.is_keyword(sql, "RETURNING") || token.is_punct(b';') {
                return true;
            }
        }
    }
    !waiting.is_empty()
}

#[cfg(test)]
mod tests;
