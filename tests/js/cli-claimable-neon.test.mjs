// `npx neon-edge claimable create | status | claim | delete` in temp directories against the
// emulator's Claimable Neon: the keys written (never overwritten), the claim driven through the
// control routes while the CLI waits, the old URL refused, and no secret in any output.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql, readDotEnv } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";
import { claimableNeonControl } from "../support/claimable-neon.mjs";

const CLI = join(dirname(fileURLToPath(import.meta.resolve("neon-edge/node"))), "cli.js");

let emu;
let control;
before(async () => {
  emu = await startEmulator();
  control = claimableNeonControl(emu.claimableNeonOrigin);
}, { timeout: 600_000 });
after(() => emu?.close());

const tempDir = () => mkdtempSync(join(tmpdir(), "neon-edge-cli-claimable-"));

/** Runs the CLI in `cwd`; `onStdout(text, child)` sees stdout as it grows. Resolves to { code, stdout, stderr }. */
function cli(cwd, args, { env = { NEON_CLAIMABLE_ORIGIN: emu.claimableNeonOrigin, NEON_EDGE_NO_OPEN: "1" }, onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; onStdout?.(stdout); });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** No secret of the env file (assertion, connection string, its password) appears in `output`. */
function assertNoSecret(output, env) {
  const password = new URL(env.DATABASE_URL).password;
  for (const secret of [env.NEON_CLAIMABLE_ASSERTION, env.DATABASE_URL, password, env.NEON_CLAIMABLE_ASSERTION.split(".")[1]]) {
    assert.ok(!output.includes(secret), "a secret was printed");
  }
}

test("--help documents the claimable commands, --origin and NEON_CLAIMABLE_ORIGIN", async () => {
  const { code, stdout } = await cli(tempDir(), ["--help"]);
  assert.equal(code, 0);
  for (const text of ["claimable create", "claimable status", "claimable claim", "claimable delete", "--origin", "NEON_CLAIMABLE_ORIGIN", "NEON_CLAIMABLE_ASSERTION"]) {
    assert.ok(stdout.includes(text), text);
  }
  assert.equal((await cli(tempDir(), ["claimable", "frobnicate"])).code, 2);
  assert.equal((await cli(tempDir(), ["claimable"])).code, 2);
  const foreign = await cli(tempDir(), ["claimable", "create", "--seed", "s.sql"]);
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr, /--seed does not apply to `claimable create`/);
});

test("create, status, claim (accepted and reconciled while it waits), then the old URL is refused", { timeout: 120_000 }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".env"), "PORT=3000");
  const created = await cli(dir, ["claimable", "create", "--origin", emu.claimableNeonOrigin], { env: { NEON_EDGE_NO_OPEN: "1" } });
  assert.equal(created.code, 0, created.stderr);
  const text = readFileSync(join(dir, ".env"), "utf8");
  assert.ok(text.startsWith("PORT=3000\n"), "the file's own lines are kept");
  const env = readDotEnv(text);
  assert.deepEqual(Object.keys(env), ["PORT", "DATABASE_URL", "NEON_CLAIMABLE_ASSERTION", "NEON_CLAIMABLE_PROJECT_ID", "NEON_CLAIMABLE_ORIGIN"]);
  assert.equal(env.NEON_CLAIMABLE_ORIGIN, emu.claimableNeonOrigin, "a non-default origin is kept in the file");
  assert.match(created.stdout, /Wrote DATABASE_URL, NEON_CLAIMABLE_ASSERTION, NEON_CLAIMABLE_PROJECT_ID, NEON_CLAIMABLE_ORIGIN to \.env/);
  assert.match(created.stderr, /not covered by \.gitignore/);
  const db = sql(env.DATABASE_URL, { endpoint: emu.sqlEndpoint });
  assert.deepEqual((await db.query("SELECT 1 AS one")).rows, [{ one: 1 }]);

  // The origin comes from the file now: no flag, no variable.
  const noOrigin = { NEON_EDGE_NO_OPEN: "1" };
  const before = await cli(dir, ["claimable", "status"], { env: noOrigin });
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stdout, new RegExp(`Project ${env.NEON_CLAIMABLE_PROJECT_ID}`));
  assert.match(before.stdout, /Expires: .* GMT unless claimed/);
  assert.match(before.stdout, /Claim: not started/);

  let driven = false;
  const claimed = await cli(dir, ["claimable", "claim", "--no-open"], {
    env: {},
    onStdout: (out) => {
      if (driven || !/Code: /.test(out)) return;
      driven = true;
      control.post(`projects/${env.NEON_CLAIMABLE_PROJECT_ID}/claim/accept`)
        .then(() => control.post(`projects/${env.NEON_CLAIMABLE_PROJECT_ID}/claim/reconcile`));
    },
  });
  assert.equal(claimed.code, 0, claimed.stderr);
  assert.match(claimed.stdout, new RegExp(`Claim the project in the Neon console: ${emu.claimableNeonOrigin}/claim`));
  assert.match(claimed.stdout, /Code: [2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/);
  assert.doesNotMatch(claimed.stderr, /Opening it in your browser/);
  assert.match(claimed.stderr, /claim reconciled/);
  assert.match(claimed.stdout, /pre-claim DATABASE_URL in \.env no longer works/);
  assert.match(claimed.stdout, /Neon console/);
  await assert.rejects(db.query("SELECT 1"), "the pre-claim URL is refused");

  const after = await cli(dir, ["claimable", "status"], { env: noOrigin });
  assert.equal(after.code, 4);
  assert.match(after.stderr, /can no longer be used/);
  for (const r of [created, before, claimed, after]) assertNoSecret(r.stdout + r.stderr, env);
});

test("create never overwrites a key; delete deletes and names the keys to remove; a missing assertion is exit 7", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".env"), "DATABASE_URL=postgres://mine\n");
  const registered = (await control.registrations()).length;
  const refused = await cli(dir, ["claimable", "create"]);
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /already sets DATABASE_URL/);
  assert.equal(readFileSync(join(dir, ".env"), "utf8"), "DATABASE_URL=postgres://mine\n");
  assert.equal((await control.registrations()).length, registered, "nothing was registered");

  assert.equal((await cli(dir, ["claimable", "status"])).code, 7);

  const created = await cli(dir, ["claimable", "create", "--key", "APP_DB"]);
  assert.equal(created.code, 0, created.stderr);
  const env = readDotEnv(readFileSync(join(dir, ".env"), "utf8"));
  assert.equal(env.DATABASE_URL, "postgres://mine");
  assert.ok(env.APP_DB);
  const deleted = await cli(dir, ["claimable", "delete", "--key", "APP_DB"]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /remove NEON_CLAIMABLE_ASSERTION, NEON_CLAIMABLE_PROJECT_ID, NEON_CLAIMABLE_ORIGIN/);
  assert.match(deleted.stdout, /\(APP_DB\)/);
  const gone = await cli(dir, ["claimable", "status"]);
  assert.equal(gone.code, 4);
  for (const r of [created, deleted, gone]) assertNoSecret(r.stdout + r.stderr, { ...env, DATABASE_URL: env.APP_DB });
});
