// Contract test of the responses: `prism mock --dynamic` answers every operation of the spec
// whose successful responses carry a body (JSON; one answers octet-stream) with random,
// spec-valid bodies (RESPONSES_PER_OPERATION each, asked through the JS client); they are
// written to a temp file and decoded by the typed Rust methods in tests/contract_decode.rs,
// whose ignored decode test runs here with `--ignored`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NeonClient } from "neon-edge";
import { argsFor, bytesAsArrays, recordingFetch, specOperations, startPrism } from "./spec.mjs";
import { tableIsCurrent } from "./decode-table.mjs";

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

test(`${RESPONSES_PER_OPERATION} random responses of every operation with a response body decode with the typed Rust structs`, { timeout: 600_000 }, async () => {
  assert.ok(tableIsCurrent(), "the table in tests/contract_decode.rs is stale: run `node tests/contract/decode-table.mjs`");
  const withBody = specOperations().filter((op) => op.responseTypes.length > 0);
  const jobs = withBody.flatMap((op) => Array.from({ length: RESPONSES_PER_OPERATION }, (_, i) => [op, i]));
  const exchanges = [];
  for (let i = 0; i < jobs.length; i += CONCURRENCY) {
    exchanges.push(...(await Promise.all(jobs.slice(i, i + CONCURRENCY).map(([op, n]) => oneResponse(op, n)))));
  }

  // Only successful answers are the spec's typed bodies; anything else is listed, not decoded.
  const ok = exchanges.filter((x) => x.status >= 200 && x.status < 300);
  const other = exchanges.filter((x) => !(x.status >= 200 && x.status < 300));
  const perOperation = new Map(withBody.map((op) => [op.id, 0]));
  // An empty 2xx body (a 204) decodes without reaching a struct: only bodies count.
  for (const x of ok) if (x.body) perOperation.set(x.operationId, perOperation.get(x.operationId) + 1);
  const short = [...perOperation].filter(([, n]) => n < RESPONSES_PER_OPERATION);
  const distinct = new Set(ok.map((x) => `${x.operationId} ${x.body}`)).size;
  const methods = new Map();
  for (const op of withBody) methods.set(op.method, (methods.get(op.method) ?? 0) + 1);
  const byMethod = [...methods].map(([method, n]) => `${n} ${method}`).join(", ");
  console.log(`${ok.length} successful responses (${distinct} distinct) of ${withBody.length} operations (${byMethod}) recorded`);

  const fixture = join(dir, "responses.json");
  writeFileSync(fixture, JSON.stringify(ok, bytesAsArrays));
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
  assert.deepEqual(short, [], `operations with fewer than ${RESPONSES_PER_OPERATION} successful responses with a body:\n${listed.join("\n")}`);
});
