// Code for workerd (miniflare), bundled as wrangler bundles it: esbuild with the `workerd`
// export condition, each `.wasm` copied beside the bundle and loaded by workerd as a compiled
// WebAssembly.Module (the package's workerd entries `import` it).
import { build } from "esbuild";

/** Miniflare's `modulesRules` for such a bundle: its JS as ES modules, its `.wasm` compiled. */
export const WORKERD_MODULE_RULES = [
  { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
  { type: "CompiledWasm", include: ["**/*.wasm"] },
];

/** Bundles `source` (esbuild's `stdin` or `entryPoints`) into `outfile`; `extra` adds options. */
export function bundleForWorkerd(source, outfile, extra = {}) {
  return build({
    ...source,
    bundle: true, format: "esm", outfile,
    conditions: ["workerd", "worker", "browser"], platform: "neutral", mainFields: ["module", "main"],
    loader: { ".wasm": "copy" }, logLevel: "error",
    ...extra,
  });
}
