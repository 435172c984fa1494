// The Management API proxy: an allowlist of `/api/v2` routes forwarded with the Worker's key
// through the client's `request()` (so pacing and retries apply); everything else refused.
import type { RawRequestInit } from "neon-edge";
import { neonError } from "./http.js";
import { errorResponse, type Client } from "./neon.js";

type Method = "GET" | "POST" | "DELETE";

/** The routes a page may reach: what the browser demo needs (projects, branches, operations). */
const ROUTES: { template: string; methods: Method[] }[] = [
  { template: "/projects", methods: ["GET"] },
  { template: "/projects/{project_id}", methods: ["GET"] },
  { template: "/projects/{project_id}/branches", methods: ["GET", "POST"] },
  { template: "/projects/{project_id}/branches/{branch_id}", methods: ["GET", "DELETE"] },
  { template: "/projects/{project_id}/operations", methods: ["GET"] },
  { template: "/projects/{project_id}/operations/{operation_id}", methods: ["GET"] },
];

/** What an id in a path may look like (Neon's ids and operation UUIDs). */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Bodies larger than this are refused: no allowed route takes more than a small JSON object. */
const MAX_BODY_BYTES = 64 * 1024;

/** The route `path` (under `/api/v2`) matches, or `undefined`. */
function match(path: string): { template: string; methods: Method[] } | undefined {
  const segments = path.split("/");
  return ROUTES.find(({ template }) => {
    const parts = template.split("/");
    return parts.length === segments.length
      && parts.every((p, i) => (p.startsWith("{") ? ID.test(segments[i]) : p === segments[i]));
  });
}

/** The JSON body of a POST, `undefined` when empty, or an error response. */
async function readBody(request: Request): Promise<{ body: unknown } | Response> {
  const tooLarge = () => neonError(413, "body_too_large", `the body may be ${MAX_BODY_BYTES} bytes at most`);
  if (Number(request.headers.get("Content-Length") ?? "0") > MAX_BODY_BYTES) return tooLarge();
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) return tooLarge();
  if (text.trim() === "") return { body: undefined };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return neonError(400, "invalid_json", "the body is not JSON");
  }
}

/** Whether `path` (under `/api/v2`) is one of the forwarded routes, whatever the method. */
export function isForwarded(path: string): boolean {
  return match(path) !== undefined;
}

/** Answers `/api/v2<path>`: forwarded when allowed, else 404 (unknown route) or 405 (method). */
export async function proxy(request: Request, path: string, url: URL, connect: () => Promise<Client>): Promise<Response> {
  const route = match(path);
  if (route === undefined) return neonError(404, "route_not_allowed", `this proxy does not forward ${path}`);
  const method = route.methods.find((m) => m === request.method);
  if (method === undefined) {
    return neonError(405, "method_not_allowed", `${request.method} is not forwarded for ${route.template}`, {
      Allow: route.methods.join(", "),
    });
  }
  let body: unknown;
  if (method === "POST") {
    const read = await readBody(request);
    if (read instanceof Response) return read;
    body = read.body;
  }
  // The caller's headers (its Authorization above all) are not forwarded: the client sends
  // the Worker's key and its own headers.
  const init: RawRequestInit = { method, path, query: Object.fromEntries(url.searchParams), body };
  const { neon, lastStatus } = await connect();
  try {
    const result = await neon.request(init);
    const status = lastStatus() ?? 200;
    return status === 204 ? new Response(null, { status }) : Response.json(result ?? {}, { status });
  } catch (error) {
    return errorResponse(error);
  }
}
