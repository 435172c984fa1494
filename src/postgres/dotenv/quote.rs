//! Writes a value so that .env readers get it back byte for byte: bare when that is
//! unambiguous, otherwise in the first quoting style that reads back unchanged.

use super::parse::parse_entries;
use super::Quote;

/// Characters that need no quoting: nothing a reader would trim, treat as a comment,
/// a quote, an escape or (for `dotenv-expand`) a variable reference.
fn is_bare_safe(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || u8::try_from(c).is_ok_and(|b| b"-_.,/:@%+=?&~!*^()[]{}<>|;".contains(&b))
}

/// The value as it should appear after `KEY=`, or `None` if no quoting style reads it
/// back unchanged (for instance a value holding `'`, `"`, `` ` `` and a line break).
pub(super) fn format_value(value: &str) -> Option<String> {
    if value.chars().all(is_bare_safe) {
        return Some(value.to_string());
    }
    // `dotenv` turns `\n` and `\r` inside double quotes back into line breaks.
    let double = value.replace('\n', "\\n").replace('\r', "\\r");
    let candidates: [(Quote, &str, bool); 4] = [
        (Quote::Single, value, !value.contains(['\n', '\r'])),
        (Quote::Double, &double, !value.contains('\\')),
        (Quote::Single, value, true),
        (Quote::Backtick, value, true),
    ];
    for (quote, inner, allowed) in candidates {
        if allowed && !inner.contains(quote.as_char()) {
            let written = quoted(quote, inner);
            if reads_back_as(&written, value, Some(quote)) {
                return Some(written);
            }
        }
    }
    // A value ending in a backslash escapes every closing quote, so it reads back only
    // bare: where it reads back so (no `#`, line break or edge space is lost), does not open
    // like a quoted value (a later quote could close it), holds no `\r` (which `dotenv` reads
    // as a line break) and no `$` for `dotenv-expand` to expand.
    let bare = !matches!(value.as_bytes().first(), Some(b'\'' | b'"' | b'`'))
        && !value.bytes().any(|b| matches!(b, b'$' | b'\r'));
    (bare && reads_back_as(value, value, None)).then(|| value.to_string())
}

fn quoted(quote: Quote, inner: &str) -> String {
    let q = quote.as_char();
    format!("{q}{inner}{q}")
}

/// Whether `KEY=<written>` parses back to exactly `value`, read as `quote` says. A quoted
/// form must close on its own quote: one read as a bare value instead (its closing quote
/// escaped by a backslash) would be swallowed by any later line holding that quote.
fn reads_back_as(written: &str, value: &str, quote: Option<Quote>) -> bool {
    let entries = parse_entries(&format!("KEY={written}\n"));
    matches!(entries.as_slice(), [entry] if entry.value == value && entry.quote == quote)
}
