/** What went wrong, coarsely: switch on `error.kind`. */
export type NeonErrorKind =
  | "api" | "not_found" | "auth" | "rate_limit" | "conflict" | "operation"
  | "timeout" | "aborted" | "network" | "decode" | "client" | "pagination" | "sql";

/** Base class of every error neon-edge throws. */
export class NeonError extends Error {
  readonly kind: NeonErrorKind;
}

/** The API answered with an error status. */
export class NeonApiError extends NeonError {
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
  readonly kind: "operation";
  readonly operations: { id: string; action: string; status: string; error?: string }[];
}

/** Why a `NeonClientError` was thrown (README, Errors); new reasons may be added. */
export type NeonClientErrorReason =
  | "missing_parameter" | "invalid_parameter" | "invalid_body" | "invalid_option" | "invalid_base_url"
  | "missing_api_key" | "invalid_api_key" | "unknown_operation" | "invalid_path" | "not_configured"
  | "store_failed" | "unsupported" | "not_confirmed" | "invalid_connection_string" | "invalid_script"
  | "env_conflict" | "invalid_env_entry" | "env_unwritable";

/** Bad arguments, caught before anything was sent. */
export class NeonClientError extends NeonError {
  readonly kind: "client";
  /** The cause, stable across releases: switch on it rather than on `message`. */
  readonly reason: NeonClientErrorReason;
}

/**
 * No response (`network`), too slow (`timeout`), cancelled (`aborted`), undecodable
 * (`decode`) or a paginated listing that repeated a cursor (`pagination`).
 */
export class NeonRequestError extends NeonError {
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
  readonly kind: "sql";
  /** The SQLSTATE code, e.g. "42P01" (undefined table). */
  readonly code: string;
  readonly severity?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** 1-based character position in the statement. */
  readonly position?: string;
  readonly constraint?: string;
  /** When seeding: the statement that failed. */
  readonly statement?: { number: number; line: number; firstLine: string };
  /** When seeding: the server's own message (`message` names the statement). */
  readonly serverMessage?: string;
}
