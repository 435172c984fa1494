//! Reading JSON text into [`Json`]: strict (RFC 8259), depth-limited, never panicking;
//! numbers kept as their text, a repeated key read as its last value (as `JSON.parse` does).

use super::{Json, MAX_DEPTH};
use crate::core::error::Error;

impl Json {
    /// Parses JSON text; an empty or all-whitespace input is `null` (204 answers).
    pub fn parse(bytes: &[u8]) -> Result<Json, Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| decode_error("is not UTF-8", e.valid_up_to()))?;
        let mut p = Parser { s: text.as_bytes(), at: 0 };
        p.ws();
        if p.at == p.s.len() {
            return Ok(Json::Null);
        }
        let value = p.value(0)?;
        p.ws();
        if p.at != p.s.len() {
            return Err(p.fail("has trailing characters"));
        }
        Ok(value)
    }
}

fn decode_error(what: &str, at: usize) -> Error {
    let mut message = String::from("the response body ");
    message.push_str(what);
    message.push_str(" (at byte ");
    message.push_str(&at.to_string());
    message.push(')');
    Error::Decode { message, path: None }
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn fail(&self, what: &str) -> Error {
        decode_error(what, self.at)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, Error> {
        if self.s.get(self.at..self.at + word.len()) == Some(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("is not valid JSON"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, Error> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nests too deeply"));
        }
        match self.peek() {
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::Arr(items));
                        }
                        _ => return Err(self.fail("is not valid JSON: expected `,` or `]`")),
                    }
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return Err(self.fail("is not valid JSON: expected a member name"));
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return Err(self.fail("is not valid JSON: expected `:`"));
                    }
                    self.at += 1;
                    self.ws();
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Obj(members));
                        }
                        _ => return Err(self.fail("is not valid JSON: expected `,` or `}`")),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            None => Err(self.fail("ends early")),
            Some(_) => Err(self.fail("is not valid JSON")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, Error> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        let int = self.digits();
        if int == 0 || (int > 1 && self.s.get(int_start) == Some(&b'0')) {
            return Err(self.fail("has a malformed number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.fail("has a malformed number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("has a malformed number"));
            }
        }
        // Checked above to be ASCII: each byte is one char.
        let text = self.s.get(start..self.at).unwrap_or_default().iter().map(|&b| char::from(b)).collect();
        Ok(Json::Num(text))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.fail("has a malformed \\u escape")),
            };
            n = n * 16 + u32::from(d);
            self.at += 1;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1; // the opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.fail("ends inside a string"));
            };
            self.at += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(self.fail("ends inside a string"));
                    };
                    self.at += 1;
                    let simple = match e {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.s.get(self.at..self.at + 2) == Some(b"\\u") {
                                self.at += 2;
                                let low = self.hex4()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                }
                            }
                            // A Rust string cannot hold an unpaired surrogate: refused rather
                            // than replaced, so no text is silently changed.
                            let Some(c) = char::from_u32(code) else {
                                return Err(self.fail("has an unpaired surrogate escape"));
                            };
                            push_char(&mut out, c);
                            continue;
                        }
                        _ => return Err(self.fail("has an unknown string escape")),
                    };
                    out.push(simple);
                }
                0..=0x1f => return Err(self.fail("has a control character inside a string")),
                c => out.push(c),
            }
        }
        // The input was checked to be UTF-8 and escapes push whole characters.
        String::from_utf8(out).map_err(|_| self.fail("is not UTF-8"))
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}
