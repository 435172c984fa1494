// Faults: a process killed with SIGKILL at random points of a .env write, 200 times. The
// file is always either the old or the new content, byte for byte (the package writes a
// temp file and renames it over the original). Each child loads the package first and
// writes on a signal, so the kill lands within the write itself: the random delay spans the
// write's own measured duration.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergeClaimableEnv } from "neon-edge/postgres";

const RUNS = 200;
const PARALLEL = 4;
const writer = new URL("./faults/env-writer.mjs", import.meta.url).pathname;
const database = {
  databaseUrl: "postgresql://owner:npg_faults@ep-kill-pooler.neon.test/neondb?sslmode=require",
  databaseUrlDirect: "postgresql://owner:npg_faults@ep-kill.neon.test/neondb?sslmode=require",
  claimUrl: "https://neon.new/database/faults",
  expiresAt: "2026-12-06T00:00:00.000Z",
};
// A large file, so the write takes long enough for kills to land inside it.
const OLD = Array.from({ length: 2_000 }, (_, i) => `KEY_${i}="value ${i} # not a comment"\n`).join("");
const NEW = mergeClaimableEnv(OLD, database);

/** Starts a writer on `envFile`; resolves to its child once the package is loaded. */
function ready(envFile) {
  const child = spawn(process.execPath, [writer, envFile, JSON.stringify(database)], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", () => resolve(child));
  });
}

/** Tells the child to write; kills it after `delayMs` (or lets it finish when null). */
function run(child, delayMs) {
  return new Promise((resolve) => {
    let done = false;
    child.stdout.on("data", (d) => { if (String(d).includes("done")) done = true; });
    child.once("exit", () => resolve(done));
    child.stdin.write("go");
    if (delayMs !== null) setTimeout(() => child.kill("SIGKILL"), delayMs);
  });
}

test(`a .env write killed with SIGKILL at random points (${RUNS} times) leaves the old or the new file, byte for byte`, { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-faults-"));
  try {
    // The write's duration, measured: kills are spread over 0..1.5 times it.
    const probe = join(dir, "probe.env");
    writeFileSync(probe, OLD);
    const child = await ready(probe);
    const started = performance.now();
    assert.equal(await run(child, null), true);
    const writeMs = Math.max(1, performance.now() - started);
    assert.equal(readFileSync(probe, "utf8"), NEW, "an unkilled write appends the block");

    const outcomes = { old: 0, new: 0 };
    let next = 0;
    async function lane(n) {
      const envFile = join(dir, `lane${n}.env`);
      while (next < RUNS) {
        next += 1;
        writeFileSync(envFile, OLD);
        const child = await ready(envFile);
        await run(child, Math.random() * writeMs * 1.5);
        const text = readFileSync(envFile, "utf8");
        assert.ok(text === OLD || text === NEW, `a killed write left ${text.length} bytes that are neither the old (${OLD.length}) nor the new (${NEW.length}) file`);
        outcomes[text === OLD ? "old" : "new"] += 1;
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, (_, n) => lane(n)));
    console.log(`faults: ${RUNS} kills over 0..${(writeMs * 1.5).toFixed(1)} ms of a ${writeMs.toFixed(1)} ms write: ${outcomes.old} left the old file, ${outcomes.new} the new one`);
    assert.equal(outcomes.old + outcomes.new, RUNS);
    // Kills landed both before and after the rename, so the check saw both outcomes.
    assert.ok(outcomes.old > 0 && outcomes.new > 0, JSON.stringify(outcomes));
    // A killed write may leave its temp file (never the env file half-written); none are read as .env.
    for (const name of readdirSync(dir)) if (name.endsWith(".tmp")) unlinkSync(join(dir, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
