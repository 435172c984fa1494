// neon-edge/vite: a Claimable Postgres database on `vite dev` (Vite 6, 7 and 8).
import type { Plugin } from "vite";

/** Options of `postgres()`; `env`/`dotEnvFile` and `envKey`/`dotEnvKey` are two spellings of one option each. */
export interface PostgresPluginOptions {
  /** Who provisions the database (required), e.g. "my-app" or "github:user/repo". */
  referrer: string;
  /** The env file to write, relative to Vite's envDir (default ".env"). */
  env?: string;
  /** vite-plugin-neon-new's spelling of `env`. */
  dotEnvFile?: string;
  /** The key of the pooled connection string (default "DATABASE_URL"); the direct one goes under `${envKey}_DIRECT`. */
  envKey?: string;
  /** vite-plugin-neon-new's spelling of `envKey`. */
  dotEnvKey?: string;
  /** Prefix of the claim-URL key (default "VITE_", giving VITE_POSTGRES_CLAIM_URL). */
  envPrefix?: string;
  settings?: {
    /** Enables logical replication; it cannot be turned off later (default false). */
    logicalReplication?: boolean;
  };
  /** A SQL script (path relative to Vite's root) run once the database exists; a failed seed resumes on the next start. */
  seed?: { type: "sql-script"; path: string };
  /** Stop the dev server's start when the database cannot be created or seeded (default false: log it and start without it). */
  failOnError?: boolean;
  /** Claimable Postgres API (default https://neon.new/api/v1), e.g. the local emulator's. */
  baseUrl?: string;
  /** SQL-over-HTTP URL used for seeding (default: derived from the database host). */
  sqlEndpoint?: string;
  /** Per-request timeout in milliseconds, for creating and for each seed statement (default 60000). */
  timeoutMs?: number;
  /**
   * The service: "neon.new" (Claimable Postgres, the default) or "claimable-neon", which writes
   * NEON_CLAIMABLE_ASSERTION and NEON_CLAIMABLE_PROJECT_ID beside the key (`baseUrl`, `envPrefix`
   * and `settings` are neon.new's only; `origin` is Claimable Neon's).
   */
  service?: "neon.new" | "claimable-neon";
  /** Claimable Neon's origin (default https://claimable.neon.tech), e.g. the local emulator's. */
  origin?: string;
}

/**
 * The Vite plugin: creates a Claimable Postgres database when `vite dev` starts and no env
 * file (nor the environment) sets the key, and writes it to the env file before Vite reads it.
 * Throws a `NeonClientError` (`code: "invalid_option"`, `option`) on bad options.
 */
export function postgres(options: PostgresPluginOptions): Plugin;
export default postgres;
