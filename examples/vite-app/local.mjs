// One command: `node examples/vite-app/local.mjs` starts the local Neon emulator (no account,
// no network) and this app's `vite dev` against it; Ctrl-C stops both. Each run starts from a
// fresh emulator, so the env file of the last run (.emulator/.env) is removed first.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../../tests/support/emulator.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
if (!existsSync(join(root, "pkg", "neon_edge_postgres_bg.wasm"))) {
  execFileSync("node", [join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });
}
rmSync(join(here, ".emulator"), { recursive: true, force: true });
mkdirSync(join(here, ".emulator"));
const emulator = await startEmulator();
console.log(`Local Neon emulator at ${emulator.url} (stops with the dev server)\n`);
const vite = spawn(process.execPath, [join(root, "node_modules", "vite", "bin", "vite.js"), "--mode", "emulator", ...process.argv.slice(2)], {
  cwd: here, stdio: "inherit",
  env: { ...process.env, NEON_CLAIMABLE_URL: emulator.claimableBaseUrl, NEON_SQL_ENDPOINT: emulator.sqlEndpoint },
});
const stop = () => vite.exitCode === null && vite.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
const code = await new Promise((r) => vite.on("exit", (c) => r(c ?? 0)));
await emulator.close();
process.exit(code);
