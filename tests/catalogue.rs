//! The 112 actions users expect from a Neon integration (the tool catalogue in
//! `shared/seeds/neon-tool-catalogue.txt`, beside the repository), each mapped to the
//! generated operation that performs it.
//!
//! The table below is the test's data and is checked on every `cargo test`: each action
//! names an operation of `neon_edge::api::all_operations()`. Checking the table against the
//! catalogue file itself needs that file, so it is a separate, ignored test that
//! `scripts/contract.sh` runs explicitly (`-- --ignored`), and that fails when the file is
//! missing.

use neon_edge::api::all_operations;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Catalogue action -> operationId. Kept by hand: the catalogue's names are prose, matched
/// to operations by their descriptions.
#[rustfmt::skip]
const CATALOGUE: &[(&str, &str)] = &[
    ("Accept project transfer request", "acceptProjectTransferRequest"),
    ("Access project details by id", "getProject"),
    ("Add new jwks to project endpoint", "addProjectJWKS"),
    ("Add project email permission", "grantPermissionToProject"),
    ("Add role to branch", "createProjectBranchRole"),
    ("Assign or Update VPC Endpoint", "assignOrganizationVPCEndpoint"),
    ("Count project branches", "countProjectBranches"),
    ("Create API Key for Organization", "createOrgApiKey"),
    ("Create Auth Provider SDK Keys", "createNeonAuthProviderSDKKeys"),
    ("Create Neon Data API", "createProjectBranchDataAPI"),
    ("Create New API Key", "createApiKey"),
    ("Create anonymized branch", "createProjectBranchAnonymized"),
    ("Create auth user", "createBranchNeonAuthNewUser"),
    ("Create branch database", "createProjectBranchDatabase"),
    ("Create branch snapshot", "createSnapshot"),
    ("Create compute endpoint", "createProjectEndpoint"),
    ("Create new project branch", "createProjectBranch"),
    ("Create project transfer request", "createProjectTransferRequest"),
    ("Create project with quota and settings", "createProject"),
    ("Delete OAuth provider", "deleteBranchNeonAuthOauthProvider"),
    ("Delete api key by id", "revokeApiKey"),
    ("Delete auth domain from project", "deleteNeonAuthDomainFromRedirectURIWhitelist"),
    ("Delete auth domains", "deleteBranchNeonAuthTrustedDomain"),
    ("Delete auth user", "deleteBranchNeonAuthUser"),
    ("Delete branch data API", "deleteProjectBranchDataAPI"),
    ("Delete database from branch", "deleteProjectBranchDatabase"),
    ("Delete organization api key", "revokeOrgApiKey"),
    ("Delete organization member", "removeOrganizationMember"),
    ("Delete project branch by id", "deleteProjectBranch"),
    ("Delete project branch role", "deleteProjectBranchRole"),
    ("Delete project by id", "deleteProject"),
    ("Delete project endpoint", "deleteProjectEndpoint"),
    ("Delete project jwks by id", "deleteProjectJWKS"),
    ("Delete project permission", "revokePermissionFromProject"),
    ("Delete project snapshot", "deleteSnapshot"),
    ("Delete vpc endpoint by ids", "deleteOrganizationVPCEndpoint"),
    ("Delete vpc endpoint by project id", "deleteProjectVPCEndpoint"),
    ("Disable branches auth", "disableNeonAuth"),
    ("Enable Neon Auth for branch", "createNeonAuth"),
    ("Fetch database for branch", "listProjectBranchDatabases"),
    ("Fetch organization members by id", "getOrganizationMembers"),
    ("Fetch vpcendpoint details by id", "getOrganizationVPCEndpointDetails"),
    ("Finalize branch restore", "finalizeRestoreBranch"),
    ("Get Neon Data API for branch", "getProjectBranchDataAPI"),
    ("Get auth", "getAuthDetails"),
    ("Get auth allow localhost", "getNeonAuthAllowLocalhost"),
    ("Get auth email provider", "getNeonAuthEmailProvider"),
    ("Get auth email server", "getNeonAuthEmailServer"),
    ("Get available preload libraries", "getAvailablePreloadLibraries"),
    ("Get branch roles for project", "listProjectBranchRoles"),
    ("Get branches anonymized status", "getAnonymizedBranchStatus"),
    ("Get branches backup schedule", "getSnapshotSchedule"),
    ("Get branches for project", "listProjectBranches"),
    ("Get branches masking rules", "getMaskingRules"),
    ("Get consumption history projects", "getConsumptionHistoryPerProject"),
    ("Get current user information", "getCurrentUserInfo"),
    ("Get organization api keys", "listOrgApiKeys"),
    ("Get project branch role", "getProjectBranchRole"),
    ("Get project branch schema comparison", "getProjectBranchSchemaComparison"),
    ("Get project branches", "getProjectBranch"),
    ("Get project connection uri", "getConnectionURI"),
    ("Get project endpoint information", "listProjectEndpoints"),
    ("Get project operation by id", "getProjectOperation"),
    ("Get schema for project branch", "getProjectBranchSchema"),
    ("Get user organizations", "getCurrentUserOrganizations"),
    ("Get vpc region endpoints", "listOrganizationVPCEndpoints"),
    ("List Auth OAuth Providers", "listBranchNeonAuthOauthProviders"),
    ("List VPC endpoints for organization", "listOrganizationVPCEndpointsAllRegions"),
    ("List api keys", "listApiKeys"),
    ("List auth domains", "listBranchNeonAuthTrustedDomains"),
    ("List auth oauth providers", "listNeonAuthOauthProviders"),
    ("List organization vpcendpoints", "listOrganizationVPCEndpoints"),
    ("List project snapshots", "listSnapshots"),
    ("List shared projects", "listSharedProjects"),
    ("Modify branch details in project", "updateProjectBranch"),
    ("Patch branch database information", "updateProjectBranchDatabase"),
    ("Reset role password for branch", "resetProjectBranchRolePassword"),
    ("Restart project endpoint", "restartProjectEndpoint"),
    ("Restore project branch", "restoreProjectBranch"),
    ("Restore snapshot to new branch", "restoreSnapshot"),
    ("Retrieve account consumption history", "getConsumptionHistoryPerAccount"),
    ("Retrieve all regions", "getActiveRegions"),
    ("Retrieve branch database details", "getProjectBranchDatabase"),
    ("Retrieve branch endpoints", "listProjectBranchEndpoints"),
    ("Retrieve jwks for project", "getProjectJWKS"),
    ("Retrieve organization by id", "getOrganization"),
    ("Retrieve organization invitations", "getOrganizationInvitations"),
    ("Retrieve organization member info", "getOrganizationMember"),
    ("Retrieve project endpoint details", "getProjectEndpoint"),
    ("Retrieve project operations", "listProjectOperations"),
    ("Retrieve project permissions", "listProjectPermissions"),
    ("Retrieve projects list", "listProjects"),
    ("Retrieve vpc endpoints for project", "listProjectVPCEndpoints"),
    ("Reveal role password in branch", "getProjectBranchRolePassword"),
    ("Send auth test email", "sendNeonAuthTestEmail"),
    ("Send organization invitations", "createOrganizationInvitations"),
    ("Set VPC endpoint restriction", "assignProjectVPCEndpoint"),
    ("Set branch as default", "setDefaultProjectBranch"),
    ("Start branch anonymization", "startAnonymization"),
    ("Start endpoint for project", "startProjectEndpoint"),
    ("Suspend project endpoint by id", "suspendProjectEndpoint"),
    ("Transfer projects between organizations", "transferProjectsFromOrgToOrg"),
    ("Transfer user projects to organization", "transferProjectsFromUserToOrg"),
    ("Update auth allow localhost", "updateNeonAuthAllowLocalhost"),
    ("Update auth oauth providers", "updateNeonAuthOauthProvider"),
    ("Update branch auth email provider", "updateNeonAuthEmailProvider"),
    ("Update branches data API", "updateProjectBranchDataAPI"),
    ("Update branches masking rules", "updateMaskingRules"),
    ("Update organization member role", "updateOrganizationMember"),
    ("Update project compute endpoint settings", "updateProjectEndpoint"),
    ("Update project settings by id", "updateProject"),
    ("Update project snapshot", "updateSnapshot"),
];

/// Actions in the catalogue: its "Tools & Actions (112 available)" section.
const CATALOGUE_SIZE: usize = 112;

#[test]
fn every_action_of_the_table_maps_to_a_generated_operation() {
    let generated: BTreeSet<&str> = all_operations().map(|op| op.id()).collect();
    let unknown: Vec<String> = CATALOGUE
        .iter()
        .filter(|(_, id)| !generated.contains(id))
        .map(|(action, id)| format!("{action} -> {id}"))
        .collect();
    assert!(
        unknown.is_empty(),
        "actions mapped to no operation of neon_edge::api::all_operations(): {unknown:#?}"
    );
}

#[test]
fn the_table_names_each_of_the_112_actions_once() {
    let names: BTreeSet<&str> = CATALOGUE.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.len(), CATALOGUE.len(), "an action is listed twice");
    assert_eq!(CATALOGUE.len(), CATALOGUE_SIZE);
}

fn catalogue_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/neon-tool-catalogue.txt")
}

#[test]
#[ignore = "reads ../shared/seeds/neon-tool-catalogue.txt beside the clone; scripts/contract.sh runs it with --ignored"]
fn the_table_lists_exactly_the_actions_of_the_catalogue_file() {
    let path = catalogue_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the catalogue file {} cannot be read ({e}): nothing to check the table against",
            path.display()
        )
    });
    let listed: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Tools & Actions"))
        .skip(1)
        .take_while(|l| l.starts_with("- "))
        .filter_map(|l| l.strip_prefix("- ")?.split(": ").next())
        .collect();
    assert_eq!(
        listed.len(),
        CATALOGUE_SIZE,
        "the catalogue file lists {} actions",
        listed.len()
    );
    let in_file: BTreeSet<&str> = listed.iter().copied().collect();
    let in_table: BTreeSet<&str> = CATALOGUE.iter().map(|(name, _)| *name).collect();
    let missing: Vec<&&str> = in_file.difference(&in_table).collect();
    let extra: Vec<&&str> = in_table.difference(&in_file).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "actions of the catalogue file missing from the table: {missing:#?}\nactions of the table not in the file: {extra:#?}"
    );
}
