// Type-checked (tsc --strict) by tests/js/types.test.mjs: the error classes and the fields each
// carries (src/bindings/shared/errors.js, errors.rs), as a catch block meets them, from either
// entry. Never run.
import {
  NeonApiError,
  NeonClientError,
  NeonError,
  NeonOperationError,
  NeonRequestError,
  NeonSqlError,
  type NeonClientErrorReason,
  type NeonErrorKind,
} from "neon-edge";
import * as postgres from "neon-edge/postgres";
import type { Assert, Equal } from "./assert.js";

// Both entries export the same classes, so `instanceof` holds whichever threw.
type _sameClasses = Assert<Equal<typeof postgres.NeonError | typeof postgres.NeonApiError | typeof postgres.NeonClientError | typeof postgres.NeonRequestError | typeof postgres.NeonOperationError | typeof postgres.NeonSqlError,
  typeof NeonError | typeof NeonApiError | typeof NeonClientError | typeof NeonRequestError | typeof NeonOperationError | typeof NeonSqlError>>;
type _apiKinds = Assert<Equal<NeonApiError["kind"], "api" | "not_found" | "auth" | "rate_limit" | "conflict">>;
type _requestKinds = Assert<Equal<NeonRequestError["kind"], "network" | "timeout" | "aborted" | "decode" | "pagination">>;

/** What a caller reads off each class. */
export function describe(e: unknown): string {
  if (!(e instanceof NeonError)) return String(e);
  const kind: NeonErrorKind = e.kind;
  const base: Error = e;
  if (e.statement) {
    const { number, line, firstLine }: { number: number; line: number; firstLine: string } = e.statement;
    const server: string | undefined = e.serverMessage;
    void [number, line, firstLine, server];
  }
  if (e instanceof NeonApiError) {
    const status: number = e.status;
    const code: string | undefined = e.code;
    const requestId: string | undefined = e.requestId;
    const operation: string | undefined = e.operation;
    const name: "NeonApiError" = e.name;
    if (e.kind === "not_found" || e.kind === "auth" || e.kind === "rate_limit" || e.kind === "conflict" || e.kind === "api") {
      return [name, status, code, requestId, operation].join(" ");
    }
    const never: never = e.kind;
    return never;
  }
  if (e instanceof NeonOperationError) {
    const kind: "operation" = e.kind;
    const failed = e.operations.map(({ id, action, status, error }) => `${id} ${action} ${status} ${error ?? ""}`);
    return kind + failed.join(", ") + e.name;
  }
  if (e instanceof NeonClientError) {
    const kind: "client" = e.kind;
    const reason: NeonClientErrorReason = e.reason;
    if (reason === "missing_parameter" || reason === "invalid_connection_string" || reason === "env_conflict") void reason;
    const code: string | undefined = e.code;
    const keys: string[] | undefined = e.keys;
    const line: number | undefined = e.line;
    return [kind, reason, code, keys?.join(","), line, e.name].join(" ");
  }
  if (e instanceof NeonRequestError) {
    const name: "NeonRequestError" | "TimeoutError" | "AbortError" = e.name;
    const path: string | undefined = e.path;
    const cursor: string | undefined = e.cursor;
    const operation: string | undefined = e.operation;
    switch (e.kind) {
      case "timeout": case "aborted": case "network": return name;
      case "decode": return path ?? "";
      case "pagination": return `${operation} ${cursor}`;
    }
  }
  if (e instanceof NeonSqlError) {
    const sqlstate: string = e.code;
    const fields: (string | undefined)[] = [e.severity, e.detail, e.hint, e.position, e.constraint];
    return [e.kind, e.name, sqlstate, ...fields].join(" ");
  }
  return `${kind} ${base.message}`;
}

// The classes are constructible (tests, wrappers); `details` become fields.
export const made: NeonError[] = [
  new NeonError("network", "offline"),
  new NeonApiError("not_found", "no such project", { status: 404, code: "NOT_FOUND" }),
  new NeonOperationError("operation", "failed", { operations: [] }),
  new NeonClientError("client", "projectId is required", { reason: "missing_parameter" }),
  new NeonRequestError("timeout", "too slow"),
  new NeonSqlError("sql", "relation does not exist", { code: "42P01" }),
];

export function mistakes(api: NeonApiError, client: NeonClientError, sqlError: NeonSqlError): void {
  // @ts-expect-error: a client error has no HTTP status
  void client.status;
  // @ts-expect-error: an API error is never of kind "client"
  const kind: "client" = api.kind;
  // @ts-expect-error: an API error's reason (neon-edge/claimable-neon's "dead_assertion") is no client error reason
  const apiReason: NeonClientErrorReason | undefined = api.reason;
  void apiReason;
  // @ts-expect-error: a reason the library never gives
  const unknownReason: NeonClientErrorReason = "bad_arguments";
  void unknownReason;
  // @ts-expect-error: the fields are read-only
  sqlError.code = "x";
  // @ts-expect-error: an API error's kind is one of the API kinds
  new NeonApiError("timeout", "x");
  void kind;
}
