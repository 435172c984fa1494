// examples/cloudflare-worker in workerd (miniflare) against the local emulator (its type check
// is in tests/js/examples-types.test.mjs, with every example's): the Worker is bundled as
// wrangler bundles it (esbuild, `workerd` condition, the .wasm kept as a module, `cloudflare:workers` left to the runtime) and run with the bindings
// of its wrangler.jsonc. Every route is called; a burst through three Worker instances sharing
// the Durable Object draws no 429 and stays within the emulator's limits per window, while the
// same burst paced per isolate draws 429s.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import ts from "typescript";
import { NeonClient } from "neon-edge";
import { startEmulator } from "../support/emulator.mjs";
import { bundleForWorkerd, WORKERD_MODULE_RULES } from "../support/workerd.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const example = join(root, "examples", "cloudflare-worker");
const ORIGIN = "http://demo.test";
// The Worker's key; the emulator's journal shows it as ****k3y9.
const KEY = "napi_worker_example_k3y9";
// What a page sends: never forwarded.
const PAGE_KEY = "placeholder-from-page-zz01";
// The limits of the burst: small enough to bind within a few seconds.
const ROUTE_PER_SECOND = 10;
const PER_MINUTE = 600;
// The Workers pace to 8/s against the emulator's 10/s, as a deployment sets its pacing a little
// under the server's limit: two requests of margin absorb the scheduling jitter of a loaded CI
// machine (at the limit itself 10 ms of jitter would be a 429), and three isolates pacing alone
// (a burst of 4 each) still overrun 10/s.
const CLIENT_ROUTE_PER_SECOND = 8;
const SHARED = ["edge-0", "edge-1", "edge-2"];
const ALONE = ["alone-0", "alone-1", "alone-2"];

const wrangler = ts.parseConfigFileTextToJson("wrangler.jsonc", readFileSync(join(example, "wrangler.jsonc"), "utf8")).config;

let emulator, mf, dir;

/** The emulator's control plane. */
async function control(method, path, body) {
  const res = await fetch(`${emulator.url}/__emulator/${path}`, {
    method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${method} /__emulator/${path}`);
  return res.json();
}

/** One Worker of the Miniflare set: wrangler.jsonc's settings, `vars` changed by `overrides`. */
function workerOptions(name, scriptPath, overrides, durableObject) {
  const binding = wrangler.durable_objects.bindings[0];
  return {
    name, modules: true, scriptPath, modulesRoot: dir, routes: [`${name}.test/*`],
    modulesRules: WORKERD_MODULE_RULES,
    compatibilityDate: wrangler.compatibility_date,
    bindings: {
      ...wrangler.vars,
      NEON_API_KEY: KEY,
      ALLOWED_ORIGINS: `${ORIGIN}, http://other.test`,
      NEON_BASE_URL: `${emulator.url}/api/v2`,
      CLAIMABLE_BASE_URL: `${emulator.url}/api/v1`,
      ...overrides,
    },
    durableObjects: { [binding.name]: { className: binding.class_name, useSQLite: true, ...durableObject } },
  };
}

before(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), "neon-edge-example-worker-"));
  const scriptPath = join(dir, "worker.mjs");
  await bundleForWorkerd({ entryPoints: [join(example, wrangler.main)] }, scriptPath, { external: ["cloudflare:workers"] });
  const owner = { scriptName: SHARED[0] };
  const burst = { NEON_RATE_PER_ROUTE_PER_SECOND: String(CLIENT_ROUTE_PER_SECOND), NEON_RATE_PER_MINUTE: String(PER_MINUTE), NEON_MAX_ATTEMPTS: "1" };
  mf = new Miniflare({
    workers: [
      // The Durable Object's class lives in edge-0; edge-1 and edge-2 reach it from their own isolates.
      ...SHARED.map((name, i) => workerOptions(name, scriptPath, burst, i === 0 ? {} : owner)),
      ...ALONE.map((name) => workerOptions(name, scriptPath, { ...burst, RATE_LIMIT_STORE: "isolate" }, owner)),
      // wrangler.jsonc's settings alone: default pacing and retries.
      workerOptions("defaults", scriptPath, {}, owner),
      workerOptions("misconfigured", scriptPath, { ALLOWED_ORIGINS: "http://demo.test/app" }, owner),
      workerOptions("bad-rate", scriptPath, { NEON_RATE_PER_MINUTE: "fast" }, owner),
    ],
  });
  await mf.ready;
}, { timeout: 600_000 });

after(async () => {
  await mf?.dispose();
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * `fetch` on one Worker (through its route: a Worker's own `fetch` in miniflare refuses foreign
 * origins), as a page at `origin` would call it; the body read as JSON when there is one.
 */
async function call(worker, path, { method = "GET", origin = ORIGIN, headers = {}, body } = {}) {
  const res = await mf.dispatchFetch(`http://${worker}.test${path}`, {
    method, body, headers: { ...(origin ? { Origin: origin } : {}), ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A NeonClient whose requests go through a Worker, as the browser demo's do (any placeholder key). */
function clientThrough(worker) {
  return new NeonClient({
    apiKey: PAGE_KEY,
    baseUrl: `http://${worker}.test/api/v2`,
    fetch: async (request) => {
      const headers = new Headers(request.headers);
      headers.set("Origin", ORIGIN);
      const body = request.method === "GET" || request.method === "DELETE" ? undefined : await request.text();
      const res = await mf.dispatchFetch(request.url, { method: request.method, headers, body });
      const bytes = await res.arrayBuffer();
      return new Response(res.status === 204 ? null : bytes, { status: res.status, headers: res.headers });
    },
  });
}

/** The emulator's journal of Management requests. */
async function journal() {
  const { requests, dropped } = await control("GET", "requests");
  assert.equal(dropped, 0);
  return requests;
}

/** The most requests of `requests` in any window of `spanMs` (as the emulator's sliding window counts). */
function busiestWindow(requests, spanMs) {
  const times = requests.map((r) => r.at_ms).sort((a, b) => a - b);
  return Math.max(0, ...times.map((t, i) => times.slice(i).filter((u) => u - t < spanMs).length));
}

test("the Durable Object reserves by the RateLimitStore contract: the burst at once, then one per interval; pause holds", async () => {
  const ns = await mf.getDurableObjectNamespace(wrangler.durable_objects.bindings[0].name, SHARED[0]);
  const store = ns.get(ns.idFromName("contract-check"));
  const buckets = [{ key: "t:route", intervalMs: 100, burst: 3 }, { key: "t:account", intervalMs: 10, burst: 50 }];
  const times = [];
  for (let i = 0; i < 5; i++) times.push(await store.acquire(buckets, 1000));
  assert.deepEqual(times, [1000, 1000, 1000, 1100, 1200]);
  await store.pause(buckets, 5000);
  assert.equal(await store.acquire(buckets, 1300), 5000);
  // Bad input is refused (miniflare's Node proxy does not carry the error's message across).
  await assert.rejects(store.acquire([{ key: "t:route", intervalMs: 0, burst: 1 }], 1000));
  await assert.rejects(store.acquire(buckets, Number.NaN));
  await assert.rejects(store.pause("t:route", 1000));
});

test("callers: an unlisted or missing Origin gets 403, an allowed one its CORS headers and preflights", async () => {
  for (const origin of ["https://evil.test", null]) {
    const res = await call("edge-0", "/api/v2/projects", { origin });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, "origin_not_allowed");
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  }
  const ok = await call("edge-0", "/projects", { origin: "http://other.test" });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), "http://other.test");
  assert.equal(ok.headers.get("vary"), "Origin");
  const pre = await call("edge-0", "/api/v2/projects/p-1/branches", {
    method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), ORIGIN);
  assert.match(pre.headers.get("access-control-allow-methods"), /POST/);
  assert.match(pre.headers.get("access-control-allow-headers"), /Authorization/);
  assert.equal((await call("edge-0", "/elsewhere", { method: "OPTIONS" })).status, 404);
  assert.equal((await call("edge-0", "/api/v2/api_keys", { method: "OPTIONS" })).status, 404);
});

test("POST /databases provisions a claimable database under CLAIMABLE_REF; the password stays masked", async () => {
  const res = await call("edge-0", "/databases", { method: "POST" });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.status, "UNCLAIMED");
  assert.ok(res.body.claimUrl.includes(res.body.id));
  const url = new URL(res.body.databaseUrl);
  assert.equal(url.password, "****");
  const { databases } = await control("GET", "claimable");
  const made = databases.find((d) => d.id === res.body.id);
  assert.equal(made?.ref, wrangler.vars.CLAIMABLE_REF);
  assert.equal((await call("edge-0", "/databases")).status, 405);
});

test("GET /projects lists the key's projects; a bad limit is a 400 in Neon's error shape", async () => {
  const neon = new NeonClient({ apiKey: KEY, baseUrl: `${emulator.url}/api/v2` });
  const { project } = await neon.createProject({ body: { project: { name: "worker-listed" } } }, { wait: true });
  const res = await call("edge-1", "/projects?limit=100");
  assert.equal(res.status, 200);
  const listed = res.body.projects.find((p) => p.id === project.id);
  assert.deepEqual(Object.keys(listed).sort(), ["created_at", "id", "name", "region_id"]);
  assert.equal(listed.name, "worker-listed");
  const bad = await call("edge-1", "/projects?limit=0");
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.body).sort(), ["code", "message"]);
  assert.equal((await call("edge-1", "/projects", { method: "DELETE" })).status, 405);
});

test("the proxy serves the browser demo's flow through NeonClient, with the Worker's key and not the page's", async () => {
  await control("POST", "config", {}); // empties the journal
  const neon = clientThrough("defaults");
  const { project } = await new NeonClient({ apiKey: KEY, baseUrl: `${emulator.url}/api/v2` })
    .createProject({ body: { project: { name: "worker-proxied" } } }, { wait: true });
  const { projects } = await neon.listProjects({ limit: 100 });
  assert.ok(projects.some((p) => p.id === project.id));
  assert.equal((await neon.getProject({ projectId: project.id })).project.name, "worker-proxied");
  const created = await neon.createProjectBranch({ projectId: project.id, body: { branch: { name: "through-worker" } } }, { wait: true });
  assert.ok(created.operations.length > 0);
  const op = await neon.getProjectOperation({ projectId: project.id, operationId: created.operations[0].id });
  assert.equal(op.operation.status, "finished");
  assert.ok((await neon.listProjectOperations({ projectId: project.id })).operations.length > 0);
  const { branches } = await neon.listProjectBranches({ projectId: project.id });
  assert.ok(branches.some((b) => b.id === created.branch.id));
  assert.equal((await neon.getProjectBranch({ projectId: project.id, branchId: created.branch.id })).branch.name, "through-worker");
  await neon.deleteProjectBranch({ projectId: project.id, branchId: created.branch.id }, { wait: true });
  const gone = await neon.getProjectBranch({ projectId: project.id, branchId: created.branch.id }).catch((e) => e);
  assert.equal(gone.status, 404);
  assert.equal(gone.kind, "not_found");
  assert.ok(gone.requestId, "Neon's request id comes through");
  const keys = new Set((await journal()).map((r) => r.key));
  assert.deepEqual([...keys], ["****k3y9"], "every forwarded request carried the Worker's key");
});

test("the proxy refuses routes outside its list (404), other methods (405), bad bodies, and keeps Neon's statuses", async () => {
  const notListed = await call("edge-0", "/api/v2/api_keys", { headers: { Authorization: `Bearer ${PAGE_KEY}` } });
  assert.equal(notListed.status, 404);
  assert.equal(notListed.body.code, "route_not_allowed");
  assert.equal((await call("edge-0", "/api/v2/projects/a%2Fb")).status, 404);
  assert.equal((await call("edge-0", "/api/v2/projects/p-1/branches/b-1/roles")).status, 404);
  const deleteProject = await call("edge-0", "/api/v2/projects/p-1", { method: "DELETE" });
  assert.equal(deleteProject.status, 405);
  assert.equal(deleteProject.headers.get("allow"), "GET");
  assert.deepEqual(Object.keys(deleteProject.body).sort(), ["code", "message"]);
  assert.equal((await call("edge-0", "/api/v2/projects", { method: "POST", body: "{}" })).status, 405);
  const badJson = await call("edge-0", "/api/v2/projects/p-1/branches", { method: "POST", body: "{not json" });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.code, "invalid_json");
  const big = await call("edge-0", "/api/v2/projects/p-1/branches", { method: "POST", body: JSON.stringify({ pad: "x".repeat(70_000) }) });
  assert.equal(big.status, 413);
  const missing = await call("edge-0", "/api/v2/projects/no-such-project");
  assert.equal(missing.status, 404);
  assert.equal(typeof missing.body.request_id, "string");
  assert.equal(missing.headers.get("x-request-id"), missing.body.request_id);
  const { project } = await new NeonClient({ apiKey: KEY, baseUrl: `${emulator.url}/api/v2` })
    .createProject({ body: { project: { name: "worker-statuses" } } }, { wait: true });
  const created = await call("edge-0", `/api/v2/projects/${project.id}/branches`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ branch: { name: "raw" } }),
  });
  assert.equal(created.status, 201, "Neon's status comes through");
  assert.equal(created.body.branch.name, "raw");
  assert.equal((await call("edge-0", "/nowhere")).status, 404);
});

test("a misconfigured Worker answers 500 naming the variable, never the key", async () => {
  const origin = await call("misconfigured", "/projects");
  assert.equal(origin.status, 500);
  assert.match(origin.body.message, /ALLOWED_ORIGINS/);
  const rate = await call("bad-rate", "/projects");
  assert.equal(rate.status, 500);
  assert.match(rate.body.message, /NEON_RATE_PER_MINUTE/);
  assert.ok(!JSON.stringify([origin.body, rate.body]).includes(KEY));
});

/** 40 concurrent GETs of one route, spread over `workers`; their statuses and the emulator's journal of them. */
async function burst(workers, projectId) {
  // Warm every instance first (its wasm, its Durable Object stub) on another route, so that
  // the burst measures pacing, not a cold start holding back its first requests.
  for (const worker of workers) assert.equal((await call(worker, "/projects?limit=1")).status, 200);
  await control("POST", "config", { rate_limit_route_per_second: ROUTE_PER_SECOND, rate_limit_per_minute: PER_MINUTE });
  const started = Date.now();
  const statuses = await Promise.all(
    Array.from({ length: 40 }, (_, i) => call(workers[i % workers.length], `/api/v2/projects/${projectId}`).then((r) => r.status)),
  );
  const elapsedMs = Date.now() - started;
  const requests = (await journal()).filter((r) => r.route === "GET /api/v2/projects/*");
  return { statuses, requests, elapsedMs };
}

test("a burst through three Worker instances sharing the Durable Object draws no 429 and stays within every window", async () => {
  const { project } = await new NeonClient({ apiKey: KEY, baseUrl: `${emulator.url}/api/v2` })
    .createProject({ body: { project: { name: "worker-burst" } } }, { wait: true });
  try {
    const { statuses, requests, elapsedMs } = await burst(SHARED, project.id);
    assert.deepEqual(statuses.filter((s) => s !== 200), [], "every request answered 200");
    assert.equal(requests.length, 40, "each request reached the emulator once");
    assert.equal(requests.filter((r) => r.limited).length, 0, "the emulator limited none");
    const perSecond = busiestWindow(requests, 1000);
    assert.ok(perSecond <= ROUTE_PER_SECOND, `${perSecond} requests in one second (limit ${ROUTE_PER_SECOND})`);
    assert.ok(busiestWindow(requests, 60_000) <= PER_MINUTE);
    console.log(`shared Durable Object: 40 requests in ${elapsedMs} ms, busiest second ${perSecond}/${ROUTE_PER_SECOND}, 0 limited`);

    const alone = await burst(ALONE, project.id);
    const refused = alone.statuses.filter((s) => s === 429).length;
    assert.ok(refused > 0, `pacing per isolate drew no 429 (statuses ${alone.statuses.join()})`);
    assert.equal(alone.requests.filter((r) => r.limited).length, refused);
    console.log(`paced per isolate: ${refused}/40 answered 429, busiest second ${busiestWindow(alone.requests, 1000)} arrivals`);
  } finally {
    await control("POST", "config", { rate_limit_route_per_second: 40, rate_limit_per_minute: 700 });
  }
});
