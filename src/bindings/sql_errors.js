// The SQL error class. The wasm bindings build it through `makeSqlError`.
import { NeonError } from "./errors.js";

/** Postgres refused a statement: `code` is the SQLSTATE (e.g. "42P01"). */
export class NeonSqlError extends NeonError {
  constructor(message, details) {
    super("sql", message, details);
    this.name = "NeonSqlError";
  }
}

export function makeSqlError(message, details) {
  return new NeonSqlError(message, details);
}
