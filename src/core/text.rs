//! Small string helpers for the code the npm build ships. `str::contains(&str)` and friends
//! pull core's two-way substring searcher and its panic formatting (≈4 KB of wasm) into the
//! module for a handful of short, fixed needles; a byte scan does the same job here. So does
//! `str::contains(char)` (a char is searched as its UTF-8 string): for one ASCII byte, write
//! `s.as_bytes().contains(&b'x')`.
//!
//! Indexing a `str` by range (`&s[a..b]`) brings in core's slice-panic message, which formats
//! the string and range with `Debug` (≈4 KB more). The splitting helpers here hand out
//! sub-slices from `split_at_checked` instead: a position inside a char is simply no candidate,
//! so no `None` has to be waved away. Searches compare the needle at each char boundary, which
//! costs haystack × needle at worst; the needles here are short (a delimiter, a password, a
//! connection string against a server message).

/// The hex digit of the low four bits of `nibble`, with `ten` the digit for 10 (`b'a'` or
/// `b'A'`): arithmetic rather than a table lookup, so no index can be out of bounds.
pub(crate) fn hex_digit(nibble: u8, ten: u8) -> char {
    let n = nibble & 15;
    char::from(if n < 10 { b'0' + n } else { ten + (n - 10) })
}

/// Whether `needle` occurs in `haystack` (an empty needle always does).
pub(crate) fn contains(haystack: &str, needle: &str) -> bool {
    split_once(haystack, needle).is_some()
}

/// `haystack` split around the first `needle`: what comes before it and after it.
pub(crate) fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    (0..=haystack.len()).find_map(|at| cut_at(haystack, at, needle))
}

/// `haystack` split around the last `needle`: what comes before it and after it.
pub(crate) fn rsplit_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    (0..=haystack.len()).rev().find_map(|at| cut_at(haystack, at, needle))
}

/// `(before, after)` when `needle` starts at byte `at` of `haystack`; `None` when it does not,
/// including when `at` falls inside a char (no match can start there).
fn cut_at<'a>(haystack: &'a str, at: usize, needle: &str) -> Option<(&'a str, &'a str)> {
    let (before, rest) = haystack.split_at_checked(at)?;
    Some((before, rest.strip_prefix(needle)?))
}

/// `s` split just before its first char that `stop` accepts; `(s, "")` when none does.
pub(crate) fn split_before(s: &str, stop: impl Fn(char) -> bool) -> (&str, &str) {
    (0..s.len())
        .find_map(|at| s.split_at_checked(at).filter(|(_, rest)| rest.starts_with(&stop)))
        .unwrap_or((s, ""))
}

/// `haystack` with every `needle` replaced by `with`, left to right and without overlaps, as
/// `str::replace` does (an empty needle puts `with` around every char).
pub(crate) fn replace_all(haystack: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some((before, after)) = split_once(rest, needle) {
        out.push_str(before);
        out.push_str(with);
        rest = after;
        if needle.is_empty() {
            // An empty needle matches again at once: step over one char first.
            let mut chars = rest.chars();
            match chars.next() {
                Some(c) => out.push(c),
                None => return out,
            }
            rest = chars.as_str();
        }
    }
    out.push_str(rest);
    out
}

/// `true` or `false`, without `ToString`'s formatting machinery.
pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// `s` in double quotes with `"`, `\\` and control characters escaped as Rust's `{:?}` writes
/// them (`\n`, `\u{1b}`), for naming user input in messages. Unlike `{:?}` it leaves other
/// non-ASCII characters as they are: `Debug`'s printable-character tables and its char and
/// range formatting cost the module ≈4 KB.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                out.push_str("\\u{");
                let code = u32::from(c);
                let digits = (32 - code.leading_zeros()).div_ceil(4).max(1);
                for shift in (0..digits).rev() {
                    let digit = ((code >> (shift * 4)) & 0xf) as u8;
                    out.push(char::from(if digit < 10 { b'0' + digit } else { b'a' + digit - 10 }));
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `n` in decimal, without core::fmt's per-call-site formatting code.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}

/// A non-empty run of ASCII digits as a number (no sign, no spaces); `None` for anything else
/// or on overflow. `str::parse` would bring its generic integer parser into the wasm module.
pub(crate) fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        let digit = b.is_ascii_digit().then(|| u64::from(b - b'0'))?;
        n.checked_mul(10)?.checked_add(digit)
    })
}

/// The parts one after the other: what `[&str]::concat` does, without the generic copy loop
/// it brings into the wasm module (every message is built through here or [`join`]).
pub(crate) fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `parts` joined by `separator` (what `[String]::join` does, without its generic copy loop).
pub(crate) fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_as_display_does() {
        for n in [0u64, 7, 10, 4096, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn digits_parse_as_str_parse_reads_unsigned_numbers() {
        for s in ["0", "7", "0042", "18446744073709551615"] {
            assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s}");
        }
        for s in ["", "+1", "-1", " 1", "1 ", "1.5", "1e3", "18446744073709551616", "x"] {
            assert_eq!(parse_u64(s), None, "{s}");
        }
    }

    #[test]
    fn contains_finds_needles_anywhere_and_only_whole() {
        assert!(contains("branch not ready yet", "not ready"));
        assert!(contains("not ready", "not ready"));
        assert!(contains("application/json; charset=utf-8", "json"));
        assert!(contains("x", ""));
        assert!(!contains("not read", "not ready"));
        assert!(!contains("", "a"));
        assert!(!contains("ALREADY EXISTS", "already exists"));
        assert!(contains("é already exists ü", "already exists"));
    }

    #[test]
    fn split_once_cuts_around_the_first_needle() {
        assert_eq!(split_once("postgres://host", "://"), Some(("postgres", "host")));
        assert_eq!(split_once("a::b::c", "::"), Some(("a", "b::c")));
        assert_eq!(split_once("é€x€ü", "€"), Some(("é", "x€ü")));
        assert_eq!(split_once("ab", ""), Some(("", "ab")));
        assert_eq!(split_once("", ""), Some(("", "")));
        assert_eq!(split_once("", "a"), None);
        assert_eq!(split_once("ab", "abc"), None);
        assert_eq!(split_once("©é", "é"), Some(("©", "")));
        for (haystack, needle) in [("aaa", "aa"), ("x$tag$y$tag$", "$tag$"), ("üxü", "ü"), ("abc", "c")] {
            assert_eq!(split_once(haystack, needle), haystack.split_once(needle), "{haystack:?} {needle:?}");
        }
    }

    #[test]
    fn rsplit_once_cuts_around_the_last_needle() {
        assert_eq!(rsplit_once("user@name@host", "@"), Some(("user@name", "host")));
        assert_eq!(rsplit_once("a\nb\n", "\n"), Some(("a\nb", "")));
        assert_eq!(rsplit_once("ü€é€x", "€"), Some(("ü€é", "x")));
        assert_eq!(rsplit_once("ab", ""), Some(("ab", "")));
        assert_eq!(rsplit_once("ab", "c"), None);
        for (haystack, needle) in [("aaa", "aa"), ("ü@ü@", "@"), ("", "")] {
            assert_eq!(rsplit_once(haystack, needle), haystack.rsplit_once(needle), "{haystack:?} {needle:?}");
        }
    }

    #[test]
    fn split_before_stops_at_the_first_accepted_char() {
        let stop = |c: char| c == '.' || c == ':';
        assert_eq!(split_before("ep-x-pooler.us-east-2", stop), ("ep-x-pooler", ".us-east-2"));
        assert_eq!(split_before("host:5432", stop), ("host", ":5432"));
        assert_eq!(split_before(".a", stop), ("", ".a"));
        assert_eq!(split_before("héllo", stop), ("héllo", ""));
        assert_eq!(split_before("", stop), ("", ""));
        assert_eq!(split_before("KÉY=1", |c: char| !c.is_ascii_alphanumeric()), ("K", "ÉY=1"));
        assert_eq!(split_before("ü€x", |c| c == '€'), ("ü", "€x"));
    }

    #[test]
    fn replace_all_matches_the_standard_replace() {
        let cases = [
            ("a\\nb\\n", "\\n", "\n"),
            ("no needle here", "xyz", "!"),
            ("aaa", "aa", "b"),
            ("aaaa", "aa", "a"),
            ("ababab", "aba", "X"),
            ("ü pw€ é pw€", "pw€", "****"),
            ("pw", "pw", ""),
            ("", "pw", "x"),
            ("ab", "", "-"),
            ("ü€", "", "-"),
            ("", "", "-"),
            ("postgres://u:secret@h/db failed", "postgres://u:secret@h/db", "postgres://u:****@h/db"),
        ];
        for (haystack, needle, with) in cases {
            assert_eq!(replace_all(haystack, needle, with), haystack.replace(needle, with), "{haystack:?} {needle:?}");
        }
        assert_eq!(replace_all("aaa", "aa", "b"), "ba");
        assert_eq!(replace_all("ab", "", "-"), "-a-b-");
    }

    #[test]
    fn join_matches_the_standard_join() {
        let parts = ["a", "bc", ""];
        assert_eq!(join(&parts, ", "), parts.join(", "));
        assert_eq!(join::<&str>(&[], ","), "");
        assert_eq!(join(&["one".to_owned()], ","), "one");
    }

    #[test]
    fn quoted_escapes_as_debug_does_for_quotes_backslashes_and_control_characters() {
        for s in ["PLAIN_KEY", "a\"b\\c", "new\nline\ttab\rcr", "nul\0", "esc\u{1b}[0m", "del\u{7f}", "c1\u{85}", "", "1KEY"] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s:?}");
        }
        // Printable non-ASCII stays as it is, as Debug writes it too.
        assert_eq!(quoted("clé-ü"), format!("{:?}", "clé-ü"));
    }
}
