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
import { registerToEnvFile, chooseService } from "./claimable-neon.js";

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

/** Fails (code "env_dir") before anything is created when the env file's directory is missing or read-only. */
export function assertWritableDir(envFile, { fs = nodeFs } = {}) {
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

/**
 * The warning to show when `envFile` is not covered by .gitignore (undefined when it is);
 * .gitignore itself is never edited.
 */
export function gitignoreWarning(envFile, { fs = nodeFs } = {}) {
  if (isGitIgnored(envFile, { fs })) return undefined;
  return `${envFile} is not covered by .gitignore: add it there so the connection string is never committed.`;
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
    seedFile, confirmDestructive, report = () => {}, fs = nodeFs, fetch, timeoutMs,
  } = options;
  if (typeof referrer !== "string" || !referrer.trim()) {
    throw new NeonClientError("client", "referrer (ref) is required: name who provisions the database, e.g. \"my-app\"",
      { reason: "missing_parameter" });
  }
  assertKeysFree(envFile, { key, prefix, fs });
  assertWritableDir(envFile, { fs });
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
  const database = await createClaimableDatabase({ ref: referrer, logicalReplication, baseUrl, fetch, timeoutMs });
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
    try {
      await seedDatabase(database.databaseUrl, seed, { sqlEndpoint, fetch, report, timeoutMs });
    } catch (e) {
      e.database = database;
      e.phase = "seed";
      throw e;
    }
  }
  return database;
}

/** The script of `plan`'s statements from index `skip` on, each on its original line. */
function scriptFrom(plan, skip) {
  let script = "";
  let line = 1;
  for (const s of plan.statements.slice(skip)) {
    if (line < s.line) { script += "\n".repeat(s.line - line); line = s.line; } else if (script) script += " ";
    script += `${s.text};`;
    line += s.text.split("\n").length - 1;
  }
  return script;
}

/**
 * Runs a seed read by `readSeedPlan` on a database, statement by statement (`report` as in
 * `provisionToEnvFile`). With `skip`, the first `skip` statements are taken as already applied
 * and the rest run, keeping their numbers and lines in progress and errors — so a seed that
 * stopped at statement n resumes there. A failure carries `applied`: how many statements of
 * the whole plan have run.
 */
export async function seedDatabase(databaseUrl, { text, plan }, { sqlEndpoint, fetch, report = () => {}, skip = 0, timeoutMs } = {}) {
  const total = plan.statements.length;
  const db = sql(databaseUrl, { endpoint: sqlEndpoint, fetch, timeoutMs });
  report("seed", { statements: total - skip, skipped: skip });
  let started = skip;
  try {
    await db.seed(skip ? scriptFrom(plan, skip) : text, {
      onProgress: ({ statement }) => {
        started = skip + statement.number;
        report("seed-progress", { statement: plan.statements[started - 1] ?? statement, total });
      },
    });
  } catch (e) {
    e.applied = Math.max(skip, started - 1);
    if (skip && e.statement) {
      e.statement = { ...e.statement, number: e.statement.number + skip };
      e.message = e.message.replace(/^seed statement \d+/, `seed statement ${e.statement.number}`);
    }
    throw e;
  }
  report("seeded", { statements: total - skip, skipped: skip });
}

/**
 * Provisions a claimable database, writes it to the env file and seeds it — neon-new's
 * SDK call, so switching is a change of import. Returns `claimExpiresAt` as a Date.
 * `service: "claimable-neon"` registers with Claimable Neon instead (at `origin`) and stores the
 * identity assertion beside the connection string (js/claimable-neon.js).
 */
export async function instantPostgres({
  dotEnvFile = ".env", dotEnvKey = "DATABASE_URL", referrer, envPrefix, seed, settings = {},
  baseUrl, sqlEndpoint, fetch, service, origin,
} = {}) {
  if (seed !== undefined && (seed === null || seed.type !== "sql-script" || typeof seed.path !== "string")) {
    throw new NeonClientError("client", 'seed must be { type: "sql-script", path: string }', { reason: "invalid_option" });
  }
  const fail = (option, message) => new NeonClientError("client", message, { reason: "invalid_option", option });
  if (chooseService({ service, origin, baseUrl, envPrefix, logicalReplication: settings.logicalReplication }, fail) === "claimable-neon") {
    return instantClaimableNeon({ dotEnvFile, dotEnvKey, referrer, seed, sqlEndpoint, fetch, origin });
  }
  const database = await provisionToEnvFile({
    envFile: dotEnvFile, key: dotEnvKey, prefix: envPrefix ?? "PUBLIC_", referrer,
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

async function instantClaimableNeon({ dotEnvFile, dotEnvKey, referrer, seed, sqlEndpoint, fetch, origin }) {
  if (typeof referrer !== "string" || !referrer.trim()) {
    throw new NeonClientError("client", "referrer is required: name who provisions the database, e.g. \"my-app\"", { reason: "missing_parameter" });
  }
  const plan = seed && readSeedPlan(seed.path); // a bad seed file fails before anything is created
  const { registration, credentials, session } = await registerToEnvFile({
    envFile: dotEnvFile, key: dotEnvKey, origin, source: referrer.trim(), fetch,
  });
  if (plan) await seedDatabase(credentials.databaseUrl, plan, { sqlEndpoint, fetch });
  return {
    databaseUrl: credentials.databaseUrl,
    projectId: registration.projectId,
    claimExpiresAt: new Date(registration.expiresAt),
    session,
  };
}
