// The benchmarks of `npm run bench`, one after the other: each runs to its end even when an
// earlier one missed a target, and the run exits 1 naming every benchmark that missed one.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHMARKS = ["size.mjs", "throughput.mjs", "operation-wait.mjs", "calls.mjs", "sql.mjs", "cold-start.mjs"];
const missed = [];
for (const name of BENCHMARKS) {
  console.log(`== bench/${name}`);
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], { stdio: "inherit" });
  if (run.status !== 0) missed.push(`bench/${name} (${run.status === null ? `killed by ${run.signal}` : `exit ${run.status}`})`);
}
if (missed.length) {
  console.error(`missed a target or failed: ${missed.join(", ")}`);
  process.exitCode = 1;
}
