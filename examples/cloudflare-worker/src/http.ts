// Responses in Neon's error shape, and the origin check with its CORS headers.

/** Neon's error body: `{ code, message, request_id? }`. */
export function neonError(status: number, code: string, message: string, headers?: HeadersInit, requestId?: string): Response {
  const body = requestId === undefined ? { code, message } : { code, message, request_id: requestId };
  return Response.json(body, { status, headers });
}

/** Methods and headers a page may send; the Authorization it sends is ignored (the Worker's key is used). */
const ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
const ALLOW_HEADERS = "Authorization, Content-Type, X-Request-ID";

/**
 * The CORS headers for a caller, or `undefined` when its `Origin` is not allowed. A request
 * without `Origin` is refused too: the Worker spends the API key only for the listed sites.
 */
export function corsFor(request: Request, allowed: ReadonlySet<string>): Headers | undefined {
  const origin = request.headers.get("Origin");
  if (origin === null || !allowed.has(origin)) return undefined;
  return new Headers({
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": "X-Request-ID, Retry-After",
    Vary: "Origin",
  });
}

/** The answer to a preflight of an allowed origin. */
export function preflight(cors: Headers): Response {
  const headers = new Headers(cors);
  headers.set("Access-Control-Allow-Methods", ALLOW_METHODS);
  headers.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
  headers.set("Access-Control-Max-Age", "600");
  return new Response(null, { status: 204, headers });
}

/** `response` with `cors` added. */
export function withCors(response: Response, cors: Headers): Response {
  const out = new Response(response.body, response);
  cors.forEach((value, name) => out.headers.set(name, value));
  return out;
}
