// A first tour of neon-edge from Node: list, create, connect, inspect operations, delete.
// Usage: NEON_API_KEY=... [NEON_BASE_URL=http://127.0.0.1:PORT/api/v2] node examples/quickstart.mjs
import { NeonClient, NeonApiError } from "neon-edge";

const apiKey = process.env.NEON_API_KEY;
if (!apiKey) {
  console.error("Set NEON_API_KEY (or run `npm run demo`, which starts a local emulator).");
  process.exit(2);
}
const neon = new NeonClient({ apiKey, baseUrl: process.env.NEON_BASE_URL });
const step = (what, value) => console.log(`✔ ${what}`, value === undefined ? "" : JSON.stringify(value));

const { project, connection_uris, operations } = await neon.createProject({ body: { project: { name: "neon-edge-quickstart" } } });
step("created project", { id: project.id, region: project.region_id, pg: project.pg_version });
step("its connection URI host", new URL(connection_uris[0].connection_uri).host);
step("operations started", operations.map((o) => `${o.action}:${o.status}`));

const { projects } = await neon.listProjects({ limit: 10 });
step("listed projects", projects.map((p) => p.id));

const op = await neon.getProjectOperation({ projectId: project.id, operationId: operations[0].id });
step("first operation now", `${op.operation.action}:${op.operation.status}`);

const { operations: all } = await neon.listProjectOperations({ projectId: project.id });
step("operations on record", all.length);

const missing = await neon.getProject({ projectId: "no-such-project" }).catch((e) => e);
step("a missing project is a typed error", {
  isNeonApiError: missing instanceof NeonApiError, kind: missing.kind, status: missing.status, requestId: missing.requestId,
});

await waitUntilIdle(project.id);
await neon.deleteProject({ projectId: project.id });
step("deleted project", project.id);

async function waitUntilIdle(projectId) {
  for (let i = 0; i < 100; i++) {
    const { operations } = await neon.listProjectOperations({ projectId });
    if (operations.every((o) => ["finished", "skipped", "failed", "error", "cancelled"].includes(o.status))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
