// Value parity of neon-edge/postgres `sql()` with @neondatabase/serverless `neon()`: a table
// of every common column type (and a row of NULLs) on the emulator's real PostgreSQL, read by
// both clients. With neon()'s own `types`, every value is the same; without it, the values
// differ exactly in the columns README's "SQL values" table lists.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { neon, neonConfig, types } from "@neondatabase/serverless";
import { createClaimableDatabase, sql, NeonClientError } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";
import { TYPES_QUERY, TYPES_ROW, TYPES_TABLE } from "../../bench/sql-fixtures.mjs";

let emu, url, peer;
before(async () => {
  emu = await startEmulator();
  url = (await createClaimableDatabase({ ref: "neon-edge-parity", baseUrl: emu.claimableBaseUrl })).databaseUrl;
  const setup = sql(url, { endpoint: emu.sqlEndpoint });
  await setup.query(TYPES_TABLE);
  await setup.query(TYPES_ROW);
  neonConfig.fetchEndpoint = () => emu.sqlEndpoint;
  peer = neon(url);
});
after(async () => { await emu?.close(); });

test("with neon()'s types, every column type and NULL reads as neon() reads it", async () => {
  const want = await peer.query(TYPES_QUERY);
  const ours = sql(url, { endpoint: emu.sqlEndpoint, types });
  const got = await ours.query(TYPES_QUERY);
  assert.deepStrictEqual(got.rows, want);
  assert.ok(got.rows[0].tstz instanceof Date && Buffer.isBuffer(got.rows[0].by));
  // Transactions go through the same parsers.
  const [txn] = await ours.transaction([TYPES_QUERY]);
  assert.deepStrictEqual(txn.rows, want);
});

test("without types, values differ from neon() only in the documented columns, which stay Postgres text", async () => {
  const want = await peer.query(TYPES_QUERY);
  const { rows } = await sql(url, { endpoint: emu.sqlEndpoint }).query(TYPES_QUERY);
  const differing = Object.keys(want[0]).filter((column) => {
    try {
      assert.deepStrictEqual(rows[0][column], want[0][column]);
      return false;
    } catch {
      return true;
    }
  });
  assert.deepStrictEqual(differing, ["ts", "tstz", "d", "iv", "by", "ai", "at"]);
  assert.deepStrictEqual(
    Object.fromEntries(differing.map((c) => [c, rows[0][c]])),
    {
      ts: "2024-02-29 13:45:01.123456",
      tstz: "2024-02-29 11:45:01.5+00",
      d: "2024-02-29",
      iv: "1 year 2 mons 3 days 04:05:06.5",
      by: "\\xdeadbeef",
      ai: "{1,2,NULL,4}",
      at: '{"a b",NULL,"c\\"d"}',
    },
  );
  // Everything else is the same value: numbers, int8/numeric as text, json as objects.
  assert.deepStrictEqual(rows[0].i8, "9007199254740993");
  assert.deepStrictEqual(rows[0].jb, { z: { k: true } });
  assert.deepStrictEqual(rows[1], want[1]);
});

test("a types option without getTypeParser is refused, and a throwing parser rejects the query", async () => {
  assert.throws(() => sql(url, { endpoint: emu.sqlEndpoint, types: {} }), (e) => e instanceof NeonClientError && /types/.test(e.message));
  const boom = new Error("bad value");
  const failing = sql(url, { endpoint: emu.sqlEndpoint, types: { getTypeParser: () => () => { throw boom; } } });
  await assert.rejects(failing.query("SELECT 1 AS n"), (e) => e === boom);
});
