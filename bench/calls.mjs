// Per-call cost of Management calls: neon-edge against raw `fetch` + `res.json()` and
// @neon/sdk, sequential calls against a loopback server serving bodies recorded from the
// emulator (bench/record.mjs): a small body (`getProject`) and a large one (a 100-project
// page of `listProjects`), neon-edge with pacing off (`rateLimit: false`) and on at a limit
// too high to bind. The clients take turns within each run; ratios are of time per call.
//
// Targets: neon-edge ≤ 1.10 × raw fetch and ≤ 1.00 × @neon/sdk, for each body and pacing.
// Exits 1 naming each missed target.
//
//   npm run build && node bench/calls.mjs [--runs 3] [--calls 2000]
import { createNeonClient } from "@neon/sdk";
import { initSync, NeonClient } from "neon-edge";
import { startLoopback } from "./loopback.mjs";
import { arg, compare, fmt, memoryTrend, ratio, ratioChart, stats } from "./measure.mjs";
import { target, verdict } from "./targets.mjs";

const runs = arg("runs", 3);
const calls = arg("calls", 2000);
const server = await startLoopback();
const base = `${server.url}/api/v2`;
const apiKey = "napi_bench";
const projectId = JSON.parse((await import("node:fs")).readFileSync(new URL("./fixtures/get-project.json", import.meta.url))).project.id;

const sdk = createNeonClient({ apiKey, baseUrl: base, throwOnError: true });
const paced = new NeonClient({ apiKey, baseUrl: base, rateLimit: { perMinute: 1e9, perRoutePerSecond: 1e9 } });
const unpaced = new NeonClient({ apiKey, baseUrl: base, rateLimit: false });
const raw = async (path) => {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
};
// Raw fetch bounded by a timeout that aborts it (an AbortController and a timer), as every
// neon-edge request is (60 s by default) and @neon/sdk's are only when asked: what the abort
// signal alone costs a fetch in this runtime. Not a target; it says how much of neon-edge's
// ratio is its timeout.
const rawTimed = async (path) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" }, signal: controller.signal });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return await res.json();
  } finally {
    clearTimeout(timer);
  }
};

// Every client must see the same data before it is timed.
const expected = { get: await raw(`/projects/${projectId}`), list: await raw("/projects?limit=100") };
const check = (what, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${what} returned something else than raw fetch`);
};
check("neon-edge getProject", await unpaced.getProject({ projectId }), expected.get);
check("neon-edge listProjects", await unpaced.listProjects({ limit: 100 }), expected.list);
check("@neon/sdk projects.get", await sdk.projects.get({ projectId }), expected.get.project);

const cases = {
  "getProject (small body)": {
    raw: () => raw(`/projects/${projectId}`),
    "raw + timeout": () => rawTimed(`/projects/${projectId}`),
    sdk: () => sdk.projects.get({ projectId }),
    "neon-edge pacing off": () => unpaced.getProject({ projectId }),
    "neon-edge pacing on": () => paced.getProject({ projectId }),
  },
  "listProjects, 100 projects (large body)": {
    raw: () => raw("/projects?limit=100"),
    "raw + timeout": () => rawTimed("/projects?limit=100"),
    sdk: () => sdk.projects.list({ limit: 100 }).page(),
    "neon-edge pacing off": () => unpaced.listProjects({ limit: 100 }),
    "neon-edge pacing on": () => paced.listProjects({ limit: 100 }),
  },
};

const chart = [];
const figures = {};
for (const [name, clients] of Object.entries(cases)) {
  const perCall = await compare(clients, { calls: name.startsWith("list") ? calls / 2 : calls, runs });
  console.log(`\n${name}: calls/s, median (min, max) of ${runs} runs`);
  for (const [client, ms] of Object.entries(perCall)) {
    const s = stats(ms.map((m) => 1000 / m));
    console.log(`  ${client.padEnd(22)} ${fmt(s, 0)}`);
  }
  figures[name] = perCall;
  console.log(`  raw fetch with an aborting timeout: time ratio to raw fetch ${fmt(ratio(perCall["raw + timeout"], perCall.raw))} (not a target)`);
  for (const pacing of ["off", "on"]) {
    const ours = perCall[`neon-edge pacing ${pacing}`];
    const toRaw = ratio(ours, perCall.raw);
    const toSdk = ratio(ours, perCall.sdk);
    console.log(`  pacing ${pacing}: time ratio to raw fetch ${fmt(toRaw)}, to @neon/sdk ${fmt(toSdk)}`);
    target(`${name}, pacing ${pacing}: ${toRaw.median.toFixed(2)} × raw fetch (target <= 1.10)`, toRaw.median, { atMost: 1.1 });
    target(`${name}, pacing ${pacing}: ${toSdk.median.toFixed(2)} × @neon/sdk (target <= 1.00)`, toSdk.median, { atMost: 1.0 });
    const short = name.split(" ")[0];
    chart.push({ label: `${short}, pacing ${pacing} ÷ raw fetch`, value: toRaw.median, target: 1.1 });
    chart.push({ label: `${short}, pacing ${pacing} ÷ @neon/sdk`, value: toSdk.median, target: 1.0 });
  }
}
// initSync on an initialised module returns its exports (its memory among them).
await memoryTrend("neon-edge getProject", () => unpaced.getProject({ projectId }), initSync().memory);
await server.close();
ratioChart(new URL("./calls.svg", import.meta.url), "Management calls: neon-edge time per call ÷ peer (median of runs)", chart);
process.exitCode = verdict();
