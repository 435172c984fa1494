// TypeScript declarations of dotenv.rs, added to the module's .d.ts by wasm-bindgen.
/** What `mergeClaimableEnv` appends. */
export interface ClaimableEnvBlock {
  /** The pooled connection string, written under `key`. */
  databaseUrl: string;
  /** The direct connection string, written under `${key}_DIRECT`. */
  databaseUrlDirect: string;
  /** Written under `${prefix}POSTGRES_CLAIM_URL`. */
  claimUrl: string;
  /** ISO 8601; written in a comment as a UTC date. */
  expiresAt: string;
  /** Defaults to DATABASE_URL. */
  key?: string;
  /** Defaults to PUBLIC_. */
  prefix?: string;
}
