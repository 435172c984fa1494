//! Contract test of the responses: the random, spec-valid bodies that `prism mock --dynamic`
//! answered to every operation whose successful responses carry a body (collected by
//! tests/contract/responses.test.mjs, which passes their file in `NEON_CONTRACT_RESPONSES`)
//! decode with the typed Rust methods. Each body goes through the operation's generated
//! method over the scripted transport, so it is decoded exactly as a real response would be.
//!
//! The decode test needs those recorded responses, so it is ignored by a plain `cargo test`
//! and run by `bash scripts/contract.sh` (`-- --ignored`); run that way without its input,
//! it fails.
#![allow(deprecated)]

#[path = "support/scripted.rs"]
mod scripted;
use scripted::{run, scripted_client};

use neon_edge::api::*;
use neon_edge::transport::{ScriptedResponse, ScriptedTransport};
use neon_edge::{CallOptions, ClientError, Error, NeonClient};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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

/// `operationId => method(Params)` for every operation whose typed method returns a body,
/// then the operations whose method returns `()`. Regenerate with
/// `node tests/contract/decode-table.mjs`, which also checks both lists against the spec.
macro_rules! operations {
    (
        decoded { $($id:literal => $method:ident($params:ident)),* $(,)? }
        without_body { $($no_body:literal),* $(,)? }
    ) => {
        const DECODED: &[&str] = &[$($id),*];
        const WITHOUT_BODY: &[&str] = &[$($no_body),*];

        /// Calls the typed method of `id` with `args`; `None` when `id` is not in `DECODED`.
        fn call_typed(client: &NeonClient, id: &str, args: Value) -> Option<Result<(), Error>> {
            Some(match id {
                $($id => match serde_json::from_value::<$params>(args) {
                    Ok(params) => run(client.$method(&params, &CallOptions::default())).map(drop),
                    Err(e) => Err(ClientError::InvalidParameter {
                        operation: $id.into(),
                        name: "params".into(),
                        problem: format!("the recorded arguments do not fit {}: {e}", stringify!($params)),
                    }
                    .into()),
                },)*
                _ => return None,
            })
        }
    };
}

operations! {
    decoded {
        "getProjectAdvisorSecurityIssues" => get_project_advisor_security_issues(GetProjectAdvisorSecurityIssuesParams),
        "listApiKeys" => list_api_keys(ListApiKeysParams),
        "createApiKey" => create_api_key(CreateApiKeyParams),
        "revokeApiKey" => revoke_api_key(RevokeApiKeyParams),
        "getProjectOperation" => get_project_operation(GetProjectOperationParams),
        "listProjects" => list_projects(ListProjectsParams),
        "createProject" => create_project(CreateProjectParams),
        "listSharedProjects" => list_shared_projects(ListSharedProjectsParams),
        "getProject" => get_project(GetProjectParams),
        "updateProject" => update_project(UpdateProjectParams),
        "deleteProject" => delete_project(DeleteProjectParams),
        "recoverProject" => recover_project(RecoverProjectParams),
        "listProjectOperations" => list_project_operations(ListProjectOperationsParams),
        "listProjectPermissions" => list_project_permissions(ListProjectPermissionsParams),
        "grantPermissionToProject" => grant_permission_to_project(GrantPermissionToProjectParams),
        "revokePermissionFromProject" => revoke_permission_from_project(RevokePermissionFromProjectParams),
        "getAvailablePreloadLibraries" => get_available_preload_libraries(GetAvailablePreloadLibrariesParams),
        "createProjectTransferRequest" => create_project_transfer_request(CreateProjectTransferRequestParams),
        "getProjectJWKS" => get_project_jwks(GetProjectJwksParams),
        "addProjectJWKS" => add_project_jwks(AddProjectJwksParams),
        "deleteProjectJWKS" => delete_project_jwks(DeleteProjectJwksParams),
        "createProjectBranchDataAPI" => create_project_branch_data_api(CreateProjectBranchDataApiParams),
        "updateProjectBranchDataAPI" => update_project_branch_data_api(UpdateProjectBranchDataApiParams),
        "deleteProjectBranchDataAPI" => delete_project_branch_data_api(DeleteProjectBranchDataApiParams),
        "getProjectBranchDataAPI" => get_project_branch_data_api(GetProjectBranchDataApiParams),
        "createNeonAuthIntegration" => create_neon_auth_integration(CreateNeonAuthIntegrationParams),
        "getNeonAuth" => get_neon_auth(GetNeonAuthParams),
        "createNeonAuth" => create_neon_auth(CreateNeonAuthParams),
        "listNeonAuthRedirectURIWhitelistDomains" => list_neon_auth_redirect_uri_whitelist_domains(ListNeonAuthRedirectUriWhitelistDomainsParams),
        "listBranchNeonAuthTrustedDomains" => list_branch_neon_auth_trusted_domains(ListBranchNeonAuthTrustedDomainsParams),
        "createNeonAuthProviderSDKKeys" => create_neon_auth_provider_sdk_keys(CreateNeonAuthProviderSdkKeysParams),
        "createNeonAuthNewUser" => create_neon_auth_new_user(CreateNeonAuthNewUserParams),
        "createBranchNeonAuthNewUser" => create_branch_neon_auth_new_user(CreateBranchNeonAuthNewUserParams),
        "updateNeonAuthUserRole" => update_neon_auth_user_role(UpdateNeonAuthUserRoleParams),
        "transferNeonAuthProviderProject" => transfer_neon_auth_provider_project(TransferNeonAuthProviderProjectParams),
        "listNeonAuthIntegrations" => list_neon_auth_integrations(ListNeonAuthIntegrationsParams),
        "listNeonAuthOauthProviders" => list_neon_auth_oauth_providers(ListNeonAuthOauthProvidersParams),
        "addNeonAuthOauthProvider" => add_neon_auth_oauth_provider(AddNeonAuthOauthProviderParams),
        "listBranchNeonAuthOauthProviders" => list_branch_neon_auth_oauth_providers(ListBranchNeonAuthOauthProvidersParams),
        "addBranchNeonAuthOauthProvider" => add_branch_neon_auth_oauth_provider(AddBranchNeonAuthOauthProviderParams),
        "updateNeonAuthOauthProvider" => update_neon_auth_oauth_provider(UpdateNeonAuthOauthProviderParams),
        "updateBranchNeonAuthOauthProvider" => update_branch_neon_auth_oauth_provider(UpdateBranchNeonAuthOauthProviderParams),
        "getNeonAuthEmailServer" => get_neon_auth_email_server(GetNeonAuthEmailServerParams),
        "updateNeonAuthEmailServer" => update_neon_auth_email_server(UpdateNeonAuthEmailServerParams),
        "sendNeonAuthTestEmail" => send_neon_auth_test_email(SendNeonAuthTestEmailParams),
        "getNeonAuthEmailAndPasswordConfig" => get_neon_auth_email_and_password_config(GetNeonAuthEmailAndPasswordConfigParams),
        "updateNeonAuthEmailAndPasswordConfig" => update_neon_auth_email_and_password_config(UpdateNeonAuthEmailAndPasswordConfigParams),
        "getNeonAuthEmailProvider" => get_neon_auth_email_provider(GetNeonAuthEmailProviderParams),
        "updateNeonAuthEmailProvider" => update_neon_auth_email_provider(UpdateNeonAuthEmailProviderParams),
        "getConnectionURI" => get_connection_uri(GetConnectionUriParams),
        "getNeonAuthAllowLocalhost" => get_neon_auth_allow_localhost(GetNeonAuthAllowLocalhostParams),
        "updateNeonAuthAllowLocalhost" => update_neon_auth_allow_localhost(UpdateNeonAuthAllowLocalhostParams),
        "getNeonAuthPluginConfigs" => get_neon_auth_plugin_configs(GetNeonAuthPluginConfigsParams),
        "updateNeonAuthOrganizationPlugin" => update_neon_auth_organization_plugin(UpdateNeonAuthOrganizationPluginParams),
        "updateNeonAuthConfig" => update_neon_auth_config(UpdateNeonAuthConfigParams),
        "updateNeonAuthMagicLinkPlugin" => update_neon_auth_magic_link_plugin(UpdateNeonAuthMagicLinkPluginParams),
        "getNeonAuthPhoneNumberPlugin" => get_neon_auth_phone_number_plugin(GetNeonAuthPhoneNumberPluginParams),
        "updateNeonAuthPhoneNumberPlugin" => update_neon_auth_phone_number_plugin(UpdateNeonAuthPhoneNumberPluginParams),
        "getNeonAuthWebhookConfig" => get_neon_auth_webhook_config(GetNeonAuthWebhookConfigParams),
        "updateNeonAuthWebhookConfig" => update_neon_auth_webhook_config(UpdateNeonAuthWebhookConfigParams),
        "createProjectBranch" => create_project_branch(CreateProjectBranchParams),
        "listProjectBranches" => list_project_branches(ListProjectBranchesParams),
        "createProjectBranchAnonymized" => create_project_branch_anonymized(CreateProjectBranchAnonymizedParams),
        "countProjectBranches" => count_project_branches(CountProjectBranchesParams),
        "getProjectBranch" => get_project_branch(GetProjectBranchParams),
        "deleteProjectBranch" => delete_project_branch(DeleteProjectBranchParams),
        "updateProjectBranch" => update_project_branch(UpdateProjectBranchParams),
        "restoreProjectBranch" => restore_project_branch(RestoreProjectBranchParams),
        "getProjectBranchSchema" => get_project_branch_schema(GetProjectBranchSchemaParams),
        "getProjectBranchSchemaComparison" => get_project_branch_schema_comparison(GetProjectBranchSchemaComparisonParams),
        "getMaskingRules" => get_masking_rules(GetMaskingRulesParams),
        "updateMaskingRules" => update_masking_rules(UpdateMaskingRulesParams),
        "getAnonymizedBranchStatus" => get_anonymized_branch_status(GetAnonymizedBranchStatusParams),
        "startAnonymization" => start_anonymization(StartAnonymizationParams),
        "setDefaultProjectBranch" => set_default_project_branch(SetDefaultProjectBranchParams),
        "recoverProjectBranch" => recover_project_branch(RecoverProjectBranchParams),
        "finalizeRestoreBranch" => finalize_restore_branch(FinalizeRestoreBranchParams),
        "listProjectBranchEndpoints" => list_project_branch_endpoints(ListProjectBranchEndpointsParams),
        "listProjectBranchDatabases" => list_project_branch_databases(ListProjectBranchDatabasesParams),
        "createProjectBranchDatabase" => create_project_branch_database(CreateProjectBranchDatabaseParams),
        "getProjectBranchDatabase" => get_project_branch_database(GetProjectBranchDatabaseParams),
        "updateProjectBranchDatabase" => update_project_branch_database(UpdateProjectBranchDatabaseParams),
        "deleteProjectBranchDatabase" => delete_project_branch_database(DeleteProjectBranchDatabaseParams),
        "listProjectBranchRoles" => list_project_branch_roles(ListProjectBranchRolesParams),
        "createProjectBranchRole" => create_project_branch_role(CreateProjectBranchRoleParams),
        "getProjectBranchRole" => get_project_branch_role(GetProjectBranchRoleParams),
        "deleteProjectBranchRole" => delete_project_branch_role(DeleteProjectBranchRoleParams),
        "getProjectBranchRolePassword" => get_project_branch_role_password(GetProjectBranchRolePasswordParams),
        "resetProjectBranchRolePassword" => reset_project_branch_role_password(ResetProjectBranchRolePasswordParams),
        "listProjectVPCEndpoints" => list_project_vpc_endpoints(ListProjectVpcEndpointsParams),
        "createProjectEndpoint" => create_project_endpoint(CreateProjectEndpointParams),
        "listProjectEndpoints" => list_project_endpoints(ListProjectEndpointsParams),
        "getProjectEndpoint" => get_project_endpoint(GetProjectEndpointParams),
        "deleteProjectEndpoint" => delete_project_endpoint(DeleteProjectEndpointParams),
        "updateProjectEndpoint" => update_project_endpoint(UpdateProjectEndpointParams),
        "startProjectEndpoint" => start_project_endpoint(StartProjectEndpointParams),
        "suspendProjectEndpoint" => suspend_project_endpoint(SuspendProjectEndpointParams),
        "restartProjectEndpoint" => restart_project_endpoint(RestartProjectEndpointParams),
        "getConsumptionHistoryPerProject" => get_consumption_history_per_project(GetConsumptionHistoryPerProjectParams),
        "getConsumptionHistoryPerProjectV2" => get_consumption_history_per_project_v2(GetConsumptionHistoryPerProjectV2Params),
        "getConsumptionHistoryPerBranchV2" => get_consumption_history_per_branch_v2(GetConsumptionHistoryPerBranchV2Params),
        "getOrganization" => get_organization(GetOrganizationParams),
        "listOrgApiKeys" => list_org_api_keys(ListOrgApiKeysParams),
        "createOrgApiKey" => create_org_api_key(CreateOrgApiKeyParams),
        "revokeOrgApiKey" => revoke_org_api_key(RevokeOrgApiKeyParams),
        "getOrganizationSpendingLimit" => get_organization_spending_limit(GetOrganizationSpendingLimitParams),
        "setOrganizationSpendingLimit" => set_organization_spending_limit(SetOrganizationSpendingLimitParams),
        "deleteOrganizationSpendingLimit" => delete_organization_spending_limit(DeleteOrganizationSpendingLimitParams),
        "getOrganizationMembers" => get_organization_members(GetOrganizationMembersParams),
        "getOrganizationMember" => get_organization_member(GetOrganizationMemberParams),
        "updateOrganizationMember" => update_organization_member(UpdateOrganizationMemberParams),
        "removeOrganizationMember" => remove_organization_member(RemoveOrganizationMemberParams),
        "getOrganizationInvitations" => get_organization_invitations(GetOrganizationInvitationsParams),
        "createOrganizationInvitations" => create_organization_invitations(CreateOrganizationInvitationsParams),
        "transferProjectsFromOrgToOrg" => transfer_projects_from_org_to_org(TransferProjectsFromOrgToOrgParams),
        "listOrganizationVPCEndpointsAllRegions" => list_organization_vpc_endpoints_all_regions(ListOrganizationVpcEndpointsAllRegionsParams),
        "listOrganizationVPCEndpoints" => list_organization_vpc_endpoints(ListOrganizationVpcEndpointsParams),
        "getOrganizationVPCEndpointDetails" => get_organization_vpc_endpoint_details(GetOrganizationVpcEndpointDetailsParams),
        "getActiveRegions" => get_active_regions(GetActiveRegionsParams),
        "getCurrentUserInfo" => get_current_user_info(GetCurrentUserInfoParams),
        "getCurrentUserOrganizations" => get_current_user_organizations(GetCurrentUserOrganizationsParams),
        "transferProjectsFromUserToOrg" => transfer_projects_from_user_to_org(TransferProjectsFromUserToOrgParams),
        "getAuthDetails" => get_auth_details(GetAuthDetailsParams),
        "createSnapshot" => create_snapshot(CreateSnapshotParams),
        "listSnapshots" => list_snapshots(ListSnapshotsParams),
        "deleteSnapshot" => delete_snapshot(DeleteSnapshotParams),
        "updateSnapshot" => update_snapshot(UpdateSnapshotParams),
        "restoreSnapshot" => restore_snapshot(RestoreSnapshotParams),
        "getSnapshotSchedule" => get_snapshot_schedule(GetSnapshotScheduleParams),
        "setSnapshotSchedule" => set_snapshot_schedule(SetSnapshotScheduleParams),
        "createProjectBranchBucket" => create_project_branch_bucket(CreateProjectBranchBucketParams),
        "listProjectBranchBuckets" => list_project_branch_buckets(ListProjectBranchBucketsParams),
        "getProjectBranchStorage" => get_project_branch_storage(GetProjectBranchStorageParams),
        "getProjectBranchAiGateway" => get_project_branch_ai_gateway(GetProjectBranchAiGatewayParams),
        "listProjectBranchBucketObjects" => list_project_branch_bucket_objects(ListProjectBranchBucketObjectsParams),
        "getProjectBranchBucketObject" => get_project_branch_bucket_object(GetProjectBranchBucketObjectParams),
        "deleteProjectBranchBucketObjectsByPrefix" => delete_project_branch_bucket_objects_by_prefix(DeleteProjectBranchBucketObjectsByPrefixParams),
        "presignProjectBranchBucketObject" => presign_project_branch_bucket_object(PresignProjectBranchBucketObjectParams),
        "createCredential" => create_credential(CreateCredentialParams),
        "listCredentials" => list_credentials(ListCredentialsParams),
        "listProjectBranchFunctions" => list_project_branch_functions(ListProjectBranchFunctionsParams),
        "getProjectBranchFunction" => get_project_branch_function(GetProjectBranchFunctionParams),
        "updateProjectBranchFunction" => update_project_branch_function(UpdateProjectBranchFunctionParams),
        "createProjectBranchFunctionDeployment" => create_project_branch_function_deployment(CreateProjectBranchFunctionDeploymentParams),
        "getProjectConsumption" => get_project_consumption(GetProjectConsumptionParams),
        "getConsumptionHistoryPerAccount" => get_consumption_history_per_account(GetConsumptionHistoryPerAccountParams),
    }
    without_body {
        "acceptProjectTransferRequest",
        "disableNeonAuth",
        "addNeonAuthDomainToRedirectURIWhitelist",
        "deleteNeonAuthDomainFromRedirectURIWhitelist",
        "addBranchNeonAuthTrustedDomain",
        "deleteBranchNeonAuthTrustedDomain",
        "deleteBranchNeonAuthUser",
        "deleteNeonAuthUser",
        "deleteNeonAuthOauthProvider",
        "deleteBranchNeonAuthOauthProvider",
        "deleteNeonAuthIntegration",
        "assignProjectVPCEndpoint",
        "deleteProjectVPCEndpoint",
        "assignOrganizationVPCEndpoint",
        "deleteOrganizationVPCEndpoint",
        "deleteProjectBranchBucket",
        "deleteProjectBranchBucketObject",
        "revokeCredential",
        "deleteProjectBranchFunction",
    }
}

#[test]
fn the_table_lists_every_generated_operation_once() {
    let generated: BTreeSet<&str> = all_operations().map(|op| op.id()).collect();
    let decoded: BTreeSet<&str> = DECODED.iter().copied().collect();
    let without_body: BTreeSet<&str> = WITHOUT_BODY.iter().copied().collect();
    let stale = "the table in tests/contract_decode.rs is stale: regenerate it with `node tests/contract/decode-table.mjs`";
    assert_eq!(decoded.len() + without_body.len(), DECODED.len() + WITHOUT_BODY.len(), "{stale}: an operation is listed twice");
    assert!(decoded.is_disjoint(&without_body), "{stale}: an operation is in both lists");
    let listed: BTreeSet<&str> = decoded.union(&without_body).copied().collect();
    assert_eq!(listed, generated, "{stale}");
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
    let mut decoded_per_operation = BTreeMap::<String, usize>::new();
    for (i, exchange) in exchanges.into_iter().enumerate() {
        let t = ScriptedTransport::new();
        let content_type = exchange.content_type.as_deref().unwrap_or("application/json");
        t.push(ScriptedResponse::raw(exchange.status, &[("content-type", content_type)], exchange.body.as_bytes()));
        let outcome = call_typed(&client(&t), &exchange.operation_id, exchange.args)
            .unwrap_or_else(|| Err(ClientError::UnknownOperation { id: exchange.operation_id.clone() }.into()));
        match outcome {
            Ok(()) => *decoded_per_operation.entry(exchange.operation_id).or_default() += 1,
            Err(Error::Decode { message, path }) => failures.push(format!(
                "#{i} {}: at `{}`: {message}\n    body: {}",
                exchange.operation_id,
                path.as_deref().unwrap_or("(top level)"),
                snippet(&exchange.body)
            )),
            Err(other) => failures.push(format!("#{i} {}: {other}\n    body: {}", exchange.operation_id, snippet(&exchange.body))),
        }
    }
    let decoded: usize = decoded_per_operation.values().sum();
    let total = decoded + failures.len();
    println!("decoded {decoded}/{total} responses of {} operations", decoded_per_operation.len());
    assert!(failures.is_empty(), "{} responses did not decode:\n{}", failures.len(), failures.join("\n"));
}

fn snippet(body: &str) -> String {
    let end = body.char_indices().nth(2000).map_or(body.len(), |(i, _)| i);
    body[..end].to_owned()
}
