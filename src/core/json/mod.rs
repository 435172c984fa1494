//! A small JSON value for the fields the workflows read (operation status, cursors, error
//! messages, a created resource) and for the Claimable Postgres and SQL-over-HTTP bodies.
//! It keeps numbers as their text, so neither parsing nor writing needs float code, and
//! objects in their order. Typed response models use serde; this module exists so that the
//! shipped wasm carries no serde_json: the JS bindings hand whole bodies to the engine's
//! `JSON.parse`, or the core reads what it needs here.


mod fields;
mod parse;
mod serde_value;
mod write;

pub(crate) use fields::within;

/// A JSON value. Numbers keep their source text (`42`, `1.5e3`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as valid JSON number text.
    Num(String),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// Members in source order; for a repeated key [`Json::get`] sees the last value, as
    /// `JSON.parse` and serde_json do.
    Obj(Vec<(String, Json)>),
}

/// Nesting deeper than this is refused instead of exhausting the stack.
pub(crate) const MAX_DEPTH: usize = 128;

impl Json {
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

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// The members in source order, if this is an object.
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

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Json::Arr(_))
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

#[cfg(test)]
mod tests;
