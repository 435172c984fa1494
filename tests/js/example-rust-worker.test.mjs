// The Rust Worker example (examples/rust/worker: workers-rs, neon-edge sending through
// workers-rs's Fetch as its Transport) inside workerd, through miniflare, against the
// emulator: built for wasm32 by cargo, given its JS glue by the pinned wasm-bindgen CLI and a
// module entry that exports workers-rs's `fetch` (the part worker-build's shim does).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { getClaimableDatabase } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";
import { WORKERD_MODULE_RULES } from "../support/workerd.mjs";
import { localEnv, createExampleProject } from "../../examples/shared/local.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ENTRY = `import { initSync, fetch as handle } from "./neon_edge_example_worker.js";
import module from "./neon_edge_example_worker_bg.wasm";
initSync({ module });
export default { fetch: (request, env, ctx) => handle(request, env, ctx) };
`;

let emu, settings, project, mf, dir;
before(async () => {
  const target = join(root, "target");
  execFileSync("cargo", ["build", "-q", "-p", "neon-edge-example-worker", "--target", "wasm32-unknown-unknown"], {
    cwd: join(root, "examples", "rust"), env: { ...process.env, CARGO_TARGET_DIR: target }, stdio: "inherit",
  });
  dir = mkdtempSync(join(tmpdir(), "neon-edge-rust-worker-"));
  execFileSync(join(root, ".tools", "bin", "wasm-bindgen"), [
    "--target", "web", "--out-dir", dir, join(target, "wasm32-unknown-unknown", "debug", "neon_edge_example_worker.wasm"),
  ]);
  writeFileSync(join(dir, "entry.mjs"), ENTRY);
  emu = await startEmulator();
  settings = localEnv(emu.url);
  project = await createExampleProject(settings);
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "entry.mjs"),
    modulesRoot: dir,
    modulesRules: WORKERD_MODULE_RULES,
    bindings: {
      NEON_API_KEY: settings.NEON_API_KEY,
      NEON_BASE_URL: settings.NEON_BASE_URL,
      NEON_CLAIMABLE_URL: settings.NEON_CLAIMABLE_URL,
      NEON_SQL_ENDPOINT: settings.NEON_SQL_ENDPOINT,
    },
    compatibilityDate: "2025-01-01",
  });
});
after(async () => {
  await mf?.dispose();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the Rust Worker lists the account's projects through workers-rs's fetch", async () => {
  const res = await mf.dispatchFetch("http://worker.test/projects");
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.deepEqual(JSON.parse(text), { projects: [{ id: project.id, name: "neon-edge-examples" }] });
  assert.ok(!text.includes(settings.NEON_API_KEY));
});

test("the Rust Worker provisions a claimable database and queries it, answering without the connection string", async () => {
  const res = await mf.dispatchFetch("http://worker.test/claimable", { method: "POST" });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const out = JSON.parse(text);
  assert.deepEqual(Object.keys(out).sort(), ["claimUrl", "expiresAt", "id", "rows"]);
  assert.equal(out.claimUrl, `${emu.url}/claim/${out.id}`);
  assert.equal(out.rows.length, 1);
  assert.ok(!Number.isNaN(Date.parse(out.rows[0].now)), out.rows[0].now);
  const db = await getClaimableDatabase(out.id, { baseUrl: settings.NEON_CLAIMABLE_URL });
  assert.equal(db.status, "UNCLAIMED");
  assert.ok(!text.includes(new URL(db.databaseUrl).password));
});

test("the Rust Worker answers 404 for other routes", async () => {
  const res = await mf.dispatchFetch("http://worker.test/other");
  assert.equal(res.status, 404);
  await res.text();
});
