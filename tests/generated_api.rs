//! Native tests of the generated API (src/management/generated/) over the scripted transport: the
//! requests the typed methods build, how responses decode, and the operation table.

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{run, scripted_client};

use neon_edge::api::*;
use neon_edge::operation::BodyKind;
use neon_edge::transport::{Method, ScriptedResponse, ScriptedTransport};
use neon_edge::{CallOptions, Error, ErrorKind, NeonClient};

const BASE: &str = "https://api.example.test/api/v2";

fn client(t: &ScriptedTransport) -> NeonClient {
    scripted_client(t, "key", BASE)
}


fn opts() -> CallOptions {
    CallOptions::default()
}

fn only_request(t: &ScriptedTransport) -> neon_edge::transport::HttpRequest {
    let requests = t.requests();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.into_iter().next().unwrap()
}

const PROJECT: &str = r#"{"id":"p-1","platform_id":"aws","region_id":"aws-us-east-2","name":"demo","pg_version":17,
    "proxy_host":"h","branch_logical_size_limit":0,"branch_logical_size_limit_bytes":0,"store_passwords":true,
    "cpu_used_sec":0,"provisioner":"k8s-neonvm","creation_source":"console","history_retention_seconds":86400,
    "created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z","owner_id":"u",
    "consumption_period_start":"2025-01-01T00:00:00Z","consumption_period_end":"2025-02-01T00:00:00Z",
    "active_time_seconds":0,"compute_time_seconds":0,"written_data_bytes":0,"data_transfer_bytes":0,
    "data_storage_bytes_hour":0}"#;

const BRANCH: &str = r#"{"id":"br-1","project_id":"p-1","name":"dev","current_state":"ready","state_changed_at":"t",
    "creation_source":"console","created_at":"t","updated_at":"t","default":false,"protected":false,"cpu_used_sec":0,
    "active_time_seconds":0,"compute_time_seconds":0,"written_data_bytes":0,"data_transfer_bytes":0}"#;

const OPERATION: &str = r#"{"id":"op-1","project_id":"p-1","action":"create_branch","status":"running",
    "failures_count":0,"created_at":"t","updated_at":"t","total_duration_ms":5}"#;

#[test]
fn get_connection_uri_sends_required_and_optional_query_parameters_in_spec_order() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        r#"{"uri":"postgresql://r@h/neondb"}"#,
    ));
    let params = GetConnectionUriParams {
        project_id: "p-1".into(),
        database_name: "neondb".into(),
        role_name: "app owner".into(),
        pooled: Some(true),
        ..Default::default()
    };
    let out = run(client(&t).get_connection_uri(&params, &opts())).unwrap();
    assert_eq!(out.uri, "postgresql://r@h/neondb");
    let req = only_request(&t);
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        format!("{BASE}/projects/p-1/connection_uri?database_name=neondb&role_name=app%20owner&pooled=true")
    );
    assert!(req.body.is_none());
}

#[test]
fn create_project_branch_posts_the_body_under_the_project_path() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        201,
        &format!(r#"{{"branch":{BRANCH},"endpoints":[],"operations":[{OPERATION}],"roles":[],"databases":[]}}"#),
    ));
    let params = CreateProjectBranchParams {
        project_id: "p-1".into(),
        body: Some(CreateProjectBranchBody {
            branch: Some(BranchCreateRequestBranch {
                name: Some("dev".into()),
                ..Default::default()
            }),
            endpoints: Some(vec![BranchCreateRequestEndpointOptions {
                type_: EndpointType::ReadWrite,
                ..Default::default()
            }]),
            ..Default::default()
        }),
    };
    let out = run(client(&t).create_project_branch(&params, &opts())).unwrap();
    assert_eq!(out.branch.name, "dev");
    assert_eq!(out.operations[0].status, OperationStatus::Running);
    let req = only_request(&t);
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.url, format!("{BASE}/projects/p-1/branches"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "endpoints": [{ "type": "read_write" }], "branch": { "name": "dev" } })
    );
}

#[test]
fn array_query_parameters_repeat_and_enums_use_their_wire_names() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"projects":[]}"#));
    let params = GetConsumptionHistoryPerProjectV2Params {
        project_ids: Some(vec!["p-1".into(), "p-2".into()]),
        from: "2025-01-01T00:00:00Z".into(),
        to: "2025-02-01T00:00:00Z".into(),
        granularity: ConsumptionHistoryGranularity::Daily,
        org_id: "org-1".into(),
        metrics: vec![
            "compute_unit_seconds".into(),
            "root_branch_bytes_month".into(),
        ],
        ..Default::default()
    };
    run(client(&t).get_consumption_history_per_project_v2(&params, &opts())).unwrap();
    let url = only_request(&t).url;
    assert_eq!(
        url,
        format!(
            "{BASE}/consumption_history/v2/projects?project_ids=p-1&project_ids=p-2&from=2025-01-01T00%3A00%3A00Z\
             &to=2025-02-01T00%3A00%3A00Z&granularity=daily&org_id=org-1&metrics=compute_unit_seconds&metrics=root_branch_bytes_month"
        )
    );
}

#[test]
fn integer_and_enum_path_parameters_are_written_into_the_path() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        r#"{"id":42,"name":"ci","created_at":"t","created_by":"u","last_used_from_addr":"","revoked":true,"last_used_at":null}"#,
    ));
    t.push(ScriptedResponse::raw(204, &[], b""));
    let revoked =
        run(client(&t).revoke_api_key(&RevokeApiKeyParams { key_id: 42 }, &opts())).unwrap();
    assert!(revoked.revoked);
    assert_eq!(revoked.last_used_at, None);
    #[allow(deprecated)]
    let params = DeleteNeonAuthIntegrationParams {
        project_id: "p-1".into(),
        auth_provider: NeonAuthSupportedAuthProvider::BetterAuth,
        body: None,
    };
    #[allow(deprecated)]
    let deleted = run(client(&t).delete_neon_auth_integration(&params, &opts()));
    deleted.unwrap();
    let requests = t.requests();
    assert_eq!(
        (requests[0].method, requests[0].url.as_str()),
        (Method::Delete, format!("{BASE}/api_keys/42").as_str())
    );
    assert_eq!(
        requests[1].url,
        format!("{BASE}/projects/p-1/auth/integration/better_auth")
    );
}

#[test]
fn an_operation_answering_200_or_204_returns_some_or_none() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"branch":{BRANCH},"operations":[]}}"#),
    ));
    t.push(ScriptedResponse::raw(204, &[], b""));
    let params = DeleteProjectBranchParams {
        project_id: "p-1".into(),
        branch_id: "br-1".into(),
        ..Default::default()
    };
    let first = run(client(&t).delete_project_branch(&params, &opts())).unwrap();
    assert_eq!(first.unwrap().branch.id, "br-1");
    assert_eq!(
        run(client(&t).delete_project_branch(&params, &opts())).unwrap(),
        None
    );
}

#[test]
fn a_bodiless_success_returns_unit_whatever_it_carries() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, r#"{"something":"unexpected"}"#));
    let params = DeleteProjectBranchBucketParams {
        project_id: "p-1".into(),
        branch_id: "br-1".into(),
        bucket_name: "b".into(),
    };
    run(client(&t).delete_project_branch_bucket(&params, &opts())).unwrap();
    assert_eq!(only_request(&t).method, Method::Delete);
}

#[test]
fn an_octet_stream_download_returns_the_raw_bytes_and_encodes_slashes_in_keys() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::raw(
        200,
        &[("content-type", "application/octet-stream")],
        &[0, 159, 146, 150],
    ));
    let params = GetProjectBranchBucketObjectParams {
        project_id: "p-1".into(),
        branch_id: "br-1".into(),
        bucket_name: "assets".into(),
        object_key: "img/logo.png".into(),
    };
    let bytes = run(client(&t).get_project_branch_bucket_object(&params, &opts())).unwrap();
    assert_eq!(bytes, vec![0, 159, 146, 150]);
    assert_eq!(
        only_request(&t).url,
        format!("{BASE}/projects/p-1/branches/br-1/buckets/assets/objects/img%2Flogo.png/download")
    );
}

#[test]
fn the_documented_consumption_endpoint_is_generated_from_the_extra_operations() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(
        200,
        r#"{"project_id":"p-1","period_start":"2024-01-01T00:00:00Z","compute_time_seconds":158400,"written_data_bytes":2147483648}"#,
    ));
    let out = run(client(&t).get_project_consumption(
        &GetProjectConsumptionParams {
            project_id: "p-1".into(),
        },
        &opts(),
    ))
    .unwrap();
    assert_eq!(out.compute_time_seconds, Some(158400));
    assert_eq!(out.written_data_bytes, Some(2147483648));
    assert_eq!(
        only_request(&t).url,
        format!("{BASE}/projects/p-1/consumption")
    );
    assert_eq!(
        operation("getProjectConsumption").unwrap().path(),
        "/projects/{project_id}/consumption"
    );
}

#[test]
fn a_wrongly_typed_response_field_is_a_decode_error_naming_its_path() {
    let t = ScriptedTransport::new();
    let bad = PROJECT.replace(r#""pg_version":17"#, r#""pg_version":"seventeen""#);
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"project":{bad}}}"#),
    ));
    let err = run(client(&t).get_project(
        &GetProjectParams {
            project_id: "p-1".into(),
        },
        &opts(),
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path.as_deref(), Some("project.pg_version"));
    assert!(err.to_string().contains("project.pg_version"), "{err}");
}

#[test]
fn a_wrongly_typed_field_deep_in_a_list_names_its_index() {
    let t = ScriptedTransport::new();
    let bad = OPERATION.replace(r#""failures_count":0"#, r#""failures_count":"many""#);
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"operations":[{OPERATION},{bad}]}}"#),
    ));
    let params = ListProjectOperationsParams {
        project_id: "p-1".into(),
        ..Default::default()
    };
    let err = run(client(&t).list_project_operations(&params, &opts())).unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path.as_deref(), Some("operations[1].failures_count"));
}

#[test]
fn a_body_of_the_wrong_shape_is_a_decode_error_not_an_empty_object() {
    let t = ScriptedTransport::new();
    t.push(ScriptedResponse::json(200, "{}"));
    let err = run(client(&t).get_project(
        &GetProjectParams {
            project_id: "p-1".into(),
        },
        &opts(),
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("project"), "{err}");
}

#[test]
fn a_missing_required_response_field_is_a_decode_error_naming_it() {
    let t = ScriptedTransport::new();
    let without_name = PROJECT.replace(r#""name":"demo","#, "");
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"project":{without_name}}}"#),
    ));
    let err = run(client(&t).get_project(
        &GetProjectParams {
            project_id: "p-1".into(),
        },
        &opts(),
    ))
    .unwrap_err();
    let Error::Decode { message, path } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path.as_deref(), Some("project"));
    assert!(message.contains("missing field `name`"), "{message}");
}

#[test]
fn unknown_response_fields_are_tolerated() {
    let t = ScriptedTransport::new();
    let extended = PROJECT.replacen('{', r#"{"brand_new_field":{"nested":[1,2]},"#, 1);
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"project":{extended},"also_new":true}}"#),
    ));
    let out = run(client(&t).get_project(
        &GetProjectParams {
            project_id: "p-1".into(),
        },
        &opts(),
    ))
    .unwrap();
    assert_eq!(out.project.pg_version, 17);
    assert_eq!(out.project.name, "demo");
}

#[test]
fn enum_values_the_client_does_not_know_still_decode_and_round_trip() {
    let t = ScriptedTransport::new();
    let novel = OPERATION
        .replace(r#""status":"running""#, r#""status":"paused_by_robot""#)
        .replace("create_branch", "teleport_branch");
    t.push(ScriptedResponse::json(
        200,
        &format!(r#"{{"operation":{novel}}}"#),
    ));
    let params = GetProjectOperationParams {
        project_id: "p-1".into(),
        operation_id: "op-1".into(),
    };
    let out = run(client(&t).get_project_operation(&params, &opts())).unwrap();
    assert_eq!(
        out.operation.status,
        OperationStatus::Other("paused_by_robot".into())
    );
    assert_eq!(out.operation.status.as_str(), "paused_by_robot");
    assert_eq!(
        out.operation.action,
        OperationAction::Other("teleport_branch".into())
    );
    assert_eq!(
        serde_json::to_value(&out.operation.status).unwrap(),
        "paused_by_robot"
    );
    assert_eq!(
        serde_json::to_value(OperationStatus::Finished).unwrap(),
        "finished"
    );
    assert_eq!(
        serde_json::from_str::<OperationStatus>(r#""finished""#).unwrap(),
        OperationStatus::Finished
    );
}

#[test]
fn a_discriminated_union_decodes_by_its_tag_and_keeps_unknown_variants() {
    let shared: NeonAuthEmailServerConfig =
        serde_json::from_str(r#"{"type":"shared","sender_email":"a@b.c","sender_name":"A"}"#)
            .unwrap();
    let NeonAuthEmailServerConfig::Shared(server) = &shared else {
        panic!("{shared:?}")
    };
    assert_eq!(server.sender_email.as_deref(), Some("a@b.c"));
    assert_eq!(serde_json::to_value(&shared).unwrap()["type"], "shared");
    let future: NeonAuthEmailServerConfig =
        serde_json::from_str(r#"{"type":"carrier_pigeon","coop":1}"#).unwrap();
    assert!(
        matches!(future, NeonAuthEmailServerConfig::Other(_)),
        "{future:?}"
    );
}

/// Arguments holding every path parameter of `op` (and a body when `with_body`).
fn path_args(op: neon_edge::operation::Operation, with_body: bool) -> serde_json::Value {
    let mut args = serde_json::Map::new();
    for p in op.path_params() {
        args.insert(p.js_name(), "x".into());
    }
    if with_body {
        args.insert("body".into(), serde_json::json!({}));
    }
    args.into()
}

#[test]
fn every_operation_names_a_missing_path_parameter_before_sending() {
    let t = ScriptedTransport::new();
    let c = client(&t);
    for op in all_operations() {
        let Some(first) = op.path_params().next() else {
            continue;
        };
        let err = run(c.execute(op, &serde_json::json!({ "body": {} }), &opts())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Client, "{}", op.id());
        assert_eq!(
            err.to_string(),
            format!(
                "{}: missing required path parameter `{}`",
                op.id(),
                first.js_name()
            )
        );
    }
    assert!(t.requests().is_empty());
}

#[test]
fn every_operation_names_a_missing_required_body_or_query_parameter_before_sending() {
    let t = ScriptedTransport::new();
    let c = client(&t);
    let mut checked = 0;
    for op in all_operations() {
        if op.body() == BodyKind::Required {
            let err = run(c.execute(op, &path_args(op, false), &opts())).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("{}: missing required `body`", op.id())
            );
            checked += 1;
        }
        if let Some(q) = op.query_params().find(|q| q.required) {
            let err = run(c.execute(op, &path_args(op, true), &opts())).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("{}: missing required query parameter `{}`", op.id(), q.name)
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} checks");
    assert!(t.requests().is_empty());
}

#[test]
fn a_required_argument_left_empty_by_default_is_reported_missing() {
    let t = ScriptedTransport::new();
    let params = GetConnectionUriParams {
        project_id: "p-1".into(),
        role_name: "r".into(),
        ..Default::default()
    };
    let err = run(client(&t).get_connection_uri(&params, &opts())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "getConnectionURI: missing required query parameter `database_name`"
    );
    let err = run(client(&t).get_project(&GetProjectParams::default(), &opts())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "getProject: missing required path parameter `projectId`"
    );
    assert!(t.requests().is_empty());
}

#[test]
fn the_table_holds_every_operation_once_with_camel_case_path_parameters() {
    let count = all_operations().count();
    assert!(count >= 164, "{count}");
    let mut ids: Vec<&str> = all_operations().map(|op| op.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate operationIds");
    for op in all_operations() {
        assert_eq!(operation(op.id()), Some(op));
        for p in op.path_params() {
            let js_name = p.js_name();
            assert!(
                op.path().contains(&format!("{{{}}}", p.name)),
                "{} {}",
                op.id(),
                p.name
            );
            // The JS name is derived from the spec name: it must round-trip.
            assert!(!js_name.contains('_'), "{} {js_name}", op.id());
            assert_eq!(snake_case(&js_name), p.name, "{}", op.id());
        }
    }
    assert_eq!(
        operation("getProject").unwrap().path_params().map(|p| p.js_name()).collect::<Vec<_>>(),
        ["projectId"]
    );
    assert!(operation("createNeonAuthIntegration").unwrap().deprecated());
    assert!(!operation("listProjects").unwrap().deprecated());
    assert_eq!(operation("noSuchOperation"), None);
}

/// `projectId` -> `project_id`.
fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn typed_params_serialize_to_the_js_argument_shape() {
    let params = ListProjectBranchesParams {
        project_id: "p-1".into(),
        sort_by: Some(ListProjectBranchesSortBy::CreatedAt),
        limit: Some(5),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        serde_json::json!({ "projectId": "p-1", "sort_by": "created_at", "limit": 5 })
    );
}

#[test]
fn the_typescript_declares_one_method_per_operation_with_optional_params_where_allowed() {
    let ts = NEON_CLIENT_METHODS_TS;
    assert!(ts.contains("export interface NeonClientMethods {"));
    assert!(ts.contains("export interface NeonClient extends NeonClientMethods {}"));
    assert!(ts.contains("export type OperationId = keyof NeonClientMethods;"));
    assert!(ts.contains(
        "listProjects(params?: ListProjectsParams, options?: CallOptions): Promise<ListProjectsResponse>;"
    ));
    assert!(ts.contains(
        "getProject(params: GetProjectParams, options?: CallOptions): Promise<ProjectResponse>;"
    ));
    assert!(ts.contains("): Promise<Uint8Array>;"));
    for op in all_operations() {
        assert!(
            ts.contains(&format!("  {}(params", op.id())),
            "{} is missing from the TypeScript",
            op.id()
        );
    }
    // Every declaration of a deprecated operation (a create has two: with and without
    // `ifExists: "return"`) carries `@deprecated`, and nothing else does.
    let declarations = |id: &str| ts.matches(&format!("  {id}(params")).count();
    let deprecated: usize = all_operations().filter(|op| op.deprecated()).map(|op| declarations(op.id())).sum();
    assert!(deprecated > 0);
    assert_eq!(ts.matches("@deprecated").count(), deprecated);
}
