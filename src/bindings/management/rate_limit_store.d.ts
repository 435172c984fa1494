// TypeScript declarations of rate_limit_store.rs, added to the module's .d.ts by wasm-bindgen.
/** One token bucket as a rate-limit store sees it. */
export interface RateLimitBucket {
  /** e.g. `default:account` or `default:GET /projects/{project_id}`. */
  key: string;
  /** Milliseconds between two requests at the sustained rate. */
  intervalMs: number;
  /** Requests that may go at once after a quiet period. */
  burst: number;
}

/** Where the buckets live when several clients share them (a Durable Object, ...). */
export interface RateLimitStore {
  /**
   * Atomically reserves one request in every bucket and returns when (ms since the epoch,
   * never before `nowMs`) it may be sent. With one stored number `t` per bucket key (GCRA):
   * `sendAt = max(nowMs, ...buckets.map(b => max(t[b.key] ?? nowMs, nowMs) - b.intervalMs * (b.burst - 1)))`,
   * then store `t[b.key] = max(t[b.key] ?? sendAt, sendAt) + b.intervalMs` for every bucket.
   */
  acquire(buckets: RateLimitBucket[], nowMs: number): number | Promise<number>;
  /** Holds the buckets until `untilMs` (the server answered 429): `t[b.key] = max(t[b.key], untilMs + b.intervalMs * (b.burst - 1))`. */
  pause(buckets: RateLimitBucket[], untilMs: number): void | Promise<void>;
}
