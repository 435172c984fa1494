// Contract test of the responses: `prism mock --dynamic` answers every GET operation of the
// spec with random, spec-valid bodies (RESPONSES_PER_OPERATION each, asked through the JS
// client); they are written to a temp file and decoded by the typed Rust methods in
// tests/contract_decode.rs, whose ignored decode test runs here with `--ignored`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NeonClient } from "neon-edge";
import { argsFor, recordingFetch, specOperations, startPrism } from "./spec.mjs";

const RESPONSES_PER_OPERATION = 20;
const CONCURRENCY = 8;
const CALL_TIMEOUT_MS = 15_000;
const CARGO_TIMEOUT_MS = 420_000;
const DECODE_TEST = "prism_dynamic_responses_decode_with_the_typed_structs";
const root = fileURLToPath(new URL("../..", import.meta.url));

let prism;
let dir;
let keepFixture = false;
before(async () => {
  prism = await startPrism(["--dynamic"]);
  dir = mkdtempSync(join(tmpdir(), "neon-contract-"));
});
after(() => {
  prism?.stop();
  if (dir && !keepFixture) rmSync(dir, { recursive: true, force: true });
});

/** Asks Prism for one response to `op` and returns the exchange as the Rust test reads it. */
async function oneResponse(op, i) {
  const log = [];
  const neon = new NeonClient({ apiKey: "contract-test-key", baseUrl: prism.url, retry: false, rateLimit: false, fetch: recordingFetch(log) });
  // Alternate minimal and full arguments: Prism may shape the answer after the query.
  const args = argsFor(op, { full: i % 2 === 1 });
  await neon[op.id](args, { timeoutMs: CALL_TIMEOUT_MS }).catch(() => {});
  const last = log.at(-1);
  if (!last) return { operationId: op.id, args, error: "nothing was sent" };
  return { operationId: op.id, args, status: last.status, contentType: last.contentType, body: last.body };
}

test(`${RESPONSES_PER_OPERATION} random responses of every GET operation decode with the typed Rust structs`, { timeout: 600_000 }, async () => {
  const gets = specOperations().filter((op) => op.method === "GET");
  const jobs = gets.flatMap((op) => Array.from({ length: RESPONSES_PER_OPERATION }, (_, i) => [op, i]));
  const exchanges = [];
  for (let i = 0; i < jobs.length; i += CONCURRENCY) {
    exchanges.push(...(await Promise.all(jobs.slice(i, i + CONCURRENCY).map(([op, n]) => oneResponse(op, n)))));
  }

  // Only successful answers are the spec's typed bodies; anything else is listed, not decoded.
  const ok = exchanges.filter((x) => x.status >= 200 && x.status < 300);
  const other = exchanges.filter((x) => !(x.status >= 200 && x.status < 300));
  const perOperation = new Map(gets.map((op) => [op.id, 0]));
  for (const x of ok) perOperation.set(x.operationId, perOperation.get(x.operationId) + 1);
  const short = [...perOperation].filter(([, n]) => n < RESPONSES_PER_OPERATION);
  const distinct = new Set(ok.map((x) => `${x.operationId} ${x.body}`)).size;
  console.log(`${ok.length} successful responses (${distinct} distinct) of ${gets.length} GET operations recorded`);

  const fixture = join(dir, "responses.json");
  writeFileSync(fixture, JSON.stringify(ok));
  const cargo = spawnSync("cargo", ["test", "-q", "-p", "neon-edge", "--test", "contract_decode", "--", "--ignored", "--exact", DECODE_TEST, "--nocapture"], {
    cwd: root,
    env: { ...process.env, NEON_CONTRACT_RESPONSES: fixture },
    encoding: "utf8",
    timeout: CARGO_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${cargo.stdout ?? ""}${cargo.stderr ?? ""}`;
  const summary = output.match(/decoded (\d+)\/(\d+) responses[^\n]*/);
  console.log(summary?.[0] ?? "the Rust decode test printed no summary");
  keepFixture = cargo.status !== 0;

  const notes = new Map();
  for (const x of other) {
    const note = `${x.operationId}: ${x.error ?? `status ${x.status}`} ${x.body?.slice(0, 300) ?? ""}`;
    notes.set(note, (notes.get(note) ?? 0) + 1);
  }
  const listed = [...notes].map(([note, n]) => `${n}x ${note}`);
  assert.equal(cargo.status, 0, `the Rust decode test failed (fixture kept at ${fixture}):\n${output.slice(-20000)}`);
  // A filter that matched no test would pass too: the test must have read every response.
  assert.equal(summary && Number(summary[2]), ok.length, `the Rust decode test did not read the ${ok.length} responses:\n${output.slice(-5000)}`);
  assert.deepEqual(short, [], `GET operations with fewer than ${RESPONSES_PER_OPERATION} successful responses:\n${listed.join("\n")}`);
});
