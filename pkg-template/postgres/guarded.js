// The panic-guarded functions of the Postgres half (../guard.js), for every module that carries
// it: `neon-edge/postgres` and `neon-edge/claimable-neon`.
import { stringArgumentError } from "../guard.js";

export function guardedPostgres(guard) {
  const envKeys = guard.wrap("claimableEnvKeys");
  return {
    /** `claimableEnvKeys(key?, prefix?)`: both reach Rust as strings, so they are checked first. */
    claimableEnvKeys(key, prefix) {
      const error = stringArgumentError("claimableEnvKeys", "key", key, { optional: true })
        ?? stringArgumentError("claimableEnvKeys", "prefix", prefix, { optional: true });
      if (error) throw error;
      return envKeys(key, prefix);
    },
    createClaimableDatabase: guard.wrap("createClaimableDatabase"),
    getClaimableDatabase: guard.wrap("getClaimableDatabase"),
    mergeClaimableEnv: guard.wrap("mergeClaimableEnv"),
    planSeed: guard.wrap("planSeed"),
    readDotEnv: guard.wrap("readDotEnv"),
    sql: guard.wrap("sql"),
  };
}
