// Contract test of the requests: every operation of the official spec is called through the
// built JS NeonClient against `prism mock --errors`, which answers 422 with an `sl-violations`
// header when a request breaks the spec. Passes only when every spec operation goes through
// with zero violations.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, operationIds } from "neon-edge";
import { argsFor, bytesAsArrays, recordingFetch, specOperations, startPrism } from "./spec.mjs";

const CALL_TIMEOUT_MS = 15_000;

let prism;
before(async () => {
  prism = await startPrism(["--errors"]);
});
after(() => prism?.stop());

const describe = (v) => `${v.location?.join(".") ?? "?"}: ${v.message} (${v.code ?? v.severity})`;

/**
 * What went wrong with one exchange, or nothing when Prism accepted the request. Added to
 * `notes` instead: warnings (a deprecated parameter sent) and violations located in
 * `response`, which are Prism checking its own example against the spec.
 */
function problems(exchange, notes) {
  const out = [];
  for (const v of exchange.violations ? JSON.parse(exchange.violations) : []) {
    if (v.location?.[0] === "response") notes.add(`Prism's example: ${describe(v)}`);
    else if (v.severity && v.severity !== "Error") notes.add(`${v.severity.toLowerCase()}: ${describe(v)}`);
    else out.push(describe(v));
  }
  if (exchange.status === 404 && exchange.body.includes("NO_PATH_MATCHED")) out.push(`no spec path matched ${exchange.url}`);
  if (exchange.status === 405) out.push(`method ${exchange.method} not allowed on ${exchange.url}`);
  if (exchange.status === 406) out.push(`the request's Accept header admits none of the spec's response types: ${exchange.body.slice(0, 300)}`);
  if (exchange.status === 415) out.push(`unsupported content type: ${exchange.body.slice(0, 300)}`);
  if (exchange.status === 422 && !exchange.violations) out.push(`422 without sl-violations: ${exchange.body.slice(0, 300)}`);
  return out;
}

/**
 * Each operation is called twice: with its required arguments only, and with every query
 * parameter and every body property the spec declares.
 */
const VARIANTS = ["minimal", "full"];

/** Calls `op` once through a fresh client and returns what Prism said about the requests. */
async function callOperation(op, variant) {
  const log = [];
  const found = [];
  const notes = new Set();
  const neon = new NeonClient({
    apiKey: "contract-test-key",
    baseUrl: prism.url,
    retry: false,
    rateLimit: false,
    fetch: recordingFetch(log),
  });
  let args;
  try {
    args = argsFor(op, { full: variant === "full" });
  } catch (e) {
    found.push(`could not generate arguments: ${e.message}`);
  }
  if (args && typeof neon[op.id] !== "function") found.push("no such method on NeonClient");
  else if (args) {
    try {
      await neon[op.id](args, { timeoutMs: CALL_TIMEOUT_MS });
    } catch (e) {
      // Prism's answers may be error examples (4xx/5xx): only what it says about the request counts.
      if (log.length === 0) found.push(`nothing sent: ${e.message}`);
    }
  }
  for (const exchange of log) found.push(...problems(exchange, notes));
  return { variant, args, log, found, notes };
}

test("every operation of the spec is called with zero request violations", { timeout: 600_000 }, async () => {
  const operations = specOperations();
  const failures = new Map();
  const notesByOperation = new Map();
  for (const op of operations) {
    const found = [];
    const calls = [];
    for (const variant of VARIANTS) {
      const call = await callOperation(op, variant);
      calls.push(call);
      found.push(...call.found.map((f) => `[${variant}] ${f}`));
      if (call.notes.size) notesByOperation.set(op.id, new Set([...(notesByOperation.get(op.id) ?? []), ...call.notes]));
    }
    if (found.length) failures.set(op.id, { op, calls, found });
  }

  const covered = operations.length - failures.size;
  console.log(`${covered}/${operations.length} operations covered`);
  const specIds = new Set(operations.map((op) => op.id));
  const extra = operationIds().filter((id) => !specIds.has(id));
  if (extra.length) console.log(`operations of the client absent from the spec (not checked): ${extra.join(", ")}`);
  for (const [id, notes] of notesByOperation) {
    console.log(`note on ${id}: ${[...notes].join("; ")}`);
  }

  const report = [...failures.values()].map(({ op, calls, found }) =>
    [
      `${op.id} (${op.method} ${op.path})`,
      ...found.map((f) => `    - ${f}`),
      ...calls
        .filter((c) => c.found.length)
        .flatMap((c) => [
          `    [${c.variant}] args: ${JSON.stringify(c.args, bytesAsArrays)?.slice(0, 600)}`,
          ...c.log.map((x) => `    [${c.variant}] sent: ${x.method} ${x.url}${x.sentBody ? ` ${x.sentBody.slice(0, 600)}` : ""} -> ${x.status}`),
        ]),
    ].join("\n"),
  );
  assert.equal(covered, operations.length, `request violations:\n${report.join("\n")}`);
});
