// The Management client of one request, and how its errors become responses.
import { NeonApiError, NeonClient, NeonClientError, NeonRequestError, type RateLimitOptions } from "neon-edge";
import type { Config, Env } from "./config.js";
import { durableObjectStore, keyDigest } from "./limiter.js";
import { neonError } from "./http.js";

/** A client and the status of the last response it received (its final attempt's). */
export interface Client {
  neon: NeonClient;
  lastStatus(): number | undefined;
}

/**
 * A client with the Worker's key, paced through the key's Durable Object (or this isolate's
 * memory under `RATE_LIMIT_STORE=isolate`) and retrying as configured.
 */
export async function client(env: Env, config: Config): Promise<Client> {
  const digest = await keyDigest(config.apiKey);
  const rateLimit: RateLimitOptions = {
    perMinute: config.perMinute,
    perRoutePerSecond: config.perRoutePerSecond,
    // The scope names the buckets: the same in every isolate for one key.
    scope: digest.slice(0, 16),
    store: config.store === "durable-object" ? durableObjectStore(env.RATE_LIMITER, digest) : undefined,
  };
  let status: number | undefined;
  const neon = new NeonClient({
    apiKey: config.apiKey,
    baseUrl: config.neonBaseUrl,
    retry: config.maxAttempts === undefined ? undefined : { maxAttempts: config.maxAttempts },
    rateLimit,
    fetch: async (request) => {
      const response = await fetch(request);
      status = response.status;
      return response;
    },
  });
  return { neon, lastStatus: () => status };
}

/** A rejection of the client as a response: Neon's own errors keep their status, code and request id. */
export function errorResponse(error: unknown): Response {
  if (error instanceof NeonApiError) {
    const headers = error.requestId === undefined ? undefined : { "X-Request-ID": error.requestId };
    return neonError(error.status, error.code ?? "", error.message, headers, error.requestId);
  }
  if (error instanceof NeonRequestError) {
    return error.kind === "timeout"
      ? neonError(504, "upstream_timeout", error.message)
      : neonError(502, "upstream_failed", error.message);
  }
  if (error instanceof NeonClientError) {
    if (error.reason === "store_failed") return neonError(503, "rate_limit_store_failed", error.message);
    return neonError(error.reason === "invalid_option" ? 500 : 400, error.reason, error.message);
  }
  // Anything else is a bug of this Worker: say nothing of it to the caller.
  console.error("unexpected error", error instanceof Error ? error.name : typeof error);
  return neonError(500, "internal_error", "the Worker failed; see its logs");
}
