// Sustained throughput under Neon's rate limits scaled 10x (7,000 requests/minute per key,
// 400/second per route), enforced by the local emulator's sliding windows. Many concurrent
// callers loop on two routes through the built package with its default pacing (set to the
// scaled limits) and default retries.
//
// Prints: steady-state calls/s as a share of the allowed 7,000/min, failed calls, and the
// share of requests answered 429; exits 1 naming each missed target (>= 95% of the allowed
// rate, 0 failed calls, <= 1% answered 429). Bounded: --seconds (default 70, so a full 60-second window
// rolls over) and --max-calls (default 20,000). Loopback only.
//
//   npm run build && node bench/throughput.mjs [--seconds 70] [--concurrency 64]
import { spawn } from "node:child_process";
import { NeonClient } from "neon-edge";
import { target, verdict } from "./targets.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg("seconds", 70);
const concurrency = arg("concurrency", 64);
const maxCalls = arg("max-calls", 20_000);
const warmupMs = 5_000;
const PER_MINUTE = 7_000;
const PER_ROUTE = 400;

/** Starts the emulator on a free loopback port; resolves to { url, stop }. */
function startEmulator() {
  const child = spawn("cargo", ["run", "-q", "--release", "-p", "neon-edge-emulator", "--", "--port", "0",
    "--rate-limit-per-minute", String(PER_MINUTE), "--rate-limit-route-per-second", String(PER_ROUTE)],
    { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the emulator did not start within 600 s")), 600_000);
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => child.kill("SIGTERM") });
      }
    });
    child.on("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
}

const emulator = await startEmulator();
let throttled = 0;
const neon = new NeonClient({
  apiKey: "napi_bench",
  baseUrl: `${emulator.url}/api/v2`,
  rateLimit: { perMinute: PER_MINUTE, perRoutePerSecond: PER_ROUTE },
  retry: { onRetry: (e) => { if (e.status === 429) throttled++; } },
});

const started = performance.now();
const deadline = started + seconds * 1000;
const completions = [];
let failed = 0;
let failedRateLimited = 0;
let calls = 0;
const firstError = [];

async function worker(n) {
  while (performance.now() < deadline && calls < maxCalls) {
    calls++;
    try {
      await (n % 2 ? neon.listProjects({ limit: 1 }) : neon.listApiKeys());
      completions.push(performance.now() - started);
    } catch (error) {
      failed++;
      if (error.kind === "rate_limit") failedRateLimited++;
      if (firstError.length === 0) firstError.push(error);
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, n) => worker(n)));
const elapsed = performance.now() - started;
emulator.stop();

const end = Math.min(elapsed, seconds * 1000);
const steady = completions.filter((t) => t >= warmupMs && t <= end).length;
const rate = steady / ((end - warmupMs) / 1000);
const allowed = PER_MINUTE / 60;
const requests = completions.length + failed + throttled;
const answered429 = throttled + failedRateLimited;
const share = rate / allowed;
const share429 = answered429 / requests;
console.log(`run: ${(elapsed / 1000).toFixed(1)} s, ${concurrency} concurrent callers, ${completions.length} calls succeeded`);
console.log(`throughput: ${rate.toFixed(1)} calls/s after the first ${warmupMs / 1000} s = ${(share * 100).toFixed(1)}% of the allowed ${allowed.toFixed(1)}/s (target >= 95%)`);
console.log(`failed calls: ${failed} (target 0)${firstError.length ? ` first: ${firstError[0].message}` : ""}`);
console.log(`429 answers: ${answered429} of ${requests} requests = ${(share429 * 100).toFixed(2)}% (target <= 1%)`);
target(`steady calls/s ÷ allowed ${(share * 100).toFixed(1)}% (target >= 95%)`, share, { atLeast: 0.95 });
target(`failed calls ${failed} (target 0)`, failed, { atMost: 0 });
target(`requests answered 429 ${(share429 * 100).toFixed(2)}% (target <= 1%)`, share429, { atMost: 0.01 });
process.exit(verdict());
