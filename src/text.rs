//! Small string helpers for the code the npm build ships. `str::contains(&str)` and friends
//! pull core's two-way substring searcher and its panic formatting (≈4 KB of wasm) into the
//! module for a handful of short, fixed needles; a byte scan does the same job here. So does
//! `str::contains(char)` (a char is searched as its UTF-8 string): for one ASCII byte, write
//! `s.as_bytes().contains(&b'x')`.

/// Whether `needle` occurs in `haystack` (byte-wise; an empty needle always does).
pub(crate) fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.len() >= n.len() && (0..=h.len() - n.len()).any(|i| h.get(i..i + n.len()) == Some(n))
}

/// `true` or `false`, without `ToString`'s formatting machinery.
pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
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
    fn join_matches_the_standard_join() {
        let parts = ["a", "bc", ""];
        assert_eq!(join(&parts, ", "), parts.join(", "));
        assert_eq!(join::<&str>(&[], ","), "");
        assert_eq!(join(&["one".to_owned()], ","), "one");
    }
}
