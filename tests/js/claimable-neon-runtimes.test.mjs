// `neon-edge/claimable-neon` inside workerd (miniflare, bundled as wrangler does) and Vercel's
// Edge runtime (bundled for `edge-light`): register, credentials, SQL over HTTP, a proxied
// Management read with the session as the client's key, a claim reconciled through the
// emulator's control routes, then the dead assertion as its typed error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EdgeRuntime } from "edge-runtime";
import { bundleForEdge } from "../support/edge-runtime.mjs";
import { fetchFromWorker } from "../support/workerd.mjs";
import { startEmulator } from "../support/emulator.mjs";

// The body of an async function of `origin` (the emulator's base URL) run in each runtime.
const LIFECYCLE = `
  const reg = await registerClaimableNeon({ origin, source: "runtime test" });
  const session = new ClaimableNeonSession({ origin, identityAssertion: reg.identityAssertion, projectId: reg.projectId });
  const creds = await session.credentials();
  const rows = (await sql(creds.databaseUrl, { endpoint: origin + "/sql" }).query("SELECT 1 AS one")).rows;
  const neon = new NeonClient({ apiKey: () => session.accessToken(), baseUrl: session.managementBaseUrl });
  const project = await neon.request({ method: "GET", path: "/projects/" + reg.projectId });
  await session.claim();
  const control = (path) => fetch(origin + "/__emulator/claimable-neon/projects/" + reg.projectId + path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  await control("/claim/reconcile");
  const status = await session.waitForClaim({ intervalMs: 50 });
  const dead = await session.credentials().catch((e) => e);
  return {
    rows, sameProject: project.project.id === reg.projectId, reconciled: status.reconciled, exchanges: session.exchanges,
    dead: { typed: dead instanceof NeonApiError, reason: dead.reason, code: dead.code },
  };`;

let emulator;
before(async () => { emulator = await startEmulator(); }, { timeout: 600_000 });
after(() => emulator?.close());

function check(out) {
  assert.deepEqual(out, {
    rows: [{ one: 1 }], sameProject: true, reconciled: true, exchanges: 1,
    dead: { typed: true, reason: "dead_assertion", code: "project_claimed" },
  });
}

const IMPORTS = `import { registerClaimableNeon, ClaimableNeonSession, sql, NeonApiError } from "neon-edge/claimable-neon";
import { NeonClient } from "neon-edge";`;

test("neon-edge/claimable-neon in workerd: the lifecycle to a reconciled claim and the dead assertion", async () => {
  const { status, text } = await fetchFromWorker(`${IMPORTS}
export default { async fetch(request, env) {
  const origin = env.ORIGIN;
  return Response.json(await (async () => {${LIFECYCLE}
  })());
} };`, { ORIGIN: emulator.claimableNeonOrigin });
  assert.equal(status, 200, text);
  check(JSON.parse(text));
});

test("neon-edge/claimable-neon in the edge runtime: the lifecycle to a reconciled claim and the dead assertion", async () => {
  const code = await bundleForEdge(`${IMPORTS}
addEventListener("fetch", (event) => event.respondWith((async () => {
  const origin = ${JSON.stringify(emulator.claimableNeonOrigin)};
  return Response.json(await (async () => {${LIFECYCLE}
  })());
})()));`);
  const runtime = new EdgeRuntime({ initialCode: code });
  const res = await runtime.dispatchFetch("http://edge.test/");
  await res.waitUntil();
  const text = await res.text();
  assert.equal(res.status, 200, text);
  check(JSON.parse(text));
});
