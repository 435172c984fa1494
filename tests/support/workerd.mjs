// Code for workerd (miniflare), bundled as wrangler bundles it: esbuild with the `workerd`
// export condition, each `.wasm` copied beside the bundle and loaded by workerd as a compiled
// WebAssembly.Module (the package's workerd entries `import` it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * Bundles the ES module `contents` (resolved from the working directory) into a temp
 * directory, runs it in workerd with `bindings`, dispatches one request to it and resolves to
 * `{ status, text }`; the Worker and the directory are gone afterwards.
 */
export async function fetchFromWorker(contents, bindings) {
  const { Miniflare } = await import("miniflare");
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-workerd-"));
  let mf;
  try {
    await bundleForWorkerd({ stdin: { contents, resolveDir: process.cwd(), loader: "js" } }, join(dir, "worker.mjs"));
    mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, "worker.mjs"),
      modulesRoot: dir,
      modulesRules: WORKERD_MODULE_RULES,
      bindings,
      compatibilityDate: "2025-01-01",
    });
    const res = await mf.dispatchFetch("http://worker.test/");
    return { status: res.status, text: await res.text() };
  } finally {
    await mf?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
