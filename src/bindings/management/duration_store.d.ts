// TypeScript declarations of duration_store.rs, added to the module's .d.ts by wasm-bindgen.
/**
 * Where operation waits learn how long each action (`create_branch`, `start_compute`, ...)
 * takes, shared by several clients (KV, a Durable Object, any key-value store). One number per
 * action: the client reads it before a wait (the first poll goes just after it) and, once the
 * operation finished, writes back the new expectation. A failing or slow (> 1 s) store never
 * fails a wait: it polls at 10% of the time waited instead.
 */
export interface OperationDurationStore {
  /** The expected duration of `action` in ms (a number or a numeric string), or undefined/null. */
  get(action: string): number | string | null | undefined | Promise<number | string | null | undefined>;
  /** Keeps `ms` as the expected duration of `action`. */
  set(action: string, ms: number): void | Promise<void>;
}
