// Operation-wait latency: how soon `{ wait: true }` notices that an operation finished, and
// how many polling requests it spends doing so. A loopback server creates branches whose
// operation finishes exactly `duration` ms after the create call; each action type has its
// own duration (as Neon's do), and every duration is run --rounds times in a row.
//
// Prints, per duration and overall (medians): latency / max(100 ms, 10% of the duration)
// (target <= 1) and polling requests per second of waiting (target <= 2); the first wait of
// an action (nothing learned yet) is reported apart. Bounded by --rounds (default 5) and the
// durations below (about 45 s in all). Loopback only.
//
//   npm run build && node bench/operation-wait.mjs [--rounds 5]
import { createServer } from "node:http";
import { NeonClient } from "neon-edge";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg("rounds", 5);
const DURATIONS = { apply_config: 300, create_branch: 1000, start_compute: 2000, create_timeline: 4000 };

const ops = new Map();
const json = (res, status, body) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
const server = createServer((req, res) => {
  const now = performance.now();
  const create = req.url.match(/^\/api\/v2\/projects\/([^/]+)\/branches\?action=(\w+)$/);
  if (create && req.method === "POST") {
    const action = create[2];
    const id = `op-${ops.size}`;
    ops.set(id, { finishAt: now + DURATIONS[action], action, polls: 0, noticedAt: undefined });
    const op = { id, project_id: create[1], action, status: "running" };
    return json(res, 201, { branch: { id: `br-${id}` }, operations: [op] });
  }
  const poll = req.url.match(/^\/api\/v2\/projects\/([^/]+)\/operations\/([^/?]+)$/);
  const op = poll && ops.get(poll[2]);
  if (op) {
    op.polls++;
    const done = now >= op.finishAt;
    if (done && op.noticedAt === undefined) op.noticedAt = now;
    // Like Neon, a finished operation reports how long it ran.
    const total = done ? { total_duration_ms: DURATIONS[op.action] } : { total_duration_ms: 0 };
    return json(res, 200, { operation: { id: poll[2], project_id: poll[1], action: op.action, status: done ? "finished" : "running", ...total } });
  }
  json(res, 404, { message: "not found" });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/api/v2`;
const neon = new NeonClient({ apiKey: "napi_bench", baseUrl: base });

// `request` lets the bench pick the action (the server reads it from the query).
const results = [];
for (const [action, duration] of Object.entries(DURATIONS)) {
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const out = await neon.request(
      { method: "POST", path: "/projects/p-bench/branches", query: { action }, body: { branch: {} } },
    );
    const id = out.operations[0].id;
    await neon.waitForOperations({ projectId: "p-bench", operations: out.operations });
    const op = ops.get(id);
    const waited = (performance.now() - started) / 1000;
    const latency = op.noticedAt - op.finishAt;
    results.push({ action, duration, first: round === 0, ratio: latency / Math.max(100, duration * 0.1), latency, polls: op.polls, waited, pollsPerSecond: op.polls / waited });
  }
}
server.close();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (label, rs) =>
  console.log(`${label.padEnd(28)} latency/max(100ms,10%) median ${median(rs.map((r) => r.ratio)).toFixed(2)} (worst ${Math.max(...rs.map((r) => r.ratio)).toFixed(2)}), polls/s median ${median(rs.map((r) => r.pollsPerSecond)).toFixed(2)} (worst ${Math.max(...rs.map((r) => r.pollsPerSecond)).toFixed(2)})`);
for (const duration of Object.values(DURATIONS)) {
  row(`${duration} ms, learned`, results.filter((r) => r.duration === duration && !r.first));
}
row("all, learned (target <=1, <=2)", results.filter((r) => !r.first));
row("first wait of each action", results.filter((r) => r.first));
const learned = results.filter((r) => !r.first);
const polls = learned.reduce((n, r) => n + r.polls, 0);
const waited = learned.reduce((n, r) => n + r.waited, 0);
console.log(`learned waits overall: ${polls} polls in ${waited.toFixed(1)} s of waiting = ${(polls / waited).toFixed(2)} polls/s (target <= 2)`);
