//! The Management API operations an agent may reach before a claim, with the capability or
//! scope each needs and the strict shape of its body (the service's proxy allowlist).

use axum::http::Method;
use serde_json::{Map, Value};

/// A body check: a key and what its value must satisfy.
type Check<'a> = (&'a str, &'a dyn Fn(&Value) -> bool);

/// What a proxied body may hold.
#[derive(Clone, Copy)]
pub enum BodyRule {
    /// No body (reads and deletes).
    Absent,
    /// `{branch: {name?}}`
    Branch,
    /// `{endpoint: {autoscaling_limit_min_cu?, autoscaling_limit_max_cu?, suspend_timeout_seconds?}}`
    Endpoint,
    /// `{auth_provider: "better_auth", database_name?}`
    Auth,
    /// `{auth_provider?: "neon_auth"}`
    DataApi,
    /// Nothing but an empty object.
    Empty,
}

/// One allowlisted operation: `:x` segments match any value.
pub struct Rule {
    pub method: Method,
    pub path: &'static [&'static str],
    /// A capability only a claimed project has.
    pub requires_claim: Option<&'static str>,
    pub scope: Option<&'static str>,
    pub body: BodyRule,
}

pub fn allowlist() -> Vec<Rule> {
    let r = |method: Method, path, requires_claim, scope, body| Rule {
        method,
        path,
        requires_claim,
        scope,
        body,
    };
    use BodyRule as B;
    vec![
        r(Method::GET, &[":p"], None, None, B::Absent),
        r(Method::GET, &[":p", "branches"], None, None, B::Absent),
        r(Method::GET, &[":p", "endpoints"], None, None, B::Absent),
        r(
            Method::GET,
            &[":p", "connection_uri"],
            None,
            Some("postgres.read"),
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "databases"],
            None,
            None,
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "roles"],
            None,
            Some("postgres.read"),
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "auth"],
            None,
            None,
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "data-api", ":db"],
            None,
            None,
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "credentials"],
            None,
            None,
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "storage"],
            Some("storage"),
            None,
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "buckets"],
            Some("storage"),
            None,
            B::Absent,
        ),
        r(
            Method::GET,
            &[":p", "branches", ":b", "functions"],
            Some("functions"),
            None,
            B::Absent,
        ),
        r(
            Method::PATCH,
            &[":p", "branches", ":b"],
            None,
            Some("postgres.write"),
            B::Branch,
        ),
        r(
            Method::PATCH,
            &[":p", "endpoints", ":e"],
            None,
            Some("postgres.write"),
            B::Endpoint,
        ),
        r(
            Method::POST,
            &[":p", "branches", ":b", "auth"],
            None,
            Some("auth.configure"),
            B::Auth,
        ),
        r(
            Method::POST,
            &[":p", "branches", ":b", "data-api", ":db"],
            None,
            Some("data_api.configure"),
            B::DataApi,
        ),
        r(
            Method::PATCH,
            &[":p", "branches", ":b", "data-api", ":db"],
            None,
            Some("data_api.configure"),
            B::DataApi,
        ),
        r(
            Method::POST,
            &[":p", "branches", ":b", "buckets"],
            Some("storage"),
            None,
            B::Empty,
        ),
        r(
            Method::POST,
            &[":p", "branches", ":b", "credentials"],
            None,
            Some("postgres.write"),
            B::Empty,
        ),
        r(
            Method::DELETE,
            &[":p", "branches", ":b", "credentials", ":t"],
            None,
            Some("postgres.write"),
            B::Absent,
        ),
        r(
            Method::POST,
            &[":p", "branches", ":b", "functions", ":f", "deployments"],
            Some("functions"),
            None,
            B::Empty,
        ),
    ]
}

pub fn matches(rule: &Rule, method: &Method, segments: &[String]) -> bool {
    rule.method == method
        && rule.path.len() == segments.len()
        && rule
            .path
            .iter()
            .zip(segments)
            .all(|(p, s)| p.starts_with(':') || p == s)
}

/// Only the listed keys, each passing its check.
fn object_with(v: &Value, allowed: &[Check<'_>]) -> bool {
    v.as_object().is_some_and(|o| {
        o.iter()
            .all(|(k, val)| allowed.iter().any(|(name, ok)| name == k && ok(val)))
    })
}

fn number_in(lo: f64, hi: f64) -> impl Fn(&Value) -> bool {
    move |v| v.as_f64().is_some_and(|n| (lo..=hi).contains(&n))
}

pub fn body_ok(kind: BodyRule, body: &Option<Value>) -> bool {
    let empty = Value::Object(Map::new());
    let v = body.as_ref().unwrap_or(&empty);
    let name = |v: &Value| {
        v.as_str()
            .is_some_and(|s| (1..=256).contains(&s.chars().count()))
    };
    match kind {
        BodyRule::Absent => body.is_none(),
        BodyRule::Empty => v.as_object().is_some_and(Map::is_empty),
        BodyRule::Branch => object_with(v, &[("branch", &|b| object_with(b, &[("name", &name)]))]),
        BodyRule::Endpoint => {
            let min = number_in(0.25, 1.0);
            let max = number_in(0.25, 2.0);
            let suspend = |v: &Value| v.as_i64().is_some_and(|n| (0..=604_800).contains(&n));
            object_with(
                v,
                &[("endpoint", &|e| {
                    object_with(
                        e,
                        &[
                            ("autoscaling_limit_min_cu", &min),
                            ("autoscaling_limit_max_cu", &max),
                            ("suspend_timeout_seconds", &suspend),
                        ],
                    )
                })],
            )
        }
        BodyRule::Auth => {
            v.get("auth_provider").and_then(Value::as_str) == Some("better_auth")
                && object_with(v, &[("auth_provider", &|_| true), ("database_name", &name)])
        }
        BodyRule::DataApi => object_with(
            v,
            &[("auth_provider", &|p| p.as_str() == Some("neon_auth"))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(method: Method, path: &[&str]) -> BodyRule {
        let segments: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let rules = allowlist();
        rules
            .iter()
            .find(|r| matches(r, &method, &segments))
            .map(|r| r.body)
            .unwrap()
    }

    #[test]
    fn bodies_are_checked_strictly() {
        let branch = rule(Method::PATCH, &["p", "branches", "b"]);
        assert!(body_ok(branch, &Some(json!({ "branch": { "name": "x" } }))));
        assert!(!body_ok(
            branch,
            &Some(json!({ "branch": { "name": "x", "protected": true } }))
        ));
        assert!(!body_ok(branch, &Some(json!({ "branch": { "name": "" } }))));
        let endpoint = rule(Method::PATCH, &["p", "endpoints", "e"]);
        assert!(body_ok(
            endpoint,
            &Some(json!({ "endpoint": { "autoscaling_limit_max_cu": 2 } }))
        ));
        assert!(!body_ok(
            endpoint,
            &Some(json!({ "endpoint": { "autoscaling_limit_max_cu": 4 } }))
        ));
        assert!(!body_ok(
            endpoint,
            &Some(json!({ "endpoint": { "suspend_timeout_seconds": 1.5 } }))
        ));
        let auth = rule(Method::POST, &["p", "branches", "b", "auth"]);
        assert!(body_ok(
            auth,
            &Some(json!({ "auth_provider": "better_auth" }))
        ));
        assert!(!body_ok(auth, &Some(json!({ "auth_provider": "stack" }))));
        let read = rule(Method::GET, &["p", "branches"]);
        assert!(body_ok(read, &None));
        assert!(!body_ok(read, &Some(json!({}))));
    }
}
