// The Data API of a database and Neon Auth on a branch.
import assert from "node:assert/strict";

export const name = "data api and neon auth";

export async function run({ call, ids }) {
  const at = { projectId: ids.projectId, branchId: ids.devBranchId };
  const api = await call("createProjectBranchDataAPI", { ...at, databaseName: ids.databaseName, body: {} });
  assert.match(api.url, /^https?:\/\//);
  await call("getProjectBranchDataAPI", { ...at, databaseName: ids.databaseName });
  await call("updateProjectBranchDataAPI", { ...at, databaseName: ids.databaseName, body: { settings: { db_max_rows: 100 } } });
  await call("deleteProjectBranchDataAPI", { ...at, databaseName: ids.databaseName });
  const auth = await call("createNeonAuth", { ...at, body: { auth_provider: "better_auth" } });
  assert.equal(auth.auth_provider, "better_auth");
  await call("getNeonAuth", at);
  await call("disableNeonAuth", at);
}
