// Deleting and recovering: a branch comes back with its data and endpoint, a project with its
// branches; both are listed while recoverable.
import assert from "node:assert/strict";

export const name = "delete and recover";


export async function run({ call, ids, sql }) {
  const projectId = ids.projectId;
  const created = await call("createProjectBranch", { projectId, body: { branch: { name: "short-lived" }, endpoints: [{ type: "read_write" }] } });
  const branchId = created.branch.id;
  const uri = created.connection_uris[0].connection_uri;
  await sql(uri, "CREATE TABLE kept (v text)");
  await sql(uri, "INSERT INTO kept VALUES ('still here')");
  await call("deleteProjectBranch", { projectId, branchId });
  const listed = await call("listProjectBranches", { projectId, include_deleted: true });
  const deleted = listed.branches.find((b) => b.id === branchId);
  assert.ok(deleted.recovery.recoverable_until);
  const recovered = await call("recoverProjectBranch", { projectId, branchId });
  assert.equal(recovered.endpoints[0].id, created.endpoints[0].id);
  assert.deepEqual(await sql(uri, "SELECT v FROM kept"), [{ v: "still here" }]);

  const spare = ids.spareProjectId;
  await call("deleteProject", { projectId: spare });
  const recoverable = await call("listProjects", { recoverable: true });
  assert.deepEqual(recoverable.projects.map((p) => p.id), [spare]);
  const back = await call("recoverProject", { projectId: spare });
  assert.equal(back.project.id, spare);
  const branches = await call("listProjectBranches", { projectId: spare });
  assert.equal(branches.branches.length, 1);
  await call("deleteProject", { projectId: spare });
}
