//! A tokenizer for PostgreSQL source text that knows where strings, quoted identifiers,
//! dollar-quoted bodies and comments begin and end, so that callers can look only at
//! the tokens that carry meaning (words and punctuation).
//!
//! It works on bytes: every delimiter it looks for is ASCII, and bytes of multi-byte
//! UTF-8 characters are treated as identifier characters (as PostgreSQL's scanner does),
//! so token boundaries always fall on character boundaries.

use super::SplitError;

/// What a token is, as far as statement splitting and keyword checks need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// An unquoted identifier, keyword or number (letters, digits, `_`, `$`, non-ASCII).
    Word,
    /// A string constant: `'…'`, `E'…'` or a dollar-quoted body.
    Literal,
    /// A double-quoted identifier `"…"`.
    QuotedIdentifier,
    /// Any other single ASCII byte: `(`, `)`, `;`, `,`, `.`, operators…
    Punct(u8),
}

/// One meaningful token: its kind, byte range in the source and 1-based starting line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

impl Token {
    /// The token's text within `src`, the string it was lexed from.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether this is a word equal to `keyword` (ASCII case-insensitive).
    pub fn is_keyword(&self, src: &str, keyword: &str) -> bool {
        self.kind == TokenKind::Word && self.text(src).eq_ignore_ascii_case(keyword)
    }

    /// Whether this is the punctuation byte `byte`.
    pub fn is_punct(&self, byte: u8) -> bool {
        self.kind == TokenKind::Punct(byte)
    }
}

/// Iterates over the meaningful tokens of PostgreSQL text, skipping whitespace and comments.
/// Yields one error (then stops) for an unterminated quote, dollar body or block comment.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    failed: bool,
}

impl<'a> Lexer<'a> {
    /// Starts lexing `src`; a leading byte-order mark is skipped like whitespace.
    pub fn new(src: &'a str) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos,
            line: 1,
            failed: false,
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Moves to `new_pos`, counting the newlines passed over.
    fn advance_to(&mut self, new_pos: usize) {
        let new_pos = new_pos.min(self.bytes.len());
        let passed = self.bytes.get(self.pos..new_pos).unwrap_or(&[]);
        self.line += passed.iter().filter(|&&b| b == b'\n').count();
        self.pos = new_pos;
    }

    fn token(&mut self, kind: TokenKind, start: usize, line: usize) -> Token {
        Token {
            kind,
            start,
            end: self.pos,
            line,
        }
    }

    /// Skips whitespace and comments; errors on an unterminated block comment.
    fn skip_trivia(&mut self) -> Result<(), SplitError> {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b), _) if is_space(b) => self.advance_to(self.pos + 1),
                (Some(b'-'), Some(b'-')) => {
                    let end = find_byte(self.bytes, self.pos, b'\n').unwrap_or(self.bytes.len());
                    self.advance_to(end);
                }
                (Some(b'/'), Some(b'*')) => self.skip_block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn skip_block_comment(&mut self) -> Result<(), SplitError> {
        let line = self.line;
        let mut depth = 0usize;
        let mut i = self.pos;
        while let Some(&b) = self.bytes.get(i) {
            match (b, self.bytes.get(i + 1).copied()) {
                (b'/', Some(b'*')) => {
                    depth += 1;
                    i += 2;
                }
                (b'*', Some(b'/')) => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        self.advance_to(i);
                        return Ok(());
                    }
                }
                _ => i += 1,
            }
        }
        Err(SplitError::UnterminatedBlockComment { line })
    }

    /// Scans a quoted run starting at the opening `quote` at `open`; a doubled quote is an
    /// escaped quote, and with `backslash_escapes` a backslash escapes the next byte.
    fn scan_quoted(&self, open: usize, quote: u8, backslash_escapes: bool) -> Option<usize> {
        let mut i = open + 1;
        while let Some(&b) = self.bytes.get(i) {
            if backslash_escapes && b == b'\\' {
                i += 2;
            } else if b == quote {
                if self.bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            } else {
                i += 1;
            }
        }
        None
    }

    /// Where a string constant ending at `from` continues, as PostgreSQL's `quotecontinue`
    /// rule says: spaces, a line break, then spaces, line breaks and `--` comments, then `'`.
    fn continuation_quote(&self, from: usize) -> Option<usize> {
        let mut i = from;
        while matches!(self.bytes.get(i), Some(b' ' | b'\t' | 0x0c)) {
            i += 1;
        }
        if !matches!(self.bytes.get(i), Some(b'\n' | b'\r')) {
            return None;
        }
        loop {
            match (self.bytes.get(i), self.bytes.get(i + 1)) {
                (Some(&b), _) if is_space(b) => i += 1,
                (Some(b'-'), Some(b'-')) => i = find_byte(self.bytes, i, b'\n')?,
                (Some(b'\''), _) => return Some(i),
                _ => return None,
            }
        }
    }

    /// If a dollar-quote opening delimiter (`$$` or `$tag$`) starts here, returns its end.
    fn dollar_delimiter_end(&self) -> Option<usize> {
        let mut i = self.pos + 1;
        match self.bytes.get(i) {
            Some(b'$') => return Some(i + 1),
            Some(&b) if is_dollar_tag_start(b) => i += 1,
            _ => return None,
        }
        while let Some(&b) = self.bytes.get(i) {
            if b == b'$' {
                return Some(i + 1);
            }
            if !is_dollar_tag_continue(b) {
                return None;
            }
            i += 1;
        }
        None
    }

    fn next_token(&mut self) -> Result<Option<Token>, SplitError> {
        self.skip_trivia()?;
        let Some(b) = self.peek(0) else {
            return Ok(None);
        };
        let start = self.pos;
        let line = self.line;
        match b {
            b'\'' => {
                let end = self
                    .scan_quoted(start, b'\'', false)
                    .ok_or(SplitError::UnterminatedString { line })?;
                self.advance_to(end);
                Ok(Some(self.token(TokenKind::Literal, start, line)))
            }
            b'e' | b'E' if self.peek(1) == Some(b'\'') => {
                let unterminated = SplitError::UnterminatedEscapeString { line };
                let mut end = self
                    .scan_quoted(start + 1, b'\'', true)
                    .ok_or(unterminated.clone())?;
                // `E'a'` + line break + `'b'` is one E'' string: the continuation keeps
                // backslash escapes, so it must be scanned as such.
                while let Some(open) = self.continuation_quote(end) {
                    end = self
                        .scan_quoted(open, b'\'', true)
                        .ok_or(unterminated.clone())?;
                }
                self.advance_to(end);
                Ok(Some(self.token(TokenKind::Literal, start, line)))
            }
            b'"' => {
                let end = self
                    .scan_quoted(start, b'"', false)
                    .ok_or(SplitError::UnterminatedQuotedIdentifier { line })?;
                self.advance_to(end);
                Ok(Some(self.token(TokenKind::QuotedIdentifier, start, line)))
            }
            b'$' => match self.dollar_delimiter_end() {
                Some(body_start) => {
                    let delimiter = self.src.get(start..body_start).unwrap_or("$$");
                    let rest = self.src.get(body_start..).unwrap_or("");
                    match crate::core::text::split_once(rest, delimiter) {
                        Some((body, _)) => {
                            self.advance_to(body_start + body.len() + delimiter.len());
                            Ok(Some(self.token(TokenKind::Literal, start, line)))
                        }
                        None => Err(SplitError::UnterminatedDollarQuote {
                            tag: delimiter.trim_matches('$').to_string(),
                            line,
                        }),
                    }
                }
                None => {
                    self.advance_to(start + 1);
                    Ok(Some(self.token(TokenKind::Punct(b'$'), start, line)))
                }
            },
            b if is_word_byte(b) => {
                let mut i = start + 1;
                while self.bytes.get(i).is_some_and(|&b| is_word_byte(b) || b == b'$') {
                    i += 1;
                }
                self.advance_to(i);
                Ok(Some(self.token(TokenKind::Word, start, line)))
            }
            b => {
                self.advance_to(start + 1);
                Ok(Some(self.token(TokenKind::Punct(b), start, line)))
            }
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Result<Token, SplitError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_token() {
            Ok(token) => token.map(Ok),
            Err(error) => {
                self.failed = true;
                Some(Err(error))
            }
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Bytes that may start or continue an unquoted identifier, keyword or number.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// PostgreSQL's `dolq_start`: a letter, `_` or a non-ASCII byte.
fn is_dollar_tag_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// PostgreSQL's `dolq_cont`: `dolq_start` or a digit.
fn is_dollar_tag_continue(b: u8) -> bool {
    is_dollar_tag_start(b) || b.is_ascii_digit()
}

fn find_byte(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|i| from + i)
}
