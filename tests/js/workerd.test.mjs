// The built package inside workerd (Cloudflare's runtime, through miniflare): a Worker
// bundled the way wrangler does (esbuild, `workerd` condition, the .wasm kept as a module).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";
import { bundleForWorkerd, WORKERD_MODULE_RULES } from "../support/workerd.mjs";

const WORKER = `
import { NeonClient, NeonApiError } from "neon-edge";
export default {
  async fetch(request, env) {
    const neon = new NeonClient({ apiKey: env.NEON_API_KEY, baseUrl: env.NEON_BASE_URL });
    const list = await neon.listProjects({ limit: 1 });
    const err = await neon.getProject({ projectId: "missing" }).catch((e) => e);
    return Response.json({
      first: list.projects[0].id,
      errorIsTyped: err instanceof NeonApiError && err instanceof Error,
      kind: err.kind, status: err.status, requestId: err.requestId,
    });
  },
};`;

let mock, mf, dir;
before(async () => {
  mock = await startMockNeon();
  dir = mkdtempSync(join(tmpdir(), "neon-edge-workerd-"));
  await bundleForWorkerd({ stdin: { contents: WORKER, resolveDir: process.cwd(), loader: "js" } }, join(dir, "worker.mjs"));
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "worker.mjs"),
    modulesRoot: dir,
    modulesRules: WORKERD_MODULE_RULES,
    bindings: { NEON_API_KEY: API_KEY, NEON_BASE_URL: `${mock.url}/api/v2` },
    compatibilityDate: "2025-01-01",
  });
});
after(async () => {
  await mf?.dispose();
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a Worker lists projects and gets a typed 404 in workerd", async () => {
  const res = await mf.dispatchFetch("http://worker.test/");
  const out = await res.json();
  assert.deepEqual(out, { first: "p-1", errorIsTyped: true, kind: "not_found", status: 404, requestId: "req-404" });
});
