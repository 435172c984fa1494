// The README's first command: starts the local Neon emulator on a free loopback port (no
// account, no network), runs the quickstart against it, then — only in an interactive
// terminal — serves the browser demo page against the same emulator until Ctrl-C, and stops
// everything it started. A non-interactive run (CI, scripts) ends after the quickstart.
import { spawn, execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuiltPackage, startDemoServer } from "./browser-demo/server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
ensureBuiltPackage();
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
const stopped = () => new Promise((r) => (emulator.exitCode !== null ? r() : emulator.on("exit", r)));
if (code === 0 && process.stdout.isTTY) {
  const page = await startDemoServer({ emulatorUrl: url });
  console.log(`\nbrowser demo at ${page.url}\n(the page uses the same emulator; Ctrl-C stops both)`);
  process.removeAllListeners("SIGINT");
  await new Promise((r) => { process.once("SIGINT", r); process.once("SIGTERM", r); });
  await page.close();
  stop();
  await stopped();
  process.exit(0);
}
stop();
await stopped();
process.exit(code ?? 1);
