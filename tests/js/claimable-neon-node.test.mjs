// `service: "claimable-neon"` in `instantPostgres` (neon-edge/node) and the Vite plugin
// (neon-edge/vite), against the emulator: the assertion stored beside DATABASE_URL, the database
// seeded and reachable, a second start creating nothing, and options of the other service refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "vite";
import { readDotEnv, sql, NeonClientError } from "neon-edge/postgres";
import { instantPostgres } from "neon-edge/node";
import { postgres } from "neon-edge/vite";
import { startEmulator } from "../support/emulator.mjs";
import { claimableNeonControl } from "../support/claimable-neon.mjs";

let emu;
let control;
before(async () => {
  emu = await startEmulator();
  control = claimableNeonControl(emu.claimableNeonOrigin);
}, { timeout: 600_000 });
after(() => emu?.close());

const tempDir = () => mkdtempSync(join(tmpdir(), "neon-edge-claimable-neon-node-"));
const envOf = (path) => readDotEnv(readFileSync(path, "utf8"));

test("instantPostgres({ service: \"claimable-neon\" }) registers, stores the assertion beside DATABASE_URL and seeds", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "seed.sql"), "CREATE TABLE t (n int); INSERT INTO t VALUES (7);");
  const out = await instantPostgres({
    service: "claimable-neon", origin: emu.claimableNeonOrigin, referrer: "node-test",
    dotEnvFile: join(dir, ".env"), seed: { type: "sql-script", path: join(dir, "seed.sql") }, sqlEndpoint: emu.sqlEndpoint,
  });
  const env = envOf(join(dir, ".env"));
  assert.equal(env.DATABASE_URL, out.databaseUrl);
  assert.equal(env.NEON_CLAIMABLE_PROJECT_ID, out.projectId);
  assert.equal(env.NEON_CLAIMABLE_ORIGIN, emu.claimableNeonOrigin);
  assert.ok(out.claimExpiresAt instanceof Date && out.claimExpiresAt > new Date());
  assert.equal((await out.session.claimStatus().catch((e) => e)).status, 404, "no claim started yet");
  const db = sql(out.databaseUrl, { endpoint: emu.sqlEndpoint });
  assert.deepEqual((await db.query("SELECT n FROM t")).rows, [{ n: 7 }]);
  assert.ok(await control.registration(out.projectId), "registered with the service");

  // The key is set now: nothing is registered a second time.
  const before = (await control.registrations()).length;
  const again = await instantPostgres({ service: "claimable-neon", origin: emu.claimableNeonOrigin, referrer: "node-test", dotEnvFile: join(dir, ".env") }).catch((e) => e);
  assert.equal(again.code, "keys_exist");
  assert.equal((await control.registrations()).length, before);
});

test("options of the other service are refused, naming the option", async () => {
  const refused = [
    [{ service: "claimable", referrer: "x" }, "service"],
    [{ service: "claimable-neon", referrer: "x", baseUrl: emu.claimableBaseUrl }, "baseUrl"],
    [{ service: "claimable-neon", referrer: "x", settings: { logicalReplication: true } }, "settings"],
    [{ referrer: "x", origin: emu.claimableNeonOrigin }, "origin"],
    [{ service: "claimable-neon", referrer: "x", origin: "claimable.neon.tech" }, "origin"],
  ];
  for (const [options, option] of refused) {
    const e = await instantPostgres({ ...options, dotEnvFile: join(tempDir(), ".env") }).catch((e) => e);
    assert.ok(e instanceof NeonClientError, JSON.stringify(options));
    assert.equal(e.option, option);
    assert.throws(() => postgres(options), (e) => e instanceof NeonClientError && e.option === option);
  }
});

test("the Vite plugin with service \"claimable-neon\": one project per env file, the assertion beside the key, no secret logged", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "index.html"), "<p>app</p>");
  const logged = [];
  const logger = { info: (m) => logged.push(String(m)), warn: (m) => logged.push(String(m)), warnOnce() {}, error: (m) => logged.push(String(m)), clearScreen() {}, hasErrorLogged: () => false, hasWarned: false };
  const start = async () => (await createServer({
    root: dir, configFile: false, customLogger: logger, logLevel: "info", server: { port: 0, ws: false }, optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [postgres({ referrer: "vite-test", service: "claimable-neon", origin: emu.claimableNeonOrigin })],
  })).close();
  await start();
  const env = envOf(join(dir, ".env"));
  assert.deepEqual(Object.keys(env), ["DATABASE_URL", "NEON_CLAIMABLE_ASSERTION", "NEON_CLAIMABLE_PROJECT_ID", "NEON_CLAIMABLE_ORIGIN"]);
  assert.deepEqual((await sql(env.DATABASE_URL, { endpoint: emu.sqlEndpoint }).query("SELECT 1 AS one")).rows, [{ one: 1 }]);
  const text = logged.join("\n");
  assert.match(text, /registering a Claimable Neon project/);
  assert.match(text, /npx neon-edge claimable claim/);
  for (const secret of [env.NEON_CLAIMABLE_ASSERTION, new URL(env.DATABASE_URL).password]) assert.ok(!text.includes(secret), "a secret was logged");
  const before = (await control.registrations()).length;
  await start();
  assert.equal((await control.registrations()).length, before, "a second start registers nothing");
});
