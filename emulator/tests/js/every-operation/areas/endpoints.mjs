// Compute endpoints: create, list, read, update, start, suspend, restart, delete.
import assert from "node:assert/strict";

export const name = "endpoints";

export async function run({ call, ids }) {
  const projectId = ids.projectId;
  const created = await call("createProjectEndpoint", { projectId, body: { endpoint: { branch_id: ids.branchId, type: "read_only" } } });
  const endpointId = created.endpoint.id;
  const listed = await call("listProjectEndpoints", { projectId });
  assert.ok(listed.endpoints.some((e) => e.id === endpointId));
  await call("getProjectEndpoint", { projectId, endpointId });
  await call("updateProjectEndpoint", { projectId, endpointId, body: { endpoint: { suspend_timeout_seconds: 600 } } });
  await call("suspendProjectEndpoint", { projectId, endpointId });
  await call("startProjectEndpoint", { projectId, endpointId });
  await call("restartProjectEndpoint", { projectId, endpointId });
  await call("deleteProjectEndpoint", { projectId, endpointId });
}
