// Error classes thrown by neon-edge (both modules). The wasm bindings build every one of
// them through `makeError` (src/bindings/shared/errors.rs), whose `kind` picks the class.

export class NeonError extends Error {
  constructor(kind, message, details) {
    super(message);
    this.name = "NeonError";
    this.kind = kind;
    if (details) Object.assign(this, details);
  }
}

/** The API answered with an error status (kinds api, not_found, auth, rate_limit, conflict). */
export class NeonApiError extends NeonError {
  constructor(kind, message, details) {
    super(kind, message, details);
    this.name = "NeonApiError";
  }
}

/** Awaited operations ended failed, errored or cancelled. */
export class NeonOperationError extends NeonError {
  constructor(kind, message, details) {
    super(kind, message, details);
    this.name = "NeonOperationError";
  }
}

/** Bad arguments, caught before anything was sent. */
export class NeonClientError extends NeonError {
  constructor(kind, message, details) {
    super(kind, message, details);
    this.name = "NeonClientError";
  }
}

/** No response (network), too slow (timeout), cancelled (aborted) or undecodable (decode). */
export class NeonRequestError extends NeonError {
  constructor(kind, message, details) {
    super(kind, message, details);
    this.name = kind === "aborted" ? "AbortError" : kind === "timeout" ? "TimeoutError" : "NeonRequestError";
  }
}

/** Postgres refused a statement: `code` is the SQLSTATE (e.g. "42P01"). */
export class NeonSqlError extends NeonError {
  constructor(kind, message, details) {
    super(kind, message, details);
    this.name = "NeonSqlError";
  }
}

const API_KINDS = new Set(["api", "not_found", "auth", "rate_limit", "conflict"]);

export function makeError(kind, message, details) {
  if (API_KINDS.has(kind)) return new NeonApiError(kind, message, details);
  if (kind === "operation") return new NeonOperationError(kind, message, details);
  if (kind === "client") return new NeonClientError(kind, message, details);
  if (kind === "sql") return new NeonSqlError(kind, message, details);
  return new NeonRequestError(kind, message, details);
}
