// Type-checked (tsc --strict) by tests/js/types.test.mjs: the published types of the
// Claimable Postgres, SQL and neon-edge/node APIs as a user's code meets them.
import {
  createClaimableDatabase, getClaimableDatabase, sql, planSeed, mergeClaimableEnv, readDotEnv,
  NeonSqlError, NeonClientError, type NeonClientErrorReason, type ClaimableDatabase, type SqlResult, type SeedPlan,
} from "neon-edge/postgres";
import { instantPostgres, type InstantPostgresResult } from "neon-edge/node";

export async function usage(): Promise<void> {
  const db: ClaimableDatabase = await createClaimableDatabase({ ref: "app", logicalReplication: true });
  const url: string | null = db.databaseUrl;
  const again = await getClaimableDatabase(db.id);
  if (again.status === "CLAIMED" && again.databaseUrl === null) return;
  const q = sql(url ?? "", { endpoint: "http://127.0.0.1:1/sql" });
  const one: SqlResult = await q.query("SELECT $1::int AS n", [1, "a", null, new Date(), new Uint8Array(1), 2n, [1, 2]]);
  const n: unknown = one.rows[0]?.["n"];
  const tagged: SqlResult = await q.sql`SELECT ${1}::int, ${"a"}, ${null}`;
  const rows = await q.transaction(["SELECT 1", ["SELECT $1", [1]], { text: "SELECT 2" }], { isolationLevel: "Serializable" });
  const count: number | null = rows[0]?.rowCount ?? null;
  const plan: SeedPlan = planSeed("DROP TABLE t;");
  const reasons: string[] = plan.destructive.flatMap((d) => d.reasons);
  await q.seed("SELECT 1;", { onProgress: (p) => p.statement.number + p.total, onDestructive: async (list) => list.length === 0 });
  const text: string = mergeClaimableEnv("", { databaseUrl: "a", databaseUrlDirect: "b", claimUrl: "c", expiresAt: "d", key: "K" });
  const env: Record<string, string> = readDotEnv(text);
  const out: InstantPostgresResult = await instantPostgres({ referrer: "app", seed: { type: "sql-script", path: "s.sql" }, settings: { logicalReplication: false } });
  const expires: Date = out.claimExpiresAt;
  try { await q.query("x"); } catch (e) {
    if (e instanceof NeonSqlError) { const code: string = e.code; void code; }
    if (e instanceof NeonClientError) { const kind: "client" = e.kind; const reason: NeonClientErrorReason = e.reason; void [kind, reason]; }
  }
  void [n, tagged, count, reasons, env, expires];
}

// @ts-expect-error ref is required
void createClaimableDatabase({});
// @ts-expect-error seed needs the sql-script type
void instantPostgres({ referrer: "x", seed: { path: "s.sql" } });
