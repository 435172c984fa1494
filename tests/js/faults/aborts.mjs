// Child process of faults-emulator.test.mjs: aborts one call in each phase (pacing wait,
// request, retry sleep, operation wait) against the emulator at argv[2], and prints one JSON
// line per phase: how the call ended and the journal length just after the abort. Once it has
// printed, nothing of the package may keep the process alive: the parent times its exit.
import { NeonClient } from "neon-edge";

const emulator = process.argv[2];
const base = `${emulator}/api/v2`;
const control = (path, body) =>
  fetch(`${emulator}/__emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const journalLength = async () => (await (await fetch(`${emulator}/__emulator/requests`)).json()).requests.length;
const after = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `call(signal)`, aborting when `trigger` resolves; reports how the call ended. */
async function phase(name, call, trigger) {
  const controller = new AbortController();
  const started = performance.now();
  const settled = call(controller.signal).then(() => ({ outcome: "resolved" }), (e) => ({ outcome: e?.name, kind: e?.kind }));
  await trigger();
  controller.abort();
  const result = await settled;
  const settledMs = Math.round(performance.now() - started);
  // A request already on the wire at the abort may still land: the mark is taken just after.
  await after(100);
  console.log(JSON.stringify({ phase: name, ...result, journalAfterAbort: await journalLength(), settledMs }));
}

const key = "napi_faults_aborts";
// Pacing: one request a second on a route; the second call waits in the client's pacer.
const paced = new NeonClient({ apiKey: key, baseUrl: base, rateLimit: { perRoutePerSecond: 1, perMinute: 1000 } });
await paced.listProjects();
await phase("pacing wait", (signal) => paced.listProjects({}, { signal }), () => after(200));

const client = new NeonClient({ apiKey: key, baseUrl: base, retry: { maxAttempts: 5 } });
// Request: the emulator holds the answer for 3 s.
await control("faults", { path: "/api/v2/projects", method: "GET", delay_ms: 3000, times: 1 });
await phase("request", (signal) => client.listProjects({}, { signal }), () => after(300));

// Retry sleep: a 503 with Retry-After 2; abort once the client has started waiting.
await control("faults", { path: "/api/v2/projects", method: "GET", status: 503, retry_after: 2, times: 1 });
let retrying;
const waiting = new Promise((resolve) => { retrying = resolve; });
const retries = new NeonClient({ apiKey: key, baseUrl: base, retry: { maxAttempts: 5, onRetry: () => retrying() } });
await phase("retry sleep", (signal) => retries.listProjects({}, { signal }), () => waiting.then(() => after(100)));

// Operation wait: operations take 30 s; abort while waitForOperations polls them.
await control("config", { op_duration_ms: 30_000 });
const waiter = new NeonClient({ apiKey: key, baseUrl: base });
const { project, operations } = await waiter.createProject({ body: { project: { name: "abort-wait" } } });
let polled;
const polling = new Promise((resolve) => { polled = resolve; });
await phase(
  "operation wait",
  (signal) => waiter.waitForOperations({ projectId: project.id, operations, signal, onProgress: () => polled() }),
  () => polling.then(() => after(100)),
);
// The parent restores the operation duration once it has read the journal (a config change resets it).
console.log(JSON.stringify({ done: true }));
