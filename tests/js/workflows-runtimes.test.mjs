// `neon-edge/workflows` inside workerd (miniflare, bundled as wrangler does) and Vercel's Edge
// runtime (bundled for `edge-light`), each running a workflow against the local emulator: the
// project it creates is there afterwards, waited for and connectable, and a refused workflow
// comes back as the typed error with the step that failed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EdgeRuntime } from "edge-runtime";
import { NeonClient } from "neon-edge/workflows";
import { sql } from "neon-edge/postgres";
import { bundleForEdge } from "../support/edge-runtime.mjs";
import { fetchFromWorker } from "../support/workerd.mjs";
import { startEmulator } from "../support/emulator.mjs";

// The body of a fetch handler: `neon` is a client of the emulator, `name` the project's name.
const HANDLER = `
  const steps = [];
  const app = await neon.projects.createAndConnect({ name }, { onProgress: (s) => steps.push(s.step + ":" + s.phase) });
  const bad = await neon.branches.createAndConnect({ projectId: app.project.id, compute: { minCu: 0.25, maxCu: 64 } }).catch((e) => e);
  return Response.json({
    projectId: app.project.id,
    connectionString: app.connectionString,
    waited: steps.includes("wait_for_operations:done"),
    error: { typed: bad instanceof NeonClientError && bad instanceof Error, step: bad.step, workflow: bad.workflow },
  });`;

let emulator;
let neon;
before(async () => {
  emulator = await startEmulator();
  neon = new NeonClient({ apiKey: "napi_runtimes", baseUrl: `${emulator.url}/api/v2` });
}, { timeout: 600_000 });
after(() => emulator?.close());

/** What every runtime's answer must show, checked against the emulator and its database. */
async function check(out, name) {
  assert.equal(out.waited, true);
  assert.deepEqual(out.error, { typed: true, step: "validate", workflow: "branches.createAndConnect" });
  const project = await neon.getProject({ projectId: out.projectId });
  assert.equal(project.project.name, name);
  const rows = await sql(out.connectionString, { endpoint: emulator.sqlEndpoint }).query("SELECT current_user AS u");
  assert.deepEqual(rows.rows, [{ u: "neondb_owner" }]);
}

test("neon-edge/workflows in workerd: projects.createAndConnect and a typed workflow error", async () => {
  const { text } = await fetchFromWorker(`import { NeonClient, NeonClientError } from "neon-edge/workflows";
export default { async fetch(request, env) {
  const neon = new NeonClient({ apiKey: "napi_workerd", baseUrl: env.NEON_BASE_URL });
  const name = "workerd-app";${HANDLER}
} };`, { NEON_BASE_URL: `${emulator.url}/api/v2` });
  await check(JSON.parse(text), "workerd-app");
});

test("neon-edge/workflows in the edge runtime: projects.createAndConnect and a typed workflow error", async () => {
  const code = await bundleForEdge(`import { NeonClient, NeonClientError } from "neon-edge/workflows";
addEventListener("fetch", (event) => event.respondWith((async () => {
  const neon = new NeonClient({ apiKey: "napi_edge", baseUrl: ${JSON.stringify(`${emulator.url}/api/v2`)} });
  const name = "edge-app";${HANDLER}
})()));`);
  const runtime = new EdgeRuntime({ initialCode: code });
  const res = await runtime.dispatchFetch("http://edge.test/");
  await res.waitUntil();
  await check(await res.json(), "edge-app");
});
