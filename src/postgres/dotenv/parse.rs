//! Reads `KEY=value` assignments out of .env text the way the `dotenv` npm package
//! (v16, which Node tools and Vite use) does, so that "is this key already set?" gets
//! the answer those tools would give.
//!
//! Rules followed: an optional `export ` prefix; keys of `[A-Za-z0-9_.-]`; `=` (spaces
//! allowed around it) or `: ` as separator; values in `'…'`, `"…"` or `` `…` `` may span
//! lines, and a closing quote must be followed only by spaces or a `# comment`; in
//! double quotes `\n` and `\r` become line breaks; an unquoted value ends at `#` and is
//! trimmed; lines that are not assignments are ignored.

use std::cell::Cell;

use super::{Entry, Quote};

/// Parses every assignment in `text`, in order of appearance.
pub(super) fn parse_entries(text: &str) -> Vec<Entry> {
    let closers = Closers::new(text);
    let mut entries = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while pos < text.len() {
        let (entry, next) = match parse_assignment(text, &closers, pos) {
            Some((mut entry, end)) => {
                entry.line = line;
                (Some(entry), next_line_start(text, end))
            }
            None => (None, next_line_start(text, pos)),
        };
        entries.extend(entry);
        line += text
            .get(pos..next)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
        pos = next;
    }
    entries
}

/// The offset just past the line break ending the line that contains `pos` (or the end).
fn next_line_start(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| pos + i + 1)
}

/// The end of the line holding `pos`, before its `\n` (a `\r` before it is left in).
fn line_end(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| pos + i)
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

fn is_inline_space(c: char) -> bool {
    c.is_whitespace() && c != '\n'
}

/// Parses the assignment starting on the line at `start`, returning it (with `line` unset)
/// and the offset of the end of its last line.
fn parse_assignment(text: &str, closers: &Closers, start: usize) -> Option<(Entry, usize)> {
    let end = line_end(text, start);
    let line = text.get(start..end)?;
    let body = line.trim_start_matches(is_inline_space);
    let body_start = start + (line.len() - body.len());

    // `export KEY=…`; but `export=…` or `export =…` assign the key `export` itself.
    if let Some(rest) = body.strip_prefix("export") {
        let after = rest.trim_start_matches(is_inline_space);
        if after.len() < rest.len() {
            let after_start = body_start + "export".len() + (rest.len() - after.len());
            if let Some((mut entry, last)) = parse_key_value(text, closers, after_start) {
                entry.exported = true;
                return Some((entry, last));
            }
        }
    }
    parse_key_value(text, closers, body_start)
}

fn parse_key_value(text: &str, closers: &Closers, start: usize) -> Option<(Entry, usize)> {
    let end = line_end(text, start);
    let line = text.get(start..end)?;
    let (key, after_key) = crate::core::text::split_before(line, |c| !is_key_char(c));
    if key.is_empty() {
        return None;
    }
    let spaced = after_key.trim_start_matches(is_inline_space);
    let value_text = if let Some(rest) = spaced.strip_prefix('=') {
        rest
    } else {
        // `KEY: value` needs a space after the colon (and none before it); the `\r` of a
        // CRLF ending is not one (`dotenv` reads CRLF as LF), so `a:` reads alike either way.
        let rest = after_key.strip_prefix(':')?;
        if !rest.starts_with(|c: char| is_inline_space(c) && c != '\r') {
            return None;
        }
        rest
    };
    let value_text = value_text.trim_start_matches(is_inline_space);
    let value_start = end - value_text.len();

    let first = value_text.chars().next();
    if let Some(quote) = first.and_then(Quote::from_char) {
        if let Some((value, last)) = parse_quoted(text, closers, value_start, quote) {
            return Some((entry(key, value, Some(quote)), last));
        }
    }
    Some((entry(key, unquoted_value(value_text), None), end))
}

fn entry(key: &str, value: String, quote: Option<Quote>) -> Entry {
    Entry {
        key: key.to_string(),
        value,
        line: 0,
        exported: false,
        quote,
    }
}

/// Reads a quoted value opening at `open`; `None` when it never closes or its closing
/// line has more than spaces and a comment after the quote.
fn parse_quoted(
    text: &str,
    closers: &Closers,
    open: usize,
    quote: Quote,
) -> Option<(String, usize)> {
    let close = closers.first_after(quote, open)?;
    let last = closers.clean_closing_line(text, close)?;
    let inner = text.get(open + 1..close)?;
    let value = match quote {
        Quote::Double => expand_line_breaks(inner),
        Quote::Single | Quote::Backtick => inner.to_string(),
    };
    Some((value, last))
}

/// Where each kind of quote could close a value: every quote not preceded by a
/// backslash (`\"` inside `"…"` does not close it). Found once per text, so that a file
/// full of unclosed quotes is still read in linear time.
struct Closers {
    single: Vec<usize>,
    double: Vec<usize>,
    backtick: Vec<usize>,
    /// The last closing line checked: many unclosed quotes may all reach the same one.
    last_checked: Cell<Option<(usize, Option<usize>)>>,
}

impl Closers {
    fn new(text: &str) -> Self {
        let mut closers = Closers {
            single: Vec::new(),
            double: Vec::new(),
            backtick: Vec::new(),
            last_checked: Cell::new(None),
        };
        let mut previous = 0u8;
        for (i, b) in text.bytes().enumerate() {
            if previous != b'\\' {
                match b {
                    b'\'' => closers.single.push(i),
                    b'"' => closers.double.push(i),
                    b'`' => closers.backtick.push(i),
                    _ => {}
                }
            }
            previous = b;
        }
        closers
    }

    /// The first closing `quote` after the opening one at `open`.
    fn first_after(&self, quote: Quote, open: usize) -> Option<usize> {
        let positions = match quote {
            Quote::Single => &self.single,
            Quote::Double => &self.double,
            Quote::Backtick => &self.backtick,
        };
        positions
            .get(positions.partition_point(|&k| k <= open))
            .copied()
    }
    /// The end of the line of the closing quote at `close`, if only spaces and a comment
    /// follow the quote there.
    fn clean_closing_line(&self, text: &str, close: usize) -> Option<usize> {
        if let Some((checked, result)) = self.last_checked.get() {
            if checked == close {
                return result;
            }
        }
        let last = line_end(text, close);
        let trailing = text
            .get(close + 1..last)
            .map(|rest| rest.trim_start_matches(|c: char| c.is_whitespace()));
        let result = trailing
            .filter(|rest| rest.is_empty() || rest.starts_with('#'))
            .map(|_| last);
        self.last_checked.set(Some((close, result)));
        result
    }
}

/// An unquoted value: up to the first `#`, trimmed, and (as `dotenv` does) stripped of
/// one pair of matching quotes around it, with `\n` and `\r` expanded inside `"…"`.
fn unquoted_value(text: &str) -> String {
    let before_comment = text.split('#').next().unwrap_or("");
    let value = before_comment.trim();
    let mut chars = value.chars();
    if let (Some(first), Some(last)) = (chars.next(), chars.next_back()) {
        if first == last && first == '"' {
            return expand_line_breaks(chars.as_str());
        }
        if first == last && Quote::from_char(first).is_some() {
            return chars.as_str().to_string();
        }
    }
    value.to_string()
}

/// `\n` and `\r` (backslash and letter) read as line breaks, as `dotenv` does in `"…"`.
fn expand_line_breaks(text: &str) -> String {
    crate::core::text::replace_all(&crate::core::text::replace_all(text, "\\n", "\n"), "\\r", "\r")
}
