// Projects: the one the other areas share, listings, updates, connection URIs, operations and
// transfers between organizations.
import assert from "node:assert/strict";

export const name = "projects";

export async function run({ call, ids }) {
  const created = await call("createProject", { body: { project: { name: "every-operation" } } });
  ids.projectId = created.project.id;
  ids.branchId = created.branch.id;
  ids.endpointId = created.endpoints[0].id;
  ids.roleName = created.roles[0].name;
  ids.databaseName = created.databases[0].name;
  const listed = await call("listProjects", { search: "every-operation" });
  assert.ok(listed.projects.some((p) => p.id === ids.projectId));
  const got = await call("getProject", { projectId: ids.projectId });
  assert.equal(got.project.name, "every-operation");
  const updated = await call("updateProject", { projectId: ids.projectId, body: { project: { name: "every-operation-renamed" } } });
  assert.equal(updated.project.name, "every-operation-renamed");
  const uri = await call("getConnectionURI", { projectId: ids.projectId, database_name: ids.databaseName, role_name: ids.roleName });
  assert.match(uri.uri, /^postgresql:\/\//);
  const ops = await call("listProjectOperations", { projectId: ids.projectId });
  const op = await call("getProjectOperation", { projectId: ids.projectId, operationId: ops.operations[0].id });
  assert.equal(op.operation.id, ops.operations[0].id);

  const moving = await call("createProject", { body: { project: { name: "every-operation-moving" } } });
  const movingId = moving.project.id;
  await call("transferProjectsFromUserToOrg", { body: { destination_org_id: ids.otherOrgId, project_ids: [movingId] } });
  await call("transferProjectsFromOrgToOrg", { sourceOrgId: ids.otherOrgId, body: { destination_org_id: moving.project.org_id, project_ids: [movingId] } });
  ids.spareProjectId = movingId;
}
