// The rate limiter's state in a Durable Object: one instance per API key holds every bucket's
// GCRA arrival time, so all isolates sending with that key pace as one client and stay under
// Neon's limits together. The arithmetic is the `RateLimitStore` contract of neon-edge.
import { DurableObject } from "cloudflare:workers";
import type { RateLimitBucket, RateLimitStore } from "neon-edge";
import type { Env } from "./config.js";

/**
 * Arrival times not after `now - STALE_MS` are pruned: such a time reads as an absent one (both
 * give `now`), and the margin covers callers whose clocks lag the one that pruned.
 */
const STALE_MS = 60_000;

function checkBuckets(buckets: unknown): asserts buckets is RateLimitBucket[] {
  if (!Array.isArray(buckets)) throw new TypeError("buckets must be an array");
  for (const b of buckets) {
    const ok = typeof b === "object" && b !== null && typeof b.key === "string" && b.key !== ""
      && Number.isFinite(b.intervalMs) && b.intervalMs > 0 && Number.isFinite(b.burst) && b.burst >= 1;
    if (!ok) throw new TypeError("every bucket needs a key, a positive intervalMs and a burst of at least 1");
  }
}

function checkTime(name: string, ms: unknown): asserts ms is number {
  if (typeof ms !== "number" || !Number.isFinite(ms)) throw new TypeError(`${name} must be a finite number`);
}

/** The Durable Object: `acquire` and `pause` over a SQLite table of arrival times. */
export class RateLimiterStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS arrivals (key TEXT PRIMARY KEY, tat REAL NOT NULL)");
  }

  private stored(key: string): number | undefined {
    const row = this.sql.exec<{ tat: number }>("SELECT tat FROM arrivals WHERE key = ?", key).toArray()[0];
    return row?.tat;
  }

  private store(key: string, tat: number): void {
    this.sql.exec("INSERT INTO arrivals (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat", key, tat);
  }

  // Both methods are synchronous: nothing else runs in this object between the reads and the
  // writes, so concurrent callers get distinct slots, and the writes commit together.

  /** Reserves one request in every bucket; returns when (ms since the epoch) it may be sent. */
  acquire(buckets: RateLimitBucket[], nowMs: number): number {
    checkBuckets(buckets);
    checkTime("nowMs", nowMs);
    const stored = buckets.map((b) => this.stored(b.key));
    let sendAt = buckets.reduce(
      (at, b, i) => Math.max(at, Math.max(stored[i] ?? nowMs, nowMs) - b.intervalMs * (b.burst - 1)),
      nowMs,
    );
    // Sums of intervals on epoch milliseconds leave crumbs of microseconds: not worth a sleep.
    if (sendAt - nowMs < 0.01) sendAt = nowMs;
    buckets.forEach((b, i) => this.store(b.key, Math.max(stored[i] ?? sendAt, sendAt) + b.intervalMs));
    this.sql.exec("DELETE FROM arrivals WHERE tat < ?", nowMs - STALE_MS);
    return sendAt;
  }

  /** Holds the buckets until `untilMs` (Neon answered 429 with a Retry-After). */
  pause(buckets: RateLimitBucket[], untilMs: number): void {
    checkBuckets(buckets);
    checkTime("untilMs", untilMs);
    for (const b of buckets) {
      const resume = untilMs + b.intervalMs * (b.burst - 1);
      this.store(b.key, Math.max(this.stored(b.key) ?? resume, resume));
    }
  }
}

/** A hex SHA-256 of the key: names the key's Durable Object and bucket scope without showing it. */
export async function keyDigest(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The client side: a `RateLimitStore` calling the key's Durable Object over RPC. */
export function durableObjectStore(namespace: DurableObjectNamespace<RateLimiterStore>, digest: string): RateLimitStore {
  const stub = namespace.get(namespace.idFromName(`neon-api-key:${digest}`));
  return {
    acquire: (buckets, nowMs) => stub.acquire(buckets, nowMs),
    pause: (buckets, untilMs) => stub.pause(buckets, untilMs),
  };
}
