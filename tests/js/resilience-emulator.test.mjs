// Resilience end to end against the local Neon emulator: 423s while operations run, waits,
// ifExists on a real conflict, cursor pagination and injected faults.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient } from "neon-edge";
import { startEmulator } from "../support/emulator.mjs";

let emulator;
let base;
const retried = [];
const client = (options = {}) =>
  new NeonClient({ apiKey: "napi_resilience", baseUrl: base, retry: { maxAttempts: 8, onRetry: (e) => retried.push(e) }, ...options });

before(async () => {
  emulator = await startEmulator();
  base = `${emulator.url}/api/v2`;
}, { timeout: 600_000 });
after(() => emulator?.close());

test("a mutation right after a create rides out 423 Locked, and wait: true waits for its operations", async () => {
  const neon = client();
  const created = await neon.createProject({ body: { project: { name: "resilience-423" } } });
  assert.ok(created.operations.length > 0);
  retried.length = 0;
  const branch = await neon.createProjectBranch(
    { projectId: created.project.id, body: { branch: { name: "dev" } } },
    { wait: true },
  );
  assert.ok(retried.some((e) => e.reason === "locked" && e.operation === "createProjectBranch"), JSON.stringify(retried));
  const ops = await neon.waitForOperations({ projectId: created.project.id, operationIds: branch.operations.map((o) => o.id) });
  assert.ok(ops.every((o) => o.status === "finished"), JSON.stringify(ops));
});

test('ifExists: "return" resolves a role that already exists to that role', async () => {
  const neon = client();
  const { project, branch } = await neon.createProject({ body: { project: { name: "resilience-409" } } }, { wait: true });
  const args = { projectId: project.id, branchId: branch.id, body: { role: { name: "app_user" } } };
  await neon.createProjectBranchRole(args, { wait: true });
  const conflict = await neon.createProjectBranchRole(args).catch((e) => e);
  assert.equal(conflict.kind, "conflict");
  const again = await neon.createProjectBranchRole(args, { ifExists: "return" });
  assert.equal(again.role.name, "app_user");
});

test("paginate.listProjects follows the emulator's cursors to the end", async () => {
  const neon = client();
  for (const name of ["page-a", "page-b"]) await neon.createProject({ body: { project: { name } } }, { wait: true });
  const all = await neon.paginate.listProjects({ limit: 1 }).all();
  const names = all.map((p) => p.name);
  assert.ok(names.includes("page-a") && names.includes("page-b"), names.join());
  assert.equal(new Set(all.map((p) => p.id)).size, all.length);
});

test("injected 503s on a GET are retried; on a POST they are not", async () => {
  const fault = (rule) =>
    fetch(`${emulator.url}/__emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  await fault({ path: "/api/v2/projects", method: "GET", status: 503, times: 2 });
  const neon = client();
  retried.length = 0;
  await neon.listProjects();
  assert.equal(retried.filter((e) => e.reason === "unavailable").length, 2);
  await fault({ path: "/api/v2/projects", method: "POST", status: 503, times: 1 });
  const err = await neon.createProject({ body: { project: { name: "never-twice" } } }).catch((e) => e);
  assert.equal(err.status, 503);
  const listed = await neon.paginate.listProjects({ limit: 100 }).all();
  assert.ok(!listed.some((p) => p.name === "never-twice"));
});
