// The package's TypeScript declarations, checked with `tsc --strict` against fixtures
// written the way users call the Claimable Postgres, SQL and neon-edge/node APIs and the
// resilience options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Runs `tsc --strict` on one fixture under tests/types/. */
function typeCheck(fixture) {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [
    tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext",
    "--moduleResolution", "nodenext", "--lib", "es2022,dom", join(root, "tests", "types", fixture),
  ], { cwd: root, encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout + result.stderr);
}

test("the Claimable Postgres, SQL and node declarations type-check under --strict", () => {
  typeCheck("claimable.ts");
});

test("the resilience declarations (retry, rateLimit, call options, paginate, waitForOperations) type-check under --strict", () => {
  typeCheck("resilience.ts");
});
