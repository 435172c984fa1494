// Roles and databases of a branch, with role passwords.
import assert from "node:assert/strict";

export const name = "roles and databases";

export async function run({ call, ids }) {
  const at = { projectId: ids.projectId, branchId: ids.branchId };
  await call("createProjectBranchRole", { ...at, body: { role: { name: "app" } } });
  const roles = await call("listProjectBranchRoles", at);
  assert.ok(roles.roles.some((r) => r.name === "app"));
  await call("getProjectBranchRole", { ...at, roleName: "app" });
  const revealed = await call("getProjectBranchRolePassword", { ...at, roleName: "app" });
  const reset = await call("resetProjectBranchRolePassword", { ...at, roleName: "app" });
  assert.notEqual(reset.role.password, revealed.password);
  await call("createProjectBranchDatabase", { ...at, body: { database: { name: "shop", owner_name: "app" } } });
  const dbs = await call("listProjectBranchDatabases", at);
  assert.ok(dbs.databases.some((d) => d.name === "shop"));
  await call("getProjectBranchDatabase", { ...at, databaseName: "shop" });
  await call("updateProjectBranchDatabase", { ...at, databaseName: "shop", body: { database: { name: "store" } } });
  await call("deleteProjectBranchDatabase", { ...at, databaseName: "store" });
  await call("deleteProjectBranchRole", { ...at, roleName: "app" });
}
