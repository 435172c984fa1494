/** What went wrong, coarsely: switch on `error.kind`. */
export type NeonErrorKind =
  | "api" | "not_found" | "auth" | "rate_limit" | "conflict" | "operation"
  | "timeout" | "aborted" | "network" | "decode" | "client" | "pagination" | "sql"
  /** A panic in the wasm module: the call failed, the module was re-instantiated (`cause` is the trap). */
  | "internal";

/** Base class of every error neon-edge throws. */
export class NeonError extends Error {
  /** `details` become the error's own fields (`status`, `code`, ...). */
  constructor(kind: NeonErrorKind, message: string, details?: object);
  readonly kind: NeonErrorKind;
  /**
   * When `seed` (neon-edge/postgres) stopped: the statement that failed. `message` names it;
   * the error is whatever that statement met (a `NeonSqlError`, a `NeonRequestError`, ...).
   */
  readonly statement?: { number: number; line: number; firstLine: string };
  /** When `seed` stopped: the message of the statement's own error. */
  readonly serverMessage?: string;
}

/** The API answered with an error status. */
export class NeonApiError extends NeonError {
  constructor(kind: NeonApiError["kind"], message: string, details?: object);
  name: "NeonApiError";
  readonly kind: "api" | "not_found" | "auth" | "rate_limit" | "conflict";
  /** The HTTP status. */
  readonly status: number;
  /** Neon's error code, when the body had one. */
  readonly code?: string;
  /** The request id (body `request_id`, else `x-request-id` / `x-neon-ret-request-id`). */
  readonly requestId?: string;
  /** The operationId that was called. */
  readonly operation?: string;
}

/** Awaited operations ended failed, errored or cancelled. */
export class NeonOperationError extends NeonError {
  constructor(kind: "operation", message: string, details?: object);
  name: "NeonOperationError";
  readonly kind: "operation";
  /** The operations that did not finish, as the API last described them. */
  readonly operations: { id: string; action: string; status: string; error?: string }[];
}

/** Why a `NeonClientError` was thrown; new reasons may be added. */
export type NeonClientErrorReason =
  | "missing_parameter" | "invalid_parameter" | "invalid_body" | "invalid_option" | "invalid_base_url"
  | "missing_api_key" | "invalid_api_key" | "unknown_operation" | "invalid_path" | "not_configured"
  | "store_failed" | "unsupported" | "not_confirmed" | "invalid_connection_string" | "invalid_script"
  | "env_conflict" | "invalid_env_entry" | "env_unwritable";

/** Bad arguments, caught before anything was sent. */
export class NeonClientError extends NeonError {
  constructor(kind: "client", message: string, details?: object);
  name: "NeonClientError";
  readonly kind: "client";
  /** The stable cause, to match on instead of `message` (README, Errors). */
  readonly reason: NeonClientErrorReason;
  /**
   * The .env and CLI cause: `"keys_exist"`, `"invalid_key"`, `"duplicate_key"`,
   * `"unrepresentable_value"`, `"would_change_existing"` (`mergeClaimableEnv`), `"env_dir"`
   * (the env file's directory is not writable), `"cancelled"` (destructive seed not confirmed).
   */
  readonly code?: string;
  /** For `keys_exist` and `invalid_key`: the keys concerned. */
  readonly keys?: string[];
  /** A seed script that cannot be split: the line of the unterminated string, comment or body. */
  readonly line?: number;
}

/**
 * No response (`network`), too slow (`timeout`), cancelled (`aborted`), undecodable
 * (`decode`) or a paginated listing that repeated a cursor (`pagination`).
 */
export class NeonRequestError extends NeonError {
  constructor(kind: NeonRequestError["kind"], message: string, details?: object);
  /** `TimeoutError` and `AbortError` as the platform names them, so existing checks hold. */
  name: "NeonRequestError" | "TimeoutError" | "AbortError";
  readonly kind: "network" | "timeout" | "aborted" | "decode" | "pagination";
  /** For `decode`: where in the body decoding failed. */
  readonly path?: string;
  /** For `pagination`: the repeated cursor. */
  readonly cursor?: string;
  /** For `pagination`: the listing's operationId. */
  readonly operation?: string;
}

/** Postgres refused a statement (SQL over HTTP). */
export class NeonSqlError extends NeonError {
  constructor(kind: "sql", message: string, details?: object);
  name: "NeonSqlError";
  readonly kind: "sql";
  /** The SQLSTATE code, e.g. "42P01" (undefined table). */
  readonly code: string;
  readonly severity?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character position in the statement. */
  readonly position?: string;
  readonly constraint?: string;
}
