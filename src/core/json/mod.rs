//! A small JSON value for the fields the workflows read (operation status, cursors, error
//! messages, a created resource) and for the Claimable Postgres and SQL-over-HTTP bodies.
//! It keeps numbers as their text, so neither parsing nor writing needs float code, and
//! objects in their order. Typed response models use serde; this module exists so that the
//! shipped wasm carries no serde_json: the JS bindings hand whole bodies to the engine's
//! `JSON.parse`, or the core reads what it needs here.

use crate::core::error::Error;

mod fields;
mod serde_value;

pub(crate) use fields::within;

/// A JSON value. Numbers keep their source text (`42`, `1.5e3`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    /// A number, as valid JSON number text.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    /// Members in source order; for a repeated key [`Json::get`] sees the last value, as
    /// `JSON.parse` and serde_json do.
    Obj(Vec<(String, Json)>),
}

/// Nesting deeper than this is refused instead of exhausting the stack.
pub(crate) const MAX_DEPTH: usize = 128;

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

    /// An object from its members.
    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, Json)>) -> Json {
        Json::Obj(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string value.
    pub fn string(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` on an object (replacing the value [`Json::get`] sees, else appending);
    /// ignored on non-objects.
    pub fn set(&mut self, key: &str, value: Json) {
        if let Json::Obj(members) = self {
            match members.iter_mut().rev().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Obj(members) => Some(members),
            _ => None,
        }
    }

    /// A non-negative integer (`87`, `87.0`, `8.7e1` are all 87); `None` for anything else
    /// or a value beyond `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        let Json::Num(text) = self else { return None };
        integer_value(text)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Json::Arr(_))
    }

    /// The value as compact JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => write_string(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

static NULL: Json = Json::Null;

/// `value["key"]`: the member, or `null` when absent or not an object (never a panic).
impl std::ops::Index<&str> for Json {
    type Output = Json;
    fn index(&self, key: &str) -> &Json {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: the element, or `null` when out of range or not an array (never a panic).
impl std::ops::Index<usize> for Json {
    type Output = Json;
    fn index(&self, i: usize) -> &Json {
        self.as_array().and_then(|items| items.get(i)).unwrap_or(&NULL)
    }
}

impl PartialEq<str> for Json {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Json {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Str(s)
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

/// The integer a JSON number denotes, when it is a whole number in `u64`.
fn integer_value(text: &str) -> Option<u64> {
    // Byte-wise, no `str::parse`: digits are placed around the decimal point moved by the
    // exponent; anything after the point must be zeros. `-0`, `-0.0` are 0.
    let bytes = text.as_bytes();
    let (mantissa, exp) = match bytes.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(i) => (bytes.get(..i)?, exponent(bytes.get(i + 1..)?)?),
        None => (bytes, 0),
    };
    let (negative, mantissa) = match mantissa.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, mantissa),
    };
    let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
        Some(i) => (mantissa.get(..i)?, mantissa.get(i + 1..)?),
        None => (mantissa, &[][..]),
    };
    if int.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let point = int.len() as i64 + exp;
    let mut value = 0u64;
    for (i, &digit) in int.iter().chain(frac).enumerate() {
        if (i as i64) < point {
            value = value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
        } else if digit != b'0' {
            return None;
        }
    }
    let mut zeros = point - (int.len() + frac.len()) as i64;
    while zeros > 0 && value != 0 {
        value = value.checked_mul(10)?;
        zeros -= 1;
    }
    (!negative || value == 0).then_some(value)
}

/// A JSON exponent (`3`, `+3`, `-12`), saturating far beyond any u64's reach.
fn exponent(bytes: &[u8]) -> Option<i64> {
    let (sign, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (-1, rest),
        Some((b'+', rest)) => (1, rest),
        _ => (1, bytes),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits.iter().fold(0i64, |n, d| n.saturating_mul(10).saturating_add(i64::from(d - b'0')).min(100_000));
    Some(sign * magnitude)
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // As serde_json and `JSON.stringify` write them.
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses test input that must be valid (also used by the submodules' tests).
    pub(super) fn parse(s: &str) -> Json {
        Json::parse(s.as_bytes()).expect(s)
    }

    #[test]
    fn round_trips_and_keeps_order_and_number_text() {
        let text = r#"{"b":[1,-2.5e3,0.0,true,false,null],"a":{"x":"y\"\\\n\u0001é"}}"#;
        let v = parse(text);
        assert_eq!(v.to_text(), text);
        assert_eq!(v.get("b").and_then(Json::as_array).map(<[Json]>::len), Some(6));
        assert_eq!(v.get("a").and_then(|a| a.get("x")).and_then(Json::as_str), Some("y\"\\\n\u{1}é"));
    }

    #[test]
    fn agrees_with_serde_json_on_strings() {
        for text in [r#""\ud83d\ude00 \u00e9 \/ \b\f\t""#, r#""plain""#, r#""\u20ac""#] {
            let ours = parse(text);
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours.as_str(), theirs.as_str(), "{text}");
            // And what we write, serde_json reads back the same.
            let back: serde_json::Value = serde_json::from_str(&ours.to_text()).unwrap();
            assert_eq!(back, theirs);
            // Written byte for byte as serde_json writes it (`\b`, `\f` included).
            assert_eq!(ours.to_text(), serde_json::to_string(&theirs).unwrap());
        }
    }

    #[test]
    fn empty_body_is_null() {
        assert_eq!(Json::parse(b"").unwrap(), Json::Null);
        assert_eq!(Json::parse(b" \n").unwrap(), Json::Null);
    }

    #[test]
    fn rejects_malformed_input_with_a_decode_error() {
        for bad in [
            "{", "[1,", "[1 2]", "{\"a\" 1}", "{a:1}", "01", "1.", "-", "1e", "\"abc", "\"\\q\"", "\"\\u12\"",
            "tru", "nul", "{} x", "\"\u{1}\"", "[1,]",
            // Unpaired surrogates: a Rust string cannot hold them, and replacing them would
            // change the text.
            r#""\ud800x""#, r#""\udc00""#, r#""\ud800\u0041""#, r#""\ud800""#,
        ] {
            let err = Json::parse(bad.as_bytes()).unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{bad}: {err:?}");
        }
        assert!(Json::parse(&[b'"', 0xff, b'"']).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert!(Json::parse(deep.as_bytes()).is_err());
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(Json::parse(ok.as_bytes()).is_ok());
    }

    #[test]
    fn integers() {
        let n = |s: &str| parse(s).as_u64();
        assert_eq!(n("87"), Some(87));
        assert_eq!(n("87.0"), Some(87));
        assert_eq!(n("8.7e1"), Some(87));
        assert_eq!(n("870e-1"), Some(87));
        assert_eq!(n("0"), Some(0));
        assert_eq!(n("-0"), Some(0));
        assert_eq!(n("87.5"), None);
        assert_eq!(n("-1"), None);
        assert_eq!(n("1e400"), None);
        assert_eq!(n("1e999999999"), None);
        assert_eq!(n("0e999999999"), Some(0));
        assert_eq!(n("18446744073709551615"), Some(u64::MAX));
        assert_eq!(n("18446744073709551616"), None);
        assert_eq!(n("\"87\""), None);
        assert_eq!(n("1E+2"), Some(100));
        assert_eq!(n("0.001e3"), Some(1));
        assert_eq!(n("-0.0e5"), Some(0));
        assert_eq!(n("123e-2"), None);
        assert_eq!(n("5e-99999999999999999999999"), None);
        assert_eq!(Json::Num("1x".into()).as_u64(), None);
        assert_eq!(Json::Num(".5".into()).as_u64(), None);
    }

    #[test]
    fn indexing_never_panics() {
        let v = parse(r#"{"a":[{"id":"x"}]}"#);
        assert_eq!(v["a"][0]["id"], "x");
        assert!(v["a"][7]["id"].is_null());
        assert!(v["nope"]["deeper"][0].is_null());
    }

    #[test]
    fn set_replaces_or_appends() {
        let mut v = parse(r#"{"a":1}"#);
        v.set("a", Json::string("x"));
        v.set("b", Json::Null);
        assert_eq!(v.to_text(), r#"{"a":"x","b":null}"#);
    }

    #[test]
    fn converts_from_and_to_serde_json() {
        let value = serde_json::json!({"a": [1, 2.5, "x", null, {"b": true}]});
        let ours = Json::from(value.clone());
        assert_eq!(serde_json::Value::try_from(ours), Ok(value));
    }

    #[test]
    fn a_number_serde_json_cannot_hold_is_an_error_not_null() {
        let err = serde_json::Value::try_from(parse("[1, 1e400]")).unwrap_err();
        assert_eq!(err.to_string(), "could not decode the response: the number 1e400 is out of range for serde_json");
    }
}
