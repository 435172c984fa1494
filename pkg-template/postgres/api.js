// What every `neon-edge/postgres` entry exports: the glue's exports, with the panic-guarded
// functions (../guard.js) in place of the glue's, and the error classes.
import * as glue from "../neon_edge_postgres.js";
import { guardModule } from "../guard.js";
import { guardedPostgres } from "./guarded.js";

export * from "../neon_edge_postgres.js";
export * from "../errors.js";

export const {
  claimableEnvKeys, createClaimableDatabase, getClaimableDatabase, mergeClaimableEnv, planSeed, readDotEnv, sql,
} = guardedPostgres(guardModule(glue));
