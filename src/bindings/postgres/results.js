// SQL-over-HTTP answers into `SqlResult` objects, in JS: measured (bench/RESULTS.md), reading
// a 500-row answer in Rust and setting each cell from wasm cost more than the whole query in
// @neondatabase/serverless. Here the engine's JSON.parse reads the body and each row object is
// built in one loop. Anything unexpected (a value of the wrong type, rows sent as objects) gives
// `undefined`, and src/bindings/postgres/sql.rs reads that body in Rust, whose decode errors
// name the path that was wrong.
//
// With the `types` option (`{ getTypeParser(oid, format) }`, as @neondatabase/serverless and
// pg-types take it) values arrive as Postgres text and each non-null one goes through its
// column's parser, as neon() does; a parser that throws rejects the query with its error.

const isOid = (v) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff);

function result(body, types) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const { command = "", rowCount = null, fields = [], rows = [] } = body;
  if (typeof command !== "string" || !(rowCount === null || (Number.isSafeInteger(rowCount) && rowCount >= 0))) return undefined;
  if (!Array.isArray(fields) || !Array.isArray(rows)) return undefined;
  const shaped = [];
  for (const f of fields) {
    if (f === null || typeof f !== "object" || typeof f.name !== "string" || !isOid(f.dataTypeID) || !isOid(f.tableID)) return undefined;
    shaped.push({ name: f.name, dataTypeID: f.dataTypeID ?? 0, tableID: f.tableID ?? 0 });
  }
  const names = shaped.map((f) => f.name);
  const parsers = types && shaped.map((f) => types.getTypeParser(f.dataTypeID, "text"));
  const objects = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    let row = rows[r];
    // A server that ignored array mode: the values by column name (a column missing is null).
    if (row !== null && typeof row === "object" && !Array.isArray(row)) row = names.map((name) => row[name] ?? null);
    if (!Array.isArray(row)) return undefined;
    const obj = {};
    const n = Math.min(names.length, row.length);
    for (let i = 0; i < n; i++) {
      const value = row[i];
      obj[names[i]] = parsers && value !== null ? parsers[i](value) : value;
    }
    objects[r] = obj;
  }
  return { command, rowCount, fields: shaped, rows: objects };
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `SqlResult` of one statement's answer, or `undefined` to read it in Rust. */
export function sqlResult(text, types) {
  return result(parse(text), types);
}

/** The `SqlResult[]` of a transaction's answer, or `undefined` to read it in Rust. */
export function sqlResults(text, types) {
  const body = parse(text);
  if (body === null || typeof body !== "object" || !Array.isArray(body.results)) return undefined;
  const out = [];
  for (const r of body.results) {
    const one = result(r, types);
    if (one === undefined) return undefined;
    out.push(one);
  }
  return out;
}
