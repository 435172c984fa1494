// A panic that still happens in the wasm module (the npm build aborts on panic: a
// `WebAssembly.RuntimeError` trap) becomes a NeonError of kind "internal" on that call, and the
// module answers the next call (pkg-template/guard.js). The shipped modules have no panicking
// export, so this test builds its own module from the same crate with the test-only cargo
// feature `test-panic` (exports `testPanic`, `testPanicAsync`), passes it through the same
// wasm-bindgen step as the package (scripts/wasm-tools.mjs) and composes it with the package's
// guard.js exactly as the entries' api.js do, in Node and in workerd.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bindgen, root } from "../../scripts/wasm-tools.mjs";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, WORKERD_MODULE_RULES } from "../support/workerd.mjs";

const dir = join(root, "target", "panic-test");
let mod;

// The composition the entries use (pkg-template/api.js, postgres/api.js), plus the test exports.
const ENTRY = `
import * as glue from "./neon_edge_test.js";
import { guardModule } from "./guard.js";
import { installClientMethods } from "./client-methods.js";
export * from "./neon_edge_test.js";
export * from "./errors.js";
const guard = guardModule(glue, { stateful: ["NeonPaginator"] });
export const NeonClient = guard.client(glue.NeonClient);
export const sql = guard.wrap("sql");
export const planSeed = guard.wrap("planSeed");
export const testPanic = guard.wrap("testPanic");
export const testPanicAsync = guard.wrap("testPanicAsync");
export function install() {
  installClientMethods({ NeonClient: glue.NeonClient, operationIds: glue.operationIds, paginatedOperationIds: glue.paginatedOperationIds });
}
`;

before(() => {
  execFileSync("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib", "-p", "neon-edge",
    "--no-default-features", "--features", "js-management,js-postgres,test-panic"], { cwd: root, stdio: "inherit" });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const built = join(dir, "built.wasm");
  cpSync(join(root, "target/wasm32-unknown-unknown/release/neon_edge.wasm"), built);
  bindgen(built, dir, "neon_edge_test");
  rmSync(built);
  for (const file of ["guard.js", "client-methods.js", "errors.js", "send.js", "results.js", "snippets"]) cpSync(join(root, "pkg", file), join(dir, file), { recursive: true });
  writeFileSync(join(dir, "entry.js"), ENTRY);
  writeFileSync(join(dir, "node.js"), `import { readFileSync } from "node:fs";
import { initSync } from "./neon_edge_test.js";
import { install } from "./entry.js";
initSync({ module: readFileSync(new URL("./neon_edge_test_bg.wasm", import.meta.url)) });
install();
export * from "./entry.js";
`);
});

/** A fetch answering every Management call with an empty project list. */
const managementFetch = async () => Response.json({ projects: [], pagination: {} });
/** A fetch answering SQL over HTTP with one row. */
const sqlFetch = async () => Response.json({
  command: "SELECT", rowCount: 1, rows: [{ one: 1 }], rowAsArray: false,
  fields: [{ name: "one", dataTypeID: 23, tableID: 0, columnID: 0, dataTypeSize: 4, dataTypeModifier: -1, format: "text" }],
});

const rejection = (promise) => promise.then(() => assert.fail("expected a rejection"), (e) => e);
const thrown = (f) => { try { f(); } catch (e) { return e; } return assert.fail("expected a throw"); };

function isInternal(error, what) {
  assert.ok(error instanceof mod.NeonError, String(error));
  assert.equal(error.kind, "internal");
  assert.match(error.message, new RegExp(`^${what}: internal error in neon-edge's wasm module`));
  assert.ok(error.cause instanceof WebAssembly.RuntimeError);
}

test("a panic in a synchronous call throws an internal NeonError; the next calls work, on objects made before it too", async () => {
  mod = await import(join(dir, "node.js"));
  const neon = new mod.NeonClient({ apiKey: "napi_panic_test", baseUrl: "http://127.0.0.1:9/api/v2", fetch: managementFetch, retry: false });
  const db = mod.sql("postgresql://u:pw@h.example/db", { endpoint: "http://127.0.0.1:9/sql", fetch: sqlFetch });
  const paginator = neon.paginateOperation("listProjects", {});
  assert.deepEqual(await neon.listProjects(), { projects: [], pagination: {} });

  isInternal(thrown(() => mod.testPanic()), "testPanic");

  assert.equal(mod.planSeed("SELECT 1; SELECT 2").statements.length, 2);
  assert.deepEqual(await neon.listProjects(), { projects: [], pagination: {} }, "the NeonClient made before the panic is rebuilt");
  assert.equal(neon.baseUrl, "http://127.0.0.1:9/api/v2");
  assert.deepEqual((await db.query("SELECT 1 AS one")).rows, [{ one: 1 }], "so is the sql() object");
  const lost = thrown(() => paginator.nextPage());
  assert.equal(lost.kind, "internal");
  assert.match(lost.message, /create it again/);
  paginator.free(); // an object of the old instance is forgotten, not freed in the new one
  assert.equal(mod.planSeed("SELECT 1").statements.length, 1);
});

test("a panic inside a future rejects that call with an internal NeonError and the module answers the next call", async () => {
  mod ??= await import(join(dir, "node.js"));
  const neon = new mod.NeonClient({ apiKey: "napi_panic_test", baseUrl: "http://127.0.0.1:9/api/v2", fetch: managementFetch, retry: false });
  isInternal(await rejection(mod.testPanicAsync()), "testPanicAsync");
  assert.deepEqual(await neon.listProjects(), { projects: [], pagination: {} });
  // Twice in a row, and a call in flight on the instance that trapped is rejected, not left hanging.
  const inFlight = neon.listProjects();
  isInternal(await rejection(mod.testPanicAsync()), "testPanicAsync");
  const abandoned = await rejection(inFlight);
  assert.equal(abandoned.kind, "internal");
  assert.match(abandoned.message, /^NeonClient\.call: .*every call in flight was abandoned/);
  assert.deepEqual(await neon.listProjects(), { projects: [], pagination: {} });
});

test("in workerd too: a panic is an internal NeonError and the next call works", async () => {
  const worker = `
    import module from "./neon_edge_test_bg.wasm";
    import { initSync } from "./neon_edge_test.js";
    import * as api from "./entry.js";
    initSync({ module });
    api.install();
    export default {
      async fetch() {
        const out = [];
        const neon = new api.NeonClient({ apiKey: "napi_panic_test", baseUrl: "http://127.0.0.1:9/api/v2",
          fetch: async () => Response.json({ projects: [] }), retry: false });
        try { api.testPanic(); } catch (e) { out.push(e.kind); }
        try { await api.testPanicAsync(); } catch (e) { out.push(e.kind); }
        out.push(api.planSeed("SELECT 1; SELECT 2").statements.length);
        out.push((await neon.listProjects()).projects.length);
        return Response.json(out);
      },
    };`;
  const out = join(dir, "workerd");
  await bundleForWorkerd({ stdin: { contents: worker, resolveDir: dir, loader: "js" } }, join(out, "worker.mjs"));
  const mf = new Miniflare({ modules: true, scriptPath: join(out, "worker.mjs"), modulesRoot: out, modulesRules: WORKERD_MODULE_RULES, compatibilityDate: "2025-01-01" });
  try {
    const res = await mf.dispatchFetch("http://worker/");
    assert.deepEqual(await res.json(), ["internal", "internal", 2, 0]);
  } finally {
    await mf.dispose();
  }
});
