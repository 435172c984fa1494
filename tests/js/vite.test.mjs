// neon-edge/vite on real Vite dev servers (Vite 8, 7 and 6 through their JS API) in temporary
// projects, against the emulator: where the env file lands, what one start sees, that no
// second database is ever created (second, concurrent, build, test-runner starts), failures,
// seeds that fail and resume, and builds that never carry the claim URL.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readDotEnv, sql } from "neon-edge/postgres";
import { postgres } from "neon-edge/vite";
import defaultExport from "neon-edge/vite";
import { startEmulator } from "../support/emulator.mjs";

const VITES = { 8: await import("vite"), 7: await import("vite7"), 6: await import("vite6") };

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.close());

let refs = 0;
const uniqueRef = (name) => `${name}-${process.pid}-${++refs}`;

/** The emulator's databases created by the plugin for `referrer`. */
async function databases(referrer) {
  const { databases: list } = await (await fetch(`${emu.url}/__emulator/claimable`)).json();
  return list.filter((d) => d.ref === `npm:neon-edge/vite|${referrer}`);
}

const fault = (rule) => fetch(`${emu.url}/__emulator/faults`, { method: rule ? "POST" : "DELETE", headers: { "content-type": "application/json" }, body: rule && JSON.stringify(rule) });

/** A temp project with `files` (path -> text); resolves to its directory. */
function project(files = {}) {
  const dir = mkdtempSync(join(tmpdir(), "neon-edge-vite-"));
  const all = {
    "index.html": `<p>%VITE_POSTGRES_CLAIM_URL%</p><script type="module" src="/main.js"></script>`,
    "main.js": "export const claim = import.meta.env.VITE_POSTGRES_CLAIM_URL;\nexport const env = JSON.stringify(import.meta.env);\nconsole.log(claim, env);\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A Vite logger that keeps what it is given. */
function capture() {
  const messages = [];
  const keep = (level) => (msg) => { messages.push({ level, msg: String(msg) }); };
  return {
    messages,
    text: () => messages.map((m) => `${m.level}: ${m.msg}`).join("\n"),
    info: keep("info"), warn: keep("warn"), warnOnce: keep("warn"), error: keep("error"),
    clearScreen() {}, hasErrorLogged: () => false, hasWarned: false,
  };
}

/** Every password of the env files in `dir` (and below) must be absent from `logs`. */
function assertNoPassword(logs, dir) {
  const files = readdirSync(dir, { recursive: true }).filter((f) => /(^|\/)\.env/.test(f) && !f.includes("node_modules"));
  for (const f of files) {
    for (const value of Object.values(readDotEnv(readFileSync(join(dir, f), "utf8")))) {
      const password = value.match(/^postgres(?:ql)?:\/\/[^:]+:([^@]+)@/)?.[1];
      if (password) assert.ok(!logs.text().includes(password), `a password was logged:\n${logs.text()}`);
    }
  }
}

function pluginOptions(referrer, extra = {}) {
  return { referrer, baseUrl: emu.claimableBaseUrl, sqlEndpoint: emu.sqlEndpoint, ...extra };
}

/** Starts a dev server through Vite's JS API; resolves to { server, logs }. */
async function serve(version, root, options, inline = {}) {
  const logs = capture();
  const server = await VITES[version].createServer({
    root, configFile: false, customLogger: logs, logLevel: "info", server: { port: 0, ws: false }, optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [postgres(options)], ...inline,
  });
  return { server, logs };
}

const envOf = (path) => (existsSync(path) ? readDotEnv(readFileSync(path, "utf8")) : {});

for (const version of [8, 7, 6]) {
  test(`Vite ${version}: the env file lands beside root/envDir/env, never in the working directory`, async () => {
    const cases = [
      { inline: {}, plugin: {}, file: ".env" },
      { inline: { envDir: "config" }, plugin: {}, file: "config/.env" },
      { inline: { envDir: "config" }, plugin: { env: ".env.local" }, file: "config/.env.local" },
      { inline: {}, plugin: { dotEnvFile: ".env.development", dotEnvKey: "PG_URL" }, file: ".env.development", key: "PG_URL" },
    ];
    for (const c of cases) {
      const dir = project({ "config/.keep": "" });
      const referrer = uniqueRef(`place-v${version}`);
      const { server, logs } = await serve(version, dir, pluginOptions(referrer, c.plugin), c.inline);
      await server.close();
      const env = envOf(join(dir, c.file));
      const key = c.key ?? "DATABASE_URL";
      assert.match(env[key] ?? "", /^postgresql:\/\//, `${c.file}:\n${logs.text()}`);
      assert.match(env[`${key}_DIRECT`], /^postgresql:\/\//);
      assert.match(env.VITE_POSTGRES_CLAIM_URL, /\/claim\//);
      assert.ok(!existsSync(join(process.cwd(), c.file)), `${c.file} was written in the working directory`);
      assert.equal((await databases(referrer)).length, 1);
      // Vite's own loadEnv sees it for this mode: what server code reads.
      const loaded = VITES[version].loadEnv("development", join(dir, c.inline.envDir ?? ""), "");
      assert.equal(loaded[key], env[key]);
      assertNoPassword(logs, dir);
    }
  });

  test(`Vite ${version}: a key only in .env.development.local counts as present (nothing created)`, async () => {
    const dir = project({ ".env.development.local": "DATABASE_URL=postgresql://me:pw@localhost/db\n" });
    const referrer = uniqueRef("present");
    const { server } = await serve(version, dir, pluginOptions(referrer));
    await server.close();
    assert.equal((await databases(referrer)).length, 0);
    assert.ok(!existsSync(join(dir, ".env")));
  });

  test(`Vite ${version}: the page gets VITE_POSTGRES_CLAIM_URL on the first start; a second start creates nothing`, async () => {
    const dir = project();
    const referrer = uniqueRef("first");
    const { server, logs } = await serve(version, dir, pluginOptions(referrer));
    await server.listen();
    const base = server.resolvedUrls.local[0];
    const code = await (await fetch(new URL("main.js", base))).text();
    await server.close();
    const env = envOf(join(dir, ".env"));
    assert.ok(code.includes(JSON.stringify(env.VITE_POSTGRES_CLAIM_URL)), code);
    const expiry = readFileSync(join(dir, ".env"), "utf8").match(/expires at: (.+)/)[1];
    assert.ok(logs.text().includes(`expires at ${expiry}`), logs.text()); // the server's expires_at, in the log
    assert.match(logs.text(), /not covered by \.gitignore/);
    assertNoPassword(logs, dir);
    const again = await serve(version, dir, pluginOptions(referrer));
    await again.server.close();
    assert.equal((await databases(referrer)).length, 1);
    assert.deepEqual(envOf(join(dir, ".env")), env);
  });

  test(`Vite ${version}: two concurrent starts, vite build, vite preview, Storybook and test-runner starts create one database in all`, async () => {
    const dir = project();
    const referrer = uniqueRef("once");
    const vite = VITES[version];
    const logs = capture();
    const quiet = { root: dir, configFile: false, customLogger: logs, logLevel: "info" };
    // Test-runner starts first, so nothing exists yet when they run.
    await (await vite.createServer({ ...quiet, mode: "test", plugins: [postgres(pluginOptions(referrer))] })).close();
    process.env.VITEST = "true";
    try {
      await (await vite.createServer({ ...quiet, plugins: [postgres(pluginOptions(referrer))] })).close();
    } finally {
      delete process.env.VITEST;
    }
    await (await vite.createServer({ ...quiet, plugins: [[{ name: "storybook:main" }], postgres(pluginOptions(referrer))] })).close(); // Storybook's dev server
    await vite.build({ ...quiet, mode: "staging", plugins: [postgres(pluginOptions(referrer))] });
    assert.equal((await databases(referrer)).length, 0, logs.text());
    assert.ok(!existsSync(join(dir, ".env")));
    const servers = await Promise.all([1, 2].map(() => vite.createServer({ ...quiet, plugins: [postgres(pluginOptions(referrer))] })));
    await Promise.all(servers.map((s) => s.close()));
    await (await vite.preview({ ...quiet, preview: { port: 0 }, plugins: [postgres(pluginOptions(referrer))] })).close();
    assert.equal((await databases(referrer)).length, 1, logs.text());
    assert.match(logs.text(), /DATABASE_URL was set by another dev server in \.env/); // the second waited, then re-checked
    assert.equal(readFileSync(join(dir, ".env"), "utf8").match(/^DATABASE_URL=/gm).length, 1);
    assert.ok(!readdirSync(dir).some((f) => f.includes(".lock")));
  });

  test(`Vite ${version}: a failing Claimable API leaves the dev server running with a clear message; failOnError stops it`, async () => {
    const dir = project();
    const referrer = uniqueRef("fail");
    await fault({ path: "/api/v1/database", method: "POST", status: 500, message: "Failed to create the database.", times: 0 });
    try {
      const { server, logs } = await serve(version, dir, pluginOptions(referrer));
      await server.listen();
      assert.equal((await fetch(new URL("main.js", server.resolvedUrls.local[0]))).status, 200);
      await server.close();
      const errors = logs.messages.filter((m) => m.level === "error").map((m) => m.msg).join("\n");
      assert.match(errors, /could not create a Postgres database/);
      assert.match(errors, /Failed to create the database/);
      assert.match(errors, /starts without DATABASE_URL/);
      assert.match(errors, /try again later/);
      assert.ok(!existsSync(join(dir, ".env")));
      await assert.rejects(serve(version, dir, pluginOptions(referrer, { failOnError: true })), (e) => {
        assert.match(e.message, /^neon-edge\/vite: could not create a Postgres database: .*Failed to create the database/s);
        return true;
      });
    } finally {
      await fault(null);
    }
    assert.equal((await databases(referrer)).length, 0);
  });

  test(`Vite ${version}: a failing seed statement is reported, and the next start resumes the seed on the same database`, async () => {
    const seedText = "CREATE TABLE notes (id int, body text);\nINSERT INTO notes VALUES (1, 'a;b');\nINSERT INTO notes VALUES ('x', 'bad');\n";
    const dir = project({ "db/seed.sql": seedText });
    const referrer = uniqueRef("seed");
    const options = pluginOptions(referrer, { seed: { type: "sql-script", path: "db/seed.sql" } });
    const first = await serve(version, dir, options);
    await first.server.close();
    assert.match(first.logs.text(), /error: .*seeding the database failed: seed statement 3 \(line 3\) failed: INSERT INTO notes VALUES \('x', 'bad'\)/);
    assert.match(first.logs.text(), /SQLSTATE 22P02/);
    const { DATABASE_URL } = envOf(join(dir, ".env"));
    assert.ok(DATABASE_URL);
    writeFileSync(join(dir, "db/seed.sql"), seedText.replace("('x', 'bad')", "(2, 'c')"));
    const second = await serve(version, dir, options);
    await second.server.close();
    assert.match(second.logs.text(), /resuming the seed at statement 3 of 3/);
    assert.doesNotMatch(second.logs.text(), /error:/);
    assert.equal((await databases(referrer)).length, 1);
    const { rows } = await sql(DATABASE_URL, { endpoint: emu.sqlEndpoint }).query("SELECT body FROM notes ORDER BY id");
    assert.deepEqual(rows, [{ body: "a;b" }, { body: "c" }]);
    assert.ok(!existsSync(join(dir, ".env.neon-edge-seed")));
    const third = await serve(version, dir, options); // seeded: nothing runs again
    await third.server.close();
    assert.doesNotMatch(third.logs.text(), /seed/);
    assertNoPassword(first.logs, dir);
  });

  test(`Vite ${version}: vite build output does not contain the claim URL, and reading it warns`, async () => {
    const dir = project();
    const referrer = uniqueRef("build");
    const { server } = await serve(version, dir, pluginOptions(referrer));
    await server.close();
    const claimUrl = envOf(join(dir, ".env")).VITE_POSTGRES_CLAIM_URL;
    assert.ok(claimUrl);
    const logs = capture();
    await VITES[version].build({ root: dir, configFile: false, customLogger: logs, logLevel: "info", plugins: [postgres({ referrer })] });
    const out = readdirSync(join(dir, "dist"), { recursive: true }).filter((f) => /\.(js|html)$/.test(f));
    assert.ok(out.length >= 2);
    for (const f of out) assert.ok(!readFileSync(join(dir, "dist", f), "utf8").includes(claimUrl), `${f} has the claim URL`);
    assert.match(logs.text(), /warn: .*main\.js reads VITE_POSTGRES_CLAIM_URL: it is undefined in this build/);
    assert.equal((await databases(referrer)).length, 1);
  });
}

test("a lock left by a killed process is taken over", async () => {
  const dir = project();
  const referrer = uniqueRef("stale");
  const child = spawn(process.execPath, ["-e", ""]);
  const pid = await new Promise((done) => child.on("exit", () => done(child.pid)));
  writeFileSync(join(dir, ".env.neon-edge.lock"), JSON.stringify({ pid, host: (await import("node:os")).hostname(), nonce: "dead" }));
  const { server, logs } = await serve(8, dir, pluginOptions(referrer));
  await server.close();
  assert.equal((await databases(referrer)).length, 1, logs.text());
  assert.ok(!existsSync(join(dir, ".env.neon-edge.lock")));
});

test("two dev servers in two processes at once create one database", async () => {
  const dir = project();
  const referrer = uniqueRef("procs");
  const script = `import { createServer } from "vite";
import { postgres } from "neon-edge/vite";
const s = await createServer({ root: ${JSON.stringify(dir)}, configFile: false, logLevel: "silent",
  plugins: [postgres(${JSON.stringify(pluginOptions(referrer))})] });
await s.close();`;
  const run = () => new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`exit ${code}: ${stderr}`))));
  });
  await Promise.all([run(), run()]);
  assert.equal((await databases(referrer)).length, 1);
});

test("bad options are NeonClientErrors naming the option; both spellings of env/envKey work", async () => {
  assert.equal(defaultExport, postgres);
  const fails = (options, option, pattern) => assert.throws(() => postgres(options), (e) => {
    assert.equal(e.name, "NeonClientError");
    assert.equal(e.code, "invalid_option");
    assert.equal(e.option, option);
    assert.match(e.message, pattern);
    return true;
  });
  fails(undefined, "referrer", /referrer option is required[\s\S]*postgres\(\{ referrer: "my-app" \}\)/);
  fails({ referrer: "  " }, "referrer", /referrer option is required/);
  fails({ referrer: "a", envKey: "DATABASE-URL" }, "envKey", /envKey must be an environment variable name/);
  fails({ referrer: "a", env: ".env", dotEnvFile: ".env.local" }, "env", /two spellings of one option/);
  fails({ referrer: "a", seed: { type: "sql", path: "x.sql" } }, "seed", /seed must be \{ type: "sql-script"/);
  fails({ referrer: "a", settings: { logicalReplicaton: true } }, "settings", /unknown setting settings\.logicalReplicaton/);
  fails({ referrer: "a", failOnError: "yes" }, "failOnError", /must be a boolean/);
  fails({ referrer: "a", baseUrl: "neon.new" }, "baseUrl", /http\(s\) URL/);
  fails({ referrer: "a", timeoutMs: -1 }, "timeoutMs", /positive whole number/);
  fails({ referrer: "a", dotenvFile: ".env" }, "dotenvFile", /unknown option dotenvFile/);
  assert.equal(postgres({ referrer: "a", envKey: "PG", dotEnvKey: "PG" }).name, "neon-edge:postgres");
});

test("a key in the process environment counts as present (nothing created, no env file)", async () => {
  const dir = project();
  const referrer = uniqueRef("procenv");
  process.env.NEON_EDGE_VITE_TEST_URL = "postgresql://me:pw@localhost/db";
  try {
    const { server } = await serve(8, dir, pluginOptions(referrer, { envKey: "NEON_EDGE_VITE_TEST_URL" }));
    await server.close();
  } finally {
    delete process.env.NEON_EDGE_VITE_TEST_URL;
  }
  assert.equal((await databases(referrer)).length, 0);
  assert.ok(!existsSync(join(dir, ".env")));
});

test("another key of the block already in the env file is reported in the plugin's terms, and nothing is created", async () => {
  const dir = project({ ".env": "VITE_POSTGRES_CLAIM_URL=https://example.invalid/claim/1\n" });
  const referrer = uniqueRef("partial");
  const { server, logs } = await serve(8, dir, pluginOptions(referrer));
  await server.close();
  assert.match(logs.text(), /error: .*could not create a Postgres database: VITE_POSTGRES_CLAIM_URL already set in \.env\n.*env, envKey or envPrefix option/);
  assert.doesNotMatch(logs.text(), /creating a Claimable Postgres database/);
  assert.equal((await databases(referrer)).length, 0);
  assert.equal(readFileSync(join(dir, ".env"), "utf8"), "VITE_POSTGRES_CLAIM_URL=https://example.invalid/claim/1\n");
});

test("a Claimable API slower than timeoutMs is a timeout, logged with what to do", async () => {
  const dir = project();
  const referrer = uniqueRef("slow");
  await fault({ path: "/api/v1/database", method: "POST", delay_ms: 3000, times: 0 });
  try {
    const started = Date.now();
    const { server, logs } = await serve(8, dir, pluginOptions(referrer, { timeoutMs: 300 }));
    await server.close();
    assert.ok(Date.now() - started < 2500, "the start waited for the slow API");
    assert.match(logs.text(), /error: .*could not create a Postgres database: .*no response within 300 ms\n.*starts without DATABASE_URL\. Check the network connection to http.* \(or raise timeoutMs\)/);
    assert.ok(!existsSync(join(dir, ".env")));
  } finally {
    await fault(null);
  }
});

test("a missing env directory is reported before anything is created", async () => {
  const dir = project();
  const referrer = uniqueRef("nodir");
  const { server, logs } = await serve(8, dir, pluginOptions(referrer, { env: "missing/.env" }));
  await server.close();
  assert.match(logs.text(), /error: .*cannot write .*missing\/\.env: its directory .* is missing or not writable[\s\S]*no database was created/);
  assert.equal((await databases(referrer)).length, 0);
});

test("a bad seed file is reported before anything is created", async () => {
  const dir = project();
  const referrer = uniqueRef("noseed");
  const { server, logs } = await serve(8, dir, pluginOptions(referrer, { seed: { type: "sql-script", path: "missing.sql" } }));
  await server.close();
  assert.match(logs.text(), /error: .*cannot use seed missing\.sql[\s\S]*no database was created/);
  assert.equal((await databases(referrer)).length, 0);
  assert.ok(!existsSync(join(dir, ".env")));
});

for (const version of [8, 7]) test(`examples/vite-app on Vite ${version} (its vite.config.js loaded as a file): the first dev start creates and seeds the database, and /api/notes serves its rows`, async () => {
  const example = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "vite-app");
  // A copy inside the repository (target/), so "vite" and "neon-edge" resolve as in the example.
  mkdirSync(join(example, "..", "..", "target"), { recursive: true });
  const dir = mkdtempSync(join(example, "..", "..", "target", "vite-app-"));
  for (const f of ["index.html", "main.js", "schema.sql", "vite.config.js"]) cpSync(join(example, f), join(dir, f));
  mkdirSync(join(dir, ".emulator"));
  Object.assign(process.env, { NEON_CLAIMABLE_URL: emu.claimableBaseUrl, NEON_SQL_ENDPOINT: emu.sqlEndpoint });
  const logs = capture();
  let server;
  try {
    server = await VITES[version].createServer({ root: dir, configFile: join(dir, "vite.config.js"), mode: "emulator", customLogger: logs, server: { port: 0, ws: false } });
    await server.listen();
    const base = server.resolvedUrls.local[0];
    const { rows } = await (await fetch(new URL("api/notes", base))).json();
    assert.equal(rows.length, 3, logs.text());
    assert.match(rows[0].body, /neon-edge\/vite/);
    assert.match(await (await fetch(new URL("main.js", base))).text(), /VITE_POSTGRES_CLAIM_URL": "http/);
  } finally {
    await server?.close();
    delete process.env.NEON_CLAIMABLE_URL;
    delete process.env.NEON_SQL_ENDPOINT;
    rmSync(dir, { recursive: true, force: true });
  }
});
