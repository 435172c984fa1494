// The built package inside Vercel's Edge runtime (npm `edge-runtime`): the function is
// bundled for the `edge-light` condition, and its `.wasm?module` import becomes a module
// compiled by the VM's own WebAssembly, as Vercel's bundler does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { build } from "esbuild";
import { EdgeRuntime } from "edge-runtime";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";

const wasmModulePlugin = {
  name: "wasm-module",
  setup(b) {
    b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({
      path: new URL(args.path.replace(/\?module$/, ""), `file://${args.resolveDir}/`).pathname,
      namespace: "wasm-module",
    }));
    b.onLoad({ filter: /.*/, namespace: "wasm-module" }, async (args) => ({
      contents: `const bytes = Uint8Array.from(atob(${JSON.stringify((await readFile(args.path)).toString("base64"))}), (c) => c.charCodeAt(0));
export default new WebAssembly.Module(bytes);`,
      loader: "js",
    }));
  },
};

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
  const out = await build({
    stdin: { contents: FUNCTION(`${mock.url}/api/v2`), resolveDir: process.cwd(), loader: "js" },
    bundle: true, format: "iife", write: false, platform: "neutral", mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser"], plugins: [wasmModulePlugin], logLevel: "error",
  });
  const runtime = new EdgeRuntime({ initialCode: out.outputFiles[0].text });
  const res = await runtime.dispatchFetch("http://edge.test/");
  await res.waitUntil();
  assert.deepEqual(await res.json(), { first: "p-1", errorIsTyped: true, kind: "not_found", status: 404, requestId: "req-404" });
});
