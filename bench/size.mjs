// Shipped bytes, measured in one run: neon-edge's browser build (wasm + JS glue + entry)
// against @neondatabase/api-client (+ axios) and @neon/sdk, all bundled and minified by
// esbuild for the browser and compressed with gzip -9; then the neon-edge/postgres module on
// its own (no peer: the Management clients do not ship Postgres). Needs `npm run build` first.
// Target: neon-edge ≤ 1.00 × api-client + axios (exit code 1 when missed); ≤ 1.00 × @neon/sdk
// is a goal, printed but not counted.
import { readFileSync } from "node:fs";
import { bundle, gz, kb, peers, SIZE_TARGET } from "./bundle.mjs";
import { target, verdict } from "./targets.mjs";

// A user who imports the client and makes one call: every operation stays reachable.
const ours = await bundle(`import { NeonClient } from "neon-edge"; globalThis.c = new NeonClient({ apiKey: "k" });`);
const wasm = readFileSync(new URL("../pkg/neon_edge_bg.wasm", import.meta.url));
const { apiClient, sdk } = await peers();

const oursGz = gz(ours) + gz(wasm);
console.log(`neon-edge (browser entry + glue ${kb(gz(ours))}, wasm ${kb(gz(wasm))}): ${kb(oursGz)} gzip -9`);
console.log(`@neondatabase/api-client + axios: ${kb(apiClient)} gzip -9`);
console.log(`@neon/sdk: ${kb(sdk)} gzip -9`);
const ratio = oursGz / apiClient;
console.log(`ratio neon-edge / api-client: ${ratio.toFixed(2)} (target <= ${SIZE_TARGET.toFixed(2)})`);
console.log(`ratio neon-edge / @neon/sdk: ${(oursGz / sdk).toFixed(2)} (goal <= 1.00, not a target)`);
target(`neon-edge / api-client + axios ${ratio.toFixed(2)} (target <= ${SIZE_TARGET.toFixed(2)})`, ratio, { atMost: SIZE_TARGET });

// A user who provisions a database and queries it: neon-edge/postgres alone.
const pg = await bundle(`import { createClaimableDatabase, sql } from "neon-edge/postgres"; globalThis.p = [createClaimableDatabase, sql];`);
const pgWasm = readFileSync(new URL("../pkg/neon_edge_postgres_bg.wasm", import.meta.url));
console.log(`neon-edge/postgres (browser entry + glue ${kb(gz(pg))}, wasm ${kb(gz(pgWasm))}): ${kb(gz(pg) + gz(pgWasm))} gzip -9`);
process.exitCode = verdict();
