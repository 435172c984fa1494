// Cold start: process start → module instantiated → first call answered, for neon-edge
// (getProject) against @neon/sdk and for neon-edge/postgres (a 1-row query) against
// @neondatabase/serverless `neon()`, against the loopback server of bench/loopback.mjs.
//   - Node: a fresh `node` process per sample; it reports `performance.now()` (milliseconds
//     since the process started) after the import and after the first answer.
//   - workerd (miniflare): a fresh workerd per sample, the Worker bundled as wrangler does;
//     measured from outside (workerd's clock stands still while code runs): start until the
//     Worker is ready (the module instantiated at its top level), then the first request.
// Samples alternate between clients (same load for each); medians of --runs samples.
//
// Target: neon-edge's first answer (process start → first call answered) no later than its
// peer's, in Node and in workerd. Exits 1 naming each missed target.
//
//   npm run build && node bench/cold-start.mjs [--runs 5]
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, WORKERD_MODULE_RULES } from "../tests/support/workerd.mjs";
import { startLoopback } from "./loopback.mjs";
import { arg, fmt, ratioChart, stats } from "./measure.mjs";
import { SQL } from "./sql-fixtures.mjs";
import { target, verdict } from "./targets.mjs";

const runs = arg("runs", 5);
const root = fileURLToPath(new URL("..", import.meta.url));
const server = await startLoopback();
const connectionString = "postgresql://bench:not-a-secret@ep-bench-123456.us-east-2.aws.neon.tech/neondb";
const projectId = "fixture";
const [oneRowText, oneRowParams] = SQL.calls.oneRow;

// Each client: what to import and how to make its first call, given `base` (the loopback URL).
const CLIENTS = {
  "neon-edge": {
    imports: `import { NeonClient } from "neon-edge";`,
    call: `await new NeonClient({ apiKey: "napi_bench", baseUrl: base + "/api/v2" }).getProject({ projectId: ${JSON.stringify(projectId)} });`,
  },
  "@neon/sdk": {
    imports: `import { createNeonClient } from "@neon/sdk";`,
    call: `await createNeonClient({ apiKey: "napi_bench", baseUrl: base + "/api/v2", throwOnError: true }).projects.get({ projectId: ${JSON.stringify(projectId)} });`,
  },
  "neon-edge/postgres": {
    imports: `import { sql } from "neon-edge/postgres";`,
    call: `await sql(${JSON.stringify(connectionString)}, { endpoint: base + "/sql" }).query(${JSON.stringify(oneRowText)}, ${JSON.stringify(oneRowParams)});`,
  },
  "@neondatabase/serverless": {
    imports: `import { neon, neonConfig } from "@neondatabase/serverless";`,
    call: `neonConfig.fetchEndpoint = () => base + "/sql"; await neon(${JSON.stringify(connectionString)}).query(${JSON.stringify(oneRowText)}, ${JSON.stringify(oneRowParams)});`,
  },
};
const PAIRS = [["neon-edge", "@neon/sdk"], ["neon-edge/postgres", "@neondatabase/serverless"]];

/** One Node sample: `{ instantiated, answered }` in ms since the process started. */
function nodeSample(client) {
  const { imports, call } = CLIENTS[client];
  // Static imports are evaluated before the module body: the first line of the body is the
  // moment the client's module is instantiated.
  const script = `${imports}\nconst instantiated = performance.now();\nconst base = ${JSON.stringify(server.url)};\n` +
    `${call}\nconsole.log(JSON.stringify({ instantiated, answered: performance.now() }));`;
  // The child's request goes to this process's server: spawn without blocking its event loop.
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { cwd: root }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${client}: ${stderr || error.message}`));
      resolve(JSON.parse(stdout));
    });
  });
}

/** One workerd sample: `{ instantiated, answered }` in ms since `new Miniflare`. */
async function workerdSample(client, dir) {
  const start = performance.now();
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, `${client.replace(/\W/g, "_")}.mjs`),
    modulesRoot: dir,
    modulesRules: WORKERD_MODULE_RULES,
    compatibilityDate: "2025-01-01",
    compatibilityFlags: ["nodejs_compat"],
    bindings: { BASE: server.url },
  });
  try {
    await mf.ready;
    const instantiated = performance.now() - start;
    const res = await mf.dispatchFetch("http://worker.test/");
    if (!res.ok) throw new Error(`${client} in workerd: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return { instantiated, answered: performance.now() - start };
  } finally {
    await mf.dispose();
  }
}

const dir = mkdtempSync(join(tmpdir(), "neon-edge-cold-"));
for (const [client, { imports, call }] of Object.entries(CLIENTS)) {
  const worker = `${imports}\nexport default { async fetch(request, env) { const base = env.BASE; ${call} return new Response("ok"); } };`;
  await bundleForWorkerd({ stdin: { contents: worker, resolveDir: root, loader: "js" } }, join(dir, `${client.replace(/\W/g, "_")}.mjs`));
}

const chart = [];
const results = {};
try {
  for (const [runtime, sample] of [["Node", nodeSample], ["workerd", (c) => workerdSample(c, dir)]]) {
    for (const pair of PAIRS) {
      const samples = Object.fromEntries(pair.map((c) => [c, []]));
      await sample(pair[0]); // warms the file cache for both
      await sample(pair[1]);
      for (let i = 0; i < runs; i++) for (const c of i % 2 ? [...pair].reverse() : pair) samples[c].push(await sample(c));
      console.log(`\n${runtime}, ${pair.join(" vs ")}: ms, median (min, max) of ${runs}`);
      for (const c of pair) {
        const inst = stats(samples[c].map((s) => s.instantiated));
        const first = stats(samples[c].map((s) => s.answered - s.instantiated));
        const total = stats(samples[c].map((s) => s.answered));
        console.log(`  ${c.padEnd(26)} instantiated ${fmt(inst, 1)}; first call ${fmt(first, 1)}; total ${fmt(total, 1)}`);
        results[`${runtime} ${c}`] = { inst, first, total };
      }
      const [ours, peer] = pair.map((c) => results[`${runtime} ${c}`].total.median);
      const r = ours / peer;
      console.log(`  ratio of totals (medians) ${r.toFixed(2)}`);
      target(`${runtime}: ${pair[0]} cold start ${r.toFixed(2)} × ${pair[1]} (target <= 1.00)`, r, { atMost: 1.0 });
      chart.push({ label: `${runtime}: ${pair[0]} ÷ ${pair[1]}`, value: r, target: 1.0 });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
}
ratioChart(new URL("./cold-start.svg", import.meta.url), "Cold start to first answer: neon-edge ÷ peer (medians)", chart);
process.exitCode = verdict();
