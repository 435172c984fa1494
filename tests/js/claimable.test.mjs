// Claimable Postgres, SQL over HTTP and the Node .env helpers, against the local emulator
// and its real PostgreSQL, through the built package as users import it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createClaimableDatabase, getClaimableDatabase, sql, planSeed, mergeClaimableEnv,
  NeonApiError, NeonClientError, NeonSqlError, NeonError,
} from "neon-edge/postgres";
import { instantPostgres, provisionToEnvFile, writeFileAtomic, writeClaimableEnv, isGitIgnored } from "neon-edge/node";
import { startEmulator } from "../support/emulator.mjs";

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.close());

const tempDir = () => mkdtempSync(join(tmpdir(), "neon-edge-claimable-"));

/** A fetch that counts the requests it forwards. */
function countingFetch() {
  const f = (request) => { f.calls.push(request.url); return fetch(request); };
  f.calls = [];
  return f;
}

test("createClaimableDatabase resolves to the database with pooled and direct URLs and the server's claim URL", async () => {
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  assert.equal(db.status, "UNCLAIMED");
  assert.match(db.id, /^[0-9a-f-]{36}$/);
  assert.ok(db.neonProjectId);
  // The emulator's strings name the pooled endpoint in `options` (its hosts are 127.0.0.1).
  assert.match(db.databaseUrl, /options=endpoint%3Dep-[a-z0-9-]+-pooler$/);
  assert.equal(db.databaseUrlDirect, db.databaseUrl.replace(/-pooler$/, ""));
  assert.equal(db.claimUrl, `${emu.url}/claim/${db.id}`);
  const hours = (Date.parse(db.expiresAt) - Date.parse(db.createdAt)) / 3_600_000;
  assert.equal(Math.round(hours), 72);
});

test("getClaimableDatabase follows UNCLAIMED -> CLAIMING -> CLAIMED and drops the connection string", async () => {
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  await fetch(db.claimUrl); // opening the link starts claiming
  const claiming = await getClaimableDatabase(db.id, { baseUrl: emu.claimableBaseUrl });
  assert.equal(claiming.status, "CLAIMING");
  assert.equal(claiming.databaseUrl, db.databaseUrl);
  await fetch(db.claimUrl, { method: "POST" });
  const claimed = await getClaimableDatabase(db.id, { baseUrl: emu.claimableBaseUrl });
  assert.equal(claimed.status, "CLAIMED");
  assert.equal(claimed.databaseUrl, null);
  assert.equal(claimed.databaseUrlDirect, null);
});

test("a missing or blank ref is a NeonClientError before any request", async () => {
  const counted = countingFetch();
  for (const ref of [undefined, "", "  "]) {
    const err = await createClaimableDatabase({ ref, baseUrl: emu.claimableBaseUrl, fetch: counted }).catch((e) => e);
    assert.ok(err instanceof NeonClientError, String(err));
    assert.match(err.message, /ref is missing or empty/);
  }
  assert.equal(counted.calls.length, 0);
});

test("an unknown id is a NeonApiError carrying the server's 400 message", async () => {
  const err = await getClaimableDatabase("no-such-id", { baseUrl: emu.claimableBaseUrl }).catch((e) => e);
  assert.ok(err instanceof NeonApiError);
  assert.equal(err.status, 400);
  assert.equal(err.message, "Database not found");
  assert.equal(err.operation, "getClaimableDatabase");
});

test("sql runs parameterised queries and transactions with typed rows", async () => {
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  const q = sql(db.databaseUrl, { endpoint: emu.sqlEndpoint });
  const one = await q.query("SELECT $1::int + 1 AS n, $2::text AS t, $3::boolean AS b", [41, "it's", true]);
  assert.deepEqual(one.rows, [{ n: 42, t: "it's", b: true }]);
  assert.equal(one.fields[0].dataTypeID, 23);
  const results = await q.transaction([
    "CREATE TABLE people (id int PRIMARY KEY, name text)",
    ["INSERT INTO people VALUES ($1, $2), ($3, $4)", [1, "ada", 2, "grace"]],
    { text: "SELECT name FROM people WHERE id = $1", params: [2] },
  ]);
  assert.equal(results.length, 3);
  assert.equal(results[1].rowCount, 2);
  assert.deepEqual(results[2].rows, [{ name: "grace" }]);
});

test("the sql tagged template sends every value as a parameter", async () => {
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  const q = sql(db.databaseUrl, { endpoint: emu.sqlEndpoint });
  const name = "Robert'); DROP TABLE students;--";
  const out = await q.sql`SELECT ${name}::text AS name, ${2}::int * ${3}::int AS n`;
  assert.deepEqual(out.rows, [{ name, n: 6 }]);
  assert.throws(() => q.sql("SELECT 1"), TypeError);
});

test("a failed transaction applies nothing", async () => {
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  const q = sql(db.databaseUrl, { endpoint: emu.sqlEndpoint });
  await q.query("CREATE TABLE t (id int PRIMARY KEY)");
  const err = await q.transaction(["INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)"]).catch((e) => e);
  assert.ok(err instanceof NeonSqlError);
  assert.equal(err.code, "23505");
  const count = await q.query("SELECT count(*)::int AS n FROM t");
  assert.equal(count.rows[0].n, 0);
});

test("SQL errors carry the SQLSTATE and never the password", async () => {
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  const q = sql(db.databaseUrl, { endpoint: emu.sqlEndpoint });
  const err = await q.query("SELECT * FROM missing_table").catch((e) => e);
  assert.ok(err instanceof NeonSqlError && err instanceof NeonError);
  assert.equal(err.kind, "sql");
  assert.equal(err.code, "42P01");
  assert.match(err.message, /missing_table/);
  const password = new URL(db.databaseUrl).password;
  const wrong = db.databaseUrl.replace(`:${password}@`, ":not-the-password@");
  const denied = await sql(wrong, { endpoint: emu.sqlEndpoint }).query("SELECT 1").catch((e) => e);
  assert.equal(denied.code, "28P01");
  for (const shown of [denied.message, JSON.stringify(denied), String(denied.stack)]) {
    assert.ok(!shown.includes("not-the-password"), shown);
  }
  const bad = (() => { try { sql("mysql://u:hunter22@h/db"); } catch (e) { return e; } })();
  assert.ok(bad instanceof NeonClientError);
  assert.ok(!bad.message.includes("hunter22"));
});

test("the default SQL endpoint is derived from the host as @neondatabase/serverless does", () => {
  const q = sql("postgresql://u:p@ep-x-123-pooler.us-east-2.aws.neon.tech/neondb");
  assert.equal(q.endpoint, "https://api.us-east-2.aws.neon.tech/sql");
});

test("planSeed lists destructive statements; seed reports the failing statement", async () => {
  const plan = planSeed("DROP TABLE IF EXISTS a;\nCREATE TABLE a (x text DEFAULT ';');\nDELETE FROM a;");
  assert.equal(plan.statements.length, 3);
  assert.deepEqual(plan.destructive.map((d) => [d.number, d.reasons]), [[1, ["DROP TABLE"]], [3, ["DELETE without WHERE"]]]);
  const db = await createClaimableDatabase({ ref: "neon-edge-tests", baseUrl: emu.claimableBaseUrl });
  const q = sql(db.databaseUrl, { endpoint: emu.sqlEndpoint });
  let asked;
  const refused = await q.seed("DROP TABLE IF EXISTS x;", { onDestructive: (list) => { asked = list; return false; } }).catch((e) => e);
  assert.ok(refused instanceof NeonClientError);
  assert.equal(asked.length, 1);
  const err = await q.seed("CREATE TABLE s (x int);\n\nINSERT INTO s\n  VALUES ('nope');").catch((e) => e);
  assert.ok(err instanceof NeonSqlError);
  assert.deepEqual(err.statement, { number: 2, line: 3, firstLine: "INSERT INTO s" });
  assert.equal(err.code, "22P02");
  assert.match(err.message, /^seed statement 2 \(line 3\) failed: INSERT INTO s/);
  const unterminated = await q.seed("SELECT 'open;").catch((e) => e);
  assert.ok(unterminated instanceof NeonClientError);
  assert.equal(unterminated.line, 1);
});

const EXISTING = "# app settings\r\nexport API_KEY='k 1' # keep\r\n\r\nEMPTY=\r\nNAME=\"quoted value\"";

test("instantPostgres writes the .env, keeps every existing byte, and seeds the database", async () => {
  const dir = tempDir();
  const envFile = join(dir, ".env");
  writeFileSync(envFile, EXISTING);
  writeFileSync(join(dir, "seed.sql"), "CREATE TABLE todos (id serial PRIMARY KEY, title text);\nINSERT INTO todos (title) VALUES ('write; tests'), ($$it's$$);\n");
  const out = await instantPostgres({
    dotEnvFile: envFile, referrer: "neon-edge-tests", seed: { type: "sql-script", path: join(dir, "seed.sql") },
    baseUrl: emu.claimableBaseUrl, sqlEndpoint: emu.sqlEndpoint,
  });
  assert.ok(out.claimExpiresAt instanceof Date);
  assert.ok(out.claimExpiresAt.getTime() > Date.now());
  assert.equal(out.databaseUrlDirect, out.databaseUrl.replace(/-pooler$/, ""));
  const text = readFileSync(envFile, "utf8");
  assert.ok(text.startsWith(EXISTING + "\r\n"), JSON.stringify(text));
  assert.ok(text.includes(`\r\nDATABASE_URL=${out.databaseUrl}\r\n`) || text.includes(`DATABASE_URL="${out.databaseUrl}"`));
  assert.match(text, /# Claimable DB expires at: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
  assert.ok(text.includes(`PUBLIC_POSTGRES_CLAIM_URL=${out.claimUrl}`));
  assert.ok(text.includes("DATABASE_URL_DIRECT="));
  const rows = await sql(out.databaseUrl, { endpoint: emu.sqlEndpoint }).query("SELECT title FROM todos ORDER BY id");
  assert.deepEqual(rows.rows.map((r) => r.title), ["write; tests", "it's"]);
});

test("instantPostgres leaves an existing key untouched and creates nothing", async () => {
  const dir = tempDir();
  const envFile = join(dir, ".env");
  const original = "DATABASE_URL=postgres://mine@h/db\nOTHER=1\n";
  writeFileSync(envFile, original);
  const counted = countingFetch();
  const err = await instantPostgres({ dotEnvFile: envFile, referrer: "t", baseUrl: emu.claimableBaseUrl, fetch: counted }).catch((e) => e);
  assert.ok(err instanceof NeonClientError);
  assert.equal(err.code, "keys_exist");
  assert.deepEqual(err.keys, ["DATABASE_URL"]);
  assert.match(err.message, /--env/);
  assert.match(err.message, /--key/);
  assert.match(err.message, /remove or comment out/);
  assert.equal(readFileSync(envFile, "utf8"), original);
  assert.equal(counted.calls.length, 0);
});

test("instantPostgres honours dotEnvKey and envPrefix", async () => {
  const dir = tempDir();
  const envFile = join(dir, ".env.local");
  const out = await instantPostgres({
    dotEnvFile: envFile, dotEnvKey: "NEON_URL", envPrefix: "VITE_", referrer: "t", baseUrl: emu.claimableBaseUrl,
  });
  const text = readFileSync(envFile, "utf8");
  assert.ok(text.includes(`NEON_URL=${out.databaseUrl}`));
  assert.ok(text.includes(`NEON_URL_DIRECT=${out.databaseUrlDirect}`));
  assert.ok(text.includes(`VITE_POSTGRES_CLAIM_URL=${out.claimUrl}`));
  assert.equal(statSync(envFile).mode & 0o777, 0o600, "a new env file is private");
});

test("a crash between the temp write and the rename leaves the original .env intact", () => {
  const dir = tempDir();
  const envFile = join(dir, ".env");
  writeFileSync(envFile, EXISTING);
  const crashing = { ...fs, renameSync: () => { throw Object.assign(new Error("simulated crash"), { code: "EIO" }); } };
  const database = {
    databaseUrl: "postgresql://u:p@ep-a-pooler.x.test/db", databaseUrlDirect: "postgresql://u:p@ep-a.x.test/db",
    claimUrl: "https://neon.new/claim/1", expiresAt: "2026-01-26T14:19:14.580Z",
  };
  assert.throws(() => writeClaimableEnv(envFile, database, { fs: crashing }), /simulated crash/);
  assert.equal(readFileSync(envFile, "utf8"), EXISTING);
  assert.deepEqual(readdirSync(dir), [".env"], "the temp file is removed");
  writeClaimableEnv(envFile, database);
  assert.ok(readFileSync(envFile, "utf8").startsWith(EXISTING));
});

test("a write that fails after creating the database reports the database and the phase", async () => {
  const dir = tempDir();
  const envFile = join(dir, ".env");
  writeFileSync(envFile, "KEEP=1\n");
  const crashing = { ...fs, renameSync: () => { throw new Error("disk full"); } };
  const err = await provisionToEnvFile({ envFile, referrer: "t", baseUrl: emu.claimableBaseUrl, fs: crashing }).catch((e) => e);
  assert.equal(err.message, "disk full");
  assert.equal(err.phase, "write");
  assert.match(err.database.claimUrl, /\/claim\//);
  assert.equal(readFileSync(envFile, "utf8"), "KEEP=1\n");
});

test("a missing env directory is refused before anything is created", async () => {
  const counted = countingFetch();
  const err = await provisionToEnvFile({ envFile: join(tempDir(), "no", "such", ".env"), referrer: "t", baseUrl: emu.claimableBaseUrl, fetch: counted }).catch((e) => e);
  assert.ok(err instanceof NeonClientError);
  assert.equal(err.code, "env_dir");
  assert.equal(counted.calls.length, 0);
});

test("an atomic write keeps the file's mode and writes through a symlink", () => {
  const dir = tempDir();
  const target = join(dir, "real.env");
  writeFileSync(target, "A=1\n");
  chmodSync(target, 0o640);
  fs.symlinkSync(target, join(dir, ".env"));
  writeFileAtomic(join(dir, ".env"), "A=1\nB=2\n");
  assert.equal(readFileSync(target, "utf8"), "A=1\nB=2\n");
  assert.equal(statSync(target).mode & 0o777, 0o640);
  assert.ok(fs.lstatSync(join(dir, ".env")).isSymbolicLink());
});

test("mergeClaimableEnv refuses an invalid key with a typed error", () => {
  const block = { databaseUrl: "postgresql://h/d", databaseUrlDirect: "postgresql://h/d", claimUrl: "https://c", expiresAt: "x" };
  const err = (() => { try { mergeClaimableEnv("A=1\n", { ...block, key: "1BAD" }); } catch (e) { return e; } })();
  assert.ok(err instanceof NeonClientError);
  assert.equal(err.code, "invalid_key");
});

test("isGitIgnored reads .gitignore without ever editing it", () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".gitignore"), "# secrets\n.env*\n!.env.example\n");
  assert.equal(isGitIgnored(join(dir, ".env")), true);
  assert.equal(isGitIgnored(join(dir, ".env.local")), true);
  assert.equal(isGitIgnored(join(dir, ".env.example")), false);
  assert.equal(isGitIgnored(join(dir, "config.env")), false);
  assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), "# secrets\n.env*\n!.env.example\n");
});
