// The built package inside Vercel's Edge runtime (npm `edge-runtime`): the function is
// bundled for the `edge-light` condition, and its `.wasm?module` import becomes a module
// compiled by the VM's own WebAssembly, as Vercel's bundler does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EdgeRuntime } from "edge-runtime";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";
import { bundleForEdge } from "../support/edge-runtime.mjs";

const FUNCTION = (baseUrl) => `
import { NeonClient, NeonApiError } from "neon-edge";
addEventListener("fetch", (event) => event.respondWith((async () => {
  const neon = new NeonClient({ apiKey: ${JSON.stringify(API_KEY)}, baseUrl: ${JSON.stringify(baseUrl)} });
  const list = await neon.listProjects();
  const err = await neon.getProject({ projectId: "missing" }).catch((e) => e);
  return Response.json({
    first: list.projects[0].id,
    errorIsTyped: err instanceof NeonApiError && err instanceof Error,
    kind: err.kind, status: err.status, requestId: err.requestId,
  });
})()));`;

let mock;
before(async () => { mock = await startMockNeon(); });
after(() => mock.close());

test("an Edge function lists projects and gets a typed 404 in the edge runtime", async () => {
  const code = await bundleForEdge(FUNCTION(`${mock.url}/api/v2`));
  const runtime = new EdgeRuntime({ initialCode: code });
  const res = await runtime.dispatchFetch("http://edge.test/");
  await res.waitUntil();
  assert.deepEqual(await res.json(), { first: "p-1", errorIsTyped: true, kind: "not_found", status: 404, requestId: "req-404" });
});
