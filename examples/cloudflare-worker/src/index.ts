// A Cloudflare Worker on neon-edge: provisions claimable databases (`POST /databases`), lists
// the key's projects (`GET /projects`) and proxies an allowlist of Management API routes
// (`/api/v2/...`) for a browser page, adding the API key server-side. Every isolate using the
// key paces its requests through one Durable Object, so together they stay under Neon's limits.
import { ConfigError, readConfig, type Config, type Env } from "./config.js";
import { corsFor, neonError, preflight, withCors } from "./http.js";
import { client } from "./neon.js";
import { isForwarded, proxy } from "./proxy.js";
import { listProjects, provisionDatabase } from "./routes.js";

export { RateLimiterStore } from "./limiter.js";

const API_PREFIX = "/api/v2";

/** The response to a caller whose origin is allowed. */
async function route(request: Request, env: Env, config: Config, cors: Headers): Promise<Response> {
  const url = new URL(request.url);
  const { pathname } = url;
  const connect = () => client(env, config);
  const apiPath = pathname.startsWith(`${API_PREFIX}/`) ? pathname.slice(API_PREFIX.length) : undefined;
  if (request.method === "OPTIONS") {
    const known = pathname === "/databases" || pathname === "/projects" || (apiPath !== undefined && isForwarded(apiPath));
    return known ? preflight(cors) : neonError(404, "not_found", `no route ${pathname}`);
  }
  if (pathname === "/databases") {
    return request.method === "POST" ? provisionDatabase(config) : neonError(405, "method_not_allowed", "use POST /databases", { Allow: "POST" });
  }
  if (pathname === "/projects") {
    return request.method === "GET" ? listProjects(url, connect) : neonError(405, "method_not_allowed", "use GET /projects", { Allow: "GET" });
  }
  if (apiPath !== undefined) return proxy(request, apiPath, url, connect);
  return neonError(404, "not_found", `no route ${pathname}`);
}

export default {
  async fetch(request, env) {
    let config: Config;
    try {
      config = readConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return neonError(500, "worker_misconfigured", error.message);
      throw error;
    }
    const cors = corsFor(request, config.allowedOrigins);
    if (cors === undefined) return neonError(403, "origin_not_allowed", "this origin may not call the Worker");
    return withCors(await route(request, env, config, cors), cors);
  },
} satisfies ExportedHandler<Env>;
