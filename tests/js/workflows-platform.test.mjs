// The agent-platform guide's procedures through the built `neon-edge/workflows` in Node,
// against the local emulator: per-user provisioning from a tier table (resumed after a
// failure), tier upgrade, point in time, preview cleanup, autoscaling, usage.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, NeonClientError } from "neon-edge/workflows";
import { sql } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";

let emulator;
let neon;
let tiers;

before(async () => {
  emulator = await startEmulator();
  neon = new NeonClient({ apiKey: "napi_platform", baseUrl: `${emulator.url}/api/v2` });
  const [sponsored, paid] = (await neon.getCurrentUserOrganizations()).organizations;
  // The caller's tier table, shaped as the guide's sponsored / paid organizations.
  tiers = {
    free: { orgId: sponsored.id, compute: { minCu: 0.25, maxCu: 1, suspendTimeoutSeconds: 300 }, quota: { active_time_seconds: 360000 } },
    pro: { orgId: paid.id, compute: { minCu: 0.25, maxCu: 4, suspendTimeoutSeconds: 600 }, quota: { active_time_seconds: 3600000 } },
  };
}, { timeout: 600_000 });
after(() => emulator?.close());

const column = async (url, text) => (await sql(url, { endpoint: emulator.sqlEndpoint }).query(text)).rows.map((r) => Object.values(r)[0]);

test("platform.provision: a failed first run is finished by the second; then upgradeTier moves and reconfigures it", async () => {
  const params = { name: "user-7", tier: tiers.free, pgVersion: 17, roleName: "app_user", databaseName: "app_db" };
  const invalid = await neon.platform.provision({ ...params, tier: { ...tiers.free, compute: { maxCu: 12 } } }).catch((e) => e);
  assert.ok(invalid instanceof NeonClientError);
  assert.equal(invalid.step, "validate");

  await fetch(`${emulator.url}/__emulator/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fail_next_operations: 1 }) });
  const failed = await neon.platform.provision(params).catch((e) => e);
  assert.equal(failed.step, "wait_for_operations");
  assert.deepEqual(failed.leftBehind.map((r) => r.kind), ["project"]);

  const steps = [];
  const user = await neon.platform.provision(params, { onProgress: (s) => steps.push(`${s.step}:${s.phase}`) });
  assert.equal(user.existing, true);
  assert.equal(user.project.id, failed.leftBehind[0].id);
  assert.ok(steps.includes("apply_quotas:done"), steps.join());
  assert.match(user.connectionString, /-pooler/);
  assert.doesNotMatch(user.directConnectionString, /-pooler/);
  assert.deepEqual(await column(user.connectionString, "SELECT current_user"), ["app_user"]);
  assert.deepEqual(await column(user.directConnectionString, "SELECT current_user"), ["app_user"]);
  assert.equal((await neon.listProjects({ search: "user-7" })).projects.length, 1);
  const { project } = await neon.getProject({ projectId: user.project.id });
  assert.equal(project.org_id, tiers.free.orgId);
  assert.equal(project.settings.quota.active_time_seconds, 360000);

  const upgraded = await neon.platform.upgradeTier({ projectId: user.project.id, tier: tiers.pro });
  assert.equal(upgraded.org_id, tiers.pro.orgId);
  assert.equal(upgraded.settings.quota.active_time_seconds, 3600000);
  const [endpoint] = (await neon.listProjectEndpoints({ projectId: user.project.id })).endpoints;
  assert.equal(endpoint.autoscaling_limit_max_cu, 4);
  assert.deepEqual(await column(user.connectionString, "SELECT current_user"), ["app_user"], "same connection string after the upgrade");
});

test("branches.pointInTime sees the rows of that moment; cleanupPreviews refuses and names a branch with children", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-pitr" });
  const projectId = app.project.id;
  const db = sql(app.connectionString, { endpoint: emulator.sqlEndpoint });
  await db.query("CREATE TABLE events (n int)");
  await db.query("INSERT INTO events VALUES (1)");
  await new Promise((r) => setTimeout(r, 50));
  const moment = (await db.query("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS t")).rows[0].t;
  await new Promise((r) => setTimeout(r, 50));
  await db.query("INSERT INTO events VALUES (2)");

  const past = await neon.branches.pointInTime({ projectId, name: "pitr-1", timestamp: moment, compute: { maxCu: 0.5 } });
  assert.deepEqual(await column(past.connectionString, "SELECT n FROM events ORDER BY n"), [1]);
  assert.deepEqual(await column(app.connectionString, "SELECT n FROM events ORDER BY n"), [1, 2]);
  const neither = await neon.branches.pointInTime({ projectId, name: "x" }).catch((e) => e);
  assert.equal(neither.step, "validate");

  await neon.branches.createAndConnect({ projectId, name: "preview-a" });
  const b = await neon.branches.createAndConnect({ projectId, name: "preview-b" });
  await neon.branches.createAndConnect({ projectId, name: "child-of-b", parentId: b.branch.id });
  const done = await neon.branches.cleanupPreviews({ projectId, namePrefix: "preview-", createdBefore: "2999-01-01T00:00:00Z" });
  assert.deepEqual(done.deleted.map((x) => x.name), ["preview-a"]);
  assert.deepEqual(done.refused.map((r) => [r.branch.name, r.children]), [["preview-b", ["child-of-b"]]]);

  const updated = await neon.endpoints.setAutoscaling({ projectId, branchId: past.branch.id, compute: { minCu: 0.5, maxCu: 2 } });
  assert.deepEqual(updated.map((e) => [e.autoscaling_limit_min_cu, e.autoscaling_limit_max_cu]), [[0.5, 2]]);
  const [alwaysOn] = await neon.endpoints.disableSuspend({ projectId, endpointId: past.endpoint.id });
  assert.equal(alwaysOn.suspend_timeout_seconds, -1);

  const usage = await neon.usage.project({ projectId });
  assert.equal(usage.project_id, projectId);
  const history = await neon.usage.projects({
    orgId: app.project.org_id, from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", granularity: "monthly", projectIds: [projectId],
  });
  assert.deepEqual(history.map((p) => p.project_id), [projectId]);
});

test("dataApi.enable enables Neon Auth first (its users table is there) and a re-run returns the same Data API", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-data-api" });
  const projectId = app.project.id;
  const external = await neon.dataApi.enable({ projectId, databaseName: "neondb", authProvider: "external" }).catch((e) => e);
  assert.ok(external instanceof NeonClientError);
  assert.equal(external.step, "validate");

  const enabled = await neon.dataApi.enable({ projectId, databaseName: "neondb" });
  assert.match(enabled.dataApi.url, /\/rest\/v1$/);
  assert.equal(enabled.neonAuth.auth_provider, "better_auth");
  assert.deepEqual(await column(app.connectionString, "SELECT count(*)::int AS n FROM neon_auth.users_sync"), [0]);
  const again = await neon.dataApi.enable({ projectId, databaseName: "neondb" });
  assert.equal(again.dataApi.url, enabled.dataApi.url);
  assert.deepEqual(await neon.neonAuth.enable({ projectId }), enabled.neonAuth);
});

test("neonAuth.setup as the guide does it: keys, OAuth providers, users synced into neon_auth.users_sync; a re-run adds only what is missing", async () => {
  const app = await neon.projects.createAndConnect({ name: "js-neon-auth" });
  const projectId = app.project.id;
  const params = {
    projectId,
    oauthProviders: [{ id: "google" }, { id: "github", client_id: "Iv1.example", client_secret: "shh-oauth-secret" }],
    users: [{ email: "ada@example.com", name: "Ada" }, { email: "alan@example.com", name: "Alan" }],
    sqlEndpoint: emulator.sqlEndpoint,
  };
  const steps = [];
  const first = await neon.neonAuth.setup(params, { onProgress: (s) => steps.push(s) });
  assert.match(first.keys.secret_server_key, /^ssk_/);
  assert.match(first.keys.pub_client_key, /^pck_/);
  assert.deepEqual(first.oauthProviders.map((p) => p.id), ["google", "github"]);
  assert.equal(first.createdUserIds.length, 2);
  assert.deepEqual(first.syncedUsers.map((u) => [u.email, u.name]), [["ada@example.com", "Ada"], ["alan@example.com", "Alan"]]);
  assert.deepEqual(first.syncedUsers.map((u) => u.id), first.createdUserIds);
  const told = JSON.stringify(steps);
  assert.ok(!told.includes(first.keys.secret_server_key) && !told.includes("shh-oauth-secret"), "no secrets in progress events");
  assert.ok(steps.some((s) => s.step === "create_user") && steps.some((s) => s.step === "read_synced_users" || s.step === "create_sdk_keys"), told);

  const again = await neon.neonAuth.setup({ ...params, users: [...params.users, { email: "grace@example.com" }] });
  assert.deepEqual(again.oauthProviders.map((p) => p.id), ["google", "github"], "no duplicate providers");
  assert.equal(again.createdUserIds.length, 1);
  assert.deepEqual(again.syncedUsers.map((u) => u.email), ["ada@example.com", "alan@example.com", "grace@example.com"]);
  assert.deepEqual(await column(app.connectionString, "SELECT email FROM neon_auth.users_sync WHERE deleted_at IS NULL ORDER BY email"), ["ada@example.com", "alan@example.com", "grace@example.com"]);

  const bad = await neon.neonAuth.setup({ projectId, users: [{ name: "no email" }] }).catch((e) => e);
  assert.ok(bad instanceof NeonClientError, String(bad));
  assert.equal(bad.step, "validate");
  assert.match(bad.message, /email/);
  const notArray = await neon.neonAuth.setup({ projectId, users: "ada@example.com" }).catch((e) => e);
  assert.ok(notArray instanceof NeonClientError, String(notArray));
  assert.match(notArray.message, /users/);
});
