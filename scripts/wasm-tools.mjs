// The wasm toolchain steps shared by the package build and the size probes: the pinned
// wasm-bindgen CLI (`.tools/bin`, else PATH) and npm binaryen's wasm-opt with the package's flags.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
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
