// Starts the local Neon emulator (`cargo run -p neon-edge-emulator`) on a free port with a
// throwaway PostgreSQL cluster, for tests that need real databases behind /api/v1 and /sql.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Resolves to `{ url, claimableBaseUrl, claimableNeonOrigin, sqlEndpoint, close() }` once the
 * emulator listens (Claimable Neon's origin is the emulator's base URL). `args`: more emulator
 * flags (`["--op-duration-ms", "0"]`).
 */
export function startEmulator({ timeoutMs = 300_000, args = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("cargo", ["run", "-q", "-p", "neon-edge-emulator", "--", "--port", "0", "--pg-auto", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`the emulator did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stderr.on("data", (d) => { stderr += d; });
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/neon-emulator listening on (http:\/\/\S+)/);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1].replace(/\/$/, "");
      resolve({
        url,
        claimableBaseUrl: `${url}/api/v1`,
        claimableNeonOrigin: url,
        sqlEndpoint: `${url}/sql`,
        close: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once("exit", () => done());
          child.kill("SIGTERM");
        }),
      });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}:\n${stderr}`));
    });
  });
}
