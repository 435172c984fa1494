// Bad input at the JS boundary, generated from what the built package exports at run time:
// every exported function, every constructor and every method and getter of every exported
// wasm class of `neon-edge`, `neon-edge/postgres`, `neon-edge/workflows` and `neon-edge/claimable-neon`, called with wrong
// types, no arguments, empty objects (missing fields), a 10 MB string, objects and arrays
// nested 10,000 deep, a cycle, and null/undefined in every position. Each call must return,
// resolve, or fail with a `NeonError` (its `kind` and, for bad arguments, `NeonClientError`'s
// `reason`); never a trap of the wasm module (which the panic guard would turn into kind
// "internal": a bug all the same) nor an untyped error; and the module must answer a normal
// call afterwards. A new export, class or method is covered without editing this file; a new
// class that no call returns fails the test until `MAKE` says how to get one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as management from "neon-edge";
import * as postgres from "neon-edge/postgres";
import * as workflows from "neon-edge/workflows";
import * as claimableNeon from "neon-edge/claimable-neon";
import { startMockNeon, API_KEY } from "../support/mock-neon.mjs";

let mock;
before(async () => { mock = await startMockNeon(); });
after(() => mock?.close());

const nested = (depth, wrap) => { let v = {}; for (let i = 0; i < depth; i++) v = wrap(v); return v; };
const cyclic = {}; cyclic.self = cyclic;
const BAD = {
  undefined: undefined, null: null, number: 42, NaN: NaN, bigint: 1n, boolean: true, string: "bad", empty: "",
  symbol: Symbol("bad"), function: () => {}, array: [1, "two"], object: {}, cyclic,
  "10 MB string": "x".repeat(10 * 1024 * 1024),
  "object nested 10,000 deep": nested(10_000, (v) => ({ a: v })),
  "array nested 10,000 deep": nested(10_000, (v) => [v]),
};

/** Values only the hand-written methods get: the per-operation methods all forward to `call`. */
const HEAVY = new Set(["10 MB string", "object nested 10,000 deep", "array nested 10,000 deep"]);

/** Names that are module loading and the panic guard's wiring, not API. */
const NOT_API = new Set(["default", "initSync", "__wbg_reset_state", "__neon_internals", "makeError"]);
/** The one documented TypeError: the JS-only tagged template used as a plain function. */
const TYPE_ERROR_OK = new Set(["NeonSql.sql()"]);
const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));
const isWasmClass = (f) => typeof f === "function" && typeof f.prototype?.free === "function";
const isErrorClass = (f) => typeof f === "function" && f.prototype instanceof Error;

/** Options that send every call that passes validation to the mock server, fast. */
const clientOptions = () => ({ apiKey: API_KEY, baseUrl: `${mock.url}/api/v2`, retry: false, timeoutMs: 5000 });
const sqlArgs = () => ["postgresql://user:pw@127.0.0.1/db", { endpoint: `${mock.url}/sql`, timeoutMs: 5000 }];

/** How to get an object of each exported wasm class, for its methods and getters. */
const MAKE = {
  NeonClient: (mod) => new mod.NeonClient(clientOptions()),
  NeonPaginator: (mod) => new mod.NeonClient(clientOptions()).paginateOperation("listProjects", {}),
  NeonSql: (mod) => mod.sql(...sqlArgs()),
  ClaimableNeonSession: (mod) => new mod.ClaimableNeonSession({ origin: mock.url, identityAssertion: "assertion-of-the-test", projectId: "p-1", timeoutMs: 5000 }),
  // neon-edge/workflows: one namespace object per getter of the client.
  ...Object.fromEntries(["NeonProjects:projects", "NeonBranches:branches", "NeonSnapshots:snapshots",
    "NeonOperations:operations", "NeonPostgres:postgres", "NeonCheckpoints:checkpoints", "NeonPlatform:platform",
    "NeonEndpoints:endpoints", "NeonUsage:usage", "NeonAuthWorkflows:neonAuth", "NeonDataApiWorkflows:dataApi"]
    .map((pair) => pair.split(":")).map(([cls, getter]) => [cls, (mod) => new mod.NeonClient(clientOptions())[getter]])),
};

/** A normal call of each module, which must still work after the bad ones. */
const NORMAL = {
  "neon-edge": async (mod) => assert.equal((await new mod.NeonClient(clientOptions()).listProjects()).projects[0].id, "p-1"),
  "neon-edge/postgres": async (mod) => assert.equal(mod.planSeed("SELECT 1; SELECT 2").statements.length, 2),
  "neon-edge/claimable-neon": async (mod) => assert.equal(mod.planSeed("SELECT 1; SELECT 2").statements.length, 2),
  "neon-edge/workflows": async (mod) => assert.equal((await new mod.NeonClient(clientOptions()).listProjects()).projects[0].id, "p-1"),
};

/** Argument lists for a callable of `arity`: each bad value alone in each position, and everywhere. */
function* argumentLists(arity, light) {
  yield [];
  for (const [name, value] of Object.entries(BAD)) {
    if (light && HEAVY.has(name)) continue;
    for (let position = 0; position < Math.max(arity, 1); position++) {
      const args = new Array(position + 1).fill(undefined);
      args[position] = value;
      yield [`${name} as argument ${position + 1}`, args];
    }
    if (arity > 1) yield [`${name} everywhere`, new Array(arity).fill(value)];
  }
}

/** Calls `invoke(args)` with every argument list and checks each outcome; returns counts. */
async function hammer(label, arity, invoke, mod, counts, light) {
  for (const entry of argumentLists(arity, light)) {
    const [what, args] = Array.isArray(entry) && entry.length === 0 ? ["no arguments", []] : entry;
    let outcome;
    try {
      const result = invoke(args);
      outcome = result instanceof Promise ? await result.then(() => undefined, (e) => e) : undefined;
    } catch (error) {
      outcome = error;
    }
    counts.calls++;
    if (outcome === undefined) { counts.succeeded++; continue; }
    const where = `${label} with ${what}`;
    const problem = outcome instanceof WebAssembly.RuntimeError ? `the wasm module trapped: ${outcome.message}`
      : outcome instanceof TypeError && TYPE_ERROR_OK.has(label.split(" ").pop()) && outcome.message ? undefined
      : !(outcome instanceof mod.NeonError) ? `not a NeonError: ${outcome?.name}: ${outcome?.message}`
      : outcome.kind === "internal" ? `a panic in the module: ${outcome.message}`
      : !outcome.message ? "no message"
      : outcome instanceof mod.NeonClientError && !outcome.reason ? "a NeonClientError without a reason" : undefined;
    if (problem) { counts.failures.push(`${where}: ${problem.slice(0, 200)}`); continue; }
    counts.typed[outcome.kind ?? outcome.name] = (counts.typed[outcome.kind ?? outcome.name] ?? 0) + 1;
  }
}

/** Every callable of one module: [label, arity, invoke]. */
function callables(mod) {
  const out = [];
  const operations = new Set(mod.operationIds?.() ?? []);
  const names = Object.keys(mod).filter((name) => !NOT_API.has(name));
  for (const name of names) {
    const value = mod[name];
    if (typeof value !== "function" || isErrorClass(value)) continue;
    if (!isClass(value)) {
      out.push([`${name}()`, value.length, (args) => value(...args)]);
      continue;
    }
    assert.ok(isWasmClass(value), `${name}: an exported class that is neither a wasm class nor an error class`);
    assert.ok(MAKE[value.name], `${name}: no entry in MAKE says how to get one: add it`);
    if (value.prototype.constructor === value && !/^class \w+ \{\s*static __wrap/.test(Function.prototype.toString.call(value))) {
      out.push([`new ${name}()`, 1, (args) => new value(...args)]);
    }
    // Methods and getters, down the prototype chain (the entry's NeonClient extends the glue's).
    const seen = new Set(["constructor", "free", "__destroy_into_raw"]);
    for (let proto = value.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Reflect.ownKeys(proto)) {
        if (typeof key !== "string" || seen.has(key)) continue;
        seen.add(key);
        const d = Object.getOwnPropertyDescriptor(proto, key);
        if (typeof d.value === "function") {
          out.push([`${name}.${key}()`, d.value.length, (args) => MAKE[value.name](mod)[key](...args), operations.has(key)]);
        } else if (d.get) {
          out.push([`${name}.${key}`, 0, () => MAKE[value.name](mod)[key]]);
        }
      }
    }
  }
  return out;
}

for (const [entry, mod] of [["neon-edge", management], ["neon-edge/postgres", postgres], ["neon-edge/workflows", workflows], ["neon-edge/claimable-neon", claimableNeon]]) {
  test(`${entry}: every export, constructor, method and getter gives a typed error on bad input and the module keeps answering`, async () => {
    const internals = Object.keys(mod).filter((name) => name.startsWith("__"));
    assert.deepEqual(internals.sort(), ["__neon_internals", "__wbg_reset_state"], "the only internal exports are the panic guard's");
    const counts = { calls: 0, succeeded: 0, typed: {}, failures: [] };
    const all = callables(mod);
    for (const [label, arity, invoke, light] of all) await hammer(`${entry} ${label}`, arity, invoke, mod, counts, light);
    console.log(`${entry}: ${all.length} callables, ${counts.calls} calls: ${counts.succeeded} returned, errors by kind ${JSON.stringify(counts.typed)}`);
    assert.ok(all.length > 5);
    assert.deepEqual(counts.failures, []);
    await NORMAL[entry](mod);
  });
}
