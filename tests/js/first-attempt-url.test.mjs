// The URL of a first attempt is built by the package's JS (client-methods.js) when every
// argument is text the core writes unchanged: no call into wasm, unless calls are paced. These
// tests show that, for every operation of the table, that URL is the one the core builds, and
// that any other argument goes to the core (`__firstAttempt`, then `call`), which builds or
// refuses the call as before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { NeonClient } from "neon-edge";

const KEY = "napi_first_attempt_url_test";
let server, base;
const seen = [];

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}/api/v2`;
});
after(() => server?.close());

/** Runs `fn`, counting the calls of NeonClient's method `name` meanwhile. */
async function counting(name, fn) {
  const method = NeonClient.prototype[name];
  let count = 0;
  NeonClient.prototype[name] = function (...args) {
    count++;
    return method.apply(this, args);
  };
  try {
    await fn();
    return count;
  } finally {
    delete NeonClient.prototype[name];
  }
}

/** Runs `fn`, counting the plans the core made (`__firstAttempt`) meanwhile. */
const corePlans = (fn) => counting("__firstAttempt", fn);

/** The request `promise` made, as the server saw it ("METHOD /path?query"), and how it settled. */
async function request(promise) {
  seen.length = 0;
  const outcome = await promise.then((value) => ({ value }), (e) => ({ error: `${e.constructor.name}: ${e.message}` }));
  return { sent: seen.slice(), ...outcome };
}

// Each operation's arguments: text the core writes unchanged, of every kind it takes.
const TEXT = ["ab-1.C_~", 42, true, "0", -1.5, false];

test("for every operation, the URL built by the package's JS is the core's", async () => {
  const neon = new NeonClient({ apiKey: KEY, baseUrl: base, rateLimit: false, retry: false });
  let direct = 0;
  for (const line of NeonClient.__operationTable().split("\n").filter(Boolean)) {
    const [id, , target, ...flags] = line.split(" ");
    const [path, query = ""] = target.split("?");
    const args = {};
    let k = 0;
    for (const [, name] of path.matchAll(/\{([^}]*)\}/g)) {
      // Path parameters take strings and numbers, by their camelCase names.
      args[name.replace(/_(.)/g, (_, c) => c.toUpperCase())] = ["p-1", 7, "x.y"][k++ % 3];
    }
    for (const q of query.split("&").filter(Boolean)) args[q.replace(/[!,]/g, "")] = TEXT[k++ % TEXT.length];
    // A required body or form: the core plans those attempts.
    if (flags.includes("body") || flags.includes("multipart")) args.body = {};
    const eligible = !flags.some((f) => f === "body" || f === "multipart" || f === "bytes");
    let fast, core;
    const plans = await corePlans(async () => {
      fast = await request(neon[id](args));
    });
    core = await request(neon.call(id, args, {}));
    assert.deepEqual(fast, core, id);
    assert.equal(fast.sent.length, 1, `${id}: ${fast.error}`);
    assert.equal(plans, eligible ? 0 : 1, `${id}: planned by the core ${plans} times`);
    if (eligible) direct++;
  }
  // Most operations: every GET and DELETE, and POSTs without a required body.
  assert.ok(direct > 100, `${direct} operations built by the package's JS`);
});

test("arguments the core would encode, refuse or read differently go to the core", async () => {
  const neon = new NeonClient({ apiKey: KEY, baseUrl: base, rateLimit: false, retry: false });
  const cases = [
    ["getProject", { projectId: "a b" }],
    ["getProject", { projectId: "é" }],
    ["getProject", { projectId: "a/b" }],
    ["getProject", { projectId: "" }],
    ["getProject", { projectId: "." }],
    ["getProject", { projectId: ".." }],
    ["getProject", { projectId: true }],
    ["getProject", { projectId: Number.NaN }],
    ["getProject", { projectId: 1e21 }],
    ["getProject", { projectId: { id: "p" } }],
    ["getProject", {}],
    ["getProject", "p-1"],
    ["getProject", { projectId: "p-1", body: { x: 1 } }],
    ["listProjects", { search: "a&b=c" }],
    ["listProjects", { search: ["a", "b"] }],
    ["listProjects", { limit: Number.POSITIVE_INFINITY }],
    ["listProjects", { limit: { n: 1 } }],
    ["getConnectionURI", { projectId: "p-1", role_name: "r" }],
    ["getProject", { get projectId() { throw new Error("no id"); } }],
  ];
  for (const [id, args] of cases) {
    let label;
    try {
      label = `${id}(${JSON.stringify(args)})`;
    } catch {
      label = `${id}(an object whose getter throws)`;
    }
    let fast;
    const plans = await corePlans(async () => {
      fast = await request(neon[id](args));
    });
    const core = await request(neon.call(id, args, {}));
    assert.deepEqual(fast, core, label);
    assert.ok(plans >= 1, `${label} was not handed to the core`);
  }
  // An argument the core encodes is sent encoded, once.
  const encoded = await request(neon.getProject({ projectId: "a b/é" }));
  assert.deepEqual(encoded.sent, ["GET /api/v2/projects/a%20b%2F%C3%A9"]);
  // Arguments the operation does not declare are not sent, as with the core.
  const extra = await request(neon.getProject({ projectId: "p-1", limit: 3, other: "x" }));
  assert.deepEqual(extra.sent, ["GET /api/v2/projects/p-1"]);
});

test("paced calls take their slot from the core; unpaced ones never call into wasm", async () => {
  const paced = new NeonClient({ apiKey: KEY, baseUrl: base, rateLimit: { perMinute: 1000, perRoutePerSecond: 100 } });
  const slots = await counting("__pace", async () => {
    await paced.getProject({ projectId: "p-1" });
    await paced.listProjects({ limit: 1 });
  });
  assert.equal(slots, 2);
  const unpaced = new NeonClient({ apiKey: KEY, baseUrl: base, rateLimit: false });
  await unpaced.getProject({ projectId: "p-0" }); // the client's settings, read once
  let plans;
  const none = await counting("__pace", async () => {
    plans = await corePlans(() => unpaced.getProject({ projectId: "p-1" }));
  });
  assert.deepEqual([none, plans], [0, 0]);
});

test("a freed client refuses its calls, made before or after its first", async () => {
  for (const calls of [0, 1]) {
    for (const rateLimit of [false, undefined]) {
      const neon = new NeonClient({ apiKey: KEY, baseUrl: base, rateLimit });
      for (let i = 0; i < calls; i++) await neon.getProject({ projectId: "p-1" });
      neon.free();
      seen.length = 0;
      await assert.rejects(async () => neon.getProject({ projectId: "p-1" }));
      assert.deepEqual(seen, [], "a freed client sent a request");
    }
  }
});
