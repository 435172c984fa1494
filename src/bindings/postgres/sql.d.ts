// TypeScript declarations of sql.rs, added to the module's .d.ts by wasm-bindgen.
/** Options of `sql(connectionString, options)`. */
export interface SqlOptions {
  /** The /sql URL; defaults to https://api.<host without its first label>/sql, as @neondatabase/serverless derives it. */
  endpoint?: string;
  /** A fetch-compatible function used instead of the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request timeout in milliseconds (default 60000). */
  timeoutMs?: number;
  /**
   * Parse values by column type as `@neondatabase/serverless` does: values are asked for as
   * Postgres text and each non-null one goes through `getTypeParser(dataTypeID, "text")`.
   * Pass `types` from `@neondatabase/serverless` (or `pg-types`) to get exactly the values
   * `neon()` returns (`Date`s, arrays, `Buffer`s, interval objects). Without it, booleans,
   * numbers that fit in a double and `json`/`jsonb` come parsed, everything else as text.
   */
  types?: { getTypeParser(oid: number, format: "text"): (value: string) => unknown };
}

/** A value sent as a query parameter. */
export type SqlParam =
  | string | number | boolean | bigint | null | undefined | Date | Uint8Array
  | SqlParam[] | { [key: string]: unknown };

/** A result column. */
export interface SqlField {
  name: string;
  /** The type's OID (23 int4, 25 text, ...). */
  dataTypeID: number;
  tableID: number;
}

/** What one statement returned. */
export interface SqlResult<Row = Record<string, unknown>> {
  /** SELECT, INSERT, CREATE, ... */
  command: string;
  /** Rows returned or affected, for commands that count them. */
  rowCount: number | null;
  fields: SqlField[];
  rows: Row[];
}

/** One statement of a transaction: `{ text, params }`, `[text, params]` or the text alone. */
export type SqlStatement = string | { text: string; params?: SqlParam[] } | [string, SqlParam[]?];

/** Options of `transaction`. */
export interface SqlTransactionOptions {
  isolationLevel?: "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";
  readOnly?: boolean;
  deferrable?: boolean;
  signal?: AbortSignal;
}

/** A statement of a seed script. */
export interface SeedStatement {
  /** 1-based position in the script. */
  number: number;
  /** The line it starts on. */
  line: number;
  text: string;
  firstLine: string;
}

/** A statement that drops, truncates or deletes without WHERE. */
export interface DestructiveSeedStatement {
  number: number;
  line: number;
  firstLine: string;
  /** e.g. ["DROP TABLE"], ["DELETE without WHERE"]. */
  reasons: string[];
}

/** A seed script split and checked. */
export interface SeedPlan {
  statements: SeedStatement[];
  destructive: DestructiveSeedStatement[];
}

/** Options of `seed`. */
export interface SeedOptions {
  /** Called before each statement runs. */
  onProgress?: (progress: { statement: SeedStatement; total: number }) => void;
  /** Called with the destructive statements before anything runs; return false to stop (nothing runs). Without it, they run. */
  onDestructive?: (statements: DestructiveSeedStatement[]) => boolean | Promise<boolean>;
  signal?: AbortSignal;
}
