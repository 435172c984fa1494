// The built package as Node users import it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, NeonApiError, NeonClientError, NeonError, NeonRequestError } from "neon-edge";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";

let mock;
let neon;
before(async () => {
  mock = await startMockNeon();
  neon = new NeonClient({ apiKey: API_KEY, baseUrl: `${mock.url}/api/v2` });
});
after(() => mock.close());

test("listProjects resolves to the parsed body", async () => {
  const out = await neon.listProjects({ limit: 5, search: "a b" });
  assert.equal(out.projects[0].id, "p-1");
  assert.deepEqual(out.unavailable_project_ids, ["p-9"]);
  const req = mock.requests.at(-1);
  assert.equal(req.url, "/api/v2/projects?limit=5&search=a%20b");
  assert.equal(req.headers.authorization, `Bearer ${API_KEY}`);
  assert.match(req.headers["user-agent"], /^neon-edge\//);
});

test("every method takes no argument when none is required", async () => {
  const out = await neon.listProjects();
  assert.equal(out.projects.length, 1);
});

test("createProject posts the body as JSON", async () => {
  const out = await neon.createProject({ body: { project: { name: "demo" } } });
  assert.equal(out.project.name, "demo");
  const req = mock.requests.at(-1);
  assert.equal(req.method, "POST");
  assert.equal(req.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(req.body), { project: { name: "demo" } });
});

test("a 404 rejects with a NeonApiError carrying kind, status, code and requestId", async () => {
  const err = await neon.getProject({ projectId: "missing" }).catch((e) => e);
  assert.ok(err instanceof NeonApiError);
  assert.ok(err instanceof NeonError);
  assert.ok(err instanceof Error);
  assert.equal(err.kind, "not_found");
  assert.equal(err.status, 404);
  assert.equal(err.message, "project not found");
  assert.equal(err.requestId, "req-404");
  assert.equal(err.operation, "getProject");
});

test("a 409 is a conflict with the x-neon-ret-request-id header as request id", async () => {
  const err = await neon.getProject({ projectId: "conflict" }).catch((e) => e);
  assert.equal(err.kind, "conflict");
  assert.equal(err.code, "conflict");
  assert.equal(err.requestId, "ret-409");
});

test("an HTML 502 and a truncated JSON body give clear API errors", async () => {
  const html = await neon.getProject({ projectId: "html" }).catch((e) => e);
  assert.equal(html.status, 502);
  assert.match(html.message, /non-JSON body/);
  const cut = await neon.getProject({ projectId: "truncated" }).catch((e) => e);
  assert.equal(cut.status, 500);
  assert.equal(cut.requestId, "req-500");
  assert.match(cut.message, /cut short/);
});

test("a body cut mid-stream is a network error", async () => {
  const err = await neon.getProject({ projectId: "cut" }).catch((e) => e);
  assert.ok(err instanceof NeonRequestError);
  assert.equal(err.kind, "network");
});

test("path parameters are percent-encoded and cannot change the path", async () => {
  const out = await neon.getProject({ projectId: "a/b?c#d" });
  assert.equal(out.project.id, "a/b?c#d");
  assert.equal(mock.requests.at(-1).url, "/api/v2/projects/a%2Fb%3Fc%23d");
});

test("bad arguments reject with a NeonClientError before sending", async () => {
  const before = mock.requests.length;
  const missing = await neon.getProject({}).catch((e) => e);
  assert.ok(missing instanceof NeonClientError);
  assert.equal(missing.message, "getProject: missing required path parameter `projectId`");
  const notObject = await neon.getProject("p-1").catch((e) => e);
  assert.equal(notObject.kind, "client");
  const dots = await neon.getProject({ projectId: ".." }).catch((e) => e);
  assert.equal(dots.kind, "client");
  assert.equal(mock.requests.length, before);
});

test("the constructor refuses a missing key and a malformed base URL", () => {
  assert.throws(() => new NeonClient({}), (e) => e instanceof NeonClientError && e.message === "apiKey is missing or empty");
  assert.throws(() => new NeonClient({ apiKey: "" }), NeonClientError);
  assert.throws(() => new NeonClient({ apiKey: "k", baseUrl: "not a url" }), /baseUrl/);
  assert.throws(() => new NeonClient(), NeonClientError);
});

test("errors never contain the API key", async () => {
  const secret = "napi_should_never_leak_123";
  const client = new NeonClient({ apiKey: secret, baseUrl: `${mock.url}/api/v2` });
  const err = await client.listProjects().catch((e) => e);
  assert.equal(err.kind, "auth");
  assert.ok(!JSON.stringify({ ...err, message: err.message, stack: err.stack }).includes(secret));
});

test("a rotating key function, sync or async, is asked per request", async () => {
  let calls = 0;
  const sync = new NeonClient({ apiKey: () => (calls++, API_KEY), baseUrl: `${mock.url}/api/v2` });
  await sync.listProjects();
  const asyncKey = new NeonClient({ apiKey: async () => (calls++, API_KEY), baseUrl: `${mock.url}/api/v2` });
  await asyncKey.listProjects();
  await asyncKey.listProjects();
  assert.equal(calls, 3);
});

test("a custom fetch function carries the requests", async () => {
  const seen = [];
  const client = new NeonClient({
    apiKey: API_KEY,
    baseUrl: `${mock.url}/api/v2`,
    fetch: (request) => (seen.push(request.url), fetch(request)),
  });
  await client.listProjects();
  assert.deepEqual(seen, [`${mock.url}/api/v2/projects`]);
});

test("a fetch that resolves to something else than a Response is a network error naming it", async () => {
  const odd = async () => ({ status: 200 });
  const custom = new NeonClient({ apiKey: API_KEY, baseUrl: `${mock.url}/api/v2`, fetch: odd, retry: false });
  await assert.rejects(custom.getProject({ projectId: "p" }), (e) =>
    e instanceof NeonRequestError && e.kind === "network" && /^getProject: network error: the fetch option did not resolve to a Response/.test(e.message));
  const original = globalThis.fetch;
  globalThis.fetch = odd;
  try {
    const plain = new NeonClient({ apiKey: API_KEY, baseUrl: `${mock.url}/api/v2`, retry: false });
    await assert.rejects(plain.getProject({ projectId: "p" }), (e) =>
      e instanceof NeonRequestError && e.kind === "network" && /^getProject: network error: fetch did not resolve to a Response/.test(e.message));
  } finally {
    globalThis.fetch = original;
  }
});

test("timeoutMs and an AbortSignal stop a slow call", async () => {
  const timeout = await neon.getProject({ projectId: "slow" }, { timeoutMs: 100 }).catch((e) => e);
  assert.equal(timeout.kind, "timeout");
  assert.equal(timeout.name, "TimeoutError");
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const aborted = await neon.getProject({ projectId: "slow" }, { signal: controller.signal }).catch((e) => e);
  assert.equal(aborted.kind, "aborted");
  assert.equal(aborted.name, "AbortError");
  const already = await neon.listProjects({}, { signal: AbortSignal.abort() }).catch((e) => e);
  assert.equal(already.kind, "aborted");
});

test("request() reaches endpoints without a typed method and refuses escaping paths", async () => {
  const out = await neon.request({ method: "GET", path: "/projects/p-7" });
  assert.equal(out.project.id, "p-7");
  const escape = await neon.request({ method: "GET", path: "//evil.test/x" }).catch((e) => e);
  assert.equal(escape.kind, "client");
});
