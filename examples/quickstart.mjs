// A tour of neon-edge: an instant claimable database (seeded and queried over SQL-over-HTTP),
// then the Management API — a project, a branch, a snapshot, a restore — and a typed error.
//
// Against Neon:     NEON_API_KEY=... node examples/quickstart.mjs
// Against a local emulator (what `npm run demo` does): also set NEON_BASE_URL,
// NEON_CLAIMABLE_URL and NEON_SQL_ENDPOINT to the emulator's URLs.
import { NeonClient, NeonApiError } from "neon-edge";
import { createClaimableDatabase, sql } from "neon-edge/postgres";

const env = process.env;
if (!env.NEON_API_KEY) {
  console.error("Set NEON_API_KEY (or run `npm run demo`, which starts a local emulator).");
  process.exit(2);
}
const sqlOptions = env.NEON_SQL_ENDPOINT ? { endpoint: env.NEON_SQL_ENDPOINT } : {};
const step = (what, value) => console.log(`✔ ${what}${value === undefined ? "" : " " + JSON.stringify(value)}`);

// 1. Claimable Postgres: no account needed.
const db = await createClaimableDatabase({ ref: "neon-edge-demo", baseUrl: env.NEON_CLAIMABLE_URL });
step("claimable database", { id: db.id, status: db.status, expiresAt: db.expiresAt });
step("claim it within 72 hours at", db.claimUrl);

const pg = sql(db.databaseUrl, sqlOptions);
const seeded = await pg.seed(`
  CREATE TABLE todo (id serial PRIMARY KEY, title text NOT NULL, done boolean DEFAULT false);
  INSERT INTO todo (title) VALUES ('try neon-edge'), ('claim the database; it''s free');
`);
step("seeded statements", seeded.statements);
const { rows } = await pg.query("SELECT id, title, done FROM todo WHERE done = $1 ORDER BY id", [false]);
step("queried rows", rows);

// 2. Management API.
const neon = new NeonClient({ apiKey: env.NEON_API_KEY, baseUrl: env.NEON_BASE_URL });
const created = await neon.createProject({ body: { project: { name: "neon-edge-demo" } } }, { wait: true });
const { project } = created;
const main = created.branch;
step("created project", { id: project.id, region: project.region_id, pg: project.pg_version, branch: main.name });

const app = sql(created.connection_uris[0].connection_uri, sqlOptions);
await app.query("CREATE TABLE notes (body text)");
await app.query("INSERT INTO notes VALUES ($1)", ["before the snapshot"]);

const dev = await neon.createProjectBranch(
  { projectId: project.id, body: { branch: { name: "dev", parent_id: main.id }, endpoints: [{ type: "read_write" }] } },
  { wait: true },
);
step("created branch", { id: dev.branch.id, name: dev.branch.name, parent: dev.branch.parent_id });

const { snapshot } = await neon.createSnapshot({ projectId: project.id, branchId: main.id, name: "checkpoint" }, { wait: true });
step("took snapshot", { id: snapshot.id, name: snapshot.name });

await app.query("INSERT INTO notes VALUES ($1)", ["after the snapshot"]);
step("notes before restore", (await app.query("SELECT body FROM notes ORDER BY body")).rows.map((r) => r.body));

const restored = await neon.restoreSnapshot(
  { projectId: project.id, snapshotId: snapshot.id, body: { name: "main-restored", finalize_restore: true, target_branch_id: main.id } },
  { wait: true },
);
step("restored snapshot", { branch: restored.branch.name });
const { branches } = await neon.listProjectBranches({ projectId: project.id });
step("branches now", branches.map((b) => b.name).sort());
step("notes after restore (same connection string)", (await app.query("SELECT body FROM notes ORDER BY body")).rows.map((r) => r.body));

const missing = await neon.getProject({ projectId: "no-such-project" }).catch((e) => e);
step("a missing project is a typed error", {
  isNeonApiError: missing instanceof NeonApiError, kind: missing.kind, status: missing.status,
});

await neon.deleteProject({ projectId: project.id });
step("deleted project", project.id);
