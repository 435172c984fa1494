// The README's first command: starts the local Neon emulator on a free loopback port (no
// account, no network), runs the quickstart against it, and stops everything it started.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "pkg", "neon_edge_bg.wasm"))) {
  execFileSync("node", [join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });
}
execFileSync("cargo", ["build", "-q", "--release", "-p", "neon-edge-emulator"], { stdio: "inherit", cwd: root });

const emulator = spawn(join(root, "target", "release", "neon-emulator"), ["--port", "0", "--pg-auto"], {
  cwd: root, stdio: ["ignore", "pipe", "inherit"],
});
const stop = () => emulator.exitCode === null && emulator.kill("SIGINT");
process.on("SIGINT", () => { stop(); process.exit(130); });

const url = await new Promise((resolve, reject) => {
  let out = "";
  emulator.stdout.on("data", (chunk) => {
    out += chunk;
    const m = out.match(/listening on (http:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  emulator.on("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
});
console.log(`Local Neon emulator at ${url} (stops when this demo ends)\n`);

const demo = spawn(process.execPath, [join(root, "examples", "quickstart.mjs")], {
  cwd: root, stdio: "inherit",
  env: {
    ...process.env,
    NEON_API_KEY: "local-demo-key",
    NEON_BASE_URL: `${url}/api/v2`,
    NEON_CLAIMABLE_URL: `${url}/api/v1`,
    NEON_SQL_ENDPOINT: `${url}/sql`,
  },
});
const code = await new Promise((r) => demo.on("exit", r));
stop();
await new Promise((r) => (emulator.exitCode !== null ? r() : emulator.on("exit", r)));
process.exit(code ?? 1);
