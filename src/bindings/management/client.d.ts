// TypeScript declarations of client.rs, added to the module's .d.ts by wasm-bindgen.
/** Options of `new NeonClient(...)`. */
export interface NeonClientOptions {
  /** A Neon API key, or a function returning one (sync or async) for rotating keys. */
  apiKey: string | (() => string | Promise<string>);
  /** Defaults to https://console.neon.tech/api/v2. */
  baseUrl?: string;
  /** A fetch-compatible function used instead of the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request timeout in milliseconds (default 60000). */
  timeoutMs?: number;
  /** Retries of 429, 423, "not ready" 422s and, for idempotent methods, 5xx gateway and network errors; `false` turns them off. */
  retry?: false | RetryOptions;
  /** Client-side pacing to Neon's rate limits (700/min, 40/s per route); `false` turns it off. */
  rateLimit?: false | RateLimitOptions;
  /**
   * Where operation waits learn action durations. Default: this isolate's memory. A store
   * shared by isolates (KV, a Durable Object, ...) lets a fresh isolate's first wait of an
   * action poll once or twice instead of at 10% of the time waited.
   */
  operationDurations?: OperationDurationStore;
}

/** Per-call options, the optional second argument of every method. */
export interface CallOptions {
  /** Aborts the call (and any pending retry or wait). */
  signal?: AbortSignal;
  /** Overrides the client's per-request timeout. */
  timeoutMs?: number;
  /** A deadline for the whole call: every attempt, retry wait and `wait`. */
  deadlineMs?: number;
  /** Waits for the operations the response lists, then resolves to the response. */
  wait?: boolean;
  /**
   * `"return"`: a create answering 409 "already exists" resolves to the resource already there,
   * `{ <resource>, operations, existing: true }` (see `NeonExisting`), instead of rejecting.
   */
  ifExists?: "return" | "error";
  /** Overrides the client's retry settings for this call. */
  retry?: false | RetryOptions;
}

/** The keys of a create's body whose value names the resource (`{ branch: { name } }`). */
export type NamedResourceKey<P> = P extends { body?: infer B }
  ? { [K in keyof NonNullable<B>]-?: "name" extends keyof NonNullable<NonNullable<B>[K]> ? K : never }[keyof NonNullable<B>]
  : never;

/**
 * What a create called with `ifExists: "return"` resolves to when a 409 "already exists" found
 * the resource its body names: that resource under its key (`branch`, `role`, `database`, ...),
 * the project's unfinished operations on it (`[]` when none) and `existing: true`.
 */
export type NeonExisting<P, R> = {
  [K in NamedResourceKey<P> & keyof R]: { [Q in K]: NonNullable<R[K]> } & { operations: Operation[]; existing: true };
}[NamedResourceKey<P> & keyof R];

/**
 * What a create (params `P`, response `R`) resolves to when `ifExists` may be `"return"`: its
 * own response, or the resource found already there; `if (out.existing)` tells them apart.
 * `R` when the body names no resource.
 */
export type NeonCreated<P, R> = [NeonExisting<P, R>] extends [never] ? R : (R & { existing?: undefined }) | NeonExisting<P, R>;

/** A request to an endpoint without a typed method: `neon.request({ method, path, query, body }, options?)`. */
export interface RawRequestInit {
  /** Defaults to GET. */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  /** Relative to the base URL, e.g. `/projects/p-1/consumption`. */
  path: string;
  /** Query parameters; `null` and `undefined` values are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface NeonClient {
  /**
   * Calls an operation by its `operationId` with the arguments and result of its typed
   * method: `neon.call("getProject", { projectId }, options)` is
   * `neon.getProject({ projectId }, options)`.
   */
  call<K extends OperationId>(operationId: K, ...args: Parameters<NeonClientMethods[K]>): ReturnType<NeonClientMethods[K]>;
}
