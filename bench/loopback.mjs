// A plain node:http server on loopback serving the bodies bench/record.mjs recorded from the
// emulator, so that the server costs the same for every client measured against it:
// GET /api/v2/projects (the 100-project page), GET /api/v2/projects/{id} (getProject) and
// POST /sql (the recorded answer for the statement asked, as text values when the request
// carries `Neon-Raw-Text-Output: true`, as typed JSON values otherwise).
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { fixtureFor } from "./sql-fixtures.mjs";

const dir = new URL("./fixtures/", import.meta.url);

/** The recorded body `name`, as bytes; a missing file says how to record it. */
export function fixture(name) {
  const file = new URL(name, dir);
  if (!existsSync(file)) throw new Error(`bench/fixtures/${name} is missing: run \`node bench/record.mjs\``);
  return readFileSync(file);
}

/** Starts the server; resolves to `{ url, close() }` (url without a trailing slash). */
export async function startLoopback() {
  const list = fixture("list-projects-100.json");
  const project = fixture("get-project.json");
  const sql = {};
  for (const name of ["one-row", "rows-500", "transaction", "types"]) {
    sql[name] = { typed: fixture(`sql-${name}-typed.json`), raw: fixture(`sql-${name}-raw.json`) };
  }
  const send = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = req.url.split("?")[0];
      if (req.method === "GET" && path === "/api/v2/projects") return send(res, 200, list);
      if (req.method === "GET" && path.startsWith("/api/v2/projects/")) return send(res, 200, project);
      if (req.method === "POST" && path === "/sql") {
        const name = fixtureFor(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        const raw = String(req.headers["neon-raw-text-output"]).toLowerCase() === "true";
        if (name) return send(res, 200, sql[name][raw ? "raw" : "typed"]);
      }
      send(res, 404, Buffer.from(JSON.stringify({ message: `no recorded body for ${req.method} ${path}` })));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }) };
}
