// Shared by the size benchmarks: esbuild's browser bundle of an entry snippet, and gzip -9.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

/** The size target (bench/README.md): shipped bytes of neon-edge ÷ api-client + axios's. */
export const SIZE_TARGET = 1.0;

export const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

// KiB (1024 bytes); the 29.7 and 14.3 KB are the same bundles in kB (1000 bytes).
export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Bundles and minifies `contents` (an ES module) for the browser; `.wasm` imports stay out. */
export const bundle = async (contents) => {
  const out = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "js" },
    bundle: true, minify: true, write: false, format: "esm", platform: "browser",
    conditions: ["browser"], logLevel: "error", loader: { ".wasm": "empty" },
  });
  return out.outputFiles[0].contents;
};

/** The rivals' browser bundles, gzip -9: what a user of each ships for one client. */
export const peers = async () => ({
  apiClient: gz(await bundle(`import { createApiClient } from "@neondatabase/api-client"; globalThis.c = createApiClient({ apiKey: "k" });`)),
  sdk: gz(await bundle(`import { createNeonClient } from "@neon/sdk"; globalThis.c = createNeonClient({ apiKey: "k" });`)),
});
