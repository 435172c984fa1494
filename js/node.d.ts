// neon-edge/node: Node-only helpers (file I/O) around the wasm core.
import type { DestructiveSeedStatement, SeedStatement, UnclaimedDatabase } from "../neon_edge_postgres.js";
import type { ClaimableNeonSession } from "../neon_edge_claimable_neon.js";

/** Options of `instantPostgres`, named as in neon-new. */
export interface InstantPostgresOptions {
  /** The env file to write (default ".env"). */
  dotEnvFile?: string;
  /** The key of the pooled connection string (default "DATABASE_URL"); the direct one goes under `${dotEnvKey}_DIRECT`. */
  dotEnvKey?: string;
  /** Who provisions the database (required), e.g. "my-app". */
  referrer: string;
  /** Prefix of the public claim-URL key (default "PUBLIC_"). */
  envPrefix?: string;
  /** A SQL script to run once the database exists. */
  seed?: { type: "sql-script"; path: string };
  settings?: { logicalReplication?: boolean };
  /** Claimable Postgres API (default https://neon.new/api/v1). */
  baseUrl?: string;
  /** SQL-over-HTTP URL used for seeding (default: derived from the database host). */
  sqlEndpoint?: string;
  /** A fetch-compatible function used instead of the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** The service: "neon.new" (Claimable Postgres, the default) or "claimable-neon" (see `InstantClaimableNeonOptions`). */
  service?: "neon.new";
}

/**
 * Options of `instantPostgres` on Claimable Neon: the identity assertion is written beside the
 * connection string (NEON_CLAIMABLE_ASSERTION, NEON_CLAIMABLE_PROJECT_ID and, for another origin,
 * NEON_CLAIMABLE_ORIGIN). `referrer` is sent as the registration's `source`.
 */
export interface InstantClaimableNeonOptions extends Omit<InstantPostgresOptions, "service" | "envPrefix" | "settings" | "baseUrl"> {
  service: "claimable-neon";
  /** The service origin (default https://claimable.neon.tech), e.g. the local emulator's. */
  origin?: string;
}

/** What `instantPostgres` resolves to on Claimable Neon. */
export interface InstantClaimableNeonResult {
  /** Pooled connection string; it stops working once the project is claimed. */
  databaseUrl: string;
  projectId: string;
  /** When the project is deleted unless claimed. */
  claimExpiresAt: Date;
  /** A session on the stored assertion: tokens, credentials, the claim. */
  session: ClaimableNeonSession;
}

/** What `instantPostgres` resolves to, as in neon-new. */
export interface InstantPostgresResult {
  /** Pooled connection string. */
  databaseUrl: string;
  /** Direct connection string (for migrations). */
  databaseUrlDirect: string;
  claimUrl: string;
  claimExpiresAt: Date;
}

/** Provisions a claimable database, writes it to the env file (never overwriting a key) and seeds it. */
export function instantPostgres(options: InstantPostgresOptions): Promise<InstantPostgresResult>;
/** Registers with Claimable Neon, writes the connection string and the assertion to the env file (never overwriting a key) and seeds it. */
export function instantPostgres(options: InstantClaimableNeonOptions): Promise<InstantClaimableNeonResult>;

/** A step of `provisionToEnvFile`, for progress output. */
export type ProvisionStep =
  | ["create", { baseUrl?: string }]
  | ["created", UnclaimedDatabase]
  | ["written", { envFile: string; keys: [string, string, string] }]
  | ["seed", { statements: number; skipped: number }]
  | ["seed-progress", { statement: SeedStatement; total: number }]
  | ["seeded", { statements: number; skipped: number }];

/** Options of `provisionToEnvFile`. */
export interface ProvisionOptions {
  envFile?: string;
  key?: string;
  prefix?: string;
  referrer: string;
  logicalReplication?: boolean;
  baseUrl?: string;
  sqlEndpoint?: string;
  /** A seed SQL file, split (and checked for destructive statements) before anything is created. */
  seedFile?: string;
  /** Decides on destructive seed statements before anything is created; without it they run. */
  confirmDestructive?: (statements: DestructiveSeedStatement[]) => boolean | Promise<boolean>;
  report?: (...step: ProvisionStep) => void;
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request timeout in milliseconds (default 60000), for creating and for each seed statement. */
  timeoutMs?: number;
  /** The node:fs functions to use (tests inject failures). */
  fs?: typeof import("node:fs");
}

/**
 * The flow the CLI runs: check keys and the directory, read the seed, create, write the env
 * file, seed. An error after the database was created carries `database` (so it is not lost)
 * and `phase`: "write" (the env file was not written) or "seed" (it was; the seed failed).
 */
export function provisionToEnvFile(options: ProvisionOptions): Promise<UnclaimedDatabase>;

/** Throws a NeonClientError with `code: "keys_exist"` and `keys` if the env file sets a key to be written. */
export function assertKeysFree(envFile: string, options?: { key?: string; prefix?: string }): void;
/** [key, `${key}_DIRECT`, `${prefix}POSTGRES_CLAIM_URL`]. */
export function envKeys(options?: { key?: string; prefix?: string }): [string, string, string];
/** A value from an env file; undefined when the file or key is missing. */
export function readEnvValue(envFile: string, name: string): string | undefined;
/** Appends the claimable block to the env file atomically, keeping every other byte. */
export function writeClaimableEnv(
  envFile: string,
  database: Pick<UnclaimedDatabase, "databaseUrl" | "databaseUrlDirect" | "claimUrl" | "expiresAt">,
  options?: { key?: string; prefix?: string },
): void;
/** The text of an env file, or "" when it does not exist. */
export function readEnvText(path: string): string;
/** Replaces a file atomically (temp file in the same directory + rename), keeping its mode. */
export function writeFileAtomic(path: string, text: string): void;
/** Whether git ignores the path (git check-ignore, else the .gitignore files). */
export function isGitIgnored(path: string): boolean;
/** Reads a seed file and splits it (throws a NeonClientError with `line` on an unterminated construct). */
export function readSeedPlan(path: string): { text: string; plan: import("../neon_edge_postgres.js").SeedPlan };
/** The warning to show when the env file is not covered by .gitignore; undefined when it is. */
export function gitignoreWarning(envFile: string): string | undefined;
/**
 * Runs a seed read by `readSeedPlan` on a database, statement by statement. With `skip`, the
 * first `skip` statements count as applied and the rest run, keeping their numbers and lines.
 * A failure carries `applied`: how many statements of the whole plan have run.
 */
export function seedDatabase(
  databaseUrl: string,
  seed: { text: string; plan: import("../neon_edge_postgres.js").SeedPlan },
  options?: {
    sqlEndpoint?: string;
    fetch?: (request: Request) => Promise<Response>;
    report?: (...step: ProvisionStep) => void;
    skip?: number;
    /** Per-request timeout in milliseconds (default 60000). */
    timeoutMs?: number;
  },
): Promise<void>;
/** Throws a NeonClientError with `code: "env_dir"` when the env file's directory is missing or not writable. */
export function assertWritableDir(envFile: string): void;
