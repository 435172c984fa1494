// A loopback stand-in for the Neon Management API used by the wasm and JS tests.
// Run alone (`node tests/support/mock-neon.mjs`) it prints `mock-neon listening on URL`.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

export const API_KEY = "test-key";

const PROJECT = {
  id: "p-1", name: "first", region_id: "aws-us-east-2", pg_version: 17,
  created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", extra_field: true,
  // The rest of what the spec requires of a (listed) project: the typed Rust structs decode strictly.
  platform_id: "aws", proxy_host: "h", branch_logical_size_limit: 0, branch_logical_size_limit_bytes: 0,
  store_passwords: true, cpu_used_sec: 0, active_time: 0, provisioner: "k8s-neonvm", creation_source: "console",
  history_retention_seconds: 0, owner_id: "u", consumption_period_start: "2026-01-01T00:00:00Z",
  consumption_period_end: "2026-02-01T00:00:00Z", active_time_seconds: 0, compute_time_seconds: 0,
  written_data_bytes: 0, data_transfer_bytes: 0, data_storage_bytes_hour: 0,
};

function json(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

// Fault injection and rate limits for the resilience tests, driven over HTTP so that wasm
// tests (which only have fetch) can use them too:
//   POST /__faults    { path, method?, status?, times?, retryAfter?, message?, delayMs?, cut? }
//                     answers the next `times` (default 1) matching requests (path prefix
//                     under /api/v2) with `status` (plus Retry-After), after `delayMs`, or
//                     cuts the connection mid-body (`cut: true`).
//   POST /__ratelimit { perMinute, perRoutePerSecond } enforces sliding windows (0 = off).
//   POST /__reset     clears faults, limits and counters.   GET /__stats   counters.
// Stateful routes: GET /projects pages by cursor (p-1, p-2, then an empty page;
// `loop` hands itself back);
// /projects/{id}/branches pages with `pagination.next` and creates branches with an
// operation; GET /projects/{id}/operations/op-{ms}-{tag} is `running` until {ms} after it
// was first asked for, then `finished` (op-fail-{tag}: `failed`).
function resilienceState() {
  return { faults: [], limit: { perMinute: 0, perRoutePerSecond: 0 }, minute: [], routes: new Map(),
    stats: { requests: 0, rateLimited: 0, faulted: 0, polls: 0 }, opsSeen: new Map(), branches: ["main", "exists"] };
}

function admit(state, route) {
  const now = Date.now();
  const { perMinute, perRoutePerSecond } = state.limit;
  while (state.minute.length && now - state.minute[0] >= 60_000) state.minute.shift();
  const window = state.routes.get(route) ?? [];
  while (window.length && now - window[0] >= 1000) window.shift();
  state.routes.set(route, window);
  if (perMinute && state.minute.length >= perMinute) return Math.ceil((60_000 - (now - state.minute[0])) / 1000);
  if (perRoutePerSecond && window.length >= perRoutePerSecond) return 1;
  state.minute.push(now);
  window.push(now);
  return 0;
}

function takeFault(state, method, path) {
  const i = state.faults.findIndex((f) => path.startsWith(f.path) && (!f.method || f.method === method));
  if (i < 0) return null;
  const fault = state.faults[i];
  if (--fault.times <= 0) state.faults.splice(i, 1);
  return fault;
}

function control(state, req, res, path, body) {
  if (path === "/__faults" && req.method === "POST") {
    const rule = JSON.parse(body || "{}");
    state.faults.push({ times: 1, ...rule });
    return json(res, 200, { pending: state.faults.length });
  }
  if (path === "/__ratelimit" && req.method === "POST") {
    state.limit = { perMinute: 0, perRoutePerSecond: 0, ...JSON.parse(body || "{}") };
    return json(res, 200, state.limit);
  }
  if (path === "/__reset" && req.method === "POST") {
    Object.assign(state, resilienceState());
    return json(res, 200, {});
  }
  if (path === "/__stats") return json(res, 200, state.stats);
  return null;
}

const KEYWORDS = new Set(["projects", "branches", "operations", "endpoints", "databases", "roles", "consumption"]);
/** The route of a request: every path segment but the resource names replaced by `*`. */
const routeOf = (method, path) => `${method} ${path.split("/").map((s) => (!s || KEYWORDS.has(s) ? s : "*")).join("/")}`;

function resilienceRoute(state, req, res, path, url, body) {
  const page = url.searchParams.get("cursor");
  if (path === "/projects" && req.method === "GET" && page) {
    if (page === "p-1") return json(res, 200, { projects: [{ ...PROJECT, id: "p-2" }], pagination: { cursor: "p-2" }, unavailable_project_ids: ["p-8"] });
    if (page === "loop") return json(res, 200, { projects: [PROJECT], pagination: { cursor: "loop" } });
    return json(res, 200, { projects: [], pagination: { cursor: page } });
  }
  let m = path.match(/^\/projects\/([^/]+)\/branches$/);
  if (m && req.method === "GET") {
    const limit = Number(url.searchParams.get("limit") ?? 100);
    const start = Number(page ?? 0);
    const slice = state.branches.slice(start, start + limit).map((name) => ({ id: `br-${name}`, name, project_id: m[1] }));
    const next = start + limit < state.branches.length ? { next: String(start + limit) } : {};
    return json(res, 200, { branches: slice, annotations: {}, pagination: next });
  }
  if (m && req.method === "POST") {
    const name = JSON.parse(body || "{}").branch?.name ?? `b${state.branches.length}`;
    if (state.branches.includes(name)) return json(res, 409, { code: "", message: `branch ${name} already exists` });
    state.branches.push(name);
    const op = { id: `op-300-${name}`, project_id: m[1], branch_id: `br-${name}`, action: "create_branch", status: "running" };
    return json(res, 201, { branch: { id: `br-${name}`, name, project_id: m[1] }, operations: [op] });
  }
  m = path.match(/^\/projects\/([^/]+)\/operations\/(op-[^/]+)$/);
  if (m && req.method === "GET") {
    state.stats.polls++;
    const id = m[2];
    return json(res, 200, { operation: { id, project_id: m[1], action: "create_branch", status: opStatus(state, id), failures_count: 0 } });
  }
  // The project's operations: the "exists" branch is still being created (op-400-exists-<project> runs
  // 400 ms from when it is first seen); main's creation finished long ago.
  m = path.match(/^\/projects\/([^/]+)\/operations$/);
  if (m && req.method === "GET") {
    const op = (id, branch) => ({ id, project_id: m[1], branch_id: branch, action: "create_branch", status: opStatus(state, id) });
    return json(res, 200, { operations: [op(`op-400-exists-${m[1]}`, "br-exists"), op("op-0-main", "br-main")], pagination: {} });
  }
  return null;
}

/** `op-{ms}-{tag}` is running until {ms} after it was first seen; `op-fail…` has failed. */
function opStatus(state, id) {
  if (!state.opsSeen.has(id)) state.opsSeen.set(id, Date.now());
  const duration = Number(id.split("-")[1]);
  return id.startsWith("op-fail") ? "failed" : Date.now() - state.opsSeen.get(id) >= duration ? "finished" : "running";
}

/** Starts the server on a free loopback port; resolves to { url, close, requests }. */
export function startMockNeon() {
  const requests = [];
  const state = resilienceState();
  const server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "*, authorization, content-type");
    res.setHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.setHeader("access-control-expose-headers", "x-request-id, x-neon-ret-request-id, retry-after");
    if (req.method === "OPTIONS") return res.writeHead(204).end();
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url, "http://localhost");
      if (url.pathname === "/__requests") return json(res, 200, requests);
      if (url.pathname.startsWith("/__") && control(state, req, res, url.pathname, body) !== null) return;
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      state.stats.requests++;
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        return json(res, 401, { message: "authentication required" }, { "x-request-id": "hdr-req-401" });
      }
      const path = url.pathname.replace(/^\/api\/v2/, "");
      const fault = takeFault(state, req.method, path);
      if (fault) {
        state.stats.faulted++;
        const answer = () => {
          if (fault.cut) {
            res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
            res.write('{"project": {');
            return setTimeout(() => res.destroy(), 20);
          }
          const headers = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {};
          return json(res, fault.status ?? 503, { code: "", message: fault.message ?? "injected fault" }, headers);
        };
        if (!fault.delayMs) return answer();
        const timer = setTimeout(answer, fault.delayMs);
        return res.on("close", () => clearTimeout(timer));
      }
      const wait = admit(state, routeOf(req.method, path));
      if (wait) {
        state.stats.rateLimited++;
        return json(res, 429, { code: "", message: "rate limit exceeded" }, { "retry-after": String(wait) });
      }
      if (resilienceRoute(state, req, res, path, url, body) !== null) return;
      switch (path) {
        case "/projects":
          if (req.method === "POST") {
            const input = JSON.parse(body || "{}");
            return json(res, 201, { project: { ...PROJECT, name: input.project?.name ?? "p" }, connection_uris: [], operations: [] });
          }
          return json(res, 200, { projects: [PROJECT], pagination: { cursor: "p-1" }, unavailable_project_ids: ["p-9"], applications: {}, integrations: {} });
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
        state,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startMockNeon();
  console.log(`mock-neon listening on ${url}`);
}
