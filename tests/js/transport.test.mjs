// The fetch transport (src/bindings/shared/send.js + fetch.rs) through the package: what each
// way an attempt can end becomes (a custom fetch that throws, rejects, never settles or ignores
// the abort, a body stream that fails, no global fetch), and that a timeout or a cancel aborts
// the request it was sent with. No server: every attempt goes to a `fetch` option or a
// replaced global fetch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { NeonClient, NeonRequestError } from "neon-edge";

const BASE = "http://127.0.0.1:9/api/v2";
const client = (fetch, extra = {}) =>
  new NeonClient({ apiKey: "napi_transport_test", baseUrl: BASE, fetch, retry: false, rateLimit: false, ...extra });
const failure = (promise) => promise.then(() => assert.fail("the call should fail"), (e) => e);
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

test("a custom fetch gets one Request with the method, URL, headers, body and a live signal", async () => {
  const seen = [];
  const neon = client(async (request) => {
    seen.push({ request, body: await request.text() });
    return json({ project: { id: "p-1" } }, 201);
  });
  const out = await neon.createProject({ body: { project: { name: "x" } } });
  assert.equal(out.project.id, "p-1");
  assert.equal(seen.length, 1);
  const [{ request, body }] = seen;
  assert.ok(request instanceof Request);
  assert.equal(request.method, "POST");
  assert.equal(request.url, `${BASE}/projects`);
  assert.equal(request.headers.get("authorization"), "Bearer napi_transport_test");
  assert.equal(request.headers.get("content-type"), "application/json");
  assert.deepEqual(JSON.parse(body), { project: { name: "x" } });
  assert.equal(request.signal.aborted, false);
});

test("a custom fetch that throws, rejects, or resolves to something else is a typed network error naming it", async () => {
  const threw = await failure(client(() => { throw new Error("boom"); }).getProject({ projectId: "p" }));
  assert.ok(threw instanceof NeonRequestError);
  assert.equal(threw.kind, "network");
  assert.match(threw.message, /^getProject: network error: the fetch option threw: boom$/);
  const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
  const rejected = await failure(client(() => Promise.reject(refused)).getProject({ projectId: "p" }));
  assert.match(rejected.message, /^getProject: network error: the fetch option rejected: fetch failed \(ECONNREFUSED\)$/);
  const odd = await failure(client(() => ({ status: 200 })).getProject({ projectId: "p" }));
  assert.match(odd.message, /^getProject: network error: the fetch option did not resolve to a Response$/);
});

test("a body stream that fails mid-read is a network error: the body was cut short", async () => {
  const stream = new ReadableStream({
    pull(controller) {
      controller.enqueue(new TextEncoder().encode('{"project":'));
      controller.error(new Error("socket hang up"));
    },
  });
  const err = await failure(client(async () => new Response(stream, { status: 200 })).getProject({ projectId: "p" }));
  assert.equal(err.kind, "network");
  assert.match(err.message, /the response body was cut short: Error: socket hang up/);
});

test("a timeout ends an attempt whose fetch ignores the abort, and aborts the request's signal", async () => {
  let request;
  const neon = client((r) => {
    request = r;
    return new Promise(() => {}); // never settles, whatever the signal says
  });
  const started = Date.now();
  const err = await failure(neon.getProject({ projectId: "p" }, { timeoutMs: 150 }));
  assert.equal(err.kind, "timeout");
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.equal(request.signal.aborted, true);
});

test("a cancel aborts the request in flight, and a signal already aborted sends nothing", async () => {
  let request;
  const neon = client((r) => {
    request = r;
    return new Promise(() => {});
  });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const err = await failure(neon.getProject({ projectId: "p" }, { signal: controller.signal }));
  assert.equal(err.kind, "aborted");
  assert.equal(request.signal.aborted, true);
  let calls = 0;
  const early = await failure(client(() => { calls += 1; return json({}); }).getProject({ projectId: "p" }, { signal: AbortSignal.abort() }));
  assert.equal(early.kind, "aborted");
  assert.equal(calls, 0);
});

test("without a global fetch a call fails as a network error that was not sent", async () => {
  const original = globalThis.fetch;
  delete globalThis.fetch;
  try {
    const neon = new NeonClient({ apiKey: "napi_transport_test", baseUrl: BASE, rateLimit: false });
    for (const options of [undefined, {}]) {
      const err = await failure(neon.getProject({ projectId: "p" }, options));
      assert.equal(err.kind, "network");
      assert.match(err.message, /^getProject: network error: fetch is unavailable$/);
    }
  } finally {
    globalThis.fetch = original;
  }
});

test("the global fetch's rejection is reported as it is, and a refused connection is retried as not sent", async () => {
  const original = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = () => {
    calls += 1;
    return Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }));
  };
  try {
    const neon = new NeonClient({ apiKey: "napi_transport_test", baseUrl: BASE, rateLimit: false, retry: { maxAttempts: 2 } });
    // A POST is retried only when it provably never reached the server.
    const err = await failure(neon.createProject({ body: { project: { name: "x" } } }));
    assert.equal(err.kind, "network");
    assert.match(err.message, /^createProject: network error: TypeError: fetch failed/);
    assert.equal(calls, 2);
  } finally {
    globalThis.fetch = original;
  }
});
