// Builds the npm package in pkg/: cargo (wasm32) -> wasm-bindgen (pinned CLI) -> wasm-opt
// (npm binaryen) -> pkg-template files. Prints the shipped sizes, raw and gzip -9.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, lstatSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
const fail = (msg) => { console.error(`build: ${msg}`); process.exit(1); };

// 1. The wasm-bindgen CLI must match the crate version in Cargo.lock exactly.
const lock = readFileSync(join(root, "Cargo.lock"), "utf8");
const locked = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
if (!locked) fail("wasm-bindgen is not in Cargo.lock");
const localCli = join(root, ".tools", "bin", "wasm-bindgen");
const cli = existsSync(localCli) ? localCli : "wasm-bindgen";
let cliVersion;
try {
  cliVersion = execFileSync(cli, ["--version"], { encoding: "utf8" }).trim().split(" ")[1];
} catch {
  fail(`wasm-bindgen CLI not found: run \`cargo install wasm-bindgen-cli --version ${locked} --root .tools\``);
}
if (cliVersion !== locked) fail(`wasm-bindgen CLI is ${cliVersion} but Cargo.lock has ${locked}`);

// 2. cargo -> wasm-bindgen -> wasm-opt.
run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib", "-p", "neon-edge", "--no-default-features"]);
rmSync(pkg, { recursive: true, force: true });
run(cli, ["--target", "web", "--out-dir", pkg, "--out-name", "neon_edge", join(root, "target/wasm32-unknown-unknown/release/neon_edge.wasm")]);
const wasm = join(pkg, "neon_edge_bg.wasm");
const wasmOpt = join(root, "node_modules", ".bin", "wasm-opt");
if (!existsSync(wasmOpt)) fail("npm binaryen is missing: run `npm ci`");
run(wasmOpt, ["-Oz", "--enable-bulk-memory", "--enable-reference-types", "--enable-nontrapping-float-to-int",
  "--enable-sign-ext", "--enable-multivalue", "--enable-mutable-globals", "--strip-debug", "--strip-producers", wasm, "-o", wasm]);

// 3. Package files; errors.js re-exports the error classes from wasm-bindgen's snippet so
// that `instanceof` sees the very classes the wasm code throws.
cpSync(join(root, "pkg-template"), pkg, { recursive: true });
const findSnippet = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const found = findSnippet(path);
      if (found) return found;
    } else if (path.endsWith(join("src", "bindings", "errors.js"))) return path;
  }
  return null;
};
const snippet = findSnippet(join(pkg, "snippets"));
if (!snippet) fail("the errors.js snippet is missing from the wasm-bindgen output");
const sqlSnippet = join(dirname(snippet), "sql_errors.js");
const reexports = [snippet, ...(existsSync(sqlSnippet) ? [sqlSnippet] : [])];
writeFileSync(join(pkg, "errors.js"), reexports.map((s) => `export * from "./${relative(pkg, s)}";\n`).join(""));
// The Node-only shell (CLI, .env file I/O, instantPostgres) ships as neon-edge/node.
cpSync(join(root, "js"), join(pkg, "js"), { recursive: true });
rmSync(join(pkg, ".gitignore"), { force: true });

// 4. Let tests and examples import "neon-edge" as users do.
const link = join(root, "node_modules", "neon-edge");
mkdirSync(dirname(link), { recursive: true });
try { lstatSync(link); } catch { symlinkSync("../pkg", link, "dir"); }

// 5. Sizes.
const size = (file) => {
  const bytes = readFileSync(join(pkg, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const shipped = ["neon_edge_bg.wasm", "neon_edge.js"];
let total = { raw: 0, gzip: 0 };
for (const file of shipped) {
  const s = size(file);
  total.raw += s.raw; total.gzip += s.gzip;
  console.log(`size ${file}: ${(s.raw / 1024).toFixed(1)} KB raw, ${(s.gzip / 1024).toFixed(1)} KB gzip -9`);
}
console.log(`size total (wasm + JS glue): ${(total.raw / 1024).toFixed(1)} KB raw, ${(total.gzip / 1024).toFixed(1)} KB gzip -9`);
writeFileSync(join(pkg, "sizes.json"), JSON.stringify(total) + "\n");

// 6. The size budget (gzip -9 of .wasm + JS glue). Raise it only with a measurement that
// says why; the target is the 29.7 KB of @neondatabase/api-client + axios, the goal the
// 14.3 KB of @neon/sdk (both bundled, minified, gzip -9).
const BUDGET_KB = 176;
if (total.gzip / 1024 > BUDGET_KB) {
  fail(`the package is ${(total.gzip / 1024).toFixed(1)} KB gzip, over its ${BUDGET_KB} KB budget`);
}
console.log(`size budget: ${(total.gzip / 1024).toFixed(1)} of ${BUDGET_KB} KB gzip`);
