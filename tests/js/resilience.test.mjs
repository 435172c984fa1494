// Retries, pacing, deadlines, pagination, operation waits and ifExists in the built package,
// against the fault-injecting loopback server.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, NeonClientError, NeonOperationError } from "neon-edge";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";

let mock;
let base;
const post = (path, body) =>
  fetch(`${mock.url}${path}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
const fault = (rule) => post("/__faults", rule);
const client = (options = {}) => new NeonClient({ apiKey: API_KEY, baseUrl: base, ...options });

before(async () => {
  mock = await startMockNeon();
  base = `${mock.url}/api/v2`;
});
after(() => mock.close());
beforeEach(() => post("/__reset", {}));

test("a 429 with Retry-After is retried after that many seconds, and onRetry sees why", async () => {
  await fault({ path: "/projects/p-1", status: 429, retryAfter: 1 });
  const events = [];
  const neon = client({ retry: { onRetry: (e) => events.push(e) } });
  const started = Date.now();
  const out = await neon.getProject({ projectId: "p-1" });
  assert.equal(out.project.id, "p-1");
  assert.ok(Date.now() - started >= 950);
  assert.deepEqual(events, [{ attempt: 1, delayMs: 1000, reason: "rate_limited", status: 429, operation: "getProject" }]);
});

test("a 429 without Retry-After backs off and succeeds", async () => {
  await fault({ path: "/projects/p-1", status: 429, times: 2 });
  const events = [];
  await client({ retry: { onRetry: (e) => events.push(e) } }).getProject({ projectId: "p-1" });
  assert.equal(events.length, 2);
  assert.ok(events.every((e) => e.reason === "rate_limited" && e.delayMs <= 500));
});

test("a POST is retried through 423 Locked N times and creates once", async () => {
  await fault({ path: "/projects/p-1/branches", method: "POST", status: 423, times: 2, message: "project already has running conflicting operations" });
  const events = [];
  const out = await client({ retry: { onRetry: (e) => events.push(e.reason) } })
    .createProjectBranch({ projectId: "p-1", body: { branch: { name: "locked-then-ok" } } });
  assert.equal(out.branch.name, "locked-then-ok");
  assert.deepEqual(events, ["locked", "locked"]);
  assert.equal(mock.state.stats.requests, 3);
  assert.equal(mock.state.branches.filter((b) => b === "locked-then-ok").length, 1);
});

test("a 503 is retried for a GET but a POST fails at once", async () => {
  await fault({ path: "/projects/p-1", method: "GET", status: 503 });
  assert.equal((await client().getProject({ projectId: "p-1" })).project.id, "p-1");
  await fault({ path: "/projects", method: "POST", status: 503 });
  const before = mock.requests.length;
  const err = await client().createProject({ body: { project: { name: "x" } } }).catch((e) => e);
  assert.equal(err.status, 503);
  assert.equal(mock.requests.length - before, 1);
});

test("a connection cut mid-body is retried for a GET", async () => {
  await fault({ path: "/projects/p-1", cut: true });
  assert.equal((await client().getProject({ projectId: "p-1" })).project.id, "p-1");
});

test("a per-call retry object amends the client's policy: its onRetry still hears every retry", async () => {
  await fault({ path: "/projects/p-1", status: 503, times: 3 });
  const events = [];
  const neon = client({ retry: { onRetry: (e) => events.push(e.attempt) } });
  const err = await neon.getProject({ projectId: "p-1" }, { retry: { maxAttempts: 2 } }).catch((e) => e);
  assert.equal(err.status, 503, "two attempts, both answered 503");
  assert.deepEqual(events, [1], "the client's onRetry saw the one retry of the call");
});

test("retry: false sends once, per client or per call", async () => {
  await fault({ path: "/projects/p-1", status: 503, times: 2 });
  const err = await client({ retry: false }).getProject({ projectId: "p-1" }).catch((e) => e);
  assert.equal(err.status, 503);
  const again = await client().getProject({ projectId: "p-1" }, { retry: false }).catch((e) => e);
  assert.equal(again.status, 503);
  assert.equal(mock.state.stats.requests, 2);
});

test("a stall past timeoutMs times out each attempt; deadlineMs bounds the whole call", async () => {
  await fault({ path: "/projects/p-1", delayMs: 5000, times: 10 });
  const started = Date.now();
  const err = await client().getProject({ projectId: "p-1" }, { timeoutMs: 100, deadlineMs: 700 }).catch((e) => e);
  assert.equal(err.kind, "timeout");
  assert.ok(Date.now() - started < 1500);
});

test("aborting during a retry wait stops the call without another request", async () => {
  await fault({ path: "/projects/p-1", status: 429, retryAfter: 30 });
  const controller = new AbortController();
  const pending = client().getProject({ projectId: "p-1" }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const err = await pending.catch((e) => e);
  assert.equal(err.name, "AbortError");
  assert.equal(mock.state.stats.requests, 1);
});

test("a burst is paced under the server's per-route limit instead of drawing 429s", async () => {
  await post("/__ratelimit", { perRoutePerSecond: 10 });
  const neon = client({ rateLimit: { perRoutePerSecond: 10 }, retry: false });
  const results = await Promise.allSettled(Array.from({ length: 25 }, () => neon.getProject({ projectId: "p-1" })));
  assert.equal(results.filter((r) => r.status === "rejected").length, 0);
  assert.equal(mock.state.stats.rateLimited, 0);
});

test("without pacing the same burst draws 429s, which retries absorb", async () => {
  await post("/__ratelimit", { perRoutePerSecond: 10 });
  const neon = client({ rateLimit: false });
  const results = await Promise.allSettled(Array.from({ length: 15 }, () => neon.getProject({ projectId: "p-1" })));
  assert.ok(mock.state.stats.rateLimited > 0);
  assert.equal(results.filter((r) => r.status === "rejected").length, 0);
});

/** A store as a Durable Object would keep it: one number per bucket, as the RateLimitStore docs say. */
function sharedStore() {
  const values = new Map();
  return {
    calls: 0,
    async acquire(buckets, nowMs) {
      this.calls++;
      const sendAt = Math.max(nowMs, ...buckets.map((b) => Math.max(values.get(b.key) ?? nowMs, nowMs) - b.intervalMs * (b.burst - 1)));
      for (const b of buckets) values.set(b.key, Math.max(values.get(b.key) ?? sendAt, sendAt) + b.intervalMs);
      return sendAt;
    },
    async pause(buckets, untilMs) {
      for (const b of buckets) values.set(b.key, Math.max(values.get(b.key) ?? 0, untilMs + b.intervalMs * (b.burst - 1)));
    },
  };
}

test("clients sharing a rate-limit store pace together, as isolates sharing a key would", async () => {
  await post("/__ratelimit", { perRoutePerSecond: 10 });
  const store = sharedStore();
  const a = client({ rateLimit: { perRoutePerSecond: 10, store }, retry: false });
  const b = client({ rateLimit: { perRoutePerSecond: 10, store }, retry: false });
  const calls = Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).getProject({ projectId: "p-1" }));
  const results = await Promise.allSettled(calls);
  assert.equal(results.filter((r) => r.status === "rejected").length, 0);
  assert.equal(mock.state.stats.rateLimited, 0);
  assert.equal(store.calls, 24);
});

test("clients with one scope share this isolate's buckets, as clients created per request would", async () => {
  await post("/__ratelimit", { perRoutePerSecond: 10 });
  const make = () => client({ rateLimit: { perRoutePerSecond: 10, scope: "per-request" }, retry: false });
  const results = await Promise.allSettled(Array.from({ length: 24 }, () => make().getProject({ projectId: "p-1" })));
  assert.equal(results.filter((r) => r.status === "rejected").length, 0);
  assert.equal(mock.state.stats.rateLimited, 0);
});

test("clients with their own in-memory limiters overrun a shared limit", async () => {
  await post("/__ratelimit", { perRoutePerSecond: 10 });
  const a = client({ rateLimit: { perRoutePerSecond: 10 }, retry: false });
  const b = client({ rateLimit: { perRoutePerSecond: 10 }, retry: false });
  const calls = Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).getProject({ projectId: "p-1" }));
  await Promise.allSettled(calls);
  assert.ok(mock.state.stats.rateLimited > 0);
});

test("a store without acquire and pause is refused", () => {
  assert.throws(() => client({ rateLimit: { store: {} } }), /rateLimit.store must have an `acquire` method/);
});

test("paginate.listProjects iterates items across pages and surfaces unavailable projects", async () => {
  const neon = client();
  const ids = [];
  const pages = neon.paginate.listProjects({ limit: 1 });
  for await (const project of pages) ids.push(project.id);
  assert.deepEqual(ids, ["p-1", "p-2"]);
  assert.deepEqual(pages.unavailableProjectIds, ["p-9", "p-8"]);
  const all = await neon.paginate.listProjects({ limit: 1 }).all();
  assert.deepEqual(all.map((p) => p.id), ["p-1", "p-2"]);
});

test("paginate over pagination.next with page()", async () => {
  const pages = client().paginate.listProjectBranches({ projectId: "p-1", limit: 1 });
  const first = await pages.page();
  assert.deepEqual(first.items.map((b) => b.name), ["main"]);
  assert.equal(first.nextCursor, "1");
  const second = await pages.page();
  assert.deepEqual(second.items.map((b) => b.name), ["exists"]);
  assert.equal(await pages.page(), undefined);
});

test("a repeated cursor rejects with a pagination error", async () => {
  const pages = client().paginate.listProjects({ cursor: "loop" });
  const err = await pages.all().catch((e) => e);
  assert.equal(err.kind, "pagination");
  assert.equal(err.cursor, "loop");
});

test("waitForOperations polls until finished and reports progress", async () => {
  const progress = [];
  const ops = await client().waitForOperations({
    projectId: "p-1",
    operationIds: ["op-300-a"],
    onProgress: (p) => progress.push(p.operations[0].status),
  });
  assert.equal(ops[0].status, "finished");
  assert.equal(progress.at(-1), "finished");
  assert.ok(progress.length >= 2);
});

test("waitForOperations rejects with the failed operations", async () => {
  const err = await client().waitForOperations({ projectId: "p-1", operationIds: ["op-fail-1", "op-100-b"] }).catch((e) => e);
  assert.ok(err instanceof NeonOperationError);
  assert.deepEqual(err.operations.map((o) => [o.id, o.status]), [["op-fail-1", "failed"]]);
});

test("waitForOperations times out and can be aborted", async () => {
  const timeout = await client().waitForOperations({ projectId: "p-1", operationIds: ["op-60000-c"], timeoutMs: 300 }).catch((e) => e);
  assert.equal(timeout.kind, "timeout");
  const err = await client()
    .waitForOperations({ projectId: "p-1", operationIds: ["op-60000-d"], signal: AbortSignal.timeout(150) })
    .catch((e) => e);
  assert.equal(err.kind, "aborted");
});

test("{ wait: true } resolves to the create's body once its operations finished", async () => {
  const out = await client().createProjectBranch({ projectId: "p-1", body: { branch: { name: "waited" } } }, { wait: true });
  assert.equal(out.branch.name, "waited");
  assert.equal(out.operations[0].status, "running");
  assert.ok(mock.state.stats.polls >= 1);
  assert.ok(mock.state.opsSeen.has("op-300-waited"));
});

test("clients sharing operationDurations learn from each other: a new client's first wait polls once or twice", async () => {
  // As KV or a Durable Object would hold it, one number per action; a new client per wait
  // stands for a new isolate.
  const held = new Map();
  const store = { get: async (action) => held.get(action), set: async (action, ms) => void held.set(action, ms) };
  await client({ operationDurations: store }).waitForOperations({ projectId: "p-1", operationIds: ["op-400-shared-a"] });
  const unseen = mock.state.stats.polls;
  // Nothing learned yet: one look, then a poll every 100 ms until the end (10% rule).
  assert.ok(unseen >= 4, `${unseen} polls`);
  assert.ok(held.get("create_branch") >= 400, `${held.get("create_branch")}`);
  await client({ operationDurations: store }).waitForOperations({ projectId: "p-1", operationIds: ["op-400-shared-b"] });
  const learned = mock.state.stats.polls - unseen;
  // One look at the ids, then one poll just after the learned duration.
  assert.ok(learned <= 2, `${learned} polls`);
});

test("a failing operationDurations store never fails a wait", async () => {
  const store = { get() { throw new Error("down"); }, set: () => Promise.reject(new Error("down")) };
  const ops = await client({ operationDurations: store }).waitForOperations({ projectId: "p-1", operationIds: ["op-150-down"] });
  assert.equal(ops[0].status, "finished");
});

test('ifExists: "return" resolves a 409 to the existing branch; by default it rejects', async () => {
  const args = { projectId: "p-1", body: { branch: { name: "exists" } } };
  const conflict = await client().createProjectBranch(args).catch((e) => e);
  assert.equal(conflict.kind, "conflict");
  const out = await client().createProjectBranch(args, { ifExists: "return" });
  assert.equal(out.branch.id, "br-exists");
  assert.equal(out.existing, true);
  assert.deepEqual(out.operations.map((o) => [o.id, o.status]), [["op-400-exists-p-1", "running"]]);
});

test('ifExists: "return" with wait: true waits out the existing branch\'s creation', async () => {
  const before = (await (await fetch(`${mock.url}/__stats`)).json()).polls;
  const out = await client().createProjectBranch(
    { projectId: "p-2", body: { branch: { name: "exists" } } },
    { ifExists: "return", wait: true },
  );
  const after = (await (await fetch(`${mock.url}/__stats`)).json()).polls;
  assert.equal(out.branch.id, "br-exists");
  assert.ok(after - before >= 1, `polled ${after - before} times`);
  const now = await (await fetch(`${base}/projects/p-2/operations/op-400-exists-p-2`, { headers: { authorization: `Bearer ${API_KEY}` } })).json();
  assert.equal(now.operation.status, "finished", "the call resolved only once the creation had finished");
});

test("bad resilience options are client errors", () => {
  assert.throws(() => client({ retry: 3 }), /retry must be false or an object/);
  assert.throws(() => client({ rateLimit: { perMinute: 0 } }), /perMinute/);
  assert.throws(() => client({ retry: { onRetry: 1 } }), /onRetry/);
  assert.throws(() => client({ operationDurations: { get() {} } }), (e) => e instanceof NeonClientError && /operationDurations must have a `set` method/.test(e.message));
  assert.throws(() => client({ operationDurations: { set() {} } }), /operationDurations must have a `get` method/);
  assert.throws(() => client({ operationDurations: 5 }), /operationDurations must be an object/);
});
