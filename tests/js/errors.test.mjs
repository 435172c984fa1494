// Every NeonClientError names its cause in `reason`, from both modules and the Node shell,
// while its message reads as before. All of these fail before anything is sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, NeonClientError } from "neon-edge";
import {
  sql, planSeed, mergeClaimableEnv, createClaimableDatabase, NeonClientError as PostgresClientError,
} from "neon-edge/postgres";
import { provisionToEnvFile, instantPostgres } from "neon-edge/node";
import { postgres as vitePlugin } from "neon-edge/vite";

/** A fetch that fails the test if anything is sent. */
const noFetch = () => assert.fail("nothing should be sent");

const neon = new NeonClient({ apiKey: "napi_test", baseUrl: "https://api.example.test/api/v2", fetch: noFetch });

/** Asserts `err` is a client error with this reason (and message, when given). */
function isClient(err, reason, message) {
  assert.ok(err instanceof NeonClientError && err instanceof PostgresClientError, String(err));
  assert.equal(err.kind, "client");
  assert.equal(err.reason, reason, err.message);
  if (message !== undefined) assert.equal(err.message, message);
  return true;
}

const rejection = (promise) => promise.then(() => assert.fail("expected a rejection"), (e) => e);
const thrown = (f) => { try { f(); } catch (e) { return e; } assert.fail("expected a throw"); };

test("neon-edge: a missing parameter is missing_parameter", async () => {
  isClient(await rejection(neon.getProject({})), "missing_parameter", "getProject: missing required path parameter `projectId`");
  isClient(await rejection(neon.createProject({})), "missing_parameter", "createProject: missing required `body`");
  isClient(await rejection(neon.request({})), "missing_parameter", "request: path is required");
});

test("neon-edge: malformed arguments are invalid_parameter, invalid_body, invalid_path or unsupported", async () => {
  isClient(await rejection(neon.getProject({ projectId: ".." })), "invalid_parameter",
    "getProject: path parameter `projectId` must not be empty, `.` or `..`");
  isClient(await rejection(neon.getProject("p-1")), "invalid_parameter", "getProject: the argument must be an object");
  isClient(await rejection(neon.getProject({ projectId: "p", body: {} })), "unsupported", "getProject: takes no request body");
  const cyclic = {}; cyclic.self = cyclic;
  isClient(await rejection(neon.createProject({ body: cyclic })), "invalid_body");
  isClient(await rejection(neon.request({ path: "//evil.test/x" })), "invalid_path");
  isClient(await rejection(neon.request({ method: "TRACE", path: "/x" })), "unsupported", "request: unsupported method `TRACE`");
  isClient(await rejection(neon.call("listProject", {})), "unknown_operation", "unknown operation `listProject`");
});

test("neon-edge: a bad option is invalid_option, a bad base URL invalid_base_url, a bad key *_api_key", async () => {
  isClient(thrown(() => new NeonClient({ apiKey: "k", retry: { maxAttempts: 0 } })), "invalid_option",
    "retry.maxAttempts must be a positive integer");
  isClient(await rejection(neon.listProjects({}, { ifExists: "maybe" })), "invalid_option");
  isClient(thrown(() => new NeonClient({ apiKey: "k", operationDurations: { get() {} } })), "invalid_option",
    "operationDurations must have a `set` method");
  isClient(thrown(() => new NeonClient({ apiKey: "k", baseUrl: "ftp://x" })), "invalid_base_url",
    "baseUrl `ftp://x` is not a valid base URL: it must start with https:// or http://");
  const withPassword = thrown(() => new NeonClient({ apiKey: "k", baseUrl: "https://user:hunter2@h.example/" }));
  isClient(withPassword, "invalid_base_url");
  assert.doesNotMatch(withPassword.message, /hunter2/);
  isClient(thrown(() => new NeonClient({})), "missing_api_key", "apiKey is missing or empty");
  isClient(thrown(() => new NeonClient({ apiKey: 42 })), "invalid_api_key");
  const throwingKey = new NeonClient({ apiKey: () => { throw new Error("vault down"); }, fetch: noFetch });
  isClient(await rejection(throwingKey.listProjects()), "invalid_api_key", "the apiKey function threw");
});

test("neon-edge: a throwing store is store_failed", async () => {
  const store = { acquire() { throw new Error("KV is down"); }, pause() {} };
  const c = new NeonClient({ apiKey: "k", rateLimit: { store }, retry: false, fetch: noFetch });
  isClient(await rejection(c.listProjects()), "store_failed", "rateLimit.store.acquire failed: KV is down");
});

test("neon-edge/postgres: an invalid connection string is invalid_connection_string", () => {
  isClient(thrown(() => sql("mysql://u:pw@h/db")), "invalid_connection_string",
    "the connection string must start with postgres:// or postgresql://");
  isClient(thrown(() => sql(42)), "invalid_parameter", "sql(connectionString): connectionString must be a string");
  isClient(thrown(() => sql("postgresql://u@h/db", { endpoint: "ftp://x" })), "invalid_base_url");
});

test("neon-edge/postgres: .env errors are invalid_env_entry or env_conflict and keep their code", () => {
  const block = { databaseUrl: "postgresql://u@h/db", databaseUrlDirect: "postgresql://u@h/db", claimUrl: "https://c", expiresAt: "t" };
  const badKey = thrown(() => mergeClaimableEnv("", { ...block, key: "1BAD" }));
  isClient(badKey, "invalid_env_entry");
  assert.equal(badKey.code, "invalid_key");
  const taken = thrown(() => mergeClaimableEnv("DATABASE_URL=x\n", block));
  isClient(taken, "env_conflict");
  assert.equal(taken.code, "keys_exist");
  isClient(thrown(() => mergeClaimableEnv("", {})), "missing_parameter", "mergeClaimableEnv: databaseUrl is required");
});

test("neon-edge/postgres: a script that cannot be split is invalid_script; a declined seed not_confirmed", async () => {
  const unterminated = thrown(() => planSeed("SELECT 1;\nSELECT 'x"));
  isClient(unterminated, "invalid_script");
  assert.equal(unterminated.line, 2);
  const db = sql("postgresql://u:pw@h.example/db", { fetch: noFetch });
  isClient(await rejection(db.seed("DROP TABLE t;", { onDestructive: () => false })), "not_confirmed",
    "seeding stopped before it began: 1 destructive statement(s) were not confirmed");
  isClient(await rejection(db.transaction([], { isolationLevel: "Chaos" })), "invalid_option");
  isClient(await rejection(createClaimableDatabase({ ref: " ", fetch: noFetch })), "invalid_parameter");
});

test("neon-edge/node and neon-edge/vite: the JS shell's own client errors carry a reason too", async () => {
  isClient(await rejection(provisionToEnvFile({ referrer: "" })), "missing_parameter");
  isClient(await rejection(instantPostgres({ referrer: "x", seed: {} })), "invalid_option");
  isClient(thrown(() => vitePlugin({ referrer: " " })), "missing_parameter");
  isClient(thrown(() => vitePlugin({ referrer: "a", envKey: "DATABASE-URL" })), "invalid_option");
});
