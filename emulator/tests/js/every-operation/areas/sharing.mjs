// Sharing a project: permissions by email, the projects shared with me, transfer requests.
import assert from "node:assert/strict";

export const name = "sharing";

export async function run({ call, ids }) {
  const projectId = ids.spareProjectId;
  const granted = await call("grantPermissionToProject", { projectId, body: { email: ids.userEmail } });
  assert.equal(granted.granted_to_email, ids.userEmail);
  const listed = await call("listProjectPermissions", { projectId });
  assert.deepEqual(listed.project_permissions.map((p) => p.id), [granted.id]);
  const shared = await call("listSharedProjects", { limit: 10 });
  assert.deepEqual(shared.projects.map((p) => p.id), [projectId]);
  const revoked = await call("revokePermissionFromProject", { projectId, permissionId: granted.id });
  assert.ok(revoked.revoked_at);

  const request = await call("createProjectTransferRequest", { projectId, body: { ttl_seconds: 3600 } });
  await call("acceptProjectTransferRequest", { projectId, requestId: request.id, body: { org_id: ids.otherOrgId } });
  const moved = await call("getProject", { projectId });
  assert.equal(moved.project.org_id, ids.otherOrgId);
}
