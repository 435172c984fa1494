// Who may do what: JWKS mapped to roles, service credentials, auth details, the security advisor
// on the real database, preload libraries and backup schedules.
import assert from "node:assert/strict";

export const name = "access";


export async function run({ call, ids, sql }) {
  const projectId = ids.projectId;
  const added = await call("addProjectJWKS", { projectId, body: { jwks_url: "https://auth.example.com/.well-known/jwks.json", provider_name: "example", branch_id: ids.branchId, role_names: ["authenticated", "anonymous"] } });
  const jwks = await call("getProjectJWKS", { projectId });
  assert.deepEqual(jwks.jwks.map((j) => j.id), [added.jwks.id]);
  const roles = await call("listProjectBranchRoles", { projectId, branchId: ids.branchId });
  assert.ok(["authenticated", "anonymous"].every((r) => roles.roles.some((x) => x.name === r)));
  await call("deleteProjectJWKS", { projectId, jwksId: added.jwks.id });

  const at = { projectId, branchId: ids.branchId };
  const credential = await call("createCredential", { ...at, body: { name: "uploader", scopes: ["storage:write"], principal_type: "user" } });
  assert.ok(credential.api_token);
  const credentials = await call("listCredentials", at);
  assert.equal(credentials.credentials[0].token_id, credential.token_id);
  assert.equal(credentials.credentials[0].api_token, undefined);
  await call("revokeCredential", { ...at, tokenId: credential.token_id });

  const auth = await call("getAuthDetails");
  assert.equal(auth.auth_method, "api_key_user");

  const uri = await call("getConnectionURI", { projectId, database_name: ids.databaseName, role_name: ids.roleName });
  await sql(uri.uri, "CREATE TABLE notes (id int PRIMARY KEY, body text)");
  await call("createProjectBranchDataAPI", { ...at, databaseName: ids.databaseName, body: {} });
  const advice = await call("getProjectAdvisorSecurityIssues", { projectId, branch_id: ids.branchId, database_name: ids.databaseName });
  assert.deepEqual(advice.issues.map((i) => i.metadata.name), ["notes"]);
  await sql(uri.uri, "ALTER TABLE notes ENABLE ROW LEVEL SECURITY");
  const fixed = await call("getProjectAdvisorSecurityIssues", { projectId, category: "SECURITY" });
  assert.deepEqual(fixed.issues, []);

  const libraries = await call("getAvailablePreloadLibraries", { projectId });
  assert.ok(libraries.libraries.some((l) => l.library_name === "pg_stat_statements"));

  await call("setSnapshotSchedule", { ...at, body: { schedule: [{ frequency: "daily", hour: 3, retention_seconds: 604800 }] } });
  const schedule = await call("getSnapshotSchedule", at);
  assert.deepEqual(schedule.schedule, [{ frequency: "daily", hour: 3, retention_seconds: 604800 }]);
}
