// The first attempt of a call without options is sent by the package's JS (client-methods.js)
// with the global fetch, its successful JSON body parsed there; every other outcome goes back
// to the core's `call`. These tests show that path is taken, and that each outcome resolves or
// fails exactly as the same call sent by the core does (the same call with options `{}`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { NeonClient, NeonApiError, NeonError } from "neon-edge";

const KEY = "napi_first_attempt_test";
let server, base;
const seen = [];
/** Answers by path: /projects/{kind}: the bodies and statuses the cases need. */
const faults = new Map();

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = req.url.split("?")[0].replace("/api/v2", "");
      seen.push({ at: Date.now(), method: req.method, path, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const send = (status, body, type = "application/json") => {
        res.writeHead(status, { "content-type": type });
        res.end(body);
      };
      const left = faults.get(path);
      if (left?.length) {
        const [status, body, delayMs = 0] = left.shift();
        return setTimeout(() => send(status, body), delayMs);
      }
      switch (path) {
        case "/projects/text": return send(200, "not json", "text/plain");
        case "/projects/bom": return send(200, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"project":{"id":"bom"}}')]));
        case "/projects/latin1": return send(200, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
        case "/projects/blank": return send(200, " \n\t\f\r");
        case "/projects/missing": return send(404, JSON.stringify({ code: "", message: "project not found" }));
        case "/projects": return req.method === "POST" ? send(201, JSON.stringify({ project: { id: "new" } })) : send(200, JSON.stringify({ projects: [] }));
        default: return send(200, JSON.stringify({ project: { id: path.split("/")[2] } }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}/api/v2`;
});
after(() => server?.close());

const client = (extra = {}) => new NeonClient({ apiKey: KEY, baseUrl: base, ...extra });

/** Calls `fn` with the global fetch wrapped to count calls and tell how they were made. */
async function counting(fn) {
  const original = globalThis.fetch;
  const calls = [];
  globalThis.fetch = (input, init) => {
    calls.push({ plainHeaders: !(init?.headers instanceof Headers) });
    return original(input, init);
  };
  try {
    return { result: await fn(), calls };
  } finally {
    globalThis.fetch = original;
  }
}

/** What a call settles to, comparable between the two paths. */
const settle = (promise) => promise.then(
  (value) => ({ value }),
  (e) => ({ error: { class: e.constructor.name, kind: e.kind, status: e.status, message: e.message, reason: e.reason } }));

test("a call without options is sent by the package's JS, once, with plain headers; with options by the core", async () => {
  const neon = client({ rateLimit: false });
  const fast = await counting(() => neon.getProject({ projectId: "p-1" }));
  assert.deepEqual(fast.result, { project: { id: "p-1" } });
  assert.deepEqual(fast.calls, [{ plainHeaders: true }]);
  const slow = await counting(() => neon.getProject({ projectId: "p-1" }, {}));
  assert.deepEqual(slow.result, fast.result);
  assert.deepEqual(slow.calls, [{ plainHeaders: false }]);
  // A key function or a fetch option: the core sends every attempt.
  const keyed = await counting(() => client({ apiKey: () => KEY }).getProject({ projectId: "p-1" }));
  assert.deepEqual(keyed.calls, [{ plainHeaders: false }]);
  let custom = 0;
  const viaOption = await counting(() => client({ fetch: (r) => { custom++; return fetch(r); } }).getProject({ projectId: "p-1" }));
  assert.equal(custom, 1);
  assert.deepEqual(viaOption.result, fast.result);
});

test("the first attempt sends the same request as the core: method, URL, headers, JSON body", async () => {
  const neon = client();
  seen.length = 0;
  await neon.createProject({ body: { project: { name: "x" } } });
  await neon.createProject({ body: { project: { name: "x" } } }, {});
  await neon.listProjects({ limit: 5, search: "a b" });
  await neon.listProjects({ limit: 5, search: "a b" }, {});
  const view = ({ method, path, headers, body }) => ({ method, path, body, auth: headers.authorization,
    accept: headers.accept, type: headers["content-type"], agent: headers["user-agent"] });
  assert.deepEqual(view(seen[0]), view(seen[1]));
  assert.equal(seen[0].headers["content-type"], "application/json");
  assert.equal(seen[0].body, '{"project":{"name":"x"}}');
  assert.deepEqual(view(seen[2]), view(seen[3]));
  assert.equal(seen[2].headers.authorization, `Bearer ${KEY}`);
});

test("every outcome settles as it does when the core sends the attempt", async () => {
  const neon = client({ rateLimit: false, retry: false });
  for (const projectId of ["text", "bom", "latin1", "blank", "missing", "p-2"]) {
    const fast = await settle(neon.getProject({ projectId }));
    const slow = await settle(neon.getProject({ projectId }, {}));
    assert.deepEqual(fast, slow, projectId);
  }
  assert.equal((await settle(neon.getProject({ projectId: "blank" }))).value, undefined);
  assert.match((await settle(neon.getProject({ projectId: "text" }))).error.message, /not JSON \(8 bytes\)/);
  assert.equal((await settle(neon.getProject({ projectId: "missing" }))).error.status, 404);
  // A timeout (the server answers after 400 ms; the client waits 100).
  const slowClient = client({ rateLimit: false, retry: false, timeoutMs: 100 });
  faults.set("/projects/late", [[200, "{}", 400], [200, "{}", 400]]);
  const timedOut = await settle(slowClient.getProject({ projectId: "late" }));
  const timedOutCore = await settle(slowClient.getProject({ projectId: "late" }, {}));
  assert.equal(timedOut.error.kind, "timeout");
  assert.deepEqual(timedOut, timedOutCore);
  // Nothing listening: a network error.
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const refused = new NeonClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api/v2`, retry: false });
  const down = await settle(refused.getProject({ projectId: "p" }));
  assert.equal(down.error.kind, "network");
  assert.deepEqual(down, await settle(refused.getProject({ projectId: "p" }, {})));
  // A replaced global fetch resolving to something else than a Response.
  const original = globalThis.fetch;
  globalThis.fetch = async () => ({ status: 200 });
  try {
    const odd = await settle(neon.getProject({ projectId: "p" }));
    assert.match(odd.error.message, /^getProject: network error: fetch did not resolve to a Response/);
    assert.deepEqual(odd, await settle(neon.getProject({ projectId: "p" }, {})));
  } finally {
    globalThis.fetch = original;
  }
});

test("after a first attempt that fails, the core retries with the client's policy", async () => {
  const retries = [];
  const neon = client({ retry: { maxAttempts: 3, onRetry: (e) => retries.push([e.attempt, e.status]) } });
  faults.set("/projects/flaky", [[503, JSON.stringify({ message: "busy" })], [502, JSON.stringify({ message: "busy" })]]);
  seen.length = 0;
  const { result, calls } = await counting(() => neon.getProject({ projectId: "flaky" }));
  assert.deepEqual(result, { project: { id: "flaky" } });
  assert.deepEqual(retries, [[1, 503], [2, 502]]);
  assert.equal(seen.length, 3);
  assert.deepEqual(calls.map((c) => c.plainHeaders), [true, false, false]);
  // Out of attempts: the last answer's error, as the core gives it.
  faults.set("/projects/down", [[500, JSON.stringify({ message: "down" })], [500, JSON.stringify({ message: "down" })], [500, JSON.stringify({ message: "down" })]]);
  const failed = await settle(neon.getProject({ projectId: "down" }));
  assert.equal(failed.error.class, "NeonApiError");
  assert.equal(failed.error.status, 500);
  assert.ok(new NeonApiError("api", "x", { status: 500 }) instanceof NeonError);
});

test("first attempts are paced: a route limit of 2 per second spaces the third call", async () => {
  const neon = client({ rateLimit: { perMinute: 1000, perRoutePerSecond: 2 } });
  seen.length = 0;
  const started = Date.now();
  const { calls } = await counting(() => Promise.all([1, 2, 3].map(() => neon.getProject({ projectId: "paced" }))));
  assert.deepEqual(calls.map((c) => c.plainHeaders), [true, true, true]);
  const offsets = seen.map((s) => s.at - started).sort((a, b) => a - b);
  // The route bucket holds a burst of 1 and refills every 1000 / (2 * 0.99 - 1) ≈ 1020 ms.
  assert.ok(offsets[1] >= 900, `second request after ${offsets[1]} ms`);
  assert.ok(offsets[2] >= 1900, `third request after ${offsets[2]} ms`);
});
