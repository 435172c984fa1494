// Faults against the local emulator: retries under injected 423/429/502/connection drops
// never duplicate a create; 1,000 concurrent calls through one paced client come back
// complete and each to its own caller; an abort in each phase leaves nothing running; the
// server dying mid-provisioning and mid-seed leaves a typed error, a whole .env (old or
// complete) and a rerun that finishes. "Dying" is the server's loopback front closing its
// listener and cutting every connection, as a killed process does, while the emulator
// behind it keeps the databases so the rerun finds them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NeonClient } from "neon-edge";
import { mergeClaimableEnv, sql } from "neon-edge/postgres";
import { provisionToEnvFile, seedDatabase } from "neon-edge/node";
import { startEmulator } from "../support/emulator.mjs";

let emulator;
let base;
const control = (path, body) =>
  fetch(`${emulator.url}/__emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    .then((r) => { assert.ok(r.ok, `${path}: ${r.status}`); return r.json(); });
const journal = async () => (await (await fetch(`${emulator.url}/__emulator/requests`)).json()).requests;

before(async () => {
  emulator = await startEmulator();
  base = `${emulator.url}/api/v2`;
}, { timeout: 600_000 });
after(() => emulator?.close());

test("retries under injected 423, 429, 502 and dropped connections never create twice", { timeout: 120_000 }, async () => {
  const faults = {
    locked: { status: 423, times: 3 },
    "rate limited": { status: 429, retry_after: 1, times: 2 },
    "bad gateway": { status: 502, times: 1 },
    "connection dropped after the create": { drop_connection: true, times: 1 },
    "all at once": [{ status: 423, times: 1 }, { status: 429, retry_after: 1, times: 1 }, { drop_connection: true, times: 1 }],
  };
  const outcomes = {};
  for (const [kind, rules] of Object.entries(faults)) {
    for (const rule of [rules].flat()) await control("faults", { path: "/api/v2/projects", method: "POST", ...rule });
    const retried = [];
    const neon = new NeonClient({ apiKey: "napi_faults_dup", baseUrl: base, retry: { maxAttempts: 6, onRetry: (e) => retried.push(e.reason) } });
    const name = `dup-${kind.replaceAll(" ", "-")}`;
    const result = await neon.createProject({ body: { project: { name } } }).then((r) => ({ ok: r }), (e) => ({ error: e }));
    await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" });
    const held = (await neon.paginate.listProjects({ limit: 100 }).all()).filter((p) => p.name === name);
    outcomes[kind] = { created: Boolean(result.ok), error: result.error?.kind ?? result.error?.status, retried, held: held.length };
    assert.ok(held.length <= 1, `${kind}: the emulator holds ${held.length} projects named ${name}`);
    if (result.ok) assert.deepEqual(held.map((p) => p.id), [result.ok.project.id], kind);
  }
  console.log(`faults: creates under injected faults: ${JSON.stringify(outcomes)}`);
  // What each fault must do: retried to one project, refused (never sent twice), or created
  // once with the answer lost and not retried.
  assert.deepEqual(
    Object.fromEntries(Object.entries(outcomes).map(([k, o]) => [k, [o.created, o.held]])),
    {
      locked: [true, 1],
      "rate limited": [true, 1],
      "bad gateway": [false, 0],
      "connection dropped after the create": [false, 1],
      "all at once": [false, 1],
    },
  );
  assert.deepEqual(outcomes.locked.retried, ["locked", "locked", "locked"]);
  assert.deepEqual(outcomes["rate limited"].retried, ["rate_limited", "rate_limited"]);
});

test("1,000 concurrent calls through one paced client: none lost, duplicated or given another call's answer", { timeout: 180_000 }, async () => {
  const neon = new NeonClient({ apiKey: "napi_faults_load", baseUrl: base, rateLimit: { perRoutePerSecond: 250, perMinute: 100_000 }, retry: { maxAttempts: 10 } });
  const projects = [];
  for (let i = 0; i < 10; i++) projects.push((await neon.createProject({ body: { project: { name: `load-${i}` } } }, { wait: true })).project);
  // The emulator enforces a tighter per-route limit than the client paces to: some calls are
  // answered 429 and retried, which must still give each caller its own answer once.
  await control("config", { rate_limit_route_per_second: 200, rate_limit_per_minute: 100_000 });
  const before = (await journal()).length;
  const started = performance.now();
  try {
    const calls = Array.from({ length: 1000 }, (_, i) => {
      const project = projects[i % projects.length];
      return i % 2
        ? neon.getProject({ projectId: project.id }).then((r) => ({ i, project: project.id, got: r.project.id }))
        : neon.listProjectBranches({ projectId: project.id }).then((r) => ({ i, project: project.id, got: r.branches[0]?.project_id }));
    });
    const results = await Promise.all(calls);
    const elapsed = performance.now() - started;
    assert.equal(results.length, 1000);
    assert.deepEqual(results.map((r) => r.i), Array.from({ length: 1000 }, (_, i) => i));
    const wrong = results.filter((r) => r.got !== r.project);
    assert.deepEqual(wrong, [], "answers that belong to another call");
    const sent = (await journal()).slice(before);
    const served = sent.filter((r) => !r.limited).length;
    const limited = sent.filter((r) => r.limited).length;
    console.log(`faults: 1,000 calls in ${elapsed.toFixed(0)} ms; the emulator served ${served} and refused ${limited} with 429`);
    assert.equal(served, 1000, "each call served exactly once");
  } finally {
    await control("config", { rate_limit_route_per_second: 40, rate_limit_per_minute: 700 });
  }
});

test("an abort in each phase (pacing wait, request, retry sleep, operation wait) leaves nothing running", { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [new URL("./faults/aborts.mjs", import.meta.url).pathname, emulator.url], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let lastOutput = 0;
  child.stdout.on("data", (d) => { out += d; lastOutput = performance.now(); });
  const exitCode = await new Promise((resolve) => child.once("exit", resolve));
  const exitedAfterMs = performance.now() - lastOutput;
  assert.equal(exitCode, 0, out);
  const lines = out.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.at(-1), { done: true });
  const phases = lines.slice(0, -1);
  assert.deepEqual(phases.map((p) => p.phase), ["pacing wait", "request", "retry sleep", "operation wait"]);
  for (const p of phases) {
    assert.equal(p.outcome, "AbortError", JSON.stringify(p));
    assert.equal(p.kind, "aborted", JSON.stringify(p));
  }
  // Nothing was left to send: after a wait longer than any pacing, retry or polling delay
  // involved, the journal holds no request after the last abort's mark.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const last = phases.at(-1);
  const later = (await journal()).slice(last.journalAfterAbort);
  assert.deepEqual(later, [], "requests that reached the emulator after the last abort");
  await control("config", { op_duration_ms: 200 });
  console.log(`faults: aborts settled in ${phases.map((p) => `${p.phase} ${p.settledMs} ms`).join(", ")}; the process exited ${exitedAfterMs.toFixed(0)} ms after its last line`);
  // A pending timer (a 2 s Retry-After, a 30 s operation) or request would hold the process.
  assert.ok(exitedAfterMs < 1000, `the process took ${exitedAfterMs} ms to exit`);
});

/** A loopback front for the emulator that can die (listener closed, every connection cut) and come back. */
async function front(target) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  let server;
  const listen = (at) => new Promise((resolve) => {
    server = createServer((socket) => {
      const upstream = connect(Number(port), hostname);
      for (const s of [socket, upstream]) { sockets.add(s); s.on("close", () => sockets.delete(s)); s.on("error", () => {}); }
      socket.pipe(upstream).pipe(socket);
    });
    server.listen(at, "127.0.0.1", () => resolve(server.address().port));
  });
  const at = await listen(0);
  return {
    url: `http://127.0.0.1:${at}`,
    die() { server.close(); for (const s of sockets) s.destroy(); },
    revive: () => listen(at),
    close() { server.close(); for (const s of sockets) s.destroy(); },
  };
}

test("the server dying mid-provisioning and mid-seed: a typed error, a whole .env, and a rerun that completes", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-faults-"));
  const server = await front(emulator.url);
  try {
    const envFile = join(dir, ".env");
    const OLD = "# kept\nAPP=1\n";
    writeFileSync(envFile, OLD);
    const seedFile = join(dir, "seed.sql");
    writeFileSync(seedFile, "CREATE TABLE fault_seed (n int);\nINSERT INTO fault_seed VALUES (1);\nINSERT INTO fault_seed VALUES (2);\n");
    const options = (report) => ({
      envFile, seedFile, referrer: "faults", baseUrl: `${server.url}/api/v1`, sqlEndpoint: `${server.url}/sql`, report, timeoutMs: 10_000,
    });

    // Mid-provisioning: the create is held 2 s by the emulator; the server dies meanwhile.
    await control("faults", { path: "/api/v1", method: "POST", delay_ms: 2000, times: 1 });
    const died = await provisionToEnvFile(options((step) => { if (step === "create") setTimeout(() => server.die(), 300); })).catch((e) => e);
    assert.equal(died.name, "NeonRequestError", String(died));
    assert.equal(died.kind, "network", String(died));
    assert.equal(readFileSync(envFile, "utf8"), OLD, "the .env changed although nothing was provisioned");
    await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" });
    await server.revive();

    // Mid-seed: the server dies as statement 2 is about to run.
    const seedFailed = await provisionToEnvFile(options((step, detail) => {
      if (step === "seed-progress" && detail.statement.number === 2) server.die();
    })).catch((e) => e);
    assert.equal(seedFailed.phase, "seed", String(seedFailed));
    assert.equal(seedFailed.kind, "network", String(seedFailed));
    assert.equal(seedFailed.applied, 1);
    const database = seedFailed.database;
    // The .env holds the old text and the whole block, nothing half-written.
    assert.equal(readFileSync(envFile, "utf8"), mergeClaimableEnv(OLD, database));

    // The rerun: the seed resumes where it stopped and completes.
    await server.revive();
    const text = readFileSync(seedFile, "utf8");
    const { planSeed } = await import("neon-edge/postgres");
    await seedDatabase(database.databaseUrl, { text, plan: planSeed(text) }, { sqlEndpoint: `${server.url}/sql`, skip: seedFailed.applied });
    const rows = await sql(database.databaseUrl, { endpoint: `${server.url}/sql` }).query("SELECT n FROM fault_seed ORDER BY n");
    assert.deepEqual(rows.rows.map((r) => Number(r.n ?? r[0])), [1, 2]);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
