// Per-query cost of SQL over HTTP: neon-edge/postgres `sql()` against
// @neondatabase/serverless `neon()` (and raw fetch + JSON.parse as the floor), sequential
// queries against a loopback server serving answers recorded from the emulator
// (bench/record.mjs): 1 row, 500 rows × 5 columns, and a 10-statement transaction. Both
// clients must return the same rows before they are timed.
//
// Target: neon-edge at least as many queries/s as neon() (time ratio ≤ 1.00) for each.
// Exits 1 naming each missed target.
//
//   npm run build && node bench/sql.mjs [--runs 3] [--calls 1000]
import { neon, neonConfig } from "@neondatabase/serverless";
import { deepStrictEqual } from "node:assert";
import { initSync, sql } from "neon-edge/postgres";
import { startLoopback } from "./loopback.mjs";
import { arg, compare, fmt, memoryTrend, ratio, ratioChart, stats } from "./measure.mjs";
import { SQL } from "./sql-fixtures.mjs";
import { target, verdict } from "./targets.mjs";

const runs = arg("runs", 3);
const calls = arg("calls", 1000);
const server = await startLoopback();
const endpoint = `${server.url}/sql`;
const connectionString = "postgresql://bench:not-a-secret@ep-bench-123456.us-east-2.aws.neon.tech/neondb";
neonConfig.fetchEndpoint = () => endpoint;
const peer = neon(connectionString);
const ours = sql(connectionString, { endpoint });
const raw = async (body, signal) => {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", "neon-connection-string": connectionString, "neon-array-mode": "true" },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw new Error(`/sql: ${res.status}`);
  return JSON.parse(await res.text());
};
// Raw fetch bounded by a timeout that aborts it (an AbortController and a timer), as every
// neon-edge request is (60 s by default) and neon()'s are not: what the abort signal alone
// costs a query in this runtime. Not a target; it says how much of neon-edge's ratio is its timeout.
const rawTimed = async (body) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    return await raw(body, controller.signal);
  } finally {
    clearTimeout(timer);
  }
};

const { oneRow, rows500, transaction } = SQL.calls;
const cases = {
  "1 row": {
    peer: () => peer.query(...oneRow),
    ours: async () => (await ours.query(...oneRow)).rows,
    raw: () => raw(SQL.bodies["one-row"]),
    timed: () => rawTimed(SQL.bodies["one-row"]),
  },
  "500 rows × 5 columns": {
    peer: () => peer.query(...rows500),
    ours: async () => (await ours.query(...rows500)).rows,
    raw: () => raw(SQL.bodies["rows-500"]),
    timed: () => rawTimed(SQL.bodies["rows-500"]),
  },
  "10-statement transaction": {
    peer: () => peer.transaction(transaction.map(([text, params]) => peer.query(text, params))),
    ours: async () => (await ours.transaction(transaction)).map((r) => r.rows),
    raw: () => raw(SQL.bodies.transaction),
    timed: () => rawTimed(SQL.bodies.transaction),
  },
};
for (const [name, c] of Object.entries(cases)) deepStrictEqual(await c.ours(), await c.peer(), `${name}: neon-edge and neon() disagree`);

const chart = [];
for (const [name, c] of Object.entries(cases)) {
  const clients = { "@neondatabase/serverless": c.peer, "neon-edge": c.ours, "raw fetch + JSON.parse": c.raw, "raw + timeout": c.timed };
  const perCall = await compare(clients, { calls: name.startsWith("500") ? calls / 2 : calls, runs });
  console.log(`\n${name}: queries/s, median (min, max) of ${runs} runs`);
  for (const [client, ms] of Object.entries(perCall)) console.log(`  ${client.padEnd(26)} ${fmt(stats(ms.map((m) => 1000 / m)), 0)}`);
  const toPeer = ratio(perCall["neon-edge"], perCall["@neondatabase/serverless"]);
  const toRaw = ratio(perCall["neon-edge"], perCall["raw fetch + JSON.parse"]);
  console.log(`  time ratio to neon() ${fmt(toPeer)}, to raw fetch ${fmt(toRaw)}`);
  console.log(`  raw fetch with an aborting timeout: time ratio to raw fetch ${fmt(ratio(perCall["raw + timeout"], perCall["raw fetch + JSON.parse"]))} (not a target)`);
  target(`${name}: ${toPeer.median.toFixed(2)} × neon() time per query (target <= 1.00)`, toPeer.median, { atMost: 1.0 });
  chart.push({ label: `${name} ÷ neon()`, value: toPeer.median, target: 1.0 });
  chart.push({ label: `${name} ÷ raw fetch (no target)`, value: toRaw.median });
}
// initSync on an initialised module returns its exports (its memory among them).
await memoryTrend("neon-edge/postgres 1-row query", () => ours.query(...oneRow), initSync().memory);
await server.close();
ratioChart(new URL("./sql.svg", import.meta.url), "SQL over HTTP: neon-edge time per query ÷ peer (median of runs)", chart);
process.exitCode = verdict();
