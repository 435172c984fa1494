//! Percent-encoding (RFC 3986): path segments and query values the clients build, and the
//! user, password and database of connection strings they read.

use crate::core::text::hex_digit;

/// Percent-encodes every byte outside RFC 3986's unreserved set, so a value can never
/// add a path segment, a query or a fragment.
pub fn percent_encode_into(value: &str, out: &mut String) {
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4, b'A'));
            out.push(hex_digit(b, b'A'));
        }
    }
}

/// Percent-encodes a whole value.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    percent_encode_into(value, &mut out);
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `text` into bytes; `None` on a malformed escape.
pub fn decode_bytes(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let high = hex_value(*bytes.get(i + 1)?)?;
            let low = hex_value(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_through_decoding() {
        for value in ["", "plain", "a b/c?d#e%f", "naïve ✓", "..", "%2e"] {
            let encoded = percent_encode(value);
            assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{encoded}");
            assert_eq!(decode_bytes(&encoded).as_deref(), Some(value.as_bytes()));
        }
    }

    #[test]
    fn a_malformed_escape_does_not_decode() {
        assert_eq!(decode_bytes("%"), None);
        assert_eq!(decode_bytes("%4"), None);
        assert_eq!(decode_bytes("%zz"), None);
        assert_eq!(decode_bytes("%41%42").as_deref(), Some(&b"AB"[..]));
    }
}
