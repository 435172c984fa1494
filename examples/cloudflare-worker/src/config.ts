// The Worker's bindings and the settings read from them. A bad value is a configuration error
// naming the variable (answered 500), never replaced by a default.
import type { RateLimiterStore } from "./limiter.js";

/** What wrangler.jsonc (vars, the Durable Object) and `wrangler secret put` bind. */
export interface Env {
  /** Secret: the Neon API key every request is sent with. */
  NEON_API_KEY: string;
  /** Comma-separated origins allowed to call the Worker, e.g. `https://demo.example.com`. */
  ALLOWED_ORIGINS: string;
  /** Who provisions claimable databases. */
  CLAIMABLE_REF: string;
  /** `durable-object` (default) or `isolate`. */
  RATE_LIMIT_STORE?: string;
  NEON_BASE_URL?: string;
  CLAIMABLE_BASE_URL?: string;
  NEON_RATE_PER_MINUTE?: string | number;
  NEON_RATE_PER_ROUTE_PER_SECOND?: string | number;
  NEON_MAX_ATTEMPTS?: string | number;
  RATE_LIMITER: DurableObjectNamespace<RateLimiterStore>;
}

/** The settings of one request, read from `Env`. */
export interface Config {
  apiKey: string;
  allowedOrigins: ReadonlySet<string>;
  claimableRef: string;
  store: "durable-object" | "isolate";
  neonBaseUrl?: string;
  claimableBaseUrl?: string;
  perMinute?: number;
  perRoutePerSecond?: number;
  maxAttempts?: number;
}

/** A variable is missing or malformed; `message` names it and never shows a secret. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function required(env: Env, name: "NEON_API_KEY" | "ALLOWED_ORIGINS" | "CLAIMABLE_REF"): string {
  const value = env[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(`${name} is not set${name === "NEON_API_KEY" ? " (wrangler secret put NEON_API_KEY)" : ""}`);
  }
  return value.trim();
}

function positiveInteger(env: Env, name: "NEON_RATE_PER_MINUTE" | "NEON_RATE_PER_ROUTE_PER_SECOND" | "NEON_MAX_ATTEMPTS"): number | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive integer, not ${JSON.stringify(value)}`);
  return n;
}

function url(env: Env, name: "NEON_BASE_URL" | "CLAIMABLE_BASE_URL"): string | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, "");
}

/** `https://a.example, http://localhost:5173` as a set of origins, each checked to be one. */
function origins(list: string): Set<string> {
  const set = new Set<string>();
  for (const entry of list.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!URL.canParse(entry) || new URL(entry).origin !== entry) {
      throw new ConfigError(`ALLOWED_ORIGINS: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], no path or trailing slash)`);
    }
    set.add(entry);
  }
  return set;
}

/** Reads and checks every setting; throws a `ConfigError` naming the first bad one. */
export function readConfig(env: Env): Config {
  const store = env.RATE_LIMIT_STORE ?? "durable-object";
  if (store !== "durable-object" && store !== "isolate") {
    throw new ConfigError(`RATE_LIMIT_STORE must be "durable-object" or "isolate", not ${JSON.stringify(store)}`);
  }
  if (store === "durable-object" && !env.RATE_LIMITER) {
    throw new ConfigError("RATE_LIMITER (the Durable Object binding) is missing while RATE_LIMIT_STORE is durable-object");
  }
  return {
    apiKey: required(env, "NEON_API_KEY"),
    allowedOrigins: origins(required(env, "ALLOWED_ORIGINS")),
    claimableRef: required(env, "CLAIMABLE_REF"),
    store,
    neonBaseUrl: url(env, "NEON_BASE_URL"),
    claimableBaseUrl: url(env, "CLAIMABLE_BASE_URL"),
    perMinute: positiveInteger(env, "NEON_RATE_PER_MINUTE"),
    perRoutePerSecond: positiveInteger(env, "NEON_RATE_PER_ROUTE_PER_SECOND"),
    maxAttempts: positiveInteger(env, "NEON_MAX_ATTEMPTS"),
  };
}
