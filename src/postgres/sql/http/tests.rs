use super::*;
use crate::core::error::ErrorKind;
use crate::postgres::sql::seed::{SeedError, SeedPlan, SeedProgress};
use crate::core::transport::{ScriptedResponse, ScriptedTransport, SentState, TransportError};
use serde::Deserialize;
use serde_json::{json, Value};

const URL: &str = "postgresql://alex:AbC123dEf@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/dbname?sslmode=require";
const PASSWORD: &str = "AbC123dEf";

fn client(t: &ScriptedTransport) -> SqlClient {
    SqlClient::builder(URL)
        .transport(Arc::new(t.clone()))
        .build()
        .expect("valid")
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

fn body(t: &ScriptedTransport, i: usize) -> Value {
    serde_json::from_slice(t.requests()[i].body.as_deref().unwrap_or_default()).expect("json body")
}

const ONE_ROW: &str = r#"{"command":"SELECT","rowCount":1,"rowAsArray":true,
  "fields":[{"name":"id","dataTypeID":23,"tableID":0},{"name":"name","dataTypeID":25,"tableID":0}],
  "rows":[[1,"ada"]]}"#;

#[test]
fn the_endpoint_replaces_the_first_host_label_with_api() {
    assert_eq!(
        endpoint_for_host("ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech"),
        "https://api.us-east-2.aws.neon.tech/sql"
    );
    assert_eq!(endpoint_for_host("localhost"), "https://localhost/sql");
    let t = ScriptedTransport::new();
    assert_eq!(
        client(&t).endpoint(),
        "https://api.us-east-2.aws.neon.tech/sql"
    );
}

#[test]
fn an_endpoint_override_is_validated_and_used() {
    let t = ScriptedTransport::new();
    let c = SqlClient::builder(URL)
        .endpoint("http://127.0.0.1:9/sql/")
        .transport(Arc::new(t.clone()))
        .build();
    assert_eq!(c.expect("valid").endpoint(), "http://127.0.0.1:9/sql");
    let bad = SqlClient::builder(URL)
        .endpoint("ftp://x")
        .transport(Arc::new(t))
        .build()
        .unwrap_err();
    assert!(
        matches!(bad, SqlError::Request(ref e) if e.kind() == ErrorKind::Client),
        "{bad:?}"
    );
}

#[test]
fn a_query_posts_text_and_params_with_the_connection_string_header() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, ONE_ROW));
    let q = Query::with_params(
        "SELECT $1::int AS id, $2 AS name",
        vec![json!(1), json!("ada")],
    );
    let out = run(client(&t).query(&q, &RequestOptions::default())).expect("rows");
    let sent = &t.requests()[0];
    assert_eq!(sent.method, Method::Post);
    assert_eq!(sent.url, "https://api.us-east-2.aws.neon.tech/sql");
    assert_eq!(sent.header("neon-connection-string"), Some(URL));
    assert_eq!(sent.header("neon-array-mode"), Some("true"));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        body(&t, 0),
        json!({ "query": "SELECT $1::int AS id, $2 AS name", "params": ["1", "ada"] })
    );
    assert_eq!(out.command, "SELECT");
    assert_eq!(out.row_count, Some(1));
    assert_eq!(out.fields[0].data_type_id, 23);
    assert_eq!(out.rows, vec![vec![json!(1), json!("ada")]]);
    assert_eq!(out.row_objects()[0].get("name"), Some(&json!("ada")));
}

#[test]
fn rows_decode_into_a_rust_type() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Person {
        id: i64,
        name: String,
    }
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, ONE_ROW));
    let out =
        run(client(&t).query(&Query::new("SELECT 1"), &RequestOptions::default())).expect("rows");
    assert_eq!(
        out.decode::<Person>().expect("decodes"),
        vec![Person {
            id: 1,
            name: "ada".into()
        }]
    );
    let err = out.decode::<(String, bool)>().unwrap_err();
    assert!(err.to_string().contains("rows[0]"), "{err}");
}

#[test]
fn object_rows_from_a_server_without_array_mode_are_read_in_field_order() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        r#"{"command":"SELECT","rowCount":1,"fields":[{"name":"b"},{"name":"a"}],"rows":[{"a":1,"b":2}]}"#,
    ));
    let out = run(client(&t).query(&Query::new("SELECT"), &RequestOptions::default())).expect("rows");
    assert_eq!(out.rows, vec![vec![json!(2), json!(1)]]);
}

#[test]
fn numbers_in_rows_keep_their_values_for_rust_callers() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        r#"{"command":"SELECT","rowCount":1,"fields":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}],
            "rows":[[18446744073709551615,-3,1.5,[1,{"x":null}]]]}"#,
    ));
    let out = run(client(&t).query(&Query::new("SELECT"), &RequestOptions::default())).expect("rows");
    assert_eq!(
        out.rows,
        vec![vec![json!(u64::MAX), json!(-3), json!(1.5), json!([1, {"x": null}])]]
    );
}

#[test]
fn a_row_number_serde_json_cannot_hold_is_a_decode_error_naming_the_cell() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"command":"SELECT","fields":[{"name":"a"},{"name":"b"}],"rows":[[1,2],[3,1e400]]}"#));
    let err = run(client(&t).query(&Query::new("SELECT"), &RequestOptions::default())).unwrap_err();
    match err {
        SqlError::Request(Error::Decode { message, path }) => {
            assert_eq!(path.as_deref(), Some("rows[1][1]"));
            assert!(message.contains("1e400"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn in_a_transaction_the_cell_path_names_the_statement() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"results":[{"rows":[[1]]},{"fields":[{"name":"a"}],"rows":[[1e400]]}]}"#));
    let queries = [Query::new("SELECT 1"), Query::new("SELECT 2")];
    let err = run(client(&t).transaction(&queries, &TransactionOptions::default(), &RequestOptions::default())).unwrap_err();
    assert!(matches!(&err, SqlError::Request(Error::Decode { path: Some(p), .. }) if p == "results[1].rows[0][0]"), "{err:?}");
}

#[test]
fn null_where_the_answer_needs_a_value_is_a_decode_error_not_an_empty_result() {
    let t = ScriptedTransport::new();
    for body in [r#"{"command":null}"#, r#"{"fields":null}"#, r#"{"rows":null}"#, r#"{"fields":[{"name":"a","dataTypeID":null}]}"#] {
        t.push(ScriptedResponse::json(200, body));
    }
    t.push(ScriptedResponse::json(200, r#"{"command":"CREATE","rowCount":null,"fields":[],"rows":[]}"#));
    let c = client(&t);
    for path in ["command", "fields", "rows", "fields[0].dataTypeID"] {
        let err = run(c.query(&Query::new("SELECT"), &RequestOptions::default())).unwrap_err();
        assert!(matches!(&err, SqlError::Request(Error::Decode { path: Some(p), .. }) if p == path), "{path}: {err:?}");
    }
    let created = run(c.query(&Query::new("CREATE TABLE t ()"), &RequestOptions::default())).expect("a null rowCount is no count");
    assert_eq!((created.command.as_str(), created.row_count), ("CREATE", None));
}

#[test]
fn a_malformed_answer_is_a_decode_error_naming_where() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"fields":[{"name":1}],"rows":[]}"#));
    t.push(ScriptedResponse::json(200, r#"{"results":[{"rowCount":"x"}]}"#));
    t.push(ScriptedResponse::json(200, "[]"));
    t.push(ScriptedResponse::json(200, r#"{"rows":"#));
    let c = client(&t);
    let path_of = |err: SqlError| match err {
        SqlError::Request(Error::Decode { path, .. }) => path,
        other => panic!("{other:?}"),
    };
    let err = run(c.query(&Query::new("SELECT"), &RequestOptions::default())).unwrap_err();
    assert_eq!(path_of(err).as_deref(), Some("fields[0].name"));
    let err = run(c.transaction(&[Query::new("SELECT")], &TransactionOptions::default(), &RequestOptions::default()))
        .unwrap_err();
    assert_eq!(path_of(err).as_deref(), Some("results[0].rowCount"));
    for _ in 0..2 {
        let err = run(c.query(&Query::new("SELECT"), &RequestOptions::default())).unwrap_err();
        assert_eq!(path_of(err), None);
    }
}

#[test]
fn a_transaction_sends_every_query_and_the_batch_headers() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"results":[{ONE_ROW},{ONE_ROW}]}}"#),
    ));
    let queries = [
        Query::new("INSERT INTO t VALUES (1)"),
        Query::with_params("SELECT $1", vec![json!(null)]),
    ];
    let options = TransactionOptions {
        isolation_level: Some("Serializable".into()),
        read_only: true,
        deferrable: true,
    };
    let out =
        run(client(&t).transaction(&queries, &options, &RequestOptions::default())).expect("results");
    assert_eq!(out.len(), 2);
    assert_eq!(
        body(&t, 0),
        json!({ "queries": [
            { "query": "INSERT INTO t VALUES (1)", "params": [] },
            { "query": "SELECT $1", "params": [null] },
        ] })
    );
    let sent = &t.requests()[0];
    assert_eq!(
        sent.header("neon-batch-isolation-level"),
        Some("Serializable")
    );
    assert_eq!(sent.header("neon-batch-read-only"), Some("true"));
    assert_eq!(sent.header("neon-batch-deferrable"), Some("true"));
}

#[test]
fn an_unknown_isolation_level_is_refused_before_sending() {
    let t = ScriptedTransport::new();
    let options = TransactionOptions {
        isolation_level: Some("chaos".into()),
        ..Default::default()
    };
    let err = run(client(&t).transaction(&[], &options, &RequestOptions::default())).unwrap_err();
    assert!(err.to_string().contains("isolationLevel"));
    assert!(t.requests().is_empty());
}

#[test]
fn a_postgres_error_carries_sqlstate_message_and_detail() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        400,
        r#"{"message":"relation \"nope\" does not exist","code":"42P01","severity":"ERROR","position":"15"}"#,
    ));
    let err = run(client(&t).query(&Query::new("SELECT * FROM nope"), &RequestOptions::default()))
        .unwrap_err();
    assert_eq!(err.code(), Some("42P01"));
    let SqlError::Postgres(pg) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(pg.message, "relation \"nope\" does not exist");
    assert_eq!(pg.severity.as_deref(), Some("ERROR"));
    assert_eq!(pg.position.as_deref(), Some("15"));
    assert_eq!(
        err.to_string(),
        "relation \"nope\" does not exist (SQLSTATE 42P01)"
    );
}

#[test]
fn a_password_echoed_by_the_server_is_masked() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        400,
        &json!({ "code": "28P01", "message": format!("password {PASSWORD} rejected for {URL}") })
            .to_string(),
    ));
    t.push(ScriptedResponse::json(
        503,
        &json!({ "message": format!("cannot reach {URL}") }).to_string(),
    ));
    t.push(ScriptedResponse::Fail(TransportError::Network {
        message: format!("fetch failed for {PASSWORD}"),
        sent: SentState::MaybeSent,
    }));
    let c = client(&t);
    for _ in 0..3 {
        let err = run(c.query(&Query::new("SELECT 1"), &RequestOptions::default())).unwrap_err();
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(PASSWORD), "{shown}");
        }
    }
}

/// Found by fuzzing (fuzz/corpus/sql_answer/crash-password-in-code): a `code` that is no
/// SQLSTATE went into the error as the server wrote it.
#[test]
fn a_password_echoed_in_the_code_or_request_id_of_an_error_is_masked() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(400, &json!({ "code": format!("42{URL}"), "position": "67" }).to_string()));
    t.push(ScriptedResponse::json(500, &json!({ "message": "x", "request_id": PASSWORD }).to_string()));
    let c = client(&t);
    for _ in 0..2 {
        let err = run(c.query(&Query::new("SELECT 1"), &RequestOptions::default())).unwrap_err();
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(PASSWORD), "{shown}");
        }
    }
}

#[test]
fn an_http_error_without_sqlstate_is_a_request_error_with_the_status() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(401, r#"{"message":"unauthorized"}"#));
    let err = run(client(&t).query(&Query::new("SELECT 1"), &RequestOptions::default())).unwrap_err();
    let SqlError::Request(Error::Api(api)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.message, "unauthorized");
    assert_eq!(err.code(), None);
}

#[test]
fn a_bad_connection_string_never_shows_in_the_error() {
    let t = ScriptedTransport::new();
    let err = SqlClient::builder("mysql://u:hunter22@h/db")
        .transport(Arc::new(t))
        .build()
        .unwrap_err();
    assert!(matches!(err, SqlError::ConnectionString(_)));
    assert!(!err.to_string().contains("hunter22"));
}

#[test]
fn debug_of_the_client_hides_the_password() {
    let t = ScriptedTransport::new();
    let shown = format!("{:?}", client(&t));
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(shown.contains("ep-cool-darkness-123456-pooler"));
}

#[test]
fn seeding_runs_statements_in_order_and_reports_progress() {
    let t = ScriptedTransport::new();
    for _ in 0..2 {
        t.push(ScriptedResponse::json(
            200,
            r#"{"command":"CREATE","rowCount":null,"fields":[],"rows":[]}"#,
        ));
    }
    let plan =
        SeedPlan::parse("CREATE TABLE a (x text default ';');\n-- c\nCREATE TABLE b (y int)")
            .expect("splits");
    assert!(plan.destructive().is_empty());
    let mut seen = Vec::new();
    let report = run(client(&t).seed(
        &plan,
        |p: SeedProgress<'_>| seen.push((p.statement.number, p.total)),
        &RequestOptions::default(),
    ))
    .expect("seeded");
    assert_eq!(report.statements, 2);
    assert_eq!(seen, vec![(1, 2), (2, 2)]);
    assert_eq!(
        body(&t, 0)["query"],
        json!("CREATE TABLE a (x text default ';')")
    );
    assert_eq!(body(&t, 1)["query"], json!("CREATE TABLE b (y int)"));
}

#[test]
fn a_failing_seed_statement_reports_number_first_line_and_server_error() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        r#"{"command":"CREATE","fields":[],"rows":[]}"#,
    ));
    t.push(ScriptedResponse::json(
        400,
        r#"{"message":"syntax error at or near \"TABL\"","code":"42601"}"#,
    ));
    let plan = SeedPlan::parse("CREATE TABLE a (x int);\n\nCREATE TABL b\n  (y int);\nSELECT 1;")
        .expect("splits");
    let err =
        run(client(&t).seed(&plan, |_: SeedProgress<'_>| {}, &RequestOptions::default())).unwrap_err();
    let SeedError::Statement {
        number,
        line,
        first_line,
        error,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*number, *line, first_line.as_str()),
        (2, 3, "CREATE TABL b")
    );
    assert_eq!(error.code(), Some("42601"));
    assert!(
        err.to_string()
            .contains("seed statement 2 (line 3) failed: CREATE TABL b"),
        "{err}"
    );
    assert_eq!(
        t.requests().len(),
        2,
        "statements after the failure do not run"
    );
}

#[test]
fn destructive_statements_are_listed_before_anything_runs() {
    let plan = SeedPlan::parse("DROP TABLE IF EXISTS t;\nCREATE TABLE t (x int);\nDELETE FROM t;")
        .expect("splits");
    let numbers: Vec<usize> = plan.destructive().iter().map(|d| d.number).collect();
    assert_eq!(numbers, vec![1, 3]);
}

#[test]
fn an_unterminated_script_is_a_split_error() {
    let err = SeedPlan::parse("INSERT INTO t VALUES ('oops);").unwrap_err();
    assert_eq!(err.line(), 1);
}

// wasm32 is single-threaded: there, transports and futures are deliberately not `Send`.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn calls_are_send_futures_on_native_targets() {
    fn assert_send<T: Send>(_: &T) {}
    let t = ScriptedTransport::new();
    let c = client(&t);
    let options = RequestOptions::default();
    let plan = SeedPlan::parse("SELECT 1").expect("splits");
    let query = Query::new("SELECT 1");
    assert_send(&c.query(&query, &options));
    assert_send(&c.transaction(&[], &TransactionOptions::default(), &options));
    assert_send(&c.seed(&plan, |_: SeedProgress<'_>| {}, &options));
    let claimable = crate::postgres::claimable::ClaimableClient::builder()
        .transport(Arc::new(t.clone()))
        .build()
        .expect("valid");
    let create = crate::postgres::claimable::CreateClaimable::new("r");
    assert_send(&claimable.create(&create, &options));
}
