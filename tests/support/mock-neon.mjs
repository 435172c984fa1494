// A loopback stand-in for the Neon Management API used by the wasm and JS tests.
// Run alone (`node tests/support/mock-neon.mjs`) it prints `mock-neon listening on URL`.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

export const API_KEY = "test-key";

const PROJECT = {
  id: "p-1", name: "first", region_id: "aws-us-east-2", pg_version: 17,
  created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", extra_field: true,
};

function json(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** Starts the server on a free loopback port; resolves to { url, close, requests }. */
export function startMockNeon() {
  const requests = [];
  const server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "*, authorization, content-type");
    res.setHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.setHeader("access-control-expose-headers", "x-request-id, x-neon-ret-request-id");
    if (req.method === "OPTIONS") return res.writeHead(204).end();
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url, "http://localhost");
      if (url.pathname === "/__requests") return json(res, 200, requests);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        return json(res, 401, { message: "authentication required" }, { "x-request-id": "hdr-req-401" });
      }
      const path = url.pathname.replace(/^\/api\/v2/, "");
      switch (path) {
        case "/projects":
          if (req.method === "POST") {
            const input = JSON.parse(body || "{}");
            return json(res, 201, { project: { ...PROJECT, name: input.project?.name ?? "p" }, connection_uris: [], operations: [] });
          }
          return json(res, 200, { projects: [PROJECT], pagination: { cursor: "p-1" }, unavailable_project_ids: ["p-9"] });
        case "/projects/missing":
          return json(res, 404, { code: "", message: "project not found", request_id: "req-404" });
        case "/projects/conflict":
          return json(res, 409, { code: "conflict", message: "branch already exists" }, { "x-neon-ret-request-id": "ret-409" });
        case "/projects/html":
          res.writeHead(502, { "content-type": "text/html" });
          return res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
        case "/projects/truncated":
          return json(res, 500, '{"message": "internal', { "x-request-id": "req-500" });
        case "/projects/badtype":
          return json(res, 200, { project: { ...PROJECT, pg_version: "seventeen" } });
        case "/projects/slow":
        {
          const timer = setTimeout(() => json(res, 200, { project: PROJECT }), 3000);
          return res.on("close", () => clearTimeout(timer));
        }
        case "/projects/cut":
          res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
          res.write('{"project": {');
          return setTimeout(() => res.destroy(), 20);
        default:
          if (path.startsWith("/projects/")) {
            return json(res, 200, { project: { ...PROJECT, id: decodeURIComponent(path.slice("/projects/".length)) } });
          }
          return json(res, 404, { message: `no route ${path}` });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startMockNeon();
  console.log(`mock-neon listening on ${url}`);
}
