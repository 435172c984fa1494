//! Reading an object's members with typed errors, for the small bodies the core decodes
//! without serde (Claimable Postgres, SQL over HTTP): a member of the wrong type is a
//! decode error naming it, as a typed serde model would report.

use super::Json;
use crate::core::error::Error;

impl Json {
    /// The member `key` as `read` takes it; `None` when absent or `null`. A member `read`
    /// refuses is a decode error at `key` saying it expected `expected` ("a string").
    pub(crate) fn member<'a, T>(
        &'a self,
        key: &str,
        expected: &str,
        read: impl FnOnce(&'a Json) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        match self.get(key) {
            Some(Json::Null) => Ok(None),
            _ => self.present(key, expected, read),
        }
    }

    /// As [`Json::member`], but `null` is refused like any other wrong type: only an absent
    /// member is `None` (serde's `#[serde(default)]` on a field that is not an `Option`).
    pub(crate) fn present<'a, T>(
        &'a self,
        key: &str,
        expected: &str,
        read: impl FnOnce(&'a Json) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => read(value).map(Some).ok_or_else(|| decode_at(key, &["expected ", expected])),
        }
    }

    /// As [`Json::member`], but an absent or `null` member is a decode error too.
    pub(crate) fn required<'a, T>(
        &'a self,
        key: &str,
        expected: &str,
        read: impl FnOnce(&'a Json) -> Option<T>,
    ) -> Result<T, Error> {
        self.member(key, expected, read)?.ok_or_else(|| decode_at(key, &["missing field"]))
    }

    /// Moves the array member `key` out of an object (leaving `null`), so large bodies are
    /// not copied; empty when absent, a decode error when `null` or another type.
    pub(crate) fn take_array(&mut self, key: &str) -> Result<Vec<Json>, Error> {
        let Json::Obj(members) = self else { return Ok(Vec::new()) };
        match members.iter_mut().rev().find(|(k, _)| k == key).map(|(_, v)| std::mem::take(v)) {
            None => Ok(Vec::new()),
            Some(Json::Arr(items)) => Ok(items),
            Some(_) => Err(decode_at(key, &["expected an array"])),
        }
    }
}

/// A decode error read inside `prefix` (`fields[0]`): its path moves under it
/// (`name` → `fields[0].name`); other errors are unchanged.
pub(crate) fn within(prefix: &str, error: Error) -> Error {
    match error {
        Error::Decode { message, path } => {
            let path = match path {
                Some(inner) => crate::core::text::concat(&[prefix, ".", &inner]),
                None => prefix.to_owned(),
            };
            Error::Decode { message, path: Some(path) }
        }
        other => other,
    }
}

fn decode_at(key: &str, message: &[&str]) -> Error {
    Error::Decode { message: crate::core::text::concat(message), path: Some(key.to_owned()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::tests::parse;

    #[test]
    fn an_absent_or_null_member_is_none_and_a_present_one_is_read() {
        let v = parse(r#"{"a":"x","n":null,"c":7}"#);
        assert_eq!(v.member("a", "a string", Json::as_str).unwrap(), Some("x"));
        assert_eq!(v.member("n", "a string", Json::as_str).unwrap(), None);
        assert_eq!(v.member("zz", "a string", Json::as_str).unwrap(), None);
        assert_eq!(v.required("c", "an integer", Json::as_u64).unwrap(), 7);
    }

    #[test]
    fn take_array_moves_the_items_out_and_refuses_another_type() {
        let mut v = parse(r#"{"rows":[1,"a"],"n":null,"s":"x"}"#);
        assert_eq!(v.take_array("rows").unwrap(), vec![Json::Num("1".into()), Json::string("a")]);
        assert!(v["rows"].is_null());
        assert!(v.take_array("absent").unwrap().is_empty());
        let err = v.take_array("n").unwrap_err();
        assert_eq!(err.to_string(), "could not decode the response at `n`: expected an array");
        let err = v.take_array("s").unwrap_err();
        assert_eq!(err.to_string(), "could not decode the response at `s`: expected an array");
    }

    #[test]
    fn present_refuses_null_and_takes_absent_as_none() {
        let v = parse(r#"{"a":"x","n":null}"#);
        assert_eq!(v.present("a", "a string", Json::as_str).unwrap(), Some("x"));
        assert_eq!(v.present("zz", "a string", Json::as_str).unwrap(), None);
        let err = v.present("n", "a string", Json::as_str).unwrap_err();
        assert_eq!(err.to_string(), "could not decode the response at `n`: expected a string");
    }

    #[test]
    fn a_repeated_key_reads_its_last_value_as_json_parse_does() {
        let mut v = parse(r#"{"a":1,"a":[2],"b":3}"#);
        assert_eq!(v.get("a"), Some(&Json::Arr(vec![Json::Num("2".into())])));
        assert_eq!(v.take_array("a").unwrap(), vec![Json::Num("2".into())]);
        v.set("b", Json::Null);
        assert_eq!(v.to_text(), r#"{"a":1,"a":null,"b":null}"#);
    }

    #[test]
    fn a_wrong_type_or_missing_required_member_is_a_decode_error_naming_it() {
        let v = parse(r#"{"a":1,"n":null}"#);
        let err = v.member("a", "a string", Json::as_str).unwrap_err();
        assert_eq!(err.to_string(), "could not decode the response at `a`: expected a string");
        let err = v.required("n", "a string", Json::as_str).unwrap_err();
        assert_eq!(err.to_string(), "could not decode the response at `n`: missing field");
    }

    #[test]
    fn within_moves_a_decode_path_under_a_prefix() {
        let err = parse("{}").required("name", "a string", Json::as_str).unwrap_err();
        let err = within("fields[0]", err);
        assert!(matches!(&err, Error::Decode { path: Some(p), .. } if p == "fields[0].name"), "{err:?}");
        assert!(matches!(within("x", Error::Aborted), Error::Aborted));
    }
}
