// Claimable Postgres and SQL over HTTP (`neon-edge/postgres`) from inside workerd (miniflare)
// and the Vercel Edge runtime, against the emulator: the same calls as in Node, with no Node
// API involved, next to the Management client's module (`neon-edge`) in the same bundle.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { EdgeRuntime } from "edge-runtime";
import { startEmulator } from "../support/emulator.mjs";
import { bundleForEdge } from "../support/edge-runtime.mjs";
import { bundleForWorkerd, WORKERD_MODULE_RULES } from "../support/workerd.mjs";

// Shared by both runtimes: provision, query, seed, and report what happened.
const SCENARIO = `
import { createClaimableDatabase, getClaimableDatabase, sql, planSeed, mergeClaimableEnv, NeonSqlError } from "neon-edge/postgres";
import { NeonClient, NeonClientError, NeonError } from "neon-edge";
async function scenario(baseUrl, sqlEndpoint) {
  const db = await createClaimableDatabase({ ref: "runtime-tests", baseUrl });
  const again = await getClaimableDatabase(db.id, { baseUrl });
  const q = sql(db.databaseUrl, { endpoint: sqlEndpoint });
  await q.seed("CREATE TABLE t (id int, name text);\\nINSERT INTO t VALUES (1, 'a;b');");
  const [, selected] = await q.transaction([["INSERT INTO t VALUES ($1, $2)", [2, "c"]], "SELECT name FROM t ORDER BY id"]);
  const err = await q.query("SELECT * FROM nope").catch((e) => e);
  const env = mergeClaimableEnv("A=1\\n", db);
  let badUrl;
  try { sql("not a connection string"); } catch (e) { badUrl = e; }
  return {
    status: again.status,
    direct: db.databaseUrl.endsWith("-pooler") && db.databaseUrlDirect === db.databaseUrl.replace(/-pooler$/, ""),
    names: selected.rows.map((r) => r.name),
    sqlError: err instanceof NeonSqlError && err.code === "42P01",
    destructive: planSeed("DROP TABLE t;").destructive.length,
    envHasKey: env.startsWith("A=1\\n") && env.includes("DATABASE_URL_DIRECT="),
    sharedErrors: badUrl instanceof NeonClientError && err instanceof NeonError && typeof NeonClient === "function",
  };
}`;

const EXPECTED = {
  status: "UNCLAIMED", direct: true, names: ["a;b", "c"], sqlError: true, destructive: 1, envHasKey: true, sharedErrors: true,
};

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.close());

test("workerd: create, seed, transact and get a typed SQL error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-claimable-workerd-"));
  let mf;
  try {
    await bundleForWorkerd({
      stdin: {
        contents: `${SCENARIO}
export default { async fetch(request, env) { return Response.json(await scenario(env.BASE_URL, env.SQL_ENDPOINT)); } };`,
        resolveDir: process.cwd(), loader: "js",
      },
    }, join(dir, "worker.mjs"));
    mf = new Miniflare({
      modules: true, scriptPath: join(dir, "worker.mjs"), modulesRoot: dir,
      modulesRules: WORKERD_MODULE_RULES,
      bindings: { BASE_URL: emu.claimableBaseUrl, SQL_ENDPOINT: emu.sqlEndpoint },
      compatibilityDate: "2025-01-01",
    });
    const res = await mf.dispatchFetch("http://worker.test/");
    assert.deepEqual(await res.json(), EXPECTED);
  } finally {
    await mf?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Vercel Edge runtime: create, seed, transact and get a typed SQL error", async () => {
  const code = await bundleForEdge(`${SCENARIO}
addEventListener("fetch", (event) => event.respondWith(
  scenario(${JSON.stringify(emu.claimableBaseUrl)}, ${JSON.stringify(emu.sqlEndpoint)}).then((r) => Response.json(r))));`);
  const runtime = new EdgeRuntime({ initialCode: code });
  const res = await runtime.dispatchFetch("http://edge.test/");
  await res.waitUntil();
  assert.deepEqual(await res.json(), EXPECTED);
});
