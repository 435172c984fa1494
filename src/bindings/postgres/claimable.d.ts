// TypeScript declarations of claimable.rs, added to the module's .d.ts by wasm-bindgen.
/** Where a claimable database is in its life; other strings are statuses newer than this package. */
export type ClaimStatus = "UNCLAIMED" | "CLAIMING" | "CLAIMED" | (string & {});

/** Options shared by the Claimable Postgres functions. */
export interface ClaimableOptions {
  /** Defaults to https://neon.new/api/v1. */
  baseUrl?: string;
  /** A fetch-compatible function used instead of the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request timeout in milliseconds (default 60000). */
  timeoutMs?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of `createClaimableDatabase`. */
export interface CreateClaimableDatabaseOptions extends ClaimableOptions {
  /** Who provisions the database (required, non-blank), e.g. "my-app". */
  ref: string;
  /** Enables logical replication; it cannot be turned off later. */
  logicalReplication?: boolean;
}

/** A claimable database. */
export interface ClaimableDatabase {
  id: string;
  status: ClaimStatus;
  neonProjectId: string;
  /** The pooled connection string; null once claimed. */
  databaseUrl: string | null;
  /** The direct connection string ("-pooler" removed from the host); null once claimed. */
  databaseUrlDirect: string | null;
  /** The link that claims the database into a Neon account, as the service sent it. */
  claimUrl: string;
  /** When an unclaimed database is deleted (ISO 8601). */
  expiresAt: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, when the service says. */
  updatedAt?: string;
}

/** A database `createClaimableDatabase` just made: unclaimed, so its connection strings are set. */
export interface UnclaimedDatabase extends ClaimableDatabase {
  databaseUrl: string;
  databaseUrlDirect: string;
}
