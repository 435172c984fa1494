// Snapshots: take, list, rename, restore without finalizing, finalize, delete.
import assert from "node:assert/strict";

export const name = "snapshots";

export async function run({ call, ids }) {
  const projectId = ids.projectId;
  const snap = await call("createSnapshot", { projectId, branchId: ids.branchId, name: "v1" });
  const snapshotId = snap.snapshot.id;
  const listed = await call("listSnapshots", { projectId });
  assert.ok(listed.snapshots.some((s) => s.id === snapshotId));
  await call("updateSnapshot", { projectId, snapshotId, body: { snapshot: { name: "v1-renamed" } } });
  const restored = await call("restoreSnapshot", { projectId, snapshotId, body: { target_branch_id: ids.branchId, finalize_restore: false } });
  await call("finalizeRestoreBranch", { projectId, branchId: restored.branch.id, body: {} });
  // The restored branch took the place (name, default flag, endpoint) of the one it restored.
  const main = await call("getProjectBranch", { projectId, branchId: restored.branch.id });
  assert.equal(main.branch.default, true);
  ids.branchId = restored.branch.id;
  await call("deleteSnapshot", { projectId, snapshotId });
}
