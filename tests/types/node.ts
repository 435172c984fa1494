// Type-checked (tsc --strict) by tests/js/types.test.mjs: neon-edge/node, the Node-only
// helpers (env files, seed files, the CLI's flow). Never run.
import * as fs from "node:fs";
import {
  assertKeysFree,
  assertWritableDir,
  envKeys,
  gitignoreWarning,
  instantPostgres,
  isGitIgnored,
  provisionToEnvFile,
  readEnvText,
  readEnvValue,
  readSeedPlan,
  seedDatabase,
  writeClaimableEnv,
  writeFileAtomic,
  type InstantPostgresOptions,
  type InstantPostgresResult,
  type ProvisionOptions,
  type ProvisionStep,
} from "neon-edge/node";
import type { ClaimableDatabase, SeedPlan, UnclaimedDatabase } from "neon-edge/postgres";

export async function usage(later: ClaimableDatabase): Promise<void> {
  const options: InstantPostgresOptions = {
    referrer: "app",
    dotEnvFile: ".env.local",
    dotEnvKey: "DATABASE_URL",
    envPrefix: "NEXT_PUBLIC_",
    seed: { type: "sql-script", path: "s.sql" },
    settings: { logicalReplication: false },
    baseUrl: "http://127.0.0.1:1/api/v1",
    sqlEndpoint: "http://127.0.0.1:1/sql",
    fetch: (r: Request) => fetch(r),
  };
  const out: InstantPostgresResult = await instantPostgres(options);
  const expires: Date = out.claimExpiresAt;
  const urls: string[] = [out.databaseUrl, out.databaseUrlDirect, out.claimUrl];

  const steps: ProvisionStep[] = [];
  const provision: ProvisionOptions = {
    referrer: "app",
    envFile: ".env",
    key: "DATABASE_URL",
    prefix: "PUBLIC_",
    logicalReplication: true,
    seedFile: "seed.sql",
    confirmDestructive: async (list) => list.every((s) => s.reasons.length > 0),
    report: (...step) => void steps.push(step),
    fs,
  };
  const db: UnclaimedDatabase = await provisionToEnvFile(provision);
  for (const [step, detail] of steps) {
    if (step === "written") void detail.keys[2];
    if (step === "created") void detail.claimUrl;
    if (step === "seed-progress") void detail.statement.firstLine;
  }

  assertKeysFree(".env", { key: "DATABASE_URL" });
  assertKeysFree(".env");
  assertWritableDir(".env");
  const keys: [string, string, string] = envKeys({ prefix: "PUBLIC_" });
  envKeys();
  const value: string | undefined = readEnvValue(".env", "DATABASE_URL");
  writeClaimableEnv(".env", db, { key: "K" });
  // @ts-expect-error: a database read later may be claimed: no connection strings to write
  writeClaimableEnv(".env", later);
  const text: string = readEnvText(".env");
  writeFileAtomic(".env", text);
  const ignored: boolean = isGitIgnored(".env");
  const seed: { text: string; plan: SeedPlan } = readSeedPlan("seed.sql");
  const warning: string | undefined = gitignoreWarning(".env");
  await seedDatabase(db.databaseUrl, seed, { sqlEndpoint: "http://127.0.0.1:1/sql", skip: 2, timeoutMs: 5000, report: (...step) => void steps.push(step) });
  // @ts-expect-error: a seed is what readSeedPlan returns, not the file's text
  await seedDatabase(db.databaseUrl, "CREATE TABLE t (x int)");
  void [expires, urls, keys, value, ignored, seed, warning];
}

// @ts-expect-error: referrer is required
void instantPostgres({});
// @ts-expect-error: the seed needs its type
void instantPostgres({ referrer: "x", seed: { path: "s.sql" } });
// @ts-expect-error: options are named as in neon-new (dotEnvFile, not envFile)
void instantPostgres({ referrer: "x", envFile: ".env" });
