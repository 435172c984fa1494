// Starts the neon-emulator binary for the Node tests and stops it afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The emulator binary: $NEON_EMULATOR_BIN, or a fresh debug build of the workspace member. */
export function emulatorBinary() {
  if (process.env.NEON_EMULATOR_BIN) return process.env.NEON_EMULATOR_BIN;
  execFileSync('cargo', ['build', '--quiet', '-p', 'neon-edge-emulator'], { cwd: repoRoot, stdio: 'inherit' });
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target');
  const bin = join(targetDir, 'debug', 'neon-emulator');
  if (!existsSync(bin)) throw new Error(`neon-emulator was not built at ${bin}`);
  return bin;
}

/**
 * Starts the emulator on a free port; resolves to { baseUrl, stop }.
 * `args` are extra command-line flags such as ['--pg-auto'].
 */
export async function startEmulator(args = []) {
  const child = spawn(emulatorBinary(), ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout });
  const baseUrl = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the emulator did not start in time\n${stderr}`)), 60_000);
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`the emulator exited with ${code}\n${stderr}`)); });
    lines.on('line', (line) => {
      const m = /^neon-emulator listening on (http:\/\/\S+)$/.exec(line);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
  });
  const stop = () => new Promise((ok) => {
    if (child.exitCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGINT');
  });
  return { baseUrl, stop };
}

/** Polls the project's operations until all have finished. */
export async function waitForOperations(api, projectId) {
  for (let i = 0; i < 500; i++) {
    const { data } = await api.listProjectOperations({ projectId, limit: 1000 });
    if (data.operations.every((op) => op.status === 'finished')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`operations of ${projectId} did not finish`);
}
