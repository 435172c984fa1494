// The package's two entries as users import them: `neon-edge` (the Management client) and
// `neon-edge/postgres` (Claimable Postgres, SQL, .env) are separate wasm modules. A cold start
// of one never loads the other, and both throw the one shared set of error classes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as management from "neon-edge";
import * as postgres from "neon-edge/postgres";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Imports `specifier` in a fresh Node process; what it read and compiled of wasm. */
function coldStart(specifier) {
  const r = spawnSync(process.execPath, [
    "--import", join(root, "tests", "support", "wasm-loads.mjs"),
    "--input-type=module", "-e", `await import(${JSON.stringify(specifier)});`,
  ], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.split("\n").find((l) => l.startsWith("wasm-loads "));
  assert.ok(line, r.stdout);
  return JSON.parse(line.slice("wasm-loads ".length));
}

test("importing neon-edge reads and compiles only neon_edge_bg.wasm", () => {
  assert.deepEqual(coldStart("neon-edge"), { read: ["neon_edge_bg.wasm"], compiled: 1 });
});

test("importing neon-edge/postgres reads and compiles only neon_edge_postgres_bg.wasm", () => {
  assert.deepEqual(coldStart("neon-edge/postgres"), { read: ["neon_edge_postgres_bg.wasm"], compiled: 1 });
});

test("importing neon-edge/workflows reads and compiles only neon_edge_workflows_bg.wasm", () => {
  assert.deepEqual(coldStart("neon-edge/workflows"), { read: ["neon_edge_workflows_bg.wasm"], compiled: 1 });
});

test("importing neon-edge/claimable-neon reads and compiles only neon_edge_claimable_neon_bg.wasm", () => {
  assert.deepEqual(coldStart("neon-edge/claimable-neon"), { read: ["neon_edge_claimable_neon_bg.wasm"], compiled: 1 });
});

test("neon-edge/claimable-neon is neon-edge/postgres plus Claimable Neon, and throws the same error classes", async () => {
  const claimable = await import("neon-edge/claimable-neon");
  for (const name of Object.keys(postgres)) assert.equal(typeof claimable[name], typeof postgres[name], name);
  assert.equal(typeof claimable.registerClaimableNeon, "function");
  assert.equal(typeof claimable.ClaimableNeonSession, "function");
  assert.equal(postgres.registerClaimableNeon, undefined);
  assert.equal(claimable.NeonClient, undefined);
  for (const name of ["NeonError", "NeonApiError", "NeonClientError"]) assert.equal(claimable[name], postgres[name], name);
  assert.equal(typeof claimable.NeonSql.prototype.sql, "function", "the sql tagged template is installed");
});

test("Node's entries, bundled into one file each, export every name of their files and share the error classes' files", async () => {
  const errors = await import(join(root, "pkg", "errors.js"));
  for (const [entry, glueFile] of [["neon-edge", "neon_edge.js"], ["neon-edge/postgres", "neon_edge_postgres.js"],
    ["neon-edge/workflows", "neon_edge_workflows.js"], ["neon-edge/claimable-neon", "neon_edge_claimable_neon.js"]]) {
    // What `export * from "./api.js"` gives unbundled: the glue's names (some guarded in
    // api.js under the same name) and the error classes.
    const glue = await import(join(root, "pkg", glueFile));
    const want = [...Object.keys(glue).filter((k) => k !== "default"), ...Object.keys(errors)].sort();
    const mod = await import(entry);
    assert.deepEqual(Object.keys(mod).sort(), [...new Set(want)], entry);
    for (const name of Object.keys(errors)) assert.equal(mod[name], errors[name], `${entry} ${name}`);
    // Classes keep their names (guard.js tells a paginator by its constructor's name).
    for (const [name, value] of Object.entries(glue)) {
      if (typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value))) assert.equal(mod[name].name, name, `${entry} ${name}.name`);
    }
    // The bundle imports nothing of the package but the error classes (errors.js, the snippet).
    const file = join(root, "pkg", entry.slice("neon-edge".length), "node.js");
    const imports = [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b.*?from "([^"]+)";$/gm)].map((m) => m[1]);
    assert.deepEqual([...new Set(imports.filter((s) => !s.startsWith("node:")).map((s) => s.replace(/^.*\//, "")))], ["errors.js"], entry);
  }
});

test("importing neon-edge/node (CLI helpers, instantPostgres) loads only the postgres module", () => {
  assert.deepEqual(coldStart("neon-edge/node"), { read: ["neon_edge_postgres_bg.wasm"], compiled: 1 });
});

test("neon-edge exports the Management client and no Postgres function", () => {
  assert.equal(typeof management.NeonClient, "function");
  assert.equal(typeof management.operationIds, "function");
  for (const name of ["sql", "createClaimableDatabase", "getClaimableDatabase", "planSeed", "mergeClaimableEnv", "readDotEnv", "NeonSql"]) {
    assert.equal(management[name], undefined, name);
  }
});

test("neon-edge/postgres exports the Postgres half and no Management client", () => {
  for (const name of ["sql", "createClaimableDatabase", "getClaimableDatabase", "planSeed", "mergeClaimableEnv", "claimableEnvKeys", "readDotEnv"]) {
    assert.equal(typeof postgres[name], "function", name);
  }
  assert.equal(postgres.NeonClient, undefined);
  assert.equal(postgres.operationIds, undefined);
});

test("both entries export the very same error classes", () => {
  for (const name of ["NeonError", "NeonApiError", "NeonOperationError", "NeonClientError", "NeonRequestError", "NeonSqlError"]) {
    assert.equal(typeof management[name], "function", name);
    assert.equal(postgres[name], management[name], name);
  }
});

test("an error thrown by the postgres module is an instance of neon-edge's classes, and the reverse", async () => {
  assert.throws(() => postgres.sql(42), (e) => e instanceof management.NeonClientError && e instanceof management.NeonError);
  assert.throws(() => postgres.mergeClaimableEnv("", {}), management.NeonClientError);
  assert.throws(() => new management.NeonClient({}), (e) => e instanceof postgres.NeonClientError && e.kind === "client");
  const sqlError = await postgres.sql("postgresql://u:p@127.0.0.1:1/db", { endpoint: "http://127.0.0.1:1/sql" })
    .query("SELECT 1").catch((e) => e);
  assert.ok(sqlError instanceof management.NeonRequestError && sqlError.kind === "network", String(sqlError));
});

test("the tagged template is installed on NeonSql by the postgres entry", () => {
  const q = postgres.sql("postgresql://u:p@ep-x-pooler.us-east-2.aws.neon.tech/db");
  assert.equal(typeof q.sql, "function");
  assert.throws(() => q.sql("SELECT 1"), TypeError);
});
