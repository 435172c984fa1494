// Secrets never leave the package: every error, every onRetry/onProgress payload, the CLI's
// stdout and stderr and anything written to the console while these tests drive the error,
// retry, progress and CLI paths is searched for the API keys, passwords, identity assertions
// and access tokens they used
// (tests/support/secrets.mjs: a new kind of secret is one line there).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NeonClient } from "neon-edge";
import { NeonClient as WorkflowClient } from "neon-edge/workflows";
import { sql, mergeClaimableEnv, readDotEnv } from "neon-edge/postgres";
import { registerClaimableNeon, ClaimableNeonSession } from "neon-edge/claimable-neon";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";
import { startEmulator } from "../support/emulator.mjs";
import { SecretScan } from "../support/secrets.mjs";
import { claimableNeonControl } from "../support/claimable-neon.mjs";

const scan = new SecretScan();
let mock;
let emu;
const consoleMethods = ["log", "info", "warn", "error", "debug"];
const originalConsole = Object.fromEntries(consoleMethods.map((m) => [m, console[m]]));

before(async () => {
  [mock, emu] = await Promise.all([startMockNeon(), startEmulator()]);
  // Whatever the package writes to the console is output too.
  for (const m of consoleMethods) console[m] = (...args) => { scan.capture(`console.${m}`, args); originalConsole[m](...args); };
}, { timeout: 600_000 });
after(async () => {
  Object.assign(console, originalConsole);
  mock?.close();
  await emu?.close();
});

test("Management: a rejected key, retries, timeouts and bad arguments show no key", async () => {
  const key = scan.make("apiKey");
  const rejected = new NeonClient({ apiKey: key, baseUrl: `${mock.url}/api/v2`, retry: false });
  assert.equal((await scan.rejection("401 error", rejected.listProjects())).status, 401);
  assert.ok(await scan.rejection("401 error of request()", rejected.request({ path: "/projects" })));
  const viaFunction = new NeonClient({ apiKey: async () => key, baseUrl: `${mock.url}/api/v2`, retry: false });
  assert.ok(await scan.rejection("401 error, key from a function", viaFunction.getProject({ projectId: "p-1" })));
  assert.ok(scan.thrown("invalid base URL with credentials", () => new NeonClient({ apiKey: key, baseUrl: `https://user:${key}@h.example/` })));
  assert.ok(scan.thrown("invalid option", () => new NeonClient({ apiKey: key, retry: { maxAttempts: -1 } })));
  assert.ok(await scan.rejection("bad argument", rejected.getProject({ projectId: ".." })));
  const down = new NeonClient({ apiKey: key, baseUrl: "http://127.0.0.1:9/api/v2", retry: false, timeoutMs: 2000 });
  assert.ok(await scan.rejection("network error", down.listProjects()));
  scan.capture("a client, inspected", rejected);

  // The mock accepts only its own key: that key is the secret of the retry and success paths.
  scan.add("apiKey", API_KEY);
  await fetch(`${mock.url}/__reset`, { method: "POST" });
  await fetch(`${mock.url}/__faults`, { method: "POST", body: JSON.stringify({ path: "/projects", status: 429, retryAfter: 0, times: 1 }) });
  await fetch(`${mock.url}/__faults`, { method: "POST", body: JSON.stringify({ path: "/projects", status: 503, times: 1 }) });
  const retried = [];
  const neon = new NeonClient({ apiKey: API_KEY, baseUrl: `${mock.url}/api/v2`, retry: { onRetry: (e) => retried.push(scan.capture("onRetry payload", e)) } });
  scan.capture("listProjects result", await neon.listProjects());
  assert.equal(retried.length, 2);
  const slow = new NeonClient({ apiKey: API_KEY, baseUrl: `${mock.url}/api/v2`, retry: false, timeoutMs: 50 });
  await fetch(`${mock.url}/__faults`, { method: "POST", body: JSON.stringify({ path: "/projects", delayMs: 500, times: 1 }) });
  assert.equal((await scan.rejection("timeout", slow.listProjects())).kind, "timeout");
});

test("SQL over HTTP and .env helpers: connection strings in errors are redacted", async () => {
  const password = scan.make("password");
  for (const [label, url] of [
    ["wrong scheme", `mysql://u:${password}@h.example/db`],
    ["no host", `postgresql://u:${password}@/db`],
    ["bad port", `postgresql://u:${password}@h.example:notaport/db`],
    ["bad percent-escape", `postgresql://u:${password}%zz@h.example/db`],
  ]) scan.thrown(`sql(): ${label}`, () => sql(url));
  const unreachable = sql(`postgresql://u:${password}@127.0.0.1/db`, { endpoint: "http://127.0.0.1:9/sql", timeoutMs: 2000 });
  assert.ok(await scan.rejection("sql network error", unreachable.query("SELECT 1")));
  scan.capture("an sql() object, inspected", unreachable);
  const refused = sql(`postgresql://u:${password}@127.0.0.1/db`, { endpoint: emu.sqlEndpoint });
  assert.ok(await scan.rejection("sql refused by the server", refused.query("SELECT 1")));
  const block = { databaseUrl: `postgresql://u:${password}@h/db`, databaseUrlDirect: `postgresql://u:${password}@h/db`, claimUrl: "https://c", expiresAt: "t" };
  assert.ok(scan.thrown(".env conflict", () => mergeClaimableEnv(`DATABASE_URL=postgresql://u:${password}@other/db\n`, block)));
  assert.ok(scan.thrown(".env invalid key", () => mergeClaimableEnv("", { ...block, key: "1BAD" })));
});

test("the CLI prints no password of the database it writes to .env", async () => {
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-secrets-"));
  writeFileSync(join(dir, "seed.sql"), "CREATE TABLE t (id int);\nSELEC broken;\n");
  const cli = join(dirname(fileURLToPath(import.meta.resolve("neon-edge/node"))), "cli.js");
  const run = (args) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, "--base-url", emu.claimableBaseUrl, "--sql-endpoint", emu.sqlEndpoint],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEON_EDGE_NO_OPEN: "1" } });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
  const first = await run(["--yes", "--seed", "seed.sql"]); // the seed fails on its second statement
  const url = readDotEnv(readFileSync(join(dir, ".env"), "utf8")).DATABASE_URL;
  scan.add("password", decodeURIComponent(new URL(url).password));
  scan.capture(`CLI --yes with a failing seed (exit ${first.code})`, first.out);
  scan.capture("CLI run again (key present)", (await run(["--yes"])).out);
});

test("workflows: onProgress payloads and errors hold neither the key nor a password", async () => {
  const key = scan.make("apiKey");
  const progress = [];
  const neon = new WorkflowClient({ apiKey: key, baseUrl: `${emu.url}/api/v2` });
  const onProgress = (step) => progress.push(scan.capture("onProgress payload", step));
  const made = await neon.projects.createAndConnect({ name: "secrets-scan" }, { onProgress });
  scan.add("password", decodeURIComponent(new URL(made.connectionString).password));
  await neon.branches.createAndConnect({ projectId: made.project.id, name: "dev" }, { onProgress });
  assert.ok(progress.length >= 4);
  assert.ok(await scan.rejection("workflow error", neon.branches.createAndConnect({ projectId: "no-such-project", name: "x" }, { onProgress })));
  assert.ok(await scan.rejection("workflow bad argument", neon.postgres.connectionString({ projectId: made.project.id, databaseName: 42 })));
});

test("Claimable Neon: errors, progress, an inspected session and the CLI hold no assertion, token or password", async () => {
  const origin = emu.claimableNeonOrigin;
  const control = claimableNeonControl(origin);
  // A made-up assertion the service refuses (invalid_grant): the error must not echo it.
  const forged = scan.make("identityAssertion");
  const refused = new ClaimableNeonSession({ origin, identityAssertion: forged, projectId: "p-forged" });
  assert.ok(await scan.rejection("Claimable Neon: forged assertion", refused.credentials()));
  assert.ok(scan.thrown("Claimable Neon: bad origin", () => new ClaimableNeonSession({ origin: `http://u:${forged}@example.com`, identityAssertion: forged, projectId: "p" })));
  scan.capture("Claimable Neon: a refused session, inspected", refused);

  const reg = await registerClaimableNeon({ origin, source: "secrets scan" });
  scan.add("identityAssertion", reg.identityAssertion);
  const session = new ClaimableNeonSession({ origin, identityAssertion: reg.identityAssertion, projectId: reg.projectId });
  scan.add("accessToken", await session.accessToken());
  scan.add("password", decodeURIComponent(new URL((await session.credentials()).databaseUrl).password));
  scan.capture("Claimable Neon: a live session, inspected", session);
  scan.capture("Claimable Neon: claim code", await session.claim());
  const progress = [];
  const waiting = session.waitForClaim({ intervalMs: 50, onProgress: (p) => progress.push(scan.capture("Claimable Neon: waitForClaim progress", p)) });
  await control.post(`projects/${reg.projectId}/claim/accept`);
  await control.post(`projects/${reg.projectId}/claim/reconcile`);
  scan.capture("Claimable Neon: waitForClaim result", await waiting);
  assert.ok(progress.length >= 1);
  assert.ok(await scan.rejection("Claimable Neon: dead assertion after the claim", session.credentials()));

  // The CLI: create writes the assertion to .env; none of its output shows it.
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-secrets-claimable-"));
  const cli = join(dirname(fileURLToPath(import.meta.resolve("neon-edge/node"))), "cli.js");
  const run = (args) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "claimable", ...args, "--origin", origin], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEON_EDGE_NO_OPEN: "1" } });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("close", (exit) => resolve({ exit, out }));
  });
  const created = await run(["create"]);
  assert.equal(created.exit, 0, created.out);
  const env = readDotEnv(readFileSync(join(dir, ".env"), "utf8"));
  scan.add("identityAssertion", env.NEON_CLAIMABLE_ASSERTION);
  scan.add("password", decodeURIComponent(new URL(env.DATABASE_URL).password));
  scan.capture("CLI claimable create", created.out);
  scan.capture("CLI claimable status", (await run(["status"])).out);
  scan.capture("CLI claimable delete", (await run(["delete"])).out);
  scan.capture("CLI claimable status after delete", (await run(["status"])).out);
});

test("no secret appears in anything captured", () => {
  // The scan itself finds a secret in an error's message, its fields and percent-encoded.
  const probe = new SecretScan();
  const secret = probe.make("password");
  probe.capture("message", new Error(`postgresql://u:${secret}@h/db`));
  probe.capture("field", Object.assign(new Error("x"), { url: `postgresql://u:${encodeURIComponent(`${secret}/`)}@h/db` }));
  probe.capture("clean", new Error("postgresql://u:****@h/db"));
  assert.deepEqual(probe.leaks(), ["password in message", "password in field"]);

  assert.ok(scan.secrets.length >= 4 && scan.outputs.length >= 25, `${scan.secrets.length} secrets, ${scan.outputs.length} outputs`);
  assert.deepEqual(scan.leaks(), []);
});
