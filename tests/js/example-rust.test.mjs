// The native Rust example (examples/rust/native: tokio, the `native` feature's transport and
// runtime) runs against the emulator as a user runs it, `cargo run` with NEON_* set: it
// provisions a claimable database and writes to it over SQL over HTTP, lists projects and
// creates a branch with `wait`. The test checks what it printed against the emulator's state,
// and that no output holds the API key or the database's password.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { NeonClient } from "neon-edge";
import { getClaimableDatabase, sql } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";
import { localEnv, createExampleProject } from "../../examples/shared/local.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

let emu;
let settings;
let project;
before(async () => {
  emu = await startEmulator();
  settings = localEnv(emu.url);
  project = await createExampleProject(settings);
});
after(() => emu?.close());

/** `cargo run` of the example in its own workspace, building into the main target/. */
function runExample(env) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("NEON_")));
  const child = spawn("cargo", ["run", "-q", "-p", "neon-edge-example-native"], {
    cwd: join(root, "examples", "rust"),
    env: { ...inherited, CARGO_TARGET_DIR: join(root, "target"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => { stdout += d; });
  child.stderr.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("the native Rust example provisions, queries, lists and branches on the emulator", { timeout: 600_000 }, async () => {
  const run = await runExample(settings);
  assert.equal(run.code, 0, `exit code ${run.code}\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 4, run.stdout);

  const claimed = lines[0].match(/^claimable database (\S+) \(UNCLAIMED\), claim at (\S+), expires (\S+)$/);
  assert.ok(claimed, lines[0]);
  const [, id, claimUrl] = claimed;
  assert.equal(claimUrl, `${emu.url}/claim/${id}`);
  const greeting = lines[1].match(/^greeting from the database: (\{.*\})$/);
  assert.ok(greeting, lines[1]);
  assert.equal(JSON.parse(greeting[1]).runtime, "rust-native");
  const db = await getClaimableDatabase(id, { baseUrl: settings.NEON_CLAIMABLE_URL });
  const { rows } = await sql(db.databaseUrl, { endpoint: settings.NEON_SQL_ENDPOINT }).query("SELECT runtime FROM greetings");
  assert.deepEqual(rows, [{ runtime: "rust-native" }]);

  assert.equal(lines[2], `1 project(s): neon-edge-examples (${project.id})`);
  const branched = lines[3].match(/^branch (neon-edge-rust-\d+) \((br-[^)]+)\) in (\S+) is ready after waiting for [1-9]\d* operation\(s\)$/);
  assert.ok(branched, lines[3]);
  const [, name, branchId, projectId] = branched;
  assert.equal(projectId, project.id);
  const neon = new NeonClient({ apiKey: settings.NEON_API_KEY, baseUrl: settings.NEON_BASE_URL });
  const { branch } = await neon.getProjectBranch({ projectId, branchId });
  assert.deepEqual([branch.name, branch.current_state], [name, "ready"]);
  const { operations } = await neon.listProjectOperations({ projectId });
  const ofBranch = operations.filter((o) => o.branch_id === branchId);
  assert.ok(ofBranch.length > 0 && ofBranch.every((o) => o.status === "finished"), JSON.stringify(ofBranch));

  const password = decodeURIComponent(new URL(db.databaseUrl).password);
  for (const secret of [settings.NEON_API_KEY, password]) assert.ok(!`${run.stdout}${run.stderr}`.includes(secret));
});

test("the native Rust example stops with exit code 2 and a message without NEON_API_KEY", { timeout: 600_000 }, async () => {
  const run = await runExample({ ...settings, NEON_API_KEY: "" });
  assert.deepEqual([run.code, run.stdout, run.stderr.trim()], [2, "", "NEON_API_KEY is not set"]);
});
