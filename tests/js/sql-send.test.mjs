// A SQL query or transaction without options is sent by the package's JS
// (pkg-template/postgres/send-query.js): its body written there when every parameter is plain
// text to the core, else planned by the core; send.js sends it, a 2xx answer is read in JS;
// every other outcome goes back to the core. These tests show the path is taken (and not with
// options or a `fetch` option), that it sends the body and headers the core sends, and that
// every outcome settles exactly as the same call sent by the core (the same call with `{}`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { sql, NeonError, NeonSql } from "neon-edge/postgres";

const PASSWORD = "s3cret-sql-send";
let server, endpoint;
const seen = [];
/** Answers by statement text: [status, body, content type, delay ms]. */
const answers = {
  "SELECT 1": [200, JSON.stringify({ command: "SELECT", rowCount: 1, fields: [{ name: "n", dataTypeID: 23 }], rows: [[1]] })],
  "SELECT wrong_shape": [200, JSON.stringify({ command: "SELECT", rowCount: 1, fields: [{ name: "n", dataTypeID: 23 }], rows: "nope" })],
  "SELECT not_json": [200, "<html>", "text/html"],
  "SELECT bom": [200, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"command":"SELECT","rowCount":0,"fields":[],"rows":[]}')])],
  "SELECT latin1": [200, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])],
  // Well-formed JSON around a byte that is not UTF-8: a lossy decoder would answer a row.
  "SELECT latin1_value": [200, Buffer.concat([Buffer.from('{"command":"SELECT","rowCount":1,"fields":[{"name":"t","dataTypeID":25}],"rows":[["'), Buffer.from([0xe9]), Buffer.from('"]]}')])],
  "SELECT pg_error": [400, JSON.stringify({ code: "42P01", message: `relation "t" does not exist for ${PASSWORD}`, position: "15" })],
  "SELECT http_500": [500, "upstream failed", "text/plain"],
  "SELECT slow": [200, "{}", "application/json", 3000],
};

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      seen.push({ headers: req.headers, body });
      const text = body.query ?? body.queries?.[0]?.query;
      const [status, answer, type = "application/json", delayMs = 0] = answers[text] ?? answers["SELECT 1"];
      const reply = () => {
        res.writeHead(status, { "content-type": type });
        res.end(body.queries ? `{"results":[${answer},${answer}]}` : answer);
      };
      setTimeout(reply, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${server.address().port}/sql`;
});
after(() => server?.close());

const connection = `postgresql://app:${PASSWORD}@ep-send-123.us-east-2.aws.neon.tech/neondb`;
const db = (extra = {}) => sql(connection, { endpoint, ...extra });

/** Calls `fn` with the global fetch wrapped to count its calls, and the plans the core made. */
async function counting(fn) {
  const original = globalThis.fetch;
  const { __queryPlan, __transactionPlan } = NeonSql.prototype;
  let calls = 0;
  const plans = [];
  globalThis.fetch = (input, init) => {
    calls += 1;
    return original(input, init);
  };
  NeonSql.prototype.__queryPlan = function (...args) {
    const plan = __queryPlan.apply(this, args);
    plans.push(plan !== undefined);
    return plan;
  };
  NeonSql.prototype.__transactionPlan = function (...args) {
    const plan = __transactionPlan.apply(this, args);
    plans.push(plan !== undefined);
    return plan;
  };
  try {
    return { result: await fn(), calls, plans };
  } finally {
    globalThis.fetch = original;
    Object.assign(NeonSql.prototype, { __queryPlan, __transactionPlan });
  }
}

const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));
/** What a settled call says: its value, or its error's class, kind, message and details. */
const shape = ({ value, error }) =>
  error ? { error: { name: error.name, kind: error.kind, message: error.message, code: error.code, position: error.position, status: error.status } } : { value };

test("a query and a transaction without options are sent by the package's JS, with the bytes the core sends", async () => {
  const plain = db();
  seen.length = 0;
  const { result, calls, plans } = await counting(() => plain.query("SELECT 1", [7, "x", null]));
  assert.equal(calls, 1);
  // Plain parameters: the body is written in JS, the core plans nothing.
  assert.deepEqual(plans, []);
  assert.deepEqual(result.rows, [{ n: 1 }]);
  await plain.query("SELECT 1", [7, "x", null], {});
  const [fast, core] = seen;
  assert.deepEqual(fast.body, core.body);
  assert.deepEqual(fast.body, { query: "SELECT 1", params: ["7", "x", null] });
  for (const name of ["neon-connection-string", "neon-array-mode", "content-type", "accept", "user-agent"]) {
    assert.equal(fast.headers[name], core.headers[name], name);
  }
  seen.length = 0;
  const { result: tx, plans: txPlans } = await counting(() => plain.transaction([["SELECT 1", [1]], "SELECT 1"]));
  assert.deepEqual(txPlans, []);
  assert.deepEqual(tx.map((r) => r.rows), [[{ n: 1 }], [{ n: 1 }]]);
  await plain.transaction([["SELECT 1", [1]], "SELECT 1"], {});
  assert.deepEqual(seen[0].body, seen[1].body);
});

test("the body written in JS is the core's for every plain parameter; any other goes to the core", async () => {
  const typed = db({ types: { getTypeParser: () => (text) => text } });
  const plainParams = [
    [], undefined, null, ["x"], [""], ['quote " backslash \\ slash /'], ["tab\t nl\n ctl\u0001 del\u007f"],
    ["é ß 漢字 😀"], ["\u2028\u2029"], [0, -0, 1.5, -2e-7, 1e21, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY],
    [true, false], [10n, -(2n ** 70n)], [null, undefined, "x"],
  ];
  for (const client of [db(), typed]) {
    for (const params of plainParams) {
      seen.length = 0;
      const { plans } = await counting(async () => {
        await client.query("SELECT 1", params);
        await client.transaction([["SELECT 1", params], "SELECT 1"]);
      });
      assert.deepEqual(plans, [], `plain parameters ${String(params)} were planned by the core`);
      await client.query("SELECT 1", params, {});
      await client.transaction([["SELECT 1", params], "SELECT 1"], {});
      const [query, tx, coreQuery, coreTx] = seen;
      assert.deepEqual(query.body, coreQuery.body, String(params));
      assert.deepEqual(tx.body, coreTx.body, String(params));
      assert.deepEqual(query.headers["neon-raw-text-output"], coreQuery.headers["neon-raw-text-output"]);
    }
  }
  const corePlanned = [
    ["SELECT 1", [new Date(0)]], ["SELECT 1", [new Uint8Array([1, 2])]], ["SELECT 1", [[1, 2]]], ["SELECT 1", [{ a: 1 }]],
    ["SELECT \ud800", []], ["SELECT 1", ["\udfff"]],
  ];
  for (const [text, params] of corePlanned) {
    seen.length = 0;
    const { plans } = await counting(() => db().query(text, params));
    await db().query(text, params, {});
    assert.deepEqual(plans, [true], `${text} ${String(params)}`);
    assert.deepEqual(seen[0].body, seen[1].body, `${text} ${String(params)}`);
  }
  // A statement given as an object, or with more than text and parameters: planned by the core.
  const { plans } = await counting(async () => {
    await db().transaction([{ text: "SELECT 1", params: [1] }]);
    await db().transaction([["SELECT 1", [1], "extra"]]);
  });
  assert.deepEqual(plans, [true, true]);
});

test("a page's toJSON on Array or Object does not change the body; a header that cannot be built, a freed client fail as through the core", async () => {
  seen.length = 0;
  Array.prototype.toJSON = function () { return "changed"; };
  Object.prototype.toJSON = function () { return "changed"; };
  try {
    await db().query("SELECT 1", ["a", 1]);
    await db().transaction([["SELECT 1", ["a"]]]);
  } finally {
    delete Array.prototype.toJSON;
    delete Object.prototype.toJSON;
  }
  await db().query("SELECT 1", ["a", 1], {});
  await db().transaction([["SELECT 1", ["a"]]], {});
  assert.deepEqual(seen[0].body, { query: "SELECT 1", params: ["a", "1"] });
  assert.deepEqual(seen[0].body, seen[2].body);
  assert.deepEqual(seen[1].body, seen[3].body);
  // A password that is not a header value: the request is not built, either way.
  const odd = sql("postgresql://app:p\u2713@ep-send-123.us-east-2.aws.neon.tech/neondb", { endpoint });
  const fast = shape(await settle(odd.query("SELECT 1")));
  assert.deepStrictEqual(fast, shape(await settle(odd.query("SELECT 1", [], {}))));
  assert.match(fast.error.message, /could not be built/);
  // A freed client refuses every query, its first or a later one.
  for (const queries of [0, 1]) {
    const freed = db();
    for (let i = 0; i < queries; i++) await freed.query("SELECT 1");
    freed.free();
    await assert.rejects(async () => freed.query("SELECT 1"));
    await assert.rejects(async () => freed.transaction(["SELECT 1"]));
  }
});

test("with a fetch option every request goes through the core, to that fetch", async () => {
  let custom = 0;
  const viaOption = db({ fetch: (request) => { custom += 1; return fetch(request); } });
  const { calls, plans } = await counting(async () => {
    await viaOption.query("SELECT 1");
    await viaOption.transaction(["SELECT 1"]);
  });
  assert.equal(custom, 2);
  assert.deepEqual(plans, [false, false]);
  assert.equal(calls, 2); // the option's own calls to the global fetch
});

test("every outcome settles as the same call sent by the core: SQL errors, statuses, bad bodies, BOM, bad UTF-8 (also inside valid JSON)", async () => {
  const plain = db();
  for (const text of ["SELECT wrong_shape", "SELECT not_json", "SELECT bom", "SELECT latin1", "SELECT latin1_value", "SELECT pg_error", "SELECT http_500"]) {
    const fast = shape(await settle(plain.query(text)));
    const core = shape(await settle(plain.query(text, [], {})));
    assert.deepStrictEqual(fast, core, text);
    assert.ok(fast.error, `${text} should fail`);
    assert.ok(!fast.error.message.includes(PASSWORD), `${text}: the password leaked`);
    const fastTx = shape(await settle(plain.transaction([text])));
    const coreTx = shape(await settle(plain.transaction([text], {})));
    assert.deepStrictEqual(fastTx, coreTx, `transaction ${text}`);
  }
  const pg = await settle(plain.query("SELECT pg_error"));
  assert.equal(pg.error.code, "42P01");
});

test("a refused connection, a timeout and a throwing type parser settle as through the core", async () => {
  const refused = sql(connection, { endpoint: "http://127.0.0.1:9/sql" });
  const a = shape(await settle(refused.query("SELECT 1")));
  const b = shape(await settle(refused.query("SELECT 1", [], {})));
  assert.deepStrictEqual(a, b);
  assert.equal(a.error.kind, "network");
  const quick = db({ timeoutMs: 150 });
  const slow = shape(await settle(quick.query("SELECT slow")));
  assert.deepStrictEqual(slow, shape(await settle(quick.query("SELECT slow", [], {}))));
  assert.equal(slow.error.kind, "timeout");
  const boom = new Error("parser failed");
  const typed = db({ types: { getTypeParser: () => () => { throw boom; } } });
  const thrown = await settle(typed.query("SELECT 1"));
  assert.equal(thrown.error, boom);
  assert.equal((await settle(typed.query("SELECT 1", [], {}))).error, boom);
  assert.ok(a.error && (await settle(refused.query("SELECT 1"))).error instanceof NeonError);
});

test("bad arguments are refused before anything is sent, as through the core", async () => {
  const plain = db();
  const { calls, plans } = await counting(async () => {
    for (const [text, params] of [[42, []], ["SELECT 1", "not an array"], ["SELECT 1", [Symbol("x")]]]) {
      assert.deepStrictEqual(shape(await settle(plain.query(text, params))), shape(await settle(plain.query(text, params, {}))));
    }
    assert.deepStrictEqual(shape(await settle(plain.transaction("nope"))), shape(await settle(plain.transaction("nope", {}))));
  });
  assert.equal(calls, 0);
  assert.deepEqual(plans, [false, false, false, false]);
});
