// Claimable Neon in a .env file, for the CLI, `instantPostgres` and the Vite plugin: register,
// write the identity assertion beside DATABASE_URL (never overwriting a key), and open a
// session again from what the file holds. The neon-edge/claimable-neon wasm module is imported
// only here and only when called, so neon-edge/node keeps loading just the postgres module.
import * as nodeFs from "node:fs";
import { readEnvText, writeFileAtomic } from "./envfile.js";
import { readDotEnv, NeonClientError } from "../postgres/node.js";

/** The service's own origin: NEON_CLAIMABLE_ORIGIN is written only when another one is used. */
export const DEFAULT_ORIGIN = "https://claimable.neon.tech";

/** The keys written beside the connection string. */
export const CLAIMABLE_NEON_KEYS = {
  assertion: "NEON_CLAIMABLE_ASSERTION",
  projectId: "NEON_CLAIMABLE_PROJECT_ID",
  origin: "NEON_CLAIMABLE_ORIGIN",
};

const claimableNeon = () => import("../claimable-neon/node.js");

/** Characters a .env reader takes back unchanged without quotes (every value written here has only these). */
const BARE = /^[A-Za-z0-9\-_.,/:@%+=?&~]*$/;

/** The `[key, value]` pairs for a registration's file entry, DATABASE_URL under `key`. */
function entries({ key, databaseUrl, identityAssertion, projectId, origin }) {
  const list = [[key, databaseUrl], [CLAIMABLE_NEON_KEYS.assertion, identityAssertion], [CLAIMABLE_NEON_KEYS.projectId, projectId]];
  if (origin !== DEFAULT_ORIGIN) list.push([CLAIMABLE_NEON_KEYS.origin, origin]);
  return list;
}

/** Throws `keys_exist` (nothing created) when `envFile` already sets one of `keys`. */
export function assertClaimableNeonKeysFree(envFile, keys, { fs = nodeFs } = {}) {
  const env = readDotEnv(readEnvText(envFile, { fs }));
  const taken = keys.filter((k) => env[k] !== undefined);
  if (taken.length) {
    throw new NeonClientError("client",
      `${envFile} already sets ${taken.join(", ")}: nothing was created. Remove those lines, write to another file with --env, or use another key with --key.`,
      { reason: "keys_exist", code: "keys_exist", keys: taken });
  }
}

/** Appends the entries after the file's own text, atomically, keeping every other byte. */
function appendEntries(envFile, list, { fs }) {
  const text = readEnvText(envFile, { fs });
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  let block = text && !text.endsWith("\n") ? eol : "";
  block += `# Claimable Neon: the identity assertion is a secret (it stands for the project).${eol}`;
  for (const [k, v] of list) {
    if (!BARE.test(v)) throw new NeonClientError("client", `${k} has characters that cannot be written unquoted`, { reason: "invalid_value" });
    block += `${k}=${v}${eol}`;
  }
  writeFileAtomic(envFile, text + block, { fs });
}

/**
 * Registers with Claimable Neon, reads the project's credentials and writes them to `envFile`
 * (`key`, default DATABASE_URL, plus NEON_CLAIMABLE_*). Keys already set: `keys_exist`, before
 * anything is registered. Resolves to `{ registration, credentials, session, keys }`.
 */
export async function registerToEnvFile({
  envFile = ".env", key = "DATABASE_URL", origin = DEFAULT_ORIGIN, source, fetch, fs = nodeFs, report = () => {},
} = {}) {
  const planned = entries({ key, databaseUrl: "", identityAssertion: "", projectId: "", origin }).map(([k]) => k);
  assertClaimableNeonKeysFree(envFile, planned, { fs });
  const { registerClaimableNeon, ClaimableNeonSession } = await claimableNeon();
  report("register", { origin });
  const registration = await registerClaimableNeon({ origin, source, fetch });
  const session = new ClaimableNeonSession({ origin, fetch, identityAssertion: registration.identityAssertion, projectId: registration.projectId });
  const credentials = await session.credentials();
  try {
    appendEntries(envFile, entries({ key, databaseUrl: credentials.databaseUrl, identityAssertion: registration.identityAssertion, projectId: registration.projectId, origin }), { fs });
  } catch (e) {
    e.projectId = registration.projectId;
    e.phase = "write";
    throw e;
  }
  return { registration, credentials, session, keys: planned };
}

/**
 * The session stored in `envFile` (origin: the argument, else NEON_CLAIMABLE_ORIGIN in the file,
 * else the service's). Throws `no_assertion` when the file has no assertion.
 */
export async function sessionFromEnvFile({ envFile = ".env", origin, fetch, fs = nodeFs } = {}) {
  const env = readDotEnv(readEnvText(envFile, { fs }));
  const identityAssertion = env[CLAIMABLE_NEON_KEYS.assertion];
  const projectId = env[CLAIMABLE_NEON_KEYS.projectId];
  if (!identityAssertion || !projectId) {
    throw new NeonClientError("client",
      `no ${CLAIMABLE_NEON_KEYS.assertion} and ${CLAIMABLE_NEON_KEYS.projectId} in ${envFile}: create one with \`npx neon-edge claimable create\``,
      { reason: "no_assertion", code: "no_assertion" });
  }
  const { ClaimableNeonSession } = await claimableNeon();
  const chosen = origin ?? env[CLAIMABLE_NEON_KEYS.origin] ?? DEFAULT_ORIGIN;
  return new ClaimableNeonSession({ origin: chosen, fetch, identityAssertion, projectId });
}

const SERVICES = ["neon.new", "claimable-neon"];

/**
 * Checks `service` and the options that belong to one service only (`origin` to Claimable
 * Neon; `baseUrl`, `envPrefix` and logical replication to neon.new). `fail(option, message)`
 * builds the caller's error. Returns the service, "neon.new" by default.
 */
export function chooseService({ service = "neon.new", origin, baseUrl, envPrefix, logicalReplication }, fail) {
  if (!SERVICES.includes(service)) throw fail("service", `service must be "neon.new" or "claimable-neon"; got ${JSON.stringify(service)}`);
  const foreign = service === "neon.new"
    ? [["origin", origin]]
    : [["baseUrl", baseUrl], ["envPrefix", envPrefix], ["settings", logicalReplication || undefined]];
  const [name] = foreign.find(([, value]) => value !== undefined) ?? [];
  if (name) throw fail(name, `${name} does not apply to service "${service}"`);
  if (origin !== undefined && (typeof origin !== "string" || !/^https?:\/\/[^\s/]+\/?$/.test(origin))) {
    throw fail("origin", `origin must be the service's scheme and host, e.g. "https://claimable.neon.tech"; got ${JSON.stringify(origin)}`);
  }
  return service;
}
