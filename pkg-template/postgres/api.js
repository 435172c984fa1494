// What every `neon-edge/postgres` entry exports: the glue's exports, with the panic-guarded
// functions (../guard.js) in place of the glue's, and the error classes.
import * as glue from "../neon_edge_postgres.js";
import { guardModule, stringArgumentError } from "../guard.js";

export * from "../neon_edge_postgres.js";
export * from "../errors.js";

const guard = guardModule(glue);
const envKeys = guard.wrap("claimableEnvKeys");
/** `claimableEnvKeys(key?, prefix?)`: both reach Rust as strings, so they are checked first. */
export function claimableEnvKeys(key, prefix) {
  const error = stringArgumentError("claimableEnvKeys", "key", key, { optional: true })
    ?? stringArgumentError("claimableEnvKeys", "prefix", prefix, { optional: true });
  if (error) throw error;
  return envKeys(key, prefix);
}
export const createClaimableDatabase = guard.wrap("createClaimableDatabase");
export const getClaimableDatabase = guard.wrap("getClaimableDatabase");
export const mergeClaimableEnv = guard.wrap("mergeClaimableEnv");
export const planSeed = guard.wrap("planSeed");
export const readDotEnv = guard.wrap("readDotEnv");
export const sql = guard.wrap("sql");
