//! .env files as a pure core module: read the assignments in a file's text, and add new
//! keys to it without touching a byte of what is already there.
//!
//! Merging only ever appends. Comments, blank lines, order, quoting, `export ` prefixes
//! and line endings of the existing text are kept as they are; added lines use the
//! file's line ending; a file without a final newline still lacks one afterwards. An
//! existing key is never overwritten: merging stops with [`DotEnvError::KeysExist`].
//!
//! File I/O (atomic writes, modes, .gitignore checks) belongs to the JS shell, not here.

mod claimable;
mod parse;
mod quote;

use std::fmt;

pub use claimable::{claim_url_key, ClaimableEnv, DEFAULT_KEY, DEFAULT_PREFIX};

/// How a value was quoted in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `'…'`: taken literally.
    Single,
    /// `"…"`: `\n` and `\r` read as line breaks.
    Double,
    /// `` `…` ``: taken literally.
    Backtick,
}

impl Quote {
    fn from_char(c: char) -> Option<Quote> {
        match c {
            '\'' => Some(Quote::Single),
            '"' => Some(Quote::Double),
            '`' => Some(Quote::Backtick),
            _ => None,
        }
    }

    fn as_char(self) -> char {
        match self {
            Quote::Single => '\'',
            Quote::Double => '"',
            Quote::Backtick => '`',
        }
    }
}

/// The line ending a file uses, and that added lines follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
}

impl LineEnding {
    /// The line ending used most in `text`; LF when there is none or a tie.
    pub fn detect(text: &str) -> LineEnding {
        let newlines = text.bytes().filter(|&b| b == b'\n').count();
        let crlf = text.as_bytes().windows(2).filter(|pair| pair == b"\r\n").count();
        if crlf > newlines - crlf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }

    /// The characters of this line ending.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// One `KEY=value` assignment read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The variable's name.
    pub key: String,
    /// The value as a reader gets it: unquoted, with escapes of `"…"` values applied.
    pub value: String,
    /// The 1-based line on which the assignment starts.
    pub line: usize,
    /// Whether the line starts with `export `.
    pub exported: bool,
    /// How the value was quoted, if it was.
    pub quote: Option<Quote>,
}

/// A key and value to add to a file, with comment lines to write just before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    /// The variable's name: a letter or `_`, then letters, digits or `_`.
    pub key: String,
    /// The value; it is quoted as needed when written.
    pub value: String,
    /// Comment lines written before the assignment, each as `# line`.
    pub comments: Vec<String>,
}

impl Addition {
    /// An assignment of `value` to `key`, with no comment.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Addition {
            key: key.into(),
            value: value.into(),
            comments: Vec::new(),
        }
    }

    /// Adds a comment line (or several, if it holds line breaks) before the assignment.
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comments.push(comment.into());
        self
    }
}

/// Why additions could not be merged into a file. Values never appear in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DotEnvError {
    /// Keys to add are already set in the file; nothing is overwritten.
    KeysExist {
        /// The keys already present, in the order they were to be added.
        keys: Vec<String>,
    },
    /// A key to add is not a valid variable name.
    InvalidKey {
        /// The offending key.
        key: String,
    },
    /// The same key is to be added twice.
    DuplicateKey {
        /// The repeated key.
        key: String,
    },
    /// No quoting style reads the value back unchanged.
    UnrepresentableValue {
        /// The key whose value cannot be written.
        key: String,
    },
    /// Appending would change how existing text reads (for instance, the file ends
    /// inside an unclosed quoted value), so nothing is written.
    WouldChangeExisting,
}

impl fmt::Display for DotEnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DotEnvError::KeysExist { keys } => {
                let (noun, verb) = if keys.len() == 1 { ("key", "is") } else { ("keys", "are") };
                writeln!(
                    f,
                    "the {noun} {} {verb} already set in the env file, and existing keys are never overwritten.",
                    crate::core::text::join(keys, ", ")
                )?;
                writeln!(f, "To go on, do one of these, then run again:")?;
                writeln!(f, "  1. remove or comment out the existing line;")?;
                writeln!(f, "  2. write to another file with --env (e.g. --env .env.local);")?;
                write!(f, "  3. write under another key with --key (e.g. --key NEON_DATABASE_URL).")
            }
            DotEnvError::InvalidKey { key } => write!(
                f,
                "{} is not a valid variable name (use letters, digits and _, not starting with a digit)",
                crate::core::text::quoted(key)
            ),
            DotEnvError::DuplicateKey { key } => write!(f, "the key {key} is to be added twice"),
            DotEnvError::UnrepresentableValue { key } => {
                write!(f, "the value for {key} cannot be written to an env file so that it reads back unchanged")
            }
            DotEnvError::WouldChangeExisting => f.write_str(
                "appending to the env file would change how its existing lines read (is a quoted value left unclosed?)",
            ),
        }
    }
}

impl DotEnvError {
    /// The stable name of this cause (`error.reason` in JS): `"env_conflict"` when the file
    /// as it stands cannot take the block (keys already set, an unclosed quoted value),
    /// `"invalid_env_entry"` when the block itself cannot be written (a bad or repeated key,
    /// a value no quoting reads back).
    pub fn reason(&self) -> &'static str {
        match self {
            DotEnvError::KeysExist { .. } | DotEnvError::WouldChangeExisting => "env_conflict",
            DotEnvError::InvalidKey { .. } | DotEnvError::DuplicateKey { .. } | DotEnvError::UnrepresentableValue { .. } => {
                "invalid_env_entry"
            }
        }
    }
}

impl std::error::Error for DotEnvError {}

/// The text of a .env file and the assignments read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotEnv {
    text: String,
    entries: Vec<Entry>,
}

impl DotEnv {
    /// Reads `text`; this never fails, as lines that are not assignments are kept but ignored.
    pub fn parse(text: &str) -> DotEnv {
        DotEnv {
            text: text.to_string(),
            entries: parse::parse_entries(text),
        }
    }

    /// The value of `key`; when a key is assigned more than once, the last one wins (as in `dotenv`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key == key)
            .map(|e| e.value.as_str())
    }

    /// Whether `key` is assigned anywhere in the file (even to an empty value).
    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    /// Every assignment, in file order (repeats included).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The text the file was read from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The line ending added lines will use.
    pub fn line_ending(&self) -> LineEnding {
        LineEnding::detect(&self.text)
    }

    /// The file's text with `additions` appended (after a blank line when the file's last
    /// line has content), or an error if any key is already set, invalid or repeated, or a
    /// value cannot be written. With no additions, the text is returned unchanged.
    pub fn merge(&self, additions: &[Addition]) -> Result<String, DotEnvError> {
        for (i, addition) in additions.iter().enumerate() {
            if !is_valid_key(&addition.key) {
                return Err(DotEnvError::InvalidKey {
                    key: addition.key.clone(),
                });
            }
            if additions.iter().take(i).any(|a| a.key == addition.key) {
                return Err(DotEnvError::DuplicateKey {
                    key: addition.key.clone(),
                });
            }
        }
        let existing: Vec<String> = additions
            .iter()
            .filter(|a| self.contains(&a.key))
            .map(|a| a.key.clone())
            .collect();
        if !existing.is_empty() {
            return Err(DotEnvError::KeysExist { keys: existing });
        }
        if additions.is_empty() {
            return Ok(self.text.clone());
        }

        let mut lines = Vec::new();
        for addition in additions {
            for comment in &addition.comments {
                for line in comment.split('\n') {
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    lines.push(if line.is_empty() {
                        "#".to_string()
                    } else {
                        format!("# {line}")
                    });
                }
            }
            let value = quote::format_value(&addition.value).ok_or_else(|| {
                DotEnvError::UnrepresentableValue {
                    key: addition.key.clone(),
                }
            })?;
            lines.push(format!("{}={value}", addition.key));
        }

        let merged = self.append_lines(&lines);
        self.check_merged(&merged, additions)?;
        Ok(merged)
    }

    fn append_lines(&self, lines: &[String]) -> String {
        let eol = self.line_ending().as_str();
        let text = self.text.as_str();
        let ends_with_newline = text.is_empty() || text.ends_with('\n');
        let body = text.strip_suffix('\n').unwrap_or(text);
        let last_line = crate::core::text::rsplit_once(body, "\n").map_or(body, |(_, last)| last);
        let last_line_blank = last_line.trim().is_empty();

        let mut out = String::with_capacity(
            text.len() + lines.iter().map(|l| l.len() + 2).sum::<usize>() + 4,
        );
        out.push_str(text);
        if !ends_with_newline {
            out.push_str(eol);
        }
        if !last_line_blank {
            out.push_str(eol);
        }
        for (i, line) in lines.iter().enumerate() {
            out.push_str(line);
            if i + 1 < lines.len() || ends_with_newline {
                out.push_str(eol);
            }
        }
        out
    }

    /// Re-reads the merged text: existing assignments must read as before and the added
    /// ones exactly as given, or the merge is refused.
    fn check_merged(&self, merged: &str, additions: &[Addition]) -> Result<(), DotEnvError> {
        let reread = parse::parse_entries(merged);
        let (before, added) = reread.split_at(self.entries.len().min(reread.len()));
        if before != self.entries.as_slice() {
            return Err(DotEnvError::WouldChangeExisting);
        }
        let same = added.len() == additions.len()
            && added
                .iter()
                .zip(additions)
                .all(|(e, a)| e.key == a.key && e.value == a.value);
        if !same {
            // Our own lines read back differently: an earlier line's open quote swallowed them.
            return Err(DotEnvError::WouldChangeExisting);
        }
        Ok(())
    }
}

/// Whether `key` is a portable variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod claimable_tests;
#[cfg(test)]
mod tests;
