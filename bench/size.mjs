// Shipped bytes, measured in one run: neon-edge's browser build (wasm + JS glue + entry)
// against @neondatabase/api-client (+ axios), both bundled and minified by esbuild for the
// browser and compressed with gzip -9; then the neon-edge/postgres module on its own (no peer:
// the Management clients do not ship Postgres). Needs `npm run build` first.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const bundle = async (contents) => {
  const out = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "js" },
    bundle: true, minify: true, write: false, format: "esm", platform: "browser",
    conditions: ["browser"], logLevel: "error", loader: { ".wasm": "empty" },
  });
  return out.outputFiles[0].contents;
};

// A user who imports the client and makes one call: every operation stays reachable.
const ours = await bundle(`import { NeonClient } from "neon-edge"; globalThis.c = new NeonClient({ apiKey: "k" });`);
const wasm = readFileSync(new URL("../pkg/neon_edge_bg.wasm", import.meta.url));
const peer = await bundle(`import { createApiClient } from "@neondatabase/api-client"; globalThis.c = createApiClient({ apiKey: "k" });`);

const oursGz = gz(ours) + gz(wasm);
const peerGz = gz(peer);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`neon-edge (browser entry + glue ${kb(gz(ours))}, wasm ${kb(gz(wasm))}): ${kb(oursGz)} gzip -9`);
console.log(`@neondatabase/api-client + axios: ${kb(peerGz)} gzip -9`);
console.log(`ratio neon-edge / api-client: ${(oursGz / peerGz).toFixed(2)} (below 1.00 is smaller)`);

// A user who provisions a database and queries it: neon-edge/postgres alone.
const pg = await bundle(`import { createClaimableDatabase, sql } from "neon-edge/postgres"; globalThis.p = [createClaimableDatabase, sql];`);
const pgWasm = readFileSync(new URL("../pkg/neon_edge_postgres_bg.wasm", import.meta.url));
console.log(`neon-edge/postgres (browser entry + glue ${kb(gz(pg))}, wasm ${kb(gz(pgWasm))}): ${kb(gz(pg) + gz(pgWasm))} gzip -9`);
