// The wasm toolchain steps shared by the package build and the size probes: the pinned
// wasm-bindgen CLI (`.tools/bin`, else PATH) and npm binaryen's wasm-opt with the package's flags.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const localCli = join(root, ".tools", "bin", "wasm-bindgen");
export const wasmBindgen = existsSync(localCli) ? localCli : "wasm-bindgen";
export const wasmOpt = join(root, "node_modules", ".bin", "wasm-opt");

/** wasm-opt -Oz in place, with the features every supported runtime has. */
export function optimize(wasm) {
  execFileSync(wasmOpt, ["-Oz", "--enable-bulk-memory", "--enable-reference-types", "--enable-nontrapping-float-to-int",
    "--enable-sign-ext", "--enable-multivalue", "--enable-mutable-globals", "--strip-debug", "--strip-producers", wasm, "-o", wasm],
  { stdio: "inherit" });
}

/**
 * wasm-bindgen (`--target web`), with what the panic recovery of pkg-template/guard.js needs
 * from the glue: `__wbg_reset_state` (a fresh instance of the module; objects and closures of the old one
 * disarmed), and a trap inside the microtask that polls every future handed to the guard
 * rather than thrown as an uncaught exception (which ends a Node process), and callbacks of the
 * old instance made harmless. Measured on
 * neon-edge: +0.36 KB gzip for the reset, +0.05 KB for the microtask hook.
 */
export function bindgen(wasm, outDir, name) {
  execFileSync(wasmBindgen, ["--target", "web", "--experimental-reset-state-function", "--out-dir", outDir, "--out-name", name, wasm], { stdio: "inherit" });
  const file = join(outDir, `${name}.js`);
  const glue = readFileSync(file, "utf8");
  const microtask = "queueMicrotask(arg0);";
  if (glue.split(microtask).length !== 2 || !glue.includes("export function __wbg_reset_state")) {
    throw new Error(`${name}.js: the glue no longer has the one \`${microtask}\` and \`__wbg_reset_state\` the panic recovery hooks into`);
  }
  // A callback of the instance a trap left behind (a fetch's `then`, a timer) has nothing left
  // to do: the calls it served were rejected by the guard. Throwing there, as the generated glue
  // does, would be an unhandled rejection (the end of a Node process) long after the panic.
  const staleClosure = "throw new Error('Cannot invoke closure from previous WASM instance');";
  if (!glue.includes(staleClosure)) throw new Error(`${name}.js: the glue no longer guards closures of a previous instance as expected`);
  const patched = glue.replaceAll(staleClosure, "return;");
  writeFileSync(file, patched.replace(microtask, "queueMicrotask(() => { try { arg0(); } catch (e) { onTrap(e); } });") +
    "let onTrap = (e) => { throw e; };\nexport const __neon_internals = { reset: __wbg_reset_state, onTrap: (f) => { onTrap = f; } };\n");
}
