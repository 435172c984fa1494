//! Contract test of the responses: the random, spec-valid bodies that `prism mock --dynamic`
//! answered to every GET operation (collected by tests/contract/responses.test.mjs, which
//! passes their file in `NEON_CONTRACT_RESPONSES`) decode with the typed Rust methods.
//! Each body goes through the operation's generated method over the scripted transport, so
//! it is decoded exactly as a real response would be.
//!
//! The decode test needs those recorded responses, so it is ignored by a plain `cargo test`
//! and run by `bash scripts/contract.sh` (`-- --ignored`); run that way without its input,
//! it fails.
#![allow(deprecated)]

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{run, scripted_client};

use neon_edge::api::*;
use neon_edge::transport::{Method, ScriptedResponse, ScriptedTransport};
use neon_edge::{CallOptions, Error, NeonClient};
use serde_json::Value;
use std::collections::BTreeSet;

const FIXTURE_VAR: &str = "NEON_CONTRACT_RESPONSES";

/// One exchange recorded against Prism.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Exchange {
    operation_id: String,
    args: Value,
    status: u16,
    #[serde(default)]
    content_type: Option<String>,
    body: String,
}

fn client(t: &ScriptedTransport) -> NeonClient {
    scripted_client(t, "key", "https://api.example.test/api/v2")
}


/// `operationId => method(Params)` for every GET operation; regenerate the rows with
/// `node tests/contract/decode-table.mjs`.
macro_rules! get_operations {
    ($($id:literal => $method:ident($params:ident)),* $(,)?) => {
        const DISPATCHED: &[&str] = &[$($id),*];

        /// Calls the typed method of `id` with `args`; `None` when `id` is not a GET operation.
        fn call_typed(client: &NeonClient, id: &str, args: Value) -> Option<Result<(), Error>> {
            Some(match id {
                $($id => match serde_json::from_value::<$params>(args) {
                    Ok(params) => run(client.$method(&params, &CallOptions::default())).map(drop),
                    Err(e) => Err(Error::client(format!("the recorded arguments do not fit {}: {e}", stringify!($params)))),
                },)*
                _ => return None,
            })
        }
    };
}

get_operations! {
    "getProjectAdvisorSecurityIssues" => get_project_advisor_security_issues(GetProjectAdvisorSecurityIssuesParams),
    "listApiKeys" => list_api_keys(ListApiKeysParams),
    "getProjectOperation" => get_project_operation(GetProjectOperationParams),
    "listProjects" => list_projects(ListProjectsParams),
    "listSharedProjects" => list_shared_projects(ListSharedProjectsParams),
    "getProject" => get_project(GetProjectParams),
    "listProjectOperations" => list_project_operations(ListProjectOperationsParams),
    "listProjectPermissions" => list_project_permissions(ListProjectPermissionsParams),
    "getAvailablePreloadLibraries" => get_available_preload_libraries(GetAvailablePreloadLibrariesParams),
    "getProjectJWKS" => get_project_jwks(GetProjectJwksParams),
    "getProjectBranchDataAPI" => get_project_branch_data_api(GetProjectBranchDataApiParams),
    "getNeonAuth" => get_neon_auth(GetNeonAuthParams),
    "listNeonAuthRedirectURIWhitelistDomains" => list_neon_auth_redirect_uri_whitelist_domains(ListNeonAuthRedirectUriWhitelistDomainsParams),
    "listBranchNeonAuthTrustedDomains" => list_branch_neon_auth_trusted_domains(ListBranchNeonAuthTrustedDomainsParams),
    "listNeonAuthIntegrations" => list_neon_auth_integrations(ListNeonAuthIntegrationsParams),
    "listNeonAuthOauthProviders" => list_neon_auth_oauth_providers(ListNeonAuthOauthProvidersParams),
    "listBranchNeonAuthOauthProviders" => list_branch_neon_auth_oauth_providers(ListBranchNeonAuthOauthProvidersParams),
    "getNeonAuthEmailServer" => get_neon_auth_email_server(GetNeonAuthEmailServerParams),
    "getNeonAuthEmailAndPasswordConfig" => get_neon_auth_email_and_password_config(GetNeonAuthEmailAndPasswordConfigParams),
    "getNeonAuthEmailProvider" => get_neon_auth_email_provider(GetNeonAuthEmailProviderParams),
    "getConnectionURI" => get_connection_uri(GetConnectionUriParams),
    "getNeonAuthAllowLocalhost" => get_neon_auth_allow_localhost(GetNeonAuthAllowLocalhostParams),
    "getNeonAuthPluginConfigs" => get_neon_auth_plugin_configs(GetNeonAuthPluginConfigsParams),
    "getNeonAuthPhoneNumberPlugin" => get_neon_auth_phone_number_plugin(GetNeonAuthPhoneNumberPluginParams),
    "getNeonAuthWebhookConfig" => get_neon_auth_webhook_config(GetNeonAuthWebhookConfigParams),
    "listProjectBranches" => list_project_branches(ListProjectBranchesParams),
    "countProjectBranches" => count_project_branches(CountProjectBranchesParams),
    "getProjectBranch" => get_project_branch(GetProjectBranchParams),
    "getProjectBranchSchema" => get_project_branch_schema(GetProjectBranchSchemaParams),
    "getProjectBranchSchemaComparison" => get_project_branch_schema_comparison(GetProjectBranchSchemaComparisonParams),
    "getMaskingRules" => get_masking_rules(GetMaskingRulesParams),
    "getAnonymizedBranchStatus" => get_anonymized_branch_status(GetAnonymizedBranchStatusParams),
    "listProjectBranchEndpoints" => list_project_branch_endpoints(ListProjectBranchEndpointsParams),
    "listProjectBranchDatabases" => list_project_branch_databases(ListProjectBranchDatabasesParams),
    "getProjectBranchDatabase" => get_project_branch_database(GetProjectBranchDatabaseParams),
    "listProjectBranchRoles" => list_project_branch_roles(ListProjectBranchRolesParams),
    "getProjectBranchRole" => get_project_branch_role(GetProjectBranchRoleParams),
    "getProjectBranchRolePassword" => get_project_branch_role_password(GetProjectBranchRolePasswordParams),
    "listProjectVPCEndpoints" => list_project_vpc_endpoints(ListProjectVpcEndpointsParams),
    "listProjectEndpoints" => list_project_endpoints(ListProjectEndpointsParams),
    "getProjectEndpoint" => get_project_endpoint(GetProjectEndpointParams),
    "getConsumptionHistoryPerProject" => get_consumption_history_per_project(GetConsumptionHistoryPerProjectParams),
    "getConsumptionHistoryPerProjectV2" => get_consumption_history_per_project_v2(GetConsumptionHistoryPerProjectV2Params),
    "getConsumptionHistoryPerBranchV2" => get_consumption_history_per_branch_v2(GetConsumptionHistoryPerBranchV2Params),
    "getOrganization" => get_organization(GetOrganizationParams),
    "listOrgApiKeys" => list_org_api_keys(ListOrgApiKeysParams),
    "getOrganizationSpendingLimit" => get_organization_spending_limit(GetOrganizationSpendingLimitParams),
    "getOrganizationMembers" => get_organization_members(GetOrganizationMembersParams),
    "getOrganizationMember" => get_organization_member(GetOrganizationMemberParams),
    "getOrganizationInvitations" => get_organization_invitations(GetOrganizationInvitationsParams),
    "listOrganizationVPCEndpointsAllRegions" => list_organization_vpc_endpoints_all_regions(ListOrganizationVpcEndpointsAllRegionsParams),
    "listOrganizationVPCEndpoints" => list_organization_vpc_endpoints(ListOrganizationVpcEndpointsParams),
    "getOrganizationVPCEndpointDetails" => get_organization_vpc_endpoint_details(GetOrganizationVpcEndpointDetailsParams),
    "getActiveRegions" => get_active_regions(GetActiveRegionsParams),
    "getCurrentUserInfo" => get_current_user_info(GetCurrentUserInfoParams),
    "getCurrentUserOrganizations" => get_current_user_organizations(GetCurrentUserOrganizationsParams),
    "getAuthDetails" => get_auth_details(GetAuthDetailsParams),
    "listSnapshots" => list_snapshots(ListSnapshotsParams),
    "getSnapshotSchedule" => get_snapshot_schedule(GetSnapshotScheduleParams),
    "listProjectBranchBuckets" => list_project_branch_buckets(ListProjectBranchBucketsParams),
    "getProjectBranchStorage" => get_project_branch_storage(GetProjectBranchStorageParams),
    "getProjectBranchAiGateway" => get_project_branch_ai_gateway(GetProjectBranchAiGatewayParams),
    "listProjectBranchBucketObjects" => list_project_branch_bucket_objects(ListProjectBranchBucketObjectsParams),
    "getProjectBranchBucketObject" => get_project_branch_bucket_object(GetProjectBranchBucketObjectParams),
    "listCredentials" => list_credentials(ListCredentialsParams),
    "listProjectBranchFunctions" => list_project_branch_functions(ListProjectBranchFunctionsParams),
    "getProjectBranchFunction" => get_project_branch_function(GetProjectBranchFunctionParams),
    "getProjectConsumption" => get_project_consumption(GetProjectConsumptionParams),
    "getConsumptionHistoryPerAccount" => get_consumption_history_per_account(GetConsumptionHistoryPerAccountParams),
}

#[test]
fn every_get_operation_of_the_table_has_a_typed_decode() {
    let gets: BTreeSet<&str> = all_operations().filter(|op| op.method() == Method::Get).map(|op| op.id()).collect();
    let dispatched: BTreeSet<&str> = DISPATCHED.iter().copied().collect();
    assert_eq!(
        gets, dispatched,
        "the table in tests/contract_decode.rs is stale: regenerate it with `node tests/contract/decode-table.mjs`"
    );
}

#[test]
#[ignore = "decodes the responses recorded by tests/contract/responses.test.mjs: run by `bash scripts/contract.sh`"]
fn prism_dynamic_responses_decode_with_the_typed_structs() {
    let path = std::env::var_os(FIXTURE_VAR).unwrap_or_else(|| {
        panic!("{FIXTURE_VAR} is unset: this test decodes the responses that tests/contract/responses.test.mjs records; run `bash scripts/contract.sh`")
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path:?}: {e}"));
    let exchanges: Vec<Exchange> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path:?}: {e}"));
    assert!(!exchanges.is_empty(), "{path:?} holds no responses");

    let mut failures = Vec::new();
    let mut decoded = 0;
    let mut operations = BTreeSet::new();
    for (i, exchange) in exchanges.into_iter().enumerate() {
        let t = ScriptedTransport::new();
        let content_type = exchange.content_type.as_deref().unwrap_or("application/json");
        t.push(ScriptedResponse::raw(exchange.status, &[("content-type", content_type)], exchange.body.as_bytes()));
        let outcome = call_typed(&client(&t), &exchange.operation_id, exchange.args)
            .unwrap_or_else(|| Err(Error::client("not a GET operation of the table")));
        operations.insert(exchange.operation_id.clone());
        match outcome {
            Ok(()) => decoded += 1,
            Err(Error::Decode { message, path }) => failures.push(format!(
                "#{i} {}: at `{}`: {message}\n    body: {}",
                exchange.operation_id,
                path.as_deref().unwrap_or("(top level)"),
                snippet(&exchange.body)
            )),
            Err(other) => failures.push(format!("#{i} {}: {other}\n    body: {}", exchange.operation_id, snippet(&exchange.body))),
        }
    }
    let total = decoded + failures.len();
    println!("decoded {decoded}/{total} responses of {} GET operations", operations.len());
    assert!(failures.is_empty(), "{} responses did not decode:\n{}", failures.len(), failures.join("\n"));
}

fn snippet(body: &str) -> String {
    let end = body.char_indices().nth(2000).map_or(body.len(), |(i, _)| i);
    body[..end].to_owned()
}
