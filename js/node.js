// neon-edge/node: Node-only helpers around the neon-edge/postgres wasm module — provision a claimable database
// into a .env file (atomic write, existing keys never overwritten), seed it, and
// `instantPostgres` with neon-new's option names and return shape.
import * as nodeFs from "node:fs";
import { dirname, resolve } from "node:path";
import {
  createClaimableDatabase, sql, planSeed, mergeClaimableEnv, claimableEnvKeys, readDotEnv,
  NeonClientError,
} from "../postgres/node.js";
import { readEnvText, writeFileAtomic, isGitIgnored } from "./envfile.js";

export { readEnvText, writeFileAtomic, isGitIgnored };

const PLACEHOLDER = {
  databaseUrl: "postgresql://u@h/db", databaseUrlDirect: "postgresql://u@h/db",
  claimUrl: "https://example.invalid/", expiresAt: "1970-01-01T00:00:00Z",
};

/**
 * Throws the core's `keys_exist` error (with the three ways out) if `envFile` already sets
 * one of the keys a claimable database would be written under.
 */
export function assertKeysFree(envFile, { key, prefix, fs = nodeFs } = {}) {
  mergeClaimableEnv(readEnvText(envFile, { fs }), { ...PLACEHOLDER, key, prefix });
}

/** Fails before anything is created when the env file's directory is missing or read-only. */
function assertWritableDir(envFile, fs) {
  const dir = dirname(resolve(envFile));
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new NeonClientError("client", `cannot write ${envFile}: its directory ${dir} is missing or not writable`,
      { reason: "env_unwritable", code: "env_dir" });
  }
}

/** The keys written for `key` and `prefix`: [key, `${key}_DIRECT`, `${prefix}POSTGRES_CLAIM_URL`]. */
export function envKeys({ key, prefix } = {}) {
  return claimableEnvKeys(key, prefix);
}

/** Reads `name` from an env file; undefined when the file or the key is missing. */
export function readEnvValue(envFile, name, { fs = nodeFs } = {}) {
  return readDotEnv(readEnvText(envFile, { fs }))[name];
}

/** Appends a claimable database's block to `envFile` atomically, keeping every other byte. */
export function writeClaimableEnv(envFile, database, { key, prefix, fs = nodeFs } = {}) {
  const text = readEnvText(envFile, { fs });
  const merged = mergeClaimableEnv(text, {
    databaseUrl: database.databaseUrl,
    databaseUrlDirect: database.databaseUrlDirect,
    claimUrl: database.claimUrl,
    expiresAt: database.expiresAt,
    key,
    prefix,
  });
  writeFileAtomic(envFile, merged, { fs });
}

/** Reads and splits a seed file; throws on an unterminated string, comment or body. */
export function readSeedPlan(path, { fs = nodeFs } = {}) {
  const text = fs.readFileSync(path, "utf8");
  return { text, plan: planSeed(text) };
}

/**
 * The whole flow the CLI and `instantPostgres` share: check the keys are free, read the
 * seed, create the database, write the env file, then seed. `report(step, detail)` is
 * called as it goes; `confirmDestructive(list)` decides on destructive seed statements
 * (before anything is created).
 */
export async function provisionToEnvFile(options) {
  const {
    envFile = ".env", key, prefix, referrer, logicalReplication = false, baseUrl, sqlEndpoint,
    seedFile, confirmDestructive, report = () => {}, fs = nodeFs, fetch,
  } = options;
  if (typeof referrer !== "string" || !referrer.trim()) {
    throw new NeonClientError("client", "referrer (ref) is required: name who provisions the database, e.g. \"my-app\"",
      { reason: "missing_parameter" });
  }
  assertKeysFree(envFile, { key, prefix, fs });
  assertWritableDir(envFile, fs);
  let seed;
  if (seedFile) {
    seed = readSeedPlan(seedFile, { fs });
    if (seed.plan.destructive.length && confirmDestructive) {
      const ok = await confirmDestructive(seed.plan.destructive);
      if (!ok) {
        throw new NeonClientError("client", "cancelled: the seed's destructive statements were not confirmed; nothing was created",
          { reason: "not_confirmed", code: "cancelled" });
      }
    }
  }
  report("create", { baseUrl });
  const database = await createClaimableDatabase({ ref: referrer, logicalReplication, baseUrl, fetch });
  report("created", database);
  try {
    writeClaimableEnv(envFile, database, { key, prefix, fs });
  } catch (e) {
    // The database exists: say where it is, so it is not lost with the file.
    e.database = database;
    e.phase = "write";
    throw e;
  }
  report("written", { envFile, keys: envKeys({ key, prefix }) });
  if (seed) {
    const db = sql(database.databaseUrl, { endpoint: sqlEndpoint, fetch });
    report("seed", { statements: seed.plan.statements.length });
    try {
      await db.seed(seed.text, { onProgress: (p) => report("seed-progress", p) });
    } catch (e) {
      e.database = database;
      e.phase = "seed";
      throw e;
    }
    report("seeded", { statements: seed.plan.statements.length });
  }
  return database;
}

/**
 * Provisions a claimable database, writes it to the env file and seeds it — neon-new's
 * SDK call, so switching is a change of import. Returns `claimExpiresAt` as a Date.
 */
export async function instantPostgres({
  dotEnvFile = ".env", dotEnvKey = "DATABASE_URL", referrer, envPrefix = "PUBLIC_", seed, settings = {},
  baseUrl, sqlEndpoint, fetch,
} = {}) {
  if (seed !== undefined && (seed === null || seed.type !== "sql-script" || typeof seed.path !== "string")) {
    throw new NeonClientError("client", 'seed must be { type: "sql-script", path: string }', { reason: "invalid_option" });
  }
  const database = await provisionToEnvFile({
    envFile: dotEnvFile, key: dotEnvKey, prefix: envPrefix, referrer,
    logicalReplication: Boolean(settings.logicalReplication), baseUrl, sqlEndpoint, fetch,
    seedFile: seed?.path,
  });
  return {
    databaseUrl: database.databaseUrl,
    databaseUrlDirect: database.databaseUrlDirect,
    claimUrl: database.claimUrl,
    claimExpiresAt: new Date(database.expiresAt),
  };
}
