// `npx neon-edge` end to end in temp directories, against the emulator and its PostgreSQL:
// exit codes, the files it writes and leaves alone, and what it prints.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql, readDotEnv } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";

const CLI = join(dirname(fileURLToPath(import.meta.resolve("neon-edge/node"))), "cli.js");

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.close());

const tempDir = () => mkdtempSync(join(tmpdir(), "neon-edge-cli-"));

/** Runs the CLI in `cwd` with stdin closed (not a TTY); resolves to { code, stdout, stderr }. */
function cli(cwd, args, { emulator = true, env = { NEON_EDGE_NO_OPEN: "1" } } = {}) {
  const full = emulator ? [...args, "--base-url", emu.claimableBaseUrl, "--sql-endpoint", emu.sqlEndpoint] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...full], {
      cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("--help lists every option and the exit codes", async () => {
  const { code, stdout } = await cli(tempDir(), ["--help"], { emulator: false });
  assert.equal(code, 0);
  for (const flag of ["--yes", "--env", "--key", "--prefix", "--seed", "--logical-replication", "--ref", "--base-url", "claim", "Exit codes"]) {
    assert.ok(stdout.includes(flag), flag);
  }
});

test("an unknown option or command is a usage error (exit 2)", async () => {
  assert.equal((await cli(tempDir(), ["--nope"], { emulator: false })).code, 2);
  assert.equal((await cli(tempDir(), ["frobnicate"], { emulator: false })).code, 2);
});

test("--yes creates the database, writes .env, seeds it, and a query sees the rows", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".env"), "# mine\nPORT=3000\n");
  writeFileSync(join(dir, "schema.sql"), "CREATE TABLE notes (id int, body text);\nINSERT INTO notes VALUES (1, 'a;b'), (2, 'c');\n");
  const { code, stdout, stderr } = await cli(dir, ["--yes", "--seed", "schema.sql", "--ref", "cli-tests"]);
  assert.equal(code, 0, stderr);
  const text = readFileSync(join(dir, ".env"), "utf8");
  assert.ok(text.startsWith("# mine\nPORT=3000\n\n"), text);
  const env = readDotEnv(text);
  assert.match(env.DATABASE_URL, /^postgresql:\/\/.*options=endpoint%3Dep-[a-z0-9-]+-pooler$/);
  assert.equal(env.DATABASE_URL_DIRECT, env.DATABASE_URL.replace(/-pooler$/, ""));
  assert.match(env.PUBLIC_POSTGRES_CLAIM_URL, /\/claim\//);
  assert.match(stdout, /written to \.env under DATABASE_URL/);
  assert.ok(stdout.includes(env.PUBLIC_POSTGRES_CLAIM_URL));
  assert.match(stdout, /72 hours/);
  assert.match(stderr, /Creating a claimable Postgres database/);
  assert.match(stderr, /Seeded \(2 statement/);
  assert.match(stderr, /not covered by \.gitignore/);
  const rows = await sql(env.DATABASE_URL, { endpoint: emu.sqlEndpoint }).query("SELECT body FROM notes ORDER BY id");
  assert.deepEqual(rows.rows, [{ body: "a;b" }, { body: "c" }]);
});

test("--env, --key, --prefix and -L pick the file and keys; a .gitignore'd file gets no warning", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".gitignore"), ".env.local\n");
  const { code, stderr } = await cli(dir, ["-y", "-e", ".env.local", "-k", "PG_URL", "-p", "VITE_", "-L"]);
  assert.equal(code, 0, stderr);
  const env = readDotEnv(readFileSync(join(dir, ".env.local"), "utf8"));
  assert.deepEqual(Object.keys(env), ["PG_URL", "PG_URL_DIRECT", "VITE_POSTGRES_CLAIM_URL"]);
  assert.ok(!existsSync(join(dir, ".env")));
  assert.doesNotMatch(stderr, /gitignore/);
  assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), ".env.local\n");
});

test("an existing key stops the CLI with exit 3, the three ways out, and the file untouched", async () => {
  const dir = tempDir();
  const original = "export DATABASE_URL='postgres://keep@h/db'\r\n# note\r\n";
  writeFileSync(join(dir, ".env"), original);
  const { code, stderr } = await cli(dir, ["--yes"]);
  assert.equal(code, 3);
  assert.match(stderr, /DATABASE_URL is already set/);
  assert.match(stderr, /remove or comment out/);
  assert.match(stderr, /--env/);
  assert.match(stderr, /--key/);
  assert.equal(readFileSync(join(dir, ".env"), "utf8"), original);
});

test("destructive seed statements need --yes when there is no TTY (exit 6, nothing created)", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "seed.sql"), "DROP TABLE IF EXISTS t;\nCREATE TABLE t (x int);\nTRUNCATE t;\n");
  const refused = await cli(dir, ["--seed", "seed.sql"]);
  assert.equal(refused.code, 6);
  assert.match(refused.stderr, /2 destructive statement/);
  assert.match(refused.stderr, /1 \(line 1, DROP TABLE\): DROP TABLE IF EXISTS t/);
  assert.match(refused.stderr, /3 \(line 3, TRUNCATE\)/);
  assert.ok(!existsSync(join(dir, ".env")));
  const accepted = await cli(dir, ["--yes", "--seed", "seed.sql"]);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stderr, /Running them anyway/);
});

test("a failing seed exits 5 naming the statement; the database is still in .env", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "seed.sql"), "CREATE TABLE t (x int);\nINSERT INTO t VALUES ('not a number');\n");
  const { code, stderr } = await cli(dir, ["--yes", "--seed", "seed.sql"]);
  assert.equal(code, 5);
  assert.match(stderr, /seed statement 2 \(line 2\) failed: INSERT INTO t VALUES/);
  assert.match(stderr, /SQLSTATE 22P02/);
  assert.ok(readDotEnv(readFileSync(join(dir, ".env"), "utf8")).DATABASE_URL);
});

test("a missing seed file is exit 2 before anything is created", async () => {
  const dir = tempDir();
  const { code } = await cli(dir, ["--yes", "--seed", "missing.sql"]);
  assert.equal(code, 2);
  assert.ok(!existsSync(join(dir, ".env")));
});

test("a service error is exit 4", async () => {
  const dir = tempDir();
  const { code, stderr } = await cli(dir, ["--yes", "--base-url", `${emu.url}/api/v1/nowhere`], { emulator: false });
  assert.equal(code, 4, stderr);
  assert.ok(!existsSync(join(dir, ".env")));
});

test("claim prints the claim URL from the env file (exit 0), or exits 7 without one", async () => {
  const dir = tempDir();
  assert.equal((await cli(dir, ["--yes", "--env", ".env.dev"])).code, 0);
  const url = readDotEnv(readFileSync(join(dir, ".env.dev"), "utf8")).PUBLIC_POSTGRES_CLAIM_URL;
  const claimed = await cli(dir, ["claim", "--env", ".env.dev", "--no-open"], { emulator: false });
  assert.equal(claimed.code, 0);
  assert.ok(claimed.stdout.includes(url));
  const missing = await cli(dir, ["claim"], { emulator: false });
  assert.equal(missing.code, 7);
  assert.match(missing.stderr, /No PUBLIC_POSTGRES_CLAIM_URL in \.env/);
});

test("claim still prints the link when no browser can be opened", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, ".env"), "PUBLIC_POSTGRES_CLAIM_URL=https://neon.new/claim/abc\n");
  const emptyPath = mkdtempSync(join(tmpdir(), "neon-edge-no-opener-"));
  const { code, stdout, stderr } = await cli(dir, ["claim"], { emulator: false, env: { PATH: emptyPath, NEON_EDGE_NO_OPEN: "" } });
  assert.equal(code, 0);
  assert.match(stdout, /https:\/\/neon\.new\/claim\/abc/);
  assert.match(stderr, /No browser could be opened/);
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `answers` one by one as prompts appear. */
function cliOnTty(cwd, args, answers) {
  const command = [process.execPath, CLI, ...args, "--base-url", emu.claimableBaseUrl, "--sql-endpoint", emu.sqlEndpoint]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NEON_EDGE_NO_OPEN: "1" } });
    let output = "";
    let asked = 0;
    child.stdout.on("data", (d) => {
      output += d;
      const prompts = (output.match(/\[(Y\/n|y\/N)\]/g) ?? []).length;
      while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\n`);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

const hasScript = spawnSync("script", ["--version"]).status === 0;

test("on a terminal it asks first; declining creates nothing (exit 6)", { skip: !hasScript && "no util-linux script" }, async () => {
  const dir = tempDir();
  const { code, output } = await cliOnTty(dir, [], ["n"]);
  assert.equal(code, 6, output);
  assert.match(output, /Create a claimable Postgres database and write it to \.env \(DATABASE_URL\)\? \[Y\/n\]/);
  assert.ok(!existsSync(join(dir, ".env")));
});

test("on a terminal destructive seed statements are confirmed before anything is created", { skip: !hasScript && "no util-linux script" }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "seed.sql"), "DROP TABLE IF EXISTS t;\nCREATE TABLE t (x int);\n");
  const declined = await cliOnTty(dir, ["--seed", "seed.sql"], ["", "n"]);
  assert.equal(declined.code, 6, declined.output);
  assert.match(declined.output, /1 \(line 1, DROP TABLE\): DROP TABLE IF EXISTS t/);
  assert.ok(!existsSync(join(dir, ".env")));
  const accepted = await cliOnTty(dir, ["--seed", "seed.sql"], ["y", "y"]);
  assert.equal(accepted.code, 0, accepted.output);
  assert.match(accepted.output, /Seeded \(2 statement/);
});

test("the packed package installs, and its neon-edge bin and neon-edge/node and neon-edge/postgres exports work", () => {
  const dir = tempDir();
  const pkgDir = dirname(dirname(CLI));
  const run = (cmd, args, cwd) => {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
    assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const tarball = run("npm", ["pack", pkgDir, "--pack-destination", dir, "--silent"], dir).trim().split("\n").pop();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--silent", join(dir, tarball)], dir);
  assert.match(run("npx", ["--no-install", "neon-edge", "--help"], dir), /npx neon-edge claim/);
  const keys = run(process.execPath, ["-e", 'import("neon-edge/node").then((m) => console.log(typeof m.instantPostgres))'], dir);
  assert.equal(keys.trim(), "function");
  const postgres = run(process.execPath, ["-e", 'import("neon-edge/postgres").then((m) => console.log(typeof m.sql))'], dir);
  assert.equal(postgres.trim(), "function");
});
