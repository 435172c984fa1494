// The runtime examples (examples/node, deno, bun, vercel-edge) run in their real runtimes
// against the emulator, as `node examples/shared/local.mjs <runtime>` runs them: Node, Deno and
// Bun from their npm packages, the Edge function bundled for `edge-light` inside Vercel's Edge
// runtime (npm `edge-runtime`). Each test checks what the example printed or answered and
// the emulator's state afterwards: the branch exists and its operations finished, the
// claimable database holds the row the example's query inserted.
// It also checks which of the package's entries Deno and Bun load (deno.js, node.js).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { NeonClient } from "neon-edge";
import { getClaimableDatabase, sql } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";
import { localEnv, runScript, loadEdgeFunction, createExampleProject } from "../../examples/shared/local.mjs";
import { REFERRER } from "../../examples/shared/tour.mjs";

const packageVersion = (name) => JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
const VERSIONS = { node: `Node ${process.version}`, deno: `Deno ${packageVersion("deno")}`, bun: `Bun ${packageVersion("bun")}` };

let emu;
let settings;
let project;
let neon;
before(async () => {
  emu = await startEmulator();
  settings = localEnv(emu.url);
  project = await createExampleProject(settings);
  neon = new NeonClient({ apiKey: settings.NEON_API_KEY, baseUrl: settings.NEON_BASE_URL });
});
after(() => emu?.close());

/**
 * Checks the emulator holds the claimable database `id`, provisioned by the examples and
 * unclaimed, whose `greetings` table has the one row `runtime` inserted; returns its password
 * (to check no output shows it).
 */
async function assertGreeted(id, runtime) {
  const listed = await (await fetch(`${emu.url}/__emulator/claimable`)).json();
  assert.deepEqual(listed.databases.filter((d) => d.id === id).map((d) => [d.ref, d.status]), [[REFERRER, "UNCLAIMED"]]);
  const db = await getClaimableDatabase(id, { baseUrl: settings.NEON_CLAIMABLE_URL });
  const { rows } = await sql(db.databaseUrl, { endpoint: settings.NEON_SQL_ENDPOINT }).query("SELECT runtime FROM greetings");
  assert.deepEqual(rows, [{ runtime }]);
  return decodeURIComponent(new URL(db.databaseUrl).password);
}

/** What a script printed, checked line by line against the emulator; resolves to the branch id. */
async function assertTour(runtime, run, { existing = false } = {}) {
  assert.equal(run.code, 0, `exit code ${run.code}\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 5, run.stdout);
  assert.equal(lines[0], `neon-edge on ${VERSIONS[runtime]}`);
  assert.equal(lines[1], `✔ 1 project(s): neon-edge-examples (${project.id})`);

  const branchLine = lines[2].match(/^✔ branch (\S+) \((br-[^)]+)\) in (\S+): (created|already there), ready( after [1-9]\d* poll\(s\))?$/);
  assert.ok(branchLine, lines[2]);
  const [, name, branchId, projectId, how, polled] = branchLine;
  assert.deepEqual([name, projectId, how, Boolean(polled)], [`neon-edge-${runtime}`, project.id, existing ? "already there" : "created", !existing]);
  const { branch } = await neon.getProjectBranch({ projectId, branchId });
  assert.deepEqual([branch.name, branch.current_state], [`neon-edge-${runtime}`, "ready"]);
  const { operations } = await neon.listProjectOperations({ projectId });
  const ofBranch = operations.filter((op) => op.branch_id === branchId);
  assert.ok(ofBranch.length >= 2, "creating a branch with an endpoint takes operations");
  assert.deepEqual([...new Set(ofBranch.map((op) => op.status))], ["finished"]);

  const greeted = lines[3].match(/^✔ claimable database (\S+) \(UNCLAIMED\) answered (\{.*\})$/);
  assert.ok(greeted, lines[3]);
  assert.equal(JSON.parse(greeted[2]).runtime, runtime);
  const claim = lines[4].match(/^ {2}claim it before (\S+) at (\S+)$/);
  assert.ok(claim && Date.parse(claim[1]) > Date.now(), lines[4]);
  assert.equal(claim[2], `${emu.url}/claim/${greeted[1]}`);
  const password = await assertGreeted(greeted[1], runtime);
  for (const secret of [settings.NEON_API_KEY, password]) {
    assert.ok(!(run.stdout + run.stderr).includes(secret), "the output shows a secret");
  }
  return branchId;
}

const branchIds = {};
for (const runtime of ["node", "deno", "bun"]) {
  test(`${runtime}: the example lists projects, creates a branch and waits for it, and queries a claimable database`, async () => {
    branchIds[runtime] = await assertTour(runtime, await runScript(runtime, settings, { capture: true }));
  });
}

test("deno loads the package's deno entries, bun its node entries, both from the built pkg/", () => {
  const resolve = 'console.log(import.meta.resolve("neon-edge") + " " + import.meta.resolve("neon-edge/postgres"))';
  const pkg = new URL("../../pkg/", import.meta.url).href;
  const run = (runtime, args, env) => execFileSync(fileURLToPath(new URL(`../../node_modules/.bin/${runtime}`, import.meta.url)), args, {
    cwd: new URL(`../../examples/${runtime}/`, import.meta.url), env: { ...process.env, ...env }, encoding: "utf8",
  }).trim();
  const deno = run("deno", ["eval", "--no-remote", "--cached-only", "--node-modules-dir=manual", resolve],
    { DENO_DIR: fileURLToPath(new URL("../../node_modules/.cache/deno", import.meta.url)), NO_COLOR: "1" });
  assert.equal(deno, `${pkg}deno.js ${pkg}postgres/deno.js`);
  const bun = run("bun", ["--no-install", "-e", resolve], { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" });
  assert.equal(bun, `${pkg}node.js ${pkg}postgres/node.js`);
});

test("node: a second run finds the branch of the first instead of adding one", async () => {
  const before = (await neon.listProjectBranches({ projectId: project.id })).branches.length;
  const branchId = await assertTour("node", await runScript("node", settings, { capture: true }), { existing: true });
  assert.equal(branchId, branchIds.node);
  assert.equal((await neon.listProjectBranches({ projectId: project.id })).branches.length, before);
});

test("node: without NEON_API_KEY the example says which variable to set and exits with 2", async () => {
  const run = await runScript("node", { ...settings, NEON_API_KEY: "" }, { capture: true });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^Set NEON_API_KEY /);
});

test("vercel-edge: the function is an Edge function, and GET provisions nothing", async () => {
  const edge = await loadEdgeFunction(settings);
  assert.deepEqual({ ...edge.config }, { runtime: "edge" }); // an object of the VM's realm
  const count = async () => (await (await fetch(`${emu.url}/__emulator/claimable`)).json()).databases.length;
  const before = await count();
  const res = await edge.fetch("http://edge.test/api/provision");
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "POST");
  assert.deepEqual(await res.json(), { error: "POST to provision a database" });
  assert.equal(await count(), before);
});

test("vercel-edge: POST provisions a claimable database and answers with the row its query returned", async () => {
  const edge = await loadEdgeFunction(settings);
  const res = await edge.fetch("http://edge.test/api/provision", { method: "POST" });
  assert.equal(res.status, 200);
  const text = await res.text();
  const { database, greeting } = JSON.parse(text);
  assert.deepEqual(Object.keys(database).sort(), ["claimUrl", "expiresAt", "id", "status"]);
  assert.equal(database.status, "UNCLAIMED");
  assert.equal(database.claimUrl, `${emu.url}/claim/${database.id}`);
  assert.ok(Date.parse(database.expiresAt) > Date.now());
  assert.equal(greeting.runtime, "vercel-edge");
  const password = await assertGreeted(database.id, "vercel-edge");
  assert.ok(!text.includes(password), "the answer shows the database password");
});

test("vercel-edge: a failed provisioning answers 502 with the typed error", async () => {
  const fault = { path: "/api/v1/database", method: "POST", status: 400, message: "ref is not allowed", times: 1 };
  await fetch(`${emu.url}/__emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
  const edge = await loadEdgeFunction(settings);
  const res = await edge.fetch("http://edge.test/api/provision", { method: "POST" });
  assert.equal(res.status, 502);
  const { error } = await res.json();
  assert.match(error, /^NeonApiError \(api\): .*ref is not allowed/);
});
