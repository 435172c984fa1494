// Runs one runtime example against the local Neon emulator, from a clone, with no Neon account
// and no network: installs what is missing (scripts/setup.sh), builds the package unless
// built, starts the emulator (on a throwaway PostgreSQL cluster), creates a project in it for
// the example to branch (as a Neon account would have one), runs the example in its runtime
// with NEON_* pointing at the emulator, and stops everything it started.
//
//   node examples/shared/local.mjs node|deno|bun|vercel-edge
//
// Deno and Bun are the npm packages `deno` and `bun` (devDependencies: the binaries ship
// inside them). tests/js/examples-runtimes.test.mjs runs the examples through these functions.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulator } from "../../tests/support/emulator.mjs";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(examples, "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** The settings the examples read (examples/shared/tour.mjs), for an emulator at `url`. */
export function localEnv(url) {
  return {
    NEON_API_KEY: "local-example-key",
    NEON_BASE_URL: `${url}/api/v2`,
    NEON_CLAIMABLE_URL: `${url}/api/v1`,
    NEON_SQL_ENDPOINT: `${url}/sql`,
  };
}

// Every variable the examples read: Deno may read these and nothing else.
const SETTINGS = ["NEON_API_KEY", "NEON_BASE_URL", "NEON_PROJECT_ID", "NEON_CLAIMABLE_URL", "NEON_SQL_ENDPOINT"];

/** How each script example runs: the command, its arguments and its directory. */
const SCRIPTS = {
  node: () => ({ command: process.execPath, args: ["index.mjs"], cwd: join(examples, "node") }),
  // Deno type-checks main.ts against the package's .d.ts, resolves `npm:neon-edge` to this
  // clone's node_modules (which links to the built pkg/), and may reach only the emulator's
  // host and read only the package's files: no download, no other network, no other file.
  deno: (env) => ({
    command: bin("deno"),
    args: [
      "run", "--check", "--no-remote", "--cached-only", "--node-modules-dir=manual", "--no-prompt",
      `--allow-net=${[...new Set(SETTINGS.filter((k) => env[k]?.startsWith("http")).map((k) => new URL(env[k]).host))]}`,
      `--allow-env=${SETTINGS}`,
      `--allow-read=${realpathSync(join(root, "node_modules", "neon-edge"))}`,
      "main.ts",
    ],
    cwd: join(examples, "deno"),
    // Deno's caches stay inside the clone, and it checks for no update.
    env: { DENO_DIR: join(root, "node_modules", ".cache", "deno"), DENO_NO_UPDATE_CHECK: "1" },
  }),
  // `--no-install`: Bun never fetches a package it does not find in node_modules; no
  // transpiler cache in the home directory.
  bun: () => ({
    command: bin("bun"),
    args: ["run", "--no-install", "index.ts"],
    cwd: join(examples, "bun"),
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" },
  }),
};

/**
 * Runs the `node`, `deno` or `bun` example with `settings` (and none of the caller's NEON_*
 * variables). `capture: true` resolves to `{ code, stdout, stderr }`; otherwise the example
 * prints to this terminal and it resolves to `{ code }`.
 */
export function runScript(runtime, settings, { capture = false } = {}) {
  const { command, args, cwd, env = {} } = SCRIPTS[runtime](settings);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("NEON_")));
  const child = spawn(command, args, {
    cwd, env: { ...inherited, NO_COLOR: "1", ...env, ...settings }, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => { stdout += d; });
  child.stderr?.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(capture ? { code, stdout, stderr } : { code }));
  });
}

/**
 * The Edge function (examples/vercel-edge/api/provision.ts) bundled as Vercel does and loaded
 * into Vercel's Edge runtime with `settings` as its `process.env`: its `config` export, and
 * `fetch(url, init)` that calls its handler with a Request and resolves to the Response.
 */
export async function loadEdgeFunction(settings) {
  // npm packages are imported here, not above: `main` installs them first on a fresh clone.
  const { EdgeRuntime } = await import("edge-runtime");
  const { bundleForEdge } = await import("../../tests/support/edge-runtime.mjs");
  const code = await bundleForEdge(`import handler, { config } from "./api/provision.ts";
self.vercelConfig = config;
addEventListener("fetch", (event) => event.respondWith(handler(event.request)));`, join(examples, "vercel-edge"));
  const runtime = new EdgeRuntime({ initialCode: code, extend: (context) => Object.assign(context, { process: { env: { ...settings } } }) });
  return {
    config: runtime.evaluate("vercelConfig"),
    fetch: async (url, init) => {
      const response = await runtime.dispatchFetch(url, init);
      await response.waitUntil();
      return response;
    },
  };
}

/**
 * Creates the project the examples branch, with the Management client, and waits for it:
 * a fresh emulator has none.
 */
export async function createExampleProject(settings) {
  const { NeonClient } = await import("neon-edge");
  const neon = new NeonClient({ apiKey: settings.NEON_API_KEY, baseUrl: settings.NEON_BASE_URL });
  const { project } = await neon.createProject({ body: { project: { name: "neon-edge-examples" } } }, { wait: true });
  return project;
}

const RUNTIMES = [...Object.keys(SCRIPTS), "vercel-edge"];

async function main(runtime) {
  if (!RUNTIMES.includes(runtime)) {
    console.error(`usage: node examples/shared/local.mjs ${RUNTIMES.join("|")}`);
    return 2;
  }
  execFileSync("bash", [join(root, "scripts", "setup.sh"), "--postgres"], { stdio: "inherit", cwd: root });
  // Through node_modules/neon-edge: `npm ci` (in setup) removes that link, the build makes it.
  if (!existsSync(join(root, "node_modules", "neon-edge", "neon_edge_bg.wasm"))) {
    execFileSync("node", [join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });
  }
  const emulator = await startEmulator();
  process.once("SIGINT", () => emulator.close().then(() => process.exit(130)));
  try {
    console.log(`Local Neon emulator at ${emulator.url} (stops when this run ends)\n`);
    const settings = localEnv(emulator.url);
    await createExampleProject(settings);
    if (runtime !== "vercel-edge") return (await runScript(runtime, settings)).code ?? 1;
    const edge = await loadEdgeFunction(settings);
    const response = await edge.fetch("http://localhost/api/provision", { method: "POST" });
    console.log(`POST /api/provision -> ${response.status}\n${JSON.stringify(await response.json(), null, 2)}`);
    return response.ok ? 0 : 1;
  } finally {
    await emulator.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv[2]);
}
