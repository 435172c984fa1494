// The SQL the per-call benchmarks and the value-parity test send: the tables they need and the
// statements whose answers bench/record.mjs records (bench/fixtures/sql-<name>-<typed|raw>.json).

/** One row of every common column type, then one row of NULLs in each. */
export const TYPES_TABLE = `CREATE TABLE bench_types (
  i2 int2, i4 int4, i8 int8, num numeric, f4 float4, f8 float8, b bool, t text, vc varchar(20),
  j json, jb jsonb, ts timestamp, tstz timestamptz, d date, tm time, iv interval, u uuid,
  by bytea, ai int4[], at text[])`;

export const TYPES_ROW = `INSERT INTO bench_types VALUES (
  -12, 123456, 9007199254740993, 12345.678901234567890, 1.5, 3.141592653589793, true, 'it''s', 'short',
  '{"a": [1, 2.5, null], "b": "x"}', '{"z": {"k": true}}', '2024-02-29 13:45:01.123456', '2024-02-29 13:45:01.5+02',
  '2024-02-29', '13:45:01', '1 year 2 mons 3 days 04:05:06.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '\\xdeadbeef', '{1,2,NULL,4}', '{"a b",NULL,"c\\"d"}'), (
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`;

export const TYPES_QUERY = "SELECT * FROM bench_types ORDER BY i4 NULLS LAST";

const rows500 = "SELECT id, name, email, score, active FROM bench_rows ORDER BY id";
const oneRow = "SELECT id, name, email, score, active FROM bench_rows WHERE id = $1";
const transaction = Array.from({ length: 10 }, (_, i) => ({
  query: "SELECT id, name, score FROM bench_rows WHERE id = $1",
  params: [String(i + 1)],
}));

export const SQL = {
  setup: [
    "CREATE TABLE bench_rows (id int4 PRIMARY KEY, name text, email text, score float8, active bool)",
    `INSERT INTO bench_rows SELECT g, 'name ' || g, 'user' || g || '@example.com', g * 1.25, g % 2 = 0
       FROM generate_series(1, 500) g`,
    TYPES_TABLE,
    TYPES_ROW,
  ],
  /** What each recorded answer was asked with (the bodies serverless and neon-edge send). */
  bodies: {
    "one-row": { query: oneRow, params: ["7"] },
    "rows-500": { query: rows500, params: [] },
    transaction: { queries: transaction },
    types: { query: TYPES_QUERY, params: [] },
  },
  /** The statements as the clients are called with them. */
  calls: {
    oneRow: [oneRow, [7]],
    rows500: [rows500, []],
    transaction: transaction.map((q) => [q.query, [Number(q.params[0])]]),
    types: [TYPES_QUERY, []],
  },
};

/** Which recorded answer a request body asks for, or undefined. */
export function fixtureFor(body) {
  if (Array.isArray(body.queries)) return "transaction";
  return Object.entries(SQL.bodies).find(([, b]) => b.query === body.query)?.[0];
}
