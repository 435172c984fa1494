// The floor of a Management call's time on this stack, beside what neon-edge costs, in one
// run (clients interleaved, as calls.mjs does) against the same loopback server:
//  - raw: `fetch` + `res.json()`, the reference;
//  - async export + raw: one wasm-bindgen async export (a no-op, bench/floor with
//    `call-floor`) awaited from JS, then the raw fetch: the least any client whose call is a
//    wasm async export adds to a fetch, whatever it does inside;
//  - gloo-net GET: the probe's gloo-net `RequestBuilder` GET (the request made and the body
//    read in Rust, its text handed back) + `JSON.parse`: what a call through gloo-net's
//    builder and `text()` costs (src/bindings/shared/fetch.rs builds its request without it);
//  - body through wasm memory: `arrayBuffer()`, copied into a fresh `Uint8Array` (as wasm
//    memory receives it), decoded and parsed, in place of `res.json()`: the most keeping a
//    successful body out of wasm memory can save;
//  - neon-edge (pacing off).
// Prints each as a ratio of raw, and neon-edge's gap over the floor ("async export + raw") in
// µs per call. Exits 1 when the floor alone is over calls.mjs's 1.10 × raw target, i.e. when
// no client whose call is a wasm async export can meet it; 0 means the gap is neon-edge's own.
//
//   npm run build && node bench/call-floor.mjs [--runs 5] [--calls 1500]   (builds the probe: ≈1 min)
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NeonClient } from "neon-edge";
import { startLoopback } from "./loopback.mjs";
import { arg, compare, fmt, ratio, stats } from "./measure.mjs";
import { target, verdict } from "./targets.mjs";
import { optimize, root, wasmBindgen } from "../scripts/wasm-tools.mjs";

const runs = arg("runs", 5);
const calls = arg("calls", 1500);

// The probe, built as the package is (release profile of bench/floor, wasm-opt).
const manifest = join(root, "bench", "floor", "Cargo.toml");
const targetDir = join(process.env.CARGO_TARGET_DIR || join(root, "target"), "floor");
execFileSync("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path", manifest,
  "--no-default-features", "--features", "call-floor"], { stdio: "inherit", env: { ...process.env, CARGO_TARGET_DIR: targetDir } });
const out = join(targetDir, "out-call-floor");
rmSync(out, { recursive: true, force: true });
execFileSync(wasmBindgen, ["--target", "web", "--out-dir", out, "--out-name", "probe",
  join(targetDir, "wasm32-unknown-unknown", "release", "neon_edge_floor.wasm")], { stdio: "inherit" });
optimize(join(out, "probe_bg.wasm"));
const probe = await import(join(out, "probe.js"));
probe.initSync({ module: readFileSync(join(out, "probe_bg.wasm")) });

const server = await startLoopback();
const base = `${server.url}/api/v2`;
const apiKey = "napi_bench";
const projectId = JSON.parse(readFileSync(new URL("./fixtures/get-project.json", import.meta.url))).project.id;
const client = new NeonClient({ apiKey, baseUrl: base, rateLimit: false });
const headers = { authorization: `Bearer ${apiKey}`, accept: "application/json" };
const raw = async (path) => (await fetch(`${base}${path}`, { headers })).json();
const decoder = new TextDecoder();
const throughMemory = async (path) => {
  const buffer = await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(new Uint8Array(buffer));
  return JSON.parse(decoder.decode(copy));
};

const cases = {
  "getProject (1.1 KB)": { path: `/projects/${projectId}`, neon: () => client.getProject({ projectId }), n: calls },
  "listProjects (100 projects, 81 KB)": { path: "/projects?limit=100", neon: () => client.listProjects({ limit: 100 }), n: calls / 2 },
};
for (const [name, c] of Object.entries(cases)) {
  const url = `${base}${c.path}`;
  const want = JSON.stringify(await raw(c.path));
  if (JSON.stringify(await c.neon()) !== want || JSON.stringify(JSON.parse(await probe.get(url, `Bearer ${apiKey}`))) !== want) {
    throw new Error(`${name}: a client returned something else than raw fetch`);
  }
  const t = await compare({
    raw: () => raw(c.path),
    "async export + raw": async () => { await probe.noop(); return raw(c.path); },
    "gloo-net GET": async () => JSON.parse(await probe.get(url, `Bearer ${apiKey}`)),
    "body through wasm memory": () => throughMemory(c.path),
    "neon-edge": c.neon,
  }, { calls: c.n, runs });
  console.log(`\n${name}: µs per call and time ÷ raw, median (min, max) of ${runs} runs`);
  for (const [client, ms] of Object.entries(t)) {
    const us = stats(ms.map((m) => m * 1000));
    console.log(`  ${client.padEnd(26)} ${fmt(us, 0)} µs   ÷ raw ${fmt(ratio(ms, t.raw))}`);
  }
  const gap = stats(t["neon-edge"].map((m, i) => (m - t["async export + raw"][i]) * 1000));
  console.log(`  neon-edge − floor (async export + raw): ${fmt(gap, 0)} µs per call`);
  const floor = ratio(t["async export + raw"], t.raw).median;
  target(`${name}: the floor (async export + raw) is ${floor.toFixed(2)} × raw fetch (target <= 1.10)`, floor, { atMost: 1.1 });
}
await server.close();
process.exitCode = verdict();
