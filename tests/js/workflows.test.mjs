// The workflows of `neon-edge/workflows` end to end in Node against the local emulator (a real
// PostgreSQL behind it): the built package imported as users import it, SQL over HTTP from
// `neon-edge/postgres` checking the data behind each connection string, faults injected
// midway and re-runs that finish without duplicates.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, NeonApiError, NeonClientError, NeonOperationError } from "neon-edge/workflows";
import { sql } from "neon-edge/postgres";
import * as management from "neon-edge";
import { startEmulator } from "../support/emulator.mjs";

let emulator;
let neon;
const none = {};

before(async () => {
  emulator = await startEmulator();
  neon = new NeonClient({ apiKey: "napi_workflows", baseUrl: `${emulator.url}/api/v2` });
}, { timeout: 600_000 });
after(() => emulator?.close());

const control = (path, body) =>
  fetch(`${emulator.url}/__emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const db = (connectionString) => sql(connectionString, { endpoint: emulator.sqlEndpoint });
const column = async (connectionString, text) => (await db(connectionString).query(text)).rows.map((r) => Object.values(r)[0]);
const branchNames = async (projectId) => (await neon.listProjectBranches({ projectId })).branches.map((b) => b.name);

test("the same NeonClient, with every flat method, plus cached workflow namespaces", async () => {
  assert.equal(typeof neon.listProjects, "function");
  assert.equal(typeof neon.paginate.listProjects, "function");
  for (const ns of ["projects", "branches", "snapshots", "operations", "postgres", "checkpoints"]) {
    assert.equal(neon[ns], neon[ns], `${ns} is one object per client`);
  }
  assert.equal(typeof neon.projects.createAndConnect, "function");
  assert.equal(typeof neon.checkpoints.rollback, "function");
  assert.equal(management.NeonClient.prototype.projects, undefined, "neon-edge has no workflows");
  // One set of error classes for every module.
  assert.equal(NeonClientError, management.NeonClientError);
  const bad = await neon.projects.createAndConnect({ name: 42 }).catch((e) => e);
  assert.ok(bad instanceof management.NeonError, String(bad));
});

test("projects.createAndConnect waits, connects pooled, and reports each step without secrets", async () => {
  const steps = [];
  const app = await neon.projects.createAndConnect({ name: "js-app", pg_version: 17 }, { onProgress: (s) => steps.push(s) });
  assert.equal(app.project.name, "js-app");
  assert.equal(app.existing, false);
  assert.match(app.connectionString, /-pooler/);
  assert.deepEqual(await column(app.connectionString, "SELECT current_user"), ["neondb_owner"]);
  assert.deepEqual(steps.slice(0, 2).map((s) => [s.step, s.phase]), [["create_project", "started"], ["create_project", "done"]]);
  assert.equal(steps[1].projectId, app.project.id);
  const waiting = steps.find((s) => s.phase === "waiting");
  assert.ok(waiting.operations.length > 0 && waiting.operations.every((o) => o.status), JSON.stringify(waiting));
  assert.ok(steps.every((s) => s.workflow === "projects.createAndConnect"));
  assert.ok(!JSON.stringify(steps).includes(app.connectionString.split("@")[0]), "no credentials in progress events");

  // postgres.connectionString: default branch, only role and database; direct on request.
  const direct = await neon.postgres.connectionString({ projectId: app.project.id, pooled: false });
  assert.equal(direct, app.connectionString.replace("-pooler", ""));
  await neon.createProjectBranchRole({ projectId: app.project.id, branchId: app.branch.id, body: { role: { name: "reader" } } }, { wait: true });
  const ambiguous = await neon.postgres.connectionString({ projectId: app.project.id }).catch((e) => e);
  assert.ok(ambiguous instanceof NeonClientError, String(ambiguous));
  assert.equal(ambiguous.reason, "invalid_parameter");
  assert.equal(ambiguous.step, "pick_role");
  assert.match(ambiguous.message, /neondb_owner.*reader|reader.*neondb_owner/);
  assert.match(ambiguous.message, /roleName/);
  assert.doesNotMatch(ambiguous.message, /npg_|password/i);
});

test("branches.createAndConnect: compute checked before sending, data of the parent, default, reset, schema diff", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-branches" });
  const projectId = app.project.id;
  await db(app.connectionString).query("CREATE TABLE notes (body text)");
  await db(app.connectionString).query("INSERT INTO notes VALUES ('from main')");

  const before = await branchNames(projectId);
  const bad = await neon.branches.createAndConnect({ projectId, name: "too-big", compute: { minCu: 0.25, maxCu: 9 } }).catch((e) => e);
  assert.ok(bad instanceof NeonClientError);
  assert.equal(bad.step, "validate");
  assert.match(bad.message, /maxCu/);
  assert.deepEqual(await branchNames(projectId), before, "nothing was created");

  const dev = await neon.branches.createAndConnect({ projectId, name: "dev", compute: { minCu: 0.25, maxCu: 0.5, suspendTimeoutSeconds: 300 } });
  assert.equal(dev.branch.name, "dev");
  assert.equal(dev.endpoint.autoscaling_limit_max_cu, 0.5);
  assert.notEqual(dev.connectionString, app.connectionString);
  assert.deepEqual(await column(dev.connectionString, "SELECT body FROM notes"), ["from main"]);

  assert.equal((await neon.branches.getDefault({ projectId })).id, app.branch.id);
  await neon.branches.setDefault({ projectId, branchId: dev.branch.id });
  assert.equal((await neon.branches.getDefault({ projectId })).id, dev.branch.id);
  await neon.branches.setDefault({ projectId, branchId: app.branch.id });

  await db(dev.connectionString).query("CREATE TABLE extra (id int)");
  const diff = await neon.branches.compareSchema({ projectId, branchId: dev.branch.id, databaseName: "neondb" });
  assert.match(diff.diff, /extra/);

  await db(dev.connectionString).query("INSERT INTO notes VALUES ('from dev')");
  const reset = await neon.branches.resetFromParent({ projectId, branchId: dev.branch.id });
  assert.equal(reset.id, dev.branch.id);
  assert.deepEqual(await column(dev.connectionString, "SELECT body FROM notes"), ["from main"], "same connection string, parent's data");
  const root = await neon.branches.resetFromParent({ projectId, branchId: app.branch.id }).catch((e) => e);
  assert.ok(root instanceof NeonClientError);
  assert.match(root.message, /no parent/);
});

test("operations.waitFor takes @neon/sdk's shape (operations alone) and the existing one", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-ops" });
  const created = await neon.createProjectBranch({ projectId: app.project.id, body: { branch: { name: "w" } } });
  const states = await neon.operations.waitFor({ operations: created.operations });
  assert.equal(states.length, created.operations.length);
  assert.ok(states.every((o) => o.status === "finished"), JSON.stringify(states));
  const byId = await neon.operations.waitFor({ projectId: app.project.id, operationIds: created.operations.map((o) => o.id) }, { timeoutMs: 5000 });
  assert.deepEqual(byId.map((o) => o.id), created.operations.map((o) => o.id));
});

test("checkpoints: rollback restores the old rows on the same connection string; a preview leaves production untouched", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-checkpoints" });
  const projectId = app.project.id;
  const prod = db(app.connectionString);
  await prod.query("CREATE TABLE todo (title text)");
  await prod.query("INSERT INTO todo VALUES ('v1')");
  const checkpoint = await neon.checkpoints.create({ projectId, branchId: app.branch.id, name: "version-1" });
  await prod.query("INSERT INTO todo VALUES ('v2')");

  const history = await neon.checkpoints.list({ projectId });
  assert.deepEqual(history.map((s) => s.name), ["version-1"]);
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const updated = await neon.checkpoints.update({ projectId, snapshotId: checkpoint.id, expiresAt: later });
  assert.equal(Date.parse(updated.expires_at), Date.parse(later));

  const preview = await neon.checkpoints.preview({ projectId, snapshotId: checkpoint.id, name: "preview-v1" });
  assert.notEqual(preview.connectionString, app.connectionString);
  assert.deepEqual(await column(preview.connectionString, "SELECT title FROM todo ORDER BY 1"), ["v1"]);
  assert.deepEqual(await column(app.connectionString, "SELECT title FROM todo ORDER BY 1"), ["v1", "v2"]);

  const steps = [];
  const rolled = await neon.checkpoints.rollback({ projectId, snapshotId: checkpoint.id }, { onProgress: (s) => steps.push(s) });
  assert.deepEqual(rolled.deletedBranchIds, [app.branch.id]);
  assert.deepEqual(await column(app.connectionString, "SELECT title FROM todo ORDER BY 1"), ["v1"]);
  assert.ok(!(await branchNames(projectId)).some((n) => n.endsWith("(old)")));
  assert.ok(steps.some((s) => s.step === "restore_snapshot" && s.phase === "done"));

  const dev = await neon.branches.createAndConnect({ projectId, name: "dev" });
  const child = await neon.checkpoints.create({ projectId, branchId: dev.branch.id, name: "nope" }).catch((e) => e);
  assert.ok(child instanceof NeonClientError);
  assert.match(child.message, /not a root branch/);
  await neon.checkpoints.delete({ projectId, snapshotId: checkpoint.id });
  assert.deepEqual(await neon.checkpoints.list({ projectId }), []);
});

test("snapshots.restore with preview: the callback runs SQL on the restored branch, then finalizes or discards", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-restore" });
  const projectId = app.project.id;
  await db(app.connectionString).query("CREATE TABLE t (v text)");
  await db(app.connectionString).query("INSERT INTO t VALUES ('snap')");
  const snap = await neon.checkpoints.create({ projectId, branchId: app.branch.id, name: "s" });
  await db(app.connectionString).query("INSERT INTO t VALUES ('after')");

  let seen;
  const discarded = await neon.snapshots.restore({
    projectId,
    snapshotId: snap.id,
    targetBranchId: app.branch.id,
    name: "looked-at",
    preview: async (branch) => {
      const url = await neon.postgres.connectionString({ projectId, branchId: branch.id });
      seen = await column(url, "SELECT v FROM t ORDER BY 1");
      return false;
    },
  });
  assert.deepEqual(seen, ["snap"]);
  assert.deepEqual([discarded.finalized, discarded.discarded], [false, true]);
  assert.ok(!(await branchNames(projectId)).includes("looked-at"), "discarded");
  assert.deepEqual(await column(app.connectionString, "SELECT v FROM t ORDER BY 1"), ["after", "snap"]);

  const kept = await neon.snapshots.restore({ projectId, snapshotId: snap.id, name: "kept", preview: () => false, keepOnAbort: true });
  assert.ok((await branchNames(projectId)).includes("kept"));
  assert.equal(kept.discarded, false);

  const committed = await neon.snapshots.restore({ projectId, snapshotId: snap.id, targetBranchId: app.branch.id, preview: () => true });
  assert.equal(committed.finalized, true);
  assert.deepEqual(await column(app.connectionString, "SELECT v FROM t ORDER BY 1"), ["snap"], "finalized onto production");

  // What the callback throws (or rejects with) reaches the caller as that same object,
  // given the workflow's fields; never a store_failed client error.
  class ChecksFailed extends Error {}
  const mine = new ChecksFailed("checks failed");
  const thrown = await neon.snapshots.restore({ projectId, snapshotId: snap.id, name: "boom", preview: () => { throw mine; } }).catch((e) => e);
  assert.equal(thrown, mine, String(thrown));
  assert.ok(thrown instanceof ChecksFailed);
  assert.equal(thrown.message, "checks failed");
  assert.equal(thrown.reason, undefined, "not a store_failed client error");
  assert.equal(thrown.step, "preview");
  assert.equal(thrown.workflow, "snapshots.restore");
  assert.deepEqual(thrown.leftBehind.map((r) => [r.kind, r.name]), [["branch", "boom"]]);
  const rejection = { code: "E_CHECK", step: "my-own-step" };
  const rejected = await neon.snapshots.restore({ projectId, snapshotId: snap.id, name: "boom-2", preview: async () => { throw rejection; } }).catch((e) => e);
  assert.equal(rejected, rejection);
  assert.equal(rejected.step, "my-own-step", "the caller's own fields are left as they are");
  assert.deepEqual(rejected.leftBehind.map((r) => r.name), ["boom-2"]);
  const frozen = Object.freeze(new Error("frozen"));
  assert.equal(await neon.snapshots.restore({ projectId, snapshotId: snap.id, name: "boom-3", preview: () => Promise.reject(frozen) }).catch((e) => e), frozen);
  const notBoolean = await neon.snapshots.restore({ projectId, snapshotId: snap.id, name: "boom-4", preview: () => "yes" }).catch((e) => e);
  assert.ok(notBoolean instanceof NeonClientError, String(notBoolean));
  assert.equal(notBoolean.step, "preview");
});

test("snapshots.getSchedule / setSchedule: the default branch's backup schedule, set and read back", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-schedule" });
  const projectId = app.project.id;
  assert.deepEqual(await neon.snapshots.getSchedule({ projectId }), [], "none at first");
  const schedule = [{ frequency: "daily", hour: 3, retention_seconds: 604800 }, { frequency: "weekly", day: 1, hour: 4 }];
  const set = await neon.snapshots.setSchedule({ projectId, schedule });
  assert.deepEqual(set.map((i) => i.frequency), ["daily", "weekly"]);
  assert.equal(set[0].hour, 3);
  assert.deepEqual(await neon.snapshots.getSchedule({ projectId, branchId: app.branch.id }), set);

  const notArray = await neon.snapshots.setSchedule({ projectId, schedule: { frequency: "daily" } }).catch((e) => e);
  assert.ok(notArray instanceof NeonClientError, String(notArray));
  assert.equal(notArray.step, "set_schedule");
  assert.match(notArray.message, /schedule/);
  const refused = await neon.snapshots.setSchedule({ projectId, schedule: [{ frequency: "every minute" }] }).catch((e) => e);
  assert.ok(refused instanceof NeonApiError, String(refused));
  assert.equal(refused.step, "set_schedule");
  assert.deepEqual(await neon.snapshots.getSchedule({ projectId }), set, "a refused schedule changes nothing");
  assert.deepEqual(await neon.snapshots.setSchedule({ projectId, schedule: [] }), [], "[] turns it off");
});

test("faults midway: a failed operation and a 423 name the step and what was left; a re-run finishes without duplicates", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-resume" });
  const projectId = app.project.id;

  await control("config", { fail_next_operations: 1 });
  const failed = await neon.branches.createAndConnect({ projectId, name: "feature" }).catch((e) => e);
  assert.ok(failed instanceof NeonOperationError, String(failed));
  assert.equal(failed.workflow, "branches.createAndConnect");
  assert.equal(failed.step, "wait_for_operations");
  assert.equal(failed.leftBehind.length, 1);
  assert.equal(failed.leftBehind[0].kind, "branch");
  assert.match(failed.message, new RegExp(failed.leftBehind[0].id));

  const resumed = await neon.branches.createAndConnect({ projectId, name: "feature" }, { ifExists: "return" });
  assert.equal(resumed.existing, true);
  assert.equal(resumed.branch.id, failed.leftBehind[0].id);
  assert.deepEqual(await column(resumed.connectionString, "SELECT 1 AS one"), [1]);
  assert.equal((await branchNames(projectId)).filter((n) => n === "feature").length, 1);

  // A 423 that outlasts the retries: the step that met it is named, nothing is left behind.
  await fetch(`${emulator.url}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: `/api/v2/projects/${projectId}/branches`, method: "POST", status: 423, times: 0 }),
  });
  const locked = await neon.branches.createAndConnect({ projectId, name: "locked" }, { retry: { maxAttempts: 2 } }).catch((e) => e);
  await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" });
  assert.ok(locked instanceof NeonApiError, String(locked));
  assert.equal(locked.status, 423);
  assert.equal(locked.step, "create_branch");
  assert.deepEqual(locked.leftBehind, []);
  const after = await neon.branches.createAndConnect({ projectId, name: "locked" }, { ifExists: "return" });
  assert.equal(after.existing, false);

  // A dropped connection while waiting for the new project (a client without retries, so the
  // drop is not ridden out): the re-run finds the project by name.
  const fragile = new NeonClient({ apiKey: "napi_workflows", baseUrl: `${emulator.url}/api/v2`, retry: false });
  await control("faults", { path: "/api/v2/projects/", method: "GET", drop_connection: true, times: 1 });
  const dropped = await fragile.projects.createAndConnect({ name: "js-tenant-7" }).catch((e) => e);
  await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" });
  assert.ok(["network", "decode"].includes(dropped.kind), String(dropped));
  assert.equal(dropped.step, "wait_for_operations");
  assert.equal(dropped.leftBehind.length, 1);
  const done = await neon.projects.createAndConnect({ name: "js-tenant-7" }, { ifExists: "return" });
  assert.equal(done.existing, true);
  assert.equal(done.project.id, dropped.leftBehind[0].id);
  const all = await neon.paginate.listProjects({ limit: 100 }).all();
  assert.equal(all.filter((p) => p.name === "js-tenant-7").length, 1);
});

test("projects.transfer sends at most 400 projects per request, one result per batch", async () => {
  const orgs = (await neon.getCurrentUserOrganizations()).organizations;
  assert.ok(orgs.length >= 2, JSON.stringify(orgs));
  const [from, to] = orgs;
  const own = await neon.projects.createAndConnect({ name: "js-transfer", org_id: from.id });
  // 400 unknown ids, then the real project alone in the second request.
  const ids = [...Array.from({ length: 400 }, (_, i) => `missing-${i}`), own.project.id];
  const batches = await neon.projects.transfer({ fromOrgId: from.id, toOrgId: to.id, projectIds: ids });
  assert.deepEqual(batches.map((b) => b.projectIds.length), [400, 1]);
  assert.deepEqual(batches.map((b) => b.ok), [false, true]);
  assert.ok(batches[0].error instanceof NeonApiError, String(batches[0].error));
  assert.equal((await neon.getProject({ projectId: own.project.id })).project.org_id, to.id);
  const invalid = await neon.projects.transfer({ fromOrgId: from.id, toOrgId: to.id, projectIds: [] }).catch((e) => e);
  assert.ok(invalid instanceof NeonClientError);
  assert.equal(invalid.step, "validate");
});
