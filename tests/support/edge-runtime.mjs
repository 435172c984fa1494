// Code for Vercel's Edge runtime (npm `edge-runtime`), bundled as Vercel's bundler does: the
// `edge-light` export condition, and a `.wasm?module` import becoming a WebAssembly.Module
// compiled by the VM's own WebAssembly (a module compiled in the host realm fails its check).
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

const wasmModulePlugin = {
  name: "wasm-module",
  setup(b) {
    b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({
      path: new URL(args.path.replace(/\?module$/, ""), `file://${args.resolveDir}/`).pathname,
      namespace: "wasm-module",
    }));
    b.onLoad({ filter: /.*/, namespace: "wasm-module" }, async (args) => ({
      contents: `const bytes = Uint8Array.from(atob(${JSON.stringify((await readFile(args.path)).toString("base64"))}), (c) => c.charCodeAt(0));
export default new WebAssembly.Module(bytes);`,
      loader: "js",
    }));
  },
};

/**
 * Bundles `contents` (JavaScript; its imports resolve from `resolveDir`) into one classic
 * script for `new EdgeRuntime({ initialCode })`.
 */
export async function bundleForEdge(contents, resolveDir = process.cwd()) {
  const out = await build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true, format: "iife", write: false, platform: "neutral", mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser"], plugins: [wasmModulePlugin], logLevel: "error",
  });
  return out.outputFiles[0].text;
}
