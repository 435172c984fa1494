//! The 112 actions users expect from a Neon integration (the tool catalogue in
//! `shared/seeds/neon-tool-catalogue.txt`), each mapped to the generated operation that
//! performs it. Fails when an action maps to no operation of the generated table.

use neon_edge::api::{all_operations, operation};
use std::collections::BTreeSet;
use std::path::Path;

/// Catalogue action -> operationId. Kept by hand: the catalogue's names are prose.
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

#[test]
fn every_catalogue_action_maps_to_a_generated_operation() {
    let missing: Vec<String> = CATALOGUE
        .iter()
        .filter(|(_, id)| operation(id).is_none())
        .map(|(action, id)| format!("{action} -> {id}"))
        .collect();
    println!(
        "{}/{} catalogue actions map to operations",
        CATALOGUE.len() - missing.len(),
        CATALOGUE.len()
    );
    assert!(
        missing.is_empty(),
        "catalogue actions with no operation: {missing:#?}"
    );
}

#[test]
fn the_mapping_names_each_action_once() {
    let names: BTreeSet<&str> = CATALOGUE.iter().map(|(name, _)| *name).collect();
    assert_eq!(names.len(), CATALOGUE.len(), "an action is listed twice");
    assert_eq!(CATALOGUE.len(), 112);
}

#[test]
fn the_mapping_covers_every_action_of_the_catalogue_file() {
    // The catalogue lives in the shared folder beside the repository; the table above is
    // checked against it wherever that folder is present.
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/neon-tool-catalogue.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("{} not found: checked the table only", path.display());
        return;
    };
    let actions: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Tools & Actions"))
        .skip(1)
        .take_while(|l| l.starts_with("- "))
        .filter_map(|l| l.strip_prefix("- ")?.split(": ").next())
        .collect();
    assert_eq!(actions.len(), 112, "the catalogue changed size");
    let unmapped: Vec<&&str> = actions
        .iter()
        .filter(|a| !CATALOGUE.iter().any(|(name, _)| name == *a))
        .collect();
    assert!(
        unmapped.is_empty(),
        "catalogue actions missing from the mapping: {unmapped:#?}"
    );
}

#[test]
fn operations_outside_the_catalogue_are_still_generated() {
    let mapped: BTreeSet<&str> = CATALOGUE.iter().map(|(_, id)| *id).collect();
    let unmapped = all_operations()
        .filter(|op| !mapped.contains(op.id()))
        .count();
    let total = all_operations().count();
    println!(
        "{total} operations, {} used by the catalogue, {unmapped} beyond it",
        mapped.len()
    );
    assert!(mapped.len() + unmapped == total);
}
