use super::*;
use crate::core::error::Error;

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
