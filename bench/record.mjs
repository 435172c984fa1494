// Records the bodies the per-call benchmarks serve (bench/fixtures/): a 100-project page and a
// getProject body from the emulator's Management API, and its SQL-over-HTTP answers (1 row,
// 500 rows × 5 columns, a 10-statement transaction, a table of column types), each twice: as
// neon-edge asks for them (typed JSON values) and as @neondatabase/serverless asks for them
// (`Neon-Raw-Text-Output: true`, every value as text). Re-run when the emulator's shapes change:
//
//   node bench/record.mjs
import { mkdirSync, writeFileSync } from "node:fs";
import { startEmulator } from "../tests/support/emulator.mjs";
import { createClaimableDatabase } from "neon-edge/postgres";
import { SQL } from "./sql-fixtures.mjs";

const dir = new URL("./fixtures/", import.meta.url);
mkdirSync(dir, { recursive: true });
const save = (name, body) => writeFileSync(new URL(name, dir), typeof body === "string" ? body : JSON.stringify(body));

const emu = await startEmulator();
try {
  const api = `${emu.url}/api/v2`;
  const headers = { authorization: "Bearer napi_record", "content-type": "application/json", accept: "application/json" };
  const call = async (method, path, body) => {
    const res = await fetch(`${api}${path}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text;
  };
  let first;
  for (let i = 0; i < 100; i++) {
    const created = JSON.parse(await call("POST", "/projects", { project: { name: `bench-${String(i).padStart(3, "0")}` } }));
    first ??= created.project.id;
  }
  save("list-projects-100.json", await call("GET", "/projects?limit=100"));
  save("get-project.json", await call("GET", `/projects/${first}`));

  const db = await createClaimableDatabase({ ref: "neon-edge-bench", baseUrl: emu.claimableBaseUrl });
  const sqlCall = async (body, raw) => {
    const res = await fetch(emu.sqlEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "neon-connection-string": db.databaseUrl,
        "neon-array-mode": "true",
        ...(raw ? { "neon-raw-text-output": "true" } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`/sql: ${res.status} ${text}`);
    return text;
  };
  for (const statement of SQL.setup) await sqlCall({ query: statement, params: [] }, false);
  for (const [name, body] of Object.entries(SQL.bodies)) {
    save(`sql-${name}-typed.json`, await sqlCall(body, false));
    save(`sql-${name}-raw.json`, await sqlCall(body, true));
  }
  console.log(`recorded into ${dir.pathname}`);
} finally {
  await emu.close();
}
