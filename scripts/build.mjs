// Builds the npm package in pkg/: for each of its wasm modules (`neon-edge`, the Management
// client, `neon-edge/postgres`, `neon-edge/workflows` and
// `neon-edge/claimable-neon`), cargo (wasm32, its binding features) ->
// wasm-bindgen (pinned CLI) -> wasm-opt (npm binaryen); then the pkg-template files. Prints
// each module's shipped sizes, raw and gzip -9, and fails over a module's size budget.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, lstatSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build as esbuild } from "esbuild";
import { gzipSync } from "node:zlib";
import { bindgen, optimize, root, wasmBindgen as cli, wasmOpt } from "./wasm-tools.mjs";

const pkg = join(root, "pkg");
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
const fail = (msg) => { console.error(`build: ${msg}`); process.exit(1); };
/** The specifier a file in `fromDir` imports `file` by (`./x.js`, `../x.js`). */
const relativeImport = (fromDir, file) => {
  const path = relative(fromDir, file).split("\\").join("/");
  return path.startsWith(".") ? path : `./${path}`;
};

// 1. The wasm-bindgen CLI must match the crate version in Cargo.lock exactly.
const lock = readFileSync(join(root, "Cargo.lock"), "utf8");
const locked = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
if (!locked) fail("wasm-bindgen is not in Cargo.lock");
let cliVersion;
try {
  cliVersion = execFileSync(cli, ["--version"], { encoding: "utf8" }).trim().split(" ")[1];
} catch {
  fail(`wasm-bindgen CLI not found: run \`cargo install wasm-bindgen-cli --version ${locked} --root .tools\``);
}
if (cliVersion !== locked) fail(`wasm-bindgen CLI is ${cliVersion} but Cargo.lock has ${locked}`);

// 2. One wasm module per npm entry, from the same crate with different binding features, so
// that `neon-edge` (the Management client) never downloads the Postgres half.
// `budgetKb` bounds gzip -9 of .wasm + JS glue; raise one only with a measurement that says
// why. Issue #3 is about the main module: the target is the 29.7 KB of
// @neondatabase/api-client + axios, the goal the 14.3 KB of @neon/sdk (bundled, minified, gzip -9).
const MODULES = [
  // The panic recovery's glue (the reset and the microtask hook, issue #19) costs 0.42 KB;
  // the fetch transport's rewrite (issue #18) saved 2 KB, so the module stayed within 77 KB.
  // The first attempt sent by the package's JS (issue #18: a getProject 1.6 -> 1.2-1.3 x a raw
  // fetch, bench/RESULTS.md) measured +2.1 KB (75.6 -> 77.7); every attempt then sent by
  // src/bindings/shared/send.js (1.2 KB gzip as shipped, 0.4 KB minified; package JS, outside
  // this figure as errors.js is) instead of a request built over web-sys: 77.7 -> 76.5 KB, back within 77.
  // First attempts' URLs built by the package's JS (__firstAttempts, __pace, __operationTable,
  // their glue without doc comments): 76.8 -> 77.0 KB.
  { entry: "neon-edge", name: "neon_edge", features: "js-management", budgetKb: 77 },
  { entry: "neon-edge/postgres", name: "neon_edge_postgres", features: "js-postgres", budgetKb: 72 },
  // The Management client plus the workflows (issue #15), apart so neither module above grows:
  // measured 146.0 KB (136.6 wasm + 9.4 glue) when it was added; 148.8 KB with backup schedules; 162.3 KB with neonAuth.setup (its SQL over HTTP: 13.5 KB); 166.3 KB with the resumable rollback and the preview callback's own error.
  // The first attempt sent by the package's JS (as neon-edge's): 165.5 -> 167.8 KB; every
  // attempt through send.js: 167.5 -> 166.6 KB, back within 167; first attempts' URLs built by
  // the package's JS: 166.9 -> 167.0 KB.
  { entry: "neon-edge/workflows", name: "neon_edge_workflows", features: "js-workflows", budgetKb: 167 },
  // neon-edge/postgres plus Claimable Neon (issue #16), apart because its bindings alone are
  // ~18 KB gzip and neon-edge/postgres has no room for them: measured 88.0 KB (80.4 wasm + 7.6 glue) when it was added.
  { entry: "neon-edge/claimable-neon", name: "neon_edge_claimable_neon", features: "js-claimable-neon", budgetKb: 89 },
];
if (!existsSync(wasmOpt)) fail("npm binaryen is missing: run `npm ci`");
const targetDir = process.env.CARGO_TARGET_DIR || join(root, "target");
const staging = join(targetDir, "npm-modules");
mkdirSync(staging, { recursive: true });
rmSync(pkg, { recursive: true, force: true });
for (const m of MODULES) {
  run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib", "-p", "neon-edge",
    "--no-default-features", "--features", m.features]);
  // Both builds land on the same cargo output path: keep each before the next one overwrites it.
  const built = join(staging, `${m.name}.wasm`);
  cpSync(join(targetDir, "wasm32-unknown-unknown/release/neon_edge.wasm"), built);
  bindgen(built, pkg, m.name);
  const wasm = join(pkg, `${m.name}_bg.wasm`);
  optimize(wasm);
}

// 3. Package files. The error classes are one wasm-bindgen snippet
// (src/bindings/shared/errors.js) that both modules' glue import by the same path, so
// `instanceof` holds whichever module threw; errors.js re-exports them for the entries.
cpSync(join(root, "pkg-template"), pkg, { recursive: true });
const snippetImports = (glue) =>
  [...readFileSync(join(pkg, glue), "utf8").matchAll(/from '(\.\/snippets\/[^']+)'/g)].map((m) => m[1]);
const errorsSnippet = (glue) => snippetImports(glue).find((s) => s.endsWith("/src/bindings/shared/errors.js"));
const snippet = errorsSnippet("neon_edge.js");
if (!snippet) fail("the errors.js snippet is missing from the wasm-bindgen output");
for (const m of MODULES) {
  if (errorsSnippet(`${m.name}.js`) !== snippet) fail(`${m.name}.js does not import the shared error classes from ${snippet}`);
}
writeFileSync(join(pkg, "errors.js"), `export * from "${snippet}";\n`);
// The one HTTP sender (src/bindings/shared/send.js), which the package's JS sends first attempts with.
const sendSnippet = snippet.replace(/errors\.js$/, "send.js");
if (!snippetImports("neon_edge.js").includes(sendSnippet)) fail("the send.js snippet is missing from the wasm-bindgen output");
writeFileSync(join(pkg, "send.js"), `export * from "${sendSnippet}";\n`);
// The SQL answers' reader (src/bindings/postgres/results.js), which the package's JS reads answers with.
const resultsSnippet = snippet.replace(/shared\/errors\.js$/, "postgres/results.js");
if (!snippetImports("neon_edge_postgres.js").includes(resultsSnippet)) fail("the results.js snippet is missing from the wasm-bindgen output");
writeFileSync(join(pkg, "results.js"), `export * from "${resultsSnippet}";\n`);
// The Node-only shell (CLI, .env file I/O, instantPostgres) ships as neon-edge/node.
cpSync(join(root, "js"), join(pkg, "js"), { recursive: true });
rmSync(join(pkg, ".gitignore"), { force: true });

// 3b. Node's entries, one file each. Node's ESM loader costs ~0.5-1 ms per module file on a
// cold start, and an entry's graph is ~15 files (glue, snippets, setup, guard, …): bundled, the
// import of neon-edge/postgres took 15.0 instead of 21.3 ms (61 fresh processes, issue #18).
// The error classes stay outside, in errors.js and the snippet the glue imports, so that every
// entry throws the same classes; the other entries (browsers, workerd, Deno) keep the files,
// which their bundlers or loaders take as they are.
const external = new Set([join(pkg, "errors.js"), join(pkg, snippet)]);
for (const m of MODULES) {
  const dir = m.entry.slice("neon-edge".length); // "", "/postgres", …
  const out = join(pkg, dir, "node.js");
  const result = await esbuild({
    // `export *` of an external module survives bundling only in the entry itself.
    stdin: { contents: `export * from "./node.js";\nexport * from ${JSON.stringify(relativeImport(dirname(out), join(pkg, "errors.js")))};\n`, resolveDir: dirname(out), sourcefile: "node-bundle-entry.js" },
    // keepNames: a class keeps its `name` (esbuild renames a class that refers to itself), which
    // guard.js and users read.
    bundle: true, format: "esm", platform: "node", keepNames: true, write: false, logLevel: "error",
    plugins: [{
      name: "shared-error-classes",
      setup(b) {
        b.onResolve({ filter: /errors\.js$/ }, (args) => {
          const file = join(args.resolveDir, args.path);
          return external.has(file) ? { path: relativeImport(dirname(out), file), external: true } : undefined;
        });
      },
    }],
  });
  writeFileSync(out, `// Bundled from pkg-template${dir}/node.js by scripts/build.mjs (step 3b).\n${result.outputFiles[0].text}`);
}

// 4. Let tests and examples import "neon-edge" as users do.
const link = join(root, "node_modules", "neon-edge");
mkdirSync(dirname(link), { recursive: true });
try { lstatSync(link); } catch { symlinkSync("../pkg", link, "dir"); }

// 5. Sizes and budgets, per module.
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const size = (file) => {
  const bytes = readFileSync(join(pkg, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const sizes = {};
const over = [];
for (const m of MODULES) {
  const wasm = size(`${m.name}_bg.wasm`);
  const glue = size(`${m.name}.js`);
  const total = { raw: wasm.raw + glue.raw, gzip: wasm.gzip + glue.gzip };
  sizes[m.entry] = { wasm, glue, ...total, budgetGzip: m.budgetKb * 1024 };
  console.log(`size ${m.entry}: ${m.name}_bg.wasm ${kb(wasm.raw)} raw, ${kb(wasm.gzip)} gzip -9; ` +
    `${m.name}.js ${kb(glue.raw)} raw, ${kb(glue.gzip)} gzip -9; ` +
    `total ${kb(total.raw)} raw, ${kb(total.gzip)} gzip -9 (budget ${m.budgetKb} KB)`);
  if (total.gzip / 1024 > m.budgetKb) over.push(`${m.entry} is ${kb(total.gzip)} gzip, over its ${m.budgetKb} KB budget`);
}
writeFileSync(join(pkg, "sizes.json"), JSON.stringify(sizes, null, 2) + "\n");
if (over.length) fail(over.join("; "));
