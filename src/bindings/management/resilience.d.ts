// TypeScript declarations of resilience.rs, added to the module's .d.ts by wasm-bindgen.
/** Why a failed attempt is retried. */
export type RetryReason =
  | "rate_limited" | "locked" | "not_ready" | "origin_timeout" | "unavailable" | "network" | "timeout";

/** What `onRetry` sees before the client waits and tries again. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  reason: RetryReason;
  /** The HTTP status of the failed attempt, when there was a response. */
  status?: number;
  /** The operationId called. */
  operation?: string;
}

/** Retry settings; `false` turns retries off. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  maxAttempts?: number;
  /** No retry starts later than this after the call began (default 60000). */
  maxElapsedMs?: number;
  /** Called before each retry's wait. */
  onRetry?: (event: RetryEvent) => void;
}

/** Client-side pacing to Neon's limits; `false` turns it off. */
export interface RateLimitOptions {
  /** Requests per minute for the account (default 700). */
  perMinute?: number;
  /** Requests per second on one route (default 40). */
  perRoutePerSecond?: number;
  /** Shared bucket state (a Durable Object, ...); in memory, per client, by default. */
  store?: RateLimitStore;
  /**
   * Names the buckets. Clients with the same scope share them: through `store` when given,
   * else in this isolate's memory (clients created per request stay paced together).
   * Without a scope each client keeps its own buckets.
   */
  scope?: string;
}

/** A Neon operation as the API returns it. */
export interface NeonOperation {
  id: string;
  project_id?: string;
  action: string;
  status: string;
  error?: string;
  [field: string]: unknown;
}

/** What `onProgress` sees after each polling round. */
export interface WaitProgress {
  operations: NeonOperation[];
  /** Polling requests sent so far. */
  polls: number;
  elapsedMs: number;
}

/** Arguments of `waitForOperations`: operations (as a call returned them) or their ids. */
export interface WaitForOperationsInit {
  projectId: string;
  operations?: { id: string }[];
  operationIds?: string[];
  /** Give up after this long (default 300000). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: WaitProgress) => void;
}

/** One page of a paginated listing. */
export interface NeonPage<T> {
  items: T[];
  /** The cursor of the next page, when there is one. */
  nextCursor?: string;
  /** Projects the API could not list this time (`listProjects`). */
  unavailableProjectIds: string[];
  /** The whole response body. */
  body: unknown;
}

/** A lazy listing: `for await` over items, or `page()` / `all()`. */
export interface NeonPages<T> extends AsyncIterable<T> {
  /** The next page, or `undefined` after the last one. */
  page(): Promise<NeonPage<T> | undefined>;
  /** Every remaining item. */
  all(): Promise<T[]>;
  /** Every `unavailable_project_ids` entry seen so far. */
  readonly unavailableProjectIds: string[];
}

/** The element type of a paginated response's list. */
export type NeonPageItem<R> = {
  [K in keyof R]-?: K extends "unavailable_project_ids" | "pagination"
    ? never
    : NonNullable<R[K]> extends (infer I)[] ? I : never;
}[keyof R];

/** The operationIds whose parameters include `cursor` and `limit`. */
export type PaginatedOperationId = {
  [K in Exclude<keyof NeonClient, "paginate">]: NeonClient[K] extends (params: infer P, options?: CallOptions) => Promise<unknown>
    ? "cursor" extends keyof NonNullable<P> ? "limit" extends keyof NonNullable<P> ? K : never : never
    : never;
}[Exclude<keyof NeonClient, "paginate">];

/** `neon.paginate.<operationId>(params, options)` for every paginated operation. */
export type NeonPaginators = {
  [K in PaginatedOperationId]: NeonClient[K] extends (params: infer P, options?: CallOptions) => Promise<infer R>
    ? undefined extends P
      ? (params?: NonNullable<P>, options?: CallOptions) => NeonPages<NeonPageItem<R>>
      : (params: P, options?: CallOptions) => NeonPages<NeonPageItem<R>>
    : never;
};

export interface NeonClient {
  /** Lazy listings over every cursor-paginated operation. */
  readonly paginate: NeonPaginators;
}
