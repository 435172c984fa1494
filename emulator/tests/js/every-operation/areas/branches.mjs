// Branches: create, list, count, read, rename, default, schema and its diff, restore, delete.
import assert from "node:assert/strict";

export const name = "branches";

export async function run({ call, ids }) {
  const projectId = ids.projectId;
  const dev = await call("createProjectBranch", { projectId, body: { branch: { name: "dev" }, endpoints: [{ type: "read_write" }] } });
  ids.devBranchId = dev.branch.id;
  const listed = await call("listProjectBranches", { projectId });
  assert.equal(listed.branches.length, 2);
  const count = await call("countProjectBranches", { projectId });
  assert.equal(count.count, 2);
  const got = await call("getProjectBranch", { projectId, branchId: ids.devBranchId });
  assert.equal(got.branch.name, "dev");
  await call("updateProjectBranch", { projectId, branchId: ids.devBranchId, body: { branch: { name: "dev-renamed" } } });
  const endpoints = await call("listProjectBranchEndpoints", { projectId, branchId: ids.devBranchId });
  assert.equal(endpoints.endpoints.length, 1);
  await call("getProjectBranchSchema", { projectId, branchId: ids.devBranchId, db_name: ids.databaseName });
  await call("getProjectBranchSchemaComparison", { projectId, branchId: ids.devBranchId, db_name: ids.databaseName });
  await call("restoreProjectBranch", { projectId, branchId: ids.devBranchId, body: { source_branch_id: ids.branchId } });
  await call("setDefaultProjectBranch", { projectId, branchId: ids.devBranchId });
  await call("setDefaultProjectBranch", { projectId, branchId: ids.branchId });
  const doomed = await call("createProjectBranch", { projectId, body: { branch: { name: "doomed" } } });
  await call("deleteProjectBranch", { projectId, branchId: doomed.branch.id });
}
