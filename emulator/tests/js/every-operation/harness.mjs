// Drives the emulator through `prism proxy` with the pinned spec, which forwards every request
// and adds an `sl-violations` header naming what in the request or the response breaks the spec.
// Each call is attributed to the operation the flow made it for, so the test can say per
// operation whether it was served, and valid.
import { NeonClient } from "neon-edge";
import { argsFor, spec, specOperations, startPrism } from "../../../../tests/contract/spec.mjs";
import { startEmulator } from "../emulator.mjs";

const CALL_TIMEOUT_MS = 30_000;

/**
 * `text` with its secrets masked (passwords in connection strings, keys, tokens), for failure
 * messages.
 */
export function mask(text) {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, "$1********@")
    .replace(/("(?:password|key|api_token|secret_server_key|pub_client_key|s3_secret_access_key|client_secret)"\s*:\s*)"[^"]*"/g, '$1"********"');
}

/** Whether `status` is one the spec documents for the operation (or its `default`). */
export function documented(op, status) {
  const keys = Object.keys(spec.paths[op.path][op.method.toLowerCase()].responses ?? {});
  return keys.includes(String(status)) || keys.includes(`${String(status)[0]}XX`) || keys.includes("default");
}

/** What is wrong with one exchange: error-level violations, a 5xx, an undocumented status. */
export function exchangeProblems(op, x) {
  const out = [];
  for (const v of x.violations ? JSON.parse(x.violations) : []) {
    if (v.severity === "Error") out.push(`${v.location?.join(".")}: ${v.message}`);
  }
  if (x.status >= 500) out.push(`${x.method} ${x.path} answered ${x.status}: ${mask(x.body).slice(0, 300)}`);
  if (x.op && !documented(x.op, x.status)) out.push(`${x.method} ${x.path} answered ${x.status}, which the spec does not document`);
  return out;
}

/** The spec operation a request went to (for the exchanges of a wait, made by the client). */
function operationOf(method, path) {
  return specOperations().find((op) => {
    if (op.method !== method) return false;
    const re = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return re.test(path);
  });
}

/** Whether an answer is the catch-all's: 404 in Neon's error shape. */
export function isNeonNotFound(x) {
  if (x.status !== 404) return false;
  try {
    const body = JSON.parse(x.body);
    return typeof body.code === "string" && typeof body.message === "string" && typeof body.request_id === "string";
  } catch {
    return false;
  }
}

/**
 * Starts the emulator (real PostgreSQL, fast operations, no rate limits) behind `prism proxy`.
 * Resolves to the context the area flows use: `call(operationId, args, options)`, `ids`
 * (objects the flows share), `results` (per operation, every exchange) and `stop()`.
 */
export async function startHarness() {
  const emu = await startEmulator(["--pg-auto", "--op-duration-ms", "20", "--rate-limit-per-minute", "0", "--rate-limit-route-per-second", "0"]);
  let prism;
  try {
    prism = await startPrism([], { upstream: `${emu.baseUrl}/api/v2` });
  } catch (e) {
    await emu.stop();
    throw e;
  }
  const operations = new Map(specOperations().map((op) => [op.id, op]));
  const results = new Map();
  let current = null;
  const recordingFetch = async (request) => {
    const sentBody = request.body ? await request.clone().text() : undefined;
    const response = await fetch(request);
    const url = new URL(request.url);
    const path = url.pathname;
    current?.push({
      method: request.method,
      path,
      sentBody,
      op: operationOf(request.method, path),
      status: response.status,
      violations: response.headers.get("sl-violations"),
      body: await response.clone().text(),
    });
    return response;
  };
  const neon = new NeonClient({ apiKey: "every-operation-key", baseUrl: prism.url, retry: false, rateLimit: false, fetch: recordingFetch });

  /**
   * Calls `operationId` through the proxy and returns its answer; rejects (with the client's
   * error) when it failed. Mutations wait for their operations unless `wait: false`.
   */
  async function call(operationId, args = {}, { wait = true } = {}) {
    const op = operations.get(operationId);
    if (!op) throw new Error(`${operationId} is not an operation of the spec`);
    if (typeof neon[operationId] !== "function") throw new Error(`NeonClient has no ${operationId}`);
    const log = [];
    current = log;
    try {
      return await neon[operationId](args, { timeoutMs: CALL_TIMEOUT_MS, wait: wait && op.method !== "GET" });
    } finally {
      current = null;
      const entry = results.get(operationId) ?? { op, calls: [] };
      entry.calls.push({ args, log });
      results.set(operationId, entry);
    }
  }

  /**
   * Calls an operation no flow covers with spec-valid arguments (the contract tests' generator)
   * whose ids are those of `ids` where it has one: how an unserved operation is reached.
   */
  async function callGeneric(operationId, ids) {
    const args = argsFor(operations.get(operationId));
    for (const [key, value] of Object.entries(ids)) if (key in args) args[key] = value;
    try {
      await call(operationId, args, { wait: false });
    } catch {
      // Judged from the recorded exchange.
    }
  }

  /** Runs one statement through the emulator's SQL over HTTP; resolves to its rows. */
  async function sql(connectionString, query) {
    const res = await fetch(`${emu.baseUrl}/sql`, {
      method: "POST",
      headers: { "neon-connection-string": connectionString, "content-type": "application/json" },
      body: JSON.stringify({ query, params: [] }),
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`SQL over HTTP answered ${res.status}: ${body.message}`);
    return body.rows;
  }

  const stop = async () => {
    prism.stop();
    await emu.stop();
  };
  return { call, callGeneric, sql, results, operations, ids: {}, emulatorUrl: emu.baseUrl, stop };
}
