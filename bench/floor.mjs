// The floor of the chosen stack, in shipped bytes (wasm + wasm-bindgen glue, gzip -9), beside
// the rivals measured in the same run. Two probes of bench/floor (same profile and wasm-opt
// flags as the package):
//  - fetch: one async export doing a gloo-net GET with a header (wasm-bindgen-futures + gloo-net);
//  - core: neon-edge's operation table, request building, retry classification and error
//    bodies as synchronous exports: no futures, no fetch.
// The Management client (`neon-edge`) pages, paces, retries and waits: it needs both and more,
// so the two built into one module (shared runtime counted once) are a lower bound for it.
// The glue is bundled and minified as size.mjs does for the package and the rivals. `npm run bench:floor` (≈3 min, needs `npm ci`).
// Its target is size.mjs's (≤ 1.00 × api-client + axios) applied to the lower bound: the exit
// code is 1 when the floor alone misses it, i.e. when no client built on this stack can meet it.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bundle, gz, kb, peers, SIZE_TARGET } from "./bundle.mjs";
import { target, verdict } from "./targets.mjs";
import { optimize, root, wasmBindgen } from "../scripts/wasm-tools.mjs";

const manifest = join(root, "bench", "floor", "Cargo.toml");
const targetDir = join(process.env.CARGO_TARGET_DIR || join(root, "target"), "floor");
const shipped = async (feature) => {
  execFileSync("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path", manifest,
    "--no-default-features", "--features", feature], { stdio: "inherit", env: { ...process.env, CARGO_TARGET_DIR: targetDir } });
  const out = join(targetDir, `out-${feature.replace(",", "-")}`);
  rmSync(out, { recursive: true, force: true });
  execFileSync(wasmBindgen, ["--target", "web", "--out-dir", out, "--out-name", "probe",
    join(targetDir, "wasm32-unknown-unknown", "release", "neon_edge_floor.wasm")], { stdio: "inherit" });
  optimize(join(out, "probe_bg.wasm"));
  const wasm = gz(readFileSync(join(out, "probe_bg.wasm")));
  const glue = gz(await bundle(`import * as probe from ${JSON.stringify(join(out, "probe.js"))}; globalThis.probe = probe;`));
  return { wasm, glue, total: wasm + glue };
};

const fetch = await shipped("fetch");
const core = await shipped("core");
const both = await shipped("fetch,core");
const { apiClient, sdk } = await peers();
const line = (name, m) => console.log(`${name}: wasm ${kb(m.wasm)} + glue ${kb(m.glue)} = ${kb(m.total)} gzip -9`);
line("fetch floor (gloo-net GET, async)", fetch);
line("sync core (table, request building, retry classification, error bodies)", core);
line("both in one module (the lower bound)", both);
console.log(`@neondatabase/api-client + axios: ${kb(apiClient)}; @neon/sdk: ${kb(sdk)}`);
const ratio = both.total / apiClient;
console.log(`ratio lower bound / api-client: ${ratio.toFixed(2)}, / @neon/sdk: ${(both.total / sdk).toFixed(2)}`);
target(`lower bound / api-client + axios ${ratio.toFixed(2)} (size target <= ${SIZE_TARGET.toFixed(2)}: out of reach on this stack)`, ratio, { atMost: SIZE_TARGET });
process.exitCode = verdict();
