// Type-checked (tsc --strict) by tests/js/types.test.mjs: every function of neon-edge/postgres
// — Claimable Postgres, SQL over HTTP, seed plans, .env text — as users' code meets it.
// Never run.
import {
  claimableEnvKeys,
  createClaimableDatabase,
  getClaimableDatabase,
  mergeClaimableEnv,
  planSeed,
  readDotEnv,
  sql,
  NeonSql,
  type ClaimableDatabase,
  type ClaimableEnvBlock,
  type ClaimableOptions,
  type ClaimStatus,
  type CreateClaimableDatabaseOptions,
  type DestructiveSeedStatement,
  type SeedOptions,
  type SeedPlan,
  type SeedStatement,
  type SqlField,
  type SqlOptions,
  type SqlParam,
  type SqlResult,
  type SqlStatement,
  type SqlTransactionOptions,
  type UnclaimedDatabase,
} from "neon-edge/postgres";
import type { Assert, Equal } from "./assert.js";

type _rows = Assert<Equal<SqlResult["rows"], Record<string, unknown>[]>>;
type _typedRows = Assert<Equal<SqlResult<{ n: number }>["rows"], { n: number }[]>>;
type _created = Assert<Equal<ReturnType<typeof createClaimableDatabase>, Promise<UnclaimedDatabase>>>;
type _read = Assert<Equal<ReturnType<typeof getClaimableDatabase>, Promise<ClaimableDatabase>>>;
type _sqlTemplate = Assert<Equal<ReturnType<NeonSql["sql"]>, Promise<SqlResult>>>;

export async function usage(signal: AbortSignal): Promise<void> {
  const common: ClaimableOptions = { baseUrl: "http://127.0.0.1:1/api/v1", fetch: (r: Request) => fetch(r), timeoutMs: 5_000, signal };
  const create: CreateClaimableDatabaseOptions = { ...common, ref: "app", logicalReplication: true };
  const db: UnclaimedDatabase = await createClaimableDatabase(create);
  const url: string = db.databaseUrl;
  const direct: string = db.databaseUrlDirect;
  const fields: string[] = [db.id, db.neonProjectId, db.claimUrl, db.expiresAt, db.createdAt, db.updatedAt ?? ""];
  const again: ClaimableDatabase = await getClaimableDatabase(db.id);
  await getClaimableDatabase(db.id, common);
  const later: string | null = again.databaseUrl ?? again.databaseUrlDirect;
  const status: ClaimStatus = again.status;
  if (status === "CLAIMED" || status === "CLAIMING" || status === "UNCLAIMED" || status === "DELETED_LATER") void status;

  const options: SqlOptions = { endpoint: "http://127.0.0.1:1/sql", fetch: (r: Request) => fetch(r), timeoutMs: 1_000 };
  const q: NeonSql = sql(url, options);
  sql("postgresql://u:p@h/db");
  const endpoint: string = q.endpoint;
  const params: SqlParam[] = [1, "a", null, undefined, true, new Date(), new Uint8Array(1), 2n, [1, 2], { a: 1 }];
  const one: SqlResult = await q.query("SELECT $1::int AS n", params, { signal });
  await q.query("SELECT 1");
  const n: unknown = one.rows[0]?.["n"];
  const columns: SqlField[] = one.fields;
  const described = columns.map((f) => `${f.name} ${f.dataTypeID} ${f.tableID}`);
  const command: string = one.command;
  const tagged: SqlResult = await q.sql`SELECT ${1}::int, ${"a"}, ${null}`;
  const statements: SqlStatement[] = ["SELECT 1", ["SELECT $1", [1]], ["SELECT 3"], { text: "SELECT $1", params: [2] }, { text: "SELECT 2" }];
  const tx: SqlTransactionOptions = { isolationLevel: "Serializable", readOnly: true, deferrable: false, signal };
  const rows: SqlResult[] = await q.transaction(statements, tx);
  await q.transaction(["SELECT 1"]);
  const count: number | null = rows[0]?.rowCount ?? null;

  const plan: SeedPlan = planSeed("DROP TABLE t;");
  const first: SeedStatement | undefined = plan.statements[0];
  const destructive: DestructiveSeedStatement[] = plan.destructive;
  const reasons: string[] = destructive.flatMap((d) => [...d.reasons, d.firstLine, String(d.number + d.line)]);
  const seedOptions: SeedOptions = {
    onProgress: ({ statement, total }) => void [statement.number, statement.line, statement.text, statement.firstLine, total],
    onDestructive: async (list) => list.length === 0,
    signal,
  };
  const seeded: { statements: number } = await q.seed("SELECT 1;", seedOptions);
  await q.seed("SELECT 1;");
  await q.seed("DROP TABLE t;", { onDestructive: () => false });

  const block: ClaimableEnvBlock = { databaseUrl: "a", databaseUrlDirect: "b", claimUrl: "c", expiresAt: "d", key: "K", prefix: "NEXT_PUBLIC_" };
  const text: string = mergeClaimableEnv("", block);
  const env: Record<string, string> = readDotEnv(text);
  const keys: [string, string, string] = claimableEnvKeys("DATABASE_URL", "PUBLIC_");
  claimableEnvKeys();
  void [direct, later, fields, endpoint, n, described, command, tagged, count, first, reasons, seeded, env, keys];
}

// @ts-expect-error: ref is required
void createClaimableDatabase({});
// @ts-expect-error: options are checked for misspellings
void createClaimableDatabase({ ref: "x", logicalReplica: true });
// @ts-expect-error: a connection string is required
sql();
// @ts-expect-error: a database read later may be claimed: no connection string
void getClaimableDatabase("id").then((db) => sql(db.databaseUrl));
// @ts-expect-error: sql options are checked for misspellings
sql("postgresql://u:p@h/db", { endPoint: "x" });
// @ts-expect-error: an isolation level Postgres does not have
void sql("postgresql://u:p@h/db").transaction([], { isolationLevel: "Snapshot" });
// @ts-expect-error: the .env block needs the connection strings
mergeClaimableEnv("", { claimUrl: "c", expiresAt: "d" });
