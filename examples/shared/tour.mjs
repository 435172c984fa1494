// @ts-check
// What the Node, Deno and Bun examples run — list projects, create a branch and wait for it,
// query a claimable database — and the Edge function's provisioning step, written once: the
// calls are the same in every runtime; what differs is how each starts and reads its
// environment (see main.ts / index.ts / index.mjs beside each example).
import { NeonClient } from "neon-edge";
import { createClaimableDatabase, sql } from "neon-edge/postgres";

/**
 * Reads one environment variable: `Deno.env.get(name)`, `Bun.env[name]`, `process.env[name]`.
 * @typedef {(name: string) => string | undefined} EnvReader
 */

/** Who provisions the claimable databases (Neon records it with each one). */
export const REFERRER = "neon-edge-examples";

/**
 * The environment variable, or `undefined` when it is unset or empty: `NEON_BASE_URL=` means
 * Neon's own URL, as when it is unset, and `NEON_API_KEY=` is a missing key.
 * @param {EnvReader} env
 * @param {string} name
 */
const setting = (env, name) => env(name) || undefined;

/**
 * Provisions a claimable database (no Neon account needed), creates a table in it and inserts
 * a row naming the runtime: the database answers with that row. Reads NEON_CLAIMABLE_URL
 * (default https://neon.new/api/v1) and NEON_SQL_ENDPOINT (default: derived from the
 * database's host, as on Neon). The connection string stays inside: it holds the password.
 * @param {{ runtime: string, env: EnvReader }} options
 */
export async function greetFromClaimableDatabase({ runtime, env }) {
  const db = await createClaimableDatabase({ ref: REFERRER, baseUrl: setting(env, "NEON_CLAIMABLE_URL") });
  const endpoint = setting(env, "NEON_SQL_ENDPOINT");
  const pg = sql(db.databaseUrl, endpoint ? { endpoint } : {});
  const [, inserted] = await pg.transaction([
    "CREATE TABLE greetings (runtime text NOT NULL, at timestamptz NOT NULL DEFAULT now())",
    ["INSERT INTO greetings (runtime) VALUES ($1) RETURNING runtime, at", [runtime]],
  ]);
  return {
    database: { id: db.id, status: db.status, claimUrl: db.claimUrl, expiresAt: db.expiresAt },
    greeting: inserted.rows[0],
  };
}

/**
 * A thrown value as one line: the error class, its `kind` for neon-edge's errors, its message
 * (neon-edge never puts the API key or a password in one).
 * @param {unknown} error
 */
export function describeError(error) {
  if (!(error instanceof Error)) return String(error);
  const kind = "kind" in error && typeof error.kind === "string" ? ` (${error.kind})` : "";
  return `${error.name}${kind}: ${error.message}`;
}

/**
 * Creates the branch `neon-edge-<runtime>` with a read-write endpoint in the project and waits
 * until its operations have finished — or finds it from an earlier run, so re-runs add no
 * branches.
 * @param {NeonClient} neon
 * @param {string} projectId
 * @param {string} runtime
 */
async function branchAndWait(neon, projectId, runtime) {
  const name = `neon-edge-${runtime}`;
  for await (const branch of neon.paginate.listProjectBranches({ projectId, search: name })) {
    if (branch.name === name) return { branch, created: false, polls: 0 };
  }
  const created = await neon.createProjectBranch({ projectId, body: { branch: { name }, endpoints: [{ type: "read_write" }] } });
  let polls = 0;
  await neon.waitForOperations({ projectId, operations: created.operations, onProgress: (p) => { polls = p.polls; } });
  const { branch } = await neon.getProjectBranch({ projectId, branchId: created.branch.id });
  return { branch, created: true, polls };
}

/**
 * The three steps, printed as they go. Resolves to the process exit code: 0 when all three
 * worked, 1 when a call failed (the error is printed), 2 when a setting is missing.
 * Reads NEON_API_KEY (required), NEON_BASE_URL (default https://console.neon.tech/api/v2),
 * NEON_PROJECT_ID (default: the first project listed), NEON_CLAIMABLE_URL, NEON_SQL_ENDPOINT.
 * @param {{ runtime: string, version: string, env: EnvReader }} options
 *   `runtime` names the branch and the greeting row (`deno`); `version` is printed first.
 */
export async function runTour({ runtime, version, env }) {
  console.log(`neon-edge on ${version}`);
  const apiKey = setting(env, "NEON_API_KEY");
  if (!apiKey) {
    console.error("Set NEON_API_KEY to a Neon API key (console.neon.tech, Account settings > API keys).");
    return 2;
  }
  try {
    const neon = new NeonClient({ apiKey, baseUrl: setting(env, "NEON_BASE_URL") });
    const { projects } = await neon.listProjects({ limit: 10 });
    console.log(`✔ ${projects.length} project(s): ${projects.map((p) => `${p.name} (${p.id})`).join(", ")}`);

    const projectId = setting(env, "NEON_PROJECT_ID") ?? projects[0]?.id;
    if (!projectId) {
      console.error("No project to branch: create one in the Neon console, or set NEON_PROJECT_ID.");
      return 2;
    }
    const { branch, created, polls } = await branchAndWait(neon, projectId, runtime);
    const how = created ? `created, ${branch.current_state} after ${polls} poll(s)` : `already there, ${branch.current_state}`;
    console.log(`✔ branch ${branch.name} (${branch.id}) in ${projectId}: ${how}`);

    const { database, greeting } = await greetFromClaimableDatabase({ runtime, env });
    console.log(`✔ claimable database ${database.id} (${database.status}) answered ${JSON.stringify(greeting)}`);
    console.log(`  claim it before ${database.expiresAt} at ${database.claimUrl}`);
    return 0;
  } catch (error) {
    console.error(`✘ ${describeError(error)}`);
    return 1;
  }
}
