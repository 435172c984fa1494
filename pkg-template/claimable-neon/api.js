// What every `neon-edge/claimable-neon` entry exports: the glue's exports, with the panic-guarded
// functions and session (../guard.js) in place of the glue's, and the error classes.
import * as glue from "../neon_edge_claimable_neon.js";
import { guardModule } from "../guard.js";
import { guardedPostgres } from "../postgres/guarded.js";

export * from "../neon_edge_claimable_neon.js";
export * from "../errors.js";

const guard = guardModule(glue);
export const {
  claimableEnvKeys, createClaimableDatabase, getClaimableDatabase, mergeClaimableEnv, planSeed, readDotEnv, sql,
} = guardedPostgres(guard);
export const registerClaimableNeon = guard.wrap("registerClaimableNeon");
// Rebuilt from its options after a reset: the token cache starts empty and is filled again
// from the identity assertion.
export const ClaimableNeonSession = guard.client(glue.ClaimableNeonSession);
