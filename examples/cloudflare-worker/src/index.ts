// A Cloudflare Worker on neon-edge: provisions claimable databases (`POST /databases`), lists
// the key's projects (`GET /projects`) and proxies an allowlist of Management API routes
// (`/api/v2/...`) for a browser page, adding the API key server-side. Every isolate using the
// key paces its requests through one Durable Object, so together they stay under Neon's limits.
import { ConfigError, readConfig, type Env } from "./config.js";
import { corsFor, neonError, preflight, withCors } from "./http.js";
import { client } from "./neon.js";
import { proxy } from "./proxy.js";
import { listProjects, provisionDatabase } from "./routes.js";

export { RateLimiterStore } from "./limiter.js";

const API_PREFIX = "/api/v2";

async function route(request: Request, env: Env): Promise<Response> {
  let config;
  try {
    config = readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return neonError(500, "worker_misconfigured", error.message);
    throw error;
  }
  const cors = corsFor(request, config.allowedOrigins);
  if (cors === undefined) return neonError(403, "origin_not_allowed", "this origin may not call the Worker");
  const url = new URL(request.url);
  const connect = () => client(env, config);
  const known = url.pathname === "/databases" || url.pathname === "/projects" || url.pathname.startsWith(`${API_PREFIX}/`);
  let response: Response;
  if (request.method === "OPTIONS") {
    response = known ? preflight(cors) : neonError(404, "not_found", `no route ${url.pathname}`);
  } else if (url.pathname === "/databases") {
    response = request.method === "POST" ? await provisionDatabase(config) : neonError(405, "method_not_allowed", "use POST /databases", { Allow: "POST" });
  } else if (url.pathname === "/projects") {
    response = request.method === "GET" ? await listProjects(url, connect) : neonError(405, "method_not_allowed", "use GET /projects", { Allow: "GET" });
  } else if (url.pathname.startsWith(`${API_PREFIX}/`)) {
    response = await proxy(request, url.pathname.slice(API_PREFIX.length), url, connect);
  } else {
    response = neonError(404, "not_found", `no route ${url.pathname}`);
  }
  return withCors(response, cors);
}

export default {
  fetch: route,
} satisfies ExportedHandler<Env>;
