// The browser demo page (examples/browser-demo/) in headless Chromium against the emulator,
// served by its own serve.mjs: every feature clicked through as a person would, what the page
// shows asserted (and checked against the emulator's state), any uncaught page error or
// console error failing the test. A screenshot per step goes to
// target/test-output/browser-demo/; UPDATE_SCREENSHOT=1 also rewrites docs/browser-demo.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { NeonClient } from "neon-edge";
import { getClaimableDatabase } from "neon-edge/postgres";
import { startEmulator } from "../support/emulator.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const serveScript = join(root, "examples", "browser-demo", "serve.mjs");
const shots = join(root, "target", "test-output", "browser-demo");
const DOCS_SHOT = join(root, "docs", "browser-demo.png");
const API_KEY = "browser-demo-test-key-3f9c1a";

/** serve.mjs processes started here, stopped after the tests whatever happened. */
const served = [];

/** Starts serve.mjs with `args`; resolves once it printed its URL, with what it wrote to stderr. */
function serve(args) {
  const child = spawn(process.execPath, [serveScript, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  served.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/^browser demo at (http:\/\/127\.0\.0\.1:\d+\/)\n/);
      if (m) resolve({ child, url: m[1], stdout: () => stdout, stderr: () => stderr, exited });
    });
    exited.then(({ code }) => reject(new Error(`serve.mjs exited (${code}) before serving:\n${stderr}`)));
  });
}

let emu;
let server;
let context;
let page;
let step = 0;
/** Console errors and page errors not expected by the step that provokes them. */
const unexpected = [];
/** Network failures a step provokes on purpose, which Chromium logs as console errors. */
const expectedFailures = [];

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  emu = await startEmulator();
  server = await serve(["--emulator", emu.url, "--port", "0"]);
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "neon-edge-browser-demo-")), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    // A modest picture for docs/browser-demo.png (under 150 KB): 900 px wide, text still legible.
    viewport: { width: 1200, height: 900 },
    deviceScaleFactor: 0.75,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (e) => unexpected.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const failure = m.text().match(/^Failed to load resource: the server responded with a status of (\d+)/);
    const url = m.location().url;
    if (failure && expectedFailures.some((f) => f.url === url && f.status === Number(failure[1]))) return;
    unexpected.push(`console error: ${m.text()} (${url})`);
  });
});

after(async () => {
  await context?.close();
  await Promise.all(served.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => {
    const exited = new Promise((resolve) => c.once("exit", resolve));
    c.kill("SIGTERM");
    return exited;
  }));
  await emu?.close();
});

/** Screenshots the page as step `name`, and fails on any error the page logged so far. */
async function shot(name) {
  await page.screenshot({ path: join(shots, `${String(++step).padStart(2, "0")}-${name}.png`), fullPage: true });
  assert.deepEqual(unexpected, [], "the page logged errors");
}

const text = (selector) => page.locator(selector).innerText();
const tableCells = (selector) => page.locator(selector).evaluate((t) => [...t.rows].map((r) => [...r.cells].map((c) => c.textContent)));
const waitForText = (selector, pattern, timeout = 20_000) =>
  page.waitForFunction(([s, source, flags]) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ""),
    [selector, pattern.source, pattern.flags], { timeout });

test("serve.mjs serves the page with an import map of the package's browser exports and the emulator's URLs", async () => {
  const html = await (await fetch(server.url)).text();
  assert.match(html, /"neon-edge": "\/pkg\/browser\.js"/);
  assert.match(html, /"neon-edge\/postgres": "\/pkg\/postgres\/browser\.js"/);
  const wasm = await fetch(new URL("/pkg/neon_edge_bg.wasm", server.url));
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  assert.deepEqual(await (await fetch(new URL("/config.json", server.url))).json(), {
    target: "emulator", managementBaseUrl: `${emu.url}/api/v2`, claimableBaseUrl: emu.claimableBaseUrl, sqlEndpoint: emu.sqlEndpoint,
  });
  // pkg/../Cargo.toml exists: only the server's confinement to pkg/ keeps it out.
  assert.equal((await fetch(new URL("/pkg/..%2fCargo.toml", server.url))).status, 404);
  assert.equal((await fetch(new URL("/config.json", server.url), { method: "POST" })).status, 405);
});

test("the page loads the package in Chromium and fills its fields from the server", async () => {
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]");
  assert.match(await text("#target-note"), /local Neon emulator/);
  assert.equal(await page.inputValue("#management-url"), `${emu.url}/api/v2`);
  assert.equal(await page.inputValue("#claimable-url"), emu.claimableBaseUrl);
  assert.equal(await page.inputValue("#sql-endpoint"), emu.sqlEndpoint);
  const warning = page.locator("#key-warning");
  assert.ok(await warning.isVisible());
  assert.match(await warning.innerText(), /exposed to that page[\s\S]*server-side proxy[\s\S]*any placeholder/);
  await shot("loaded");
});

let database; // what the emulator says of the database the page created
let password; // its password, which no assertion message may print

/** Asserts `actual === expected`, printing them with the password hidden if they differ. */
function equalSecret(actual, expected, what) {
  const hide = (s) => String(s).replaceAll(password, "[password]");
  assert.ok(actual === expected, `${what}: ${hide(actual)} instead of ${hide(expected)}`);
}

test("Instant database: connection strings masked with reveal and copy, the claim link, a live countdown", async () => {
  await page.click("#create-db");
  await page.waitForSelector("#db:not([hidden])");
  const id = (await text("#db-status")).match(/Database (\S+) is UNCLAIMED/)?.[1];
  assert.ok(id, await text("#db-status"));
  database = await getClaimableDatabase(id, { baseUrl: emu.claimableBaseUrl });
  password = new URL(database.databaseUrl.replace(/^postgresql:/, "http:")).password;
  assert.ok(password.length >= 8);

  const pooled = page.locator('[data-secret="pooled"]');
  const direct = page.locator('[data-secret="direct"]');
  equalSecret(await pooled.locator("code").innerText(), database.databaseUrl.replace(`:${password}@`, ":****@"), "the pooled string");
  equalSecret(await direct.locator("code").innerText(), database.databaseUrlDirect.replace(`:${password}@`, ":****@"), "the direct string");
  assert.ok(!(await page.content()).includes(password), "the password shows before Reveal");
  await shot("database-masked");

  await pooled.locator("button.reveal").click();
  equalSecret(await pooled.locator("code").innerText(), database.databaseUrl, "the revealed pooled string");
  assert.equal(await pooled.locator("button.reveal").innerText(), "Hide");
  await pooled.locator("button.reveal").click();
  assert.ok(!(await page.content()).includes(password), "Hide leaves the password on the page");

  await direct.locator("button.copy").click();
  await waitForText('[data-secret="direct"] button.copy', /Copied/);
  equalSecret(await page.evaluate(() => navigator.clipboard.readText()), database.databaseUrlDirect, "the clipboard");

  assert.equal(await page.getAttribute("#claim-link", "href"), database.claimUrl);
  assert.equal(await text("#expires-at"), `(${database.expiresAt})`);
  const before = await text("#countdown");
  assert.match(before, /^in 7[12] h \d\d min \d\d s$/);
  await waitForText("#countdown", new RegExp(`^(?!${before}$)in 7[12] h`), 3_000); // it ticks
  await shot("database-revealed-copied");
});

test("SQL: the page's seed script runs statement by statement, split correctly, and its rows show as a table", async () => {
  assert.match(await page.inputValue("#sql-text"), /'try neon-edge; in a browser'[\s\S]*\$\$ SELECT count\(\*\) FROM todo WHERE NOT done; \$\$/);
  await page.click("#run-sql");
  await waitForText("#sql-status", /4 statements ran/);
  assert.ok(await page.locator("#sql-error").isHidden());
  const heads = await page.locator("#sql-results .result-head").allInnerTexts();
  assert.deepEqual(heads.map((h) => h.split(" · ")[0]), ["#1 CREATE", "#2 INSERT", "#3 CREATE", "#4 SELECT"]);
  assert.deepEqual(await tableCells("#sql-results table.data"), [
    ["id", "title", "done", "still_open"],
    ["1", "try neon-edge; in a browser", "false", "2"],
    ["2", "claim the database", "false", "2"],
  ]);
  await shot("sql-seed-rows");
});

test("SQL: a Postgres error shows its SQLSTATE, position and where in the script", async () => {
  expectedFailures.push({ url: emu.sqlEndpoint, status: 400 });
  await page.fill("#sql-text", "SELECT 1 AS one;\n-- the next one fails\nSELECT id,\n  no_such_column FROM todo;");
  await page.click("#run-sql");
  await page.waitForSelector("#sql-error:not([hidden])");
  assert.match(await text("#sql-status"), /Statement 2 of 2 failed; 1 before it ran/);
  assert.match(await text("#sql-error .error-title"), /^NeonSqlError .*no_such_column/);
  assert.equal(await text("#sql-error .field-kind"), "sql");
  assert.equal(await text("#sql-error .field-code"), "42703");
  assert.ok((await text("#sql-error .error-fields")).includes("code (SQLSTATE)"));
  assert.equal(await text("#sql-error .field-position"), "14");
  assert.equal(await text("#sql-error .field-statement"), "#2 of 2, from line 3");
  assert.equal(await text("#sql-error .field-script-line"), "4");
  assert.equal(await page.locator("#sql-error pre.caret").textContent(), "  no_such_column FROM todo\n  ^");
  assert.ok(!(await page.content()).includes(password), "the password shows in the SQL section");
  await shot("sql-error");
});

test("SQL: the next run clears the error; the seeded rows are still in the database", async () => {
  await page.fill("#sql-text", "-- still there after the failed run\nSELECT id, title, done FROM todo ORDER BY id;");
  await page.click("#run-sql");
  await waitForText("#sql-status", /^1 statement ran/);
  assert.ok(await page.locator("#sql-error").isHidden());
  assert.deepEqual(await tableCells("#sql-results table.data"), [
    ["id", "title", "done"], ["1", "try neon-edge; in a browser", "false"], ["2", "claim the database", "false"],
  ]);
});

let neon; // the test's own client, to check what the page did against the emulator's state
let projectId;
test("Management: the key is typed into the page; projects are listed, a project is created and its branches shown", async () => {
  neon = new NeonClient({ apiKey: "test-observer", baseUrl: `${emu.url}/api/v2` });
  await page.fill("#api-key", "");
  await page.click("#list-projects");
  await page.waitForSelector("#mgmt-error:not([hidden])");
  assert.equal(await text("#mgmt-error .field-kind"), "client");
  assert.equal(await text("#mgmt-error .field-reason"), "missing_api_key");
  await page.fill("#api-key", API_KEY);
  await page.click("#list-projects");
  await waitForText("#mgmt-status", /^No projects yet/);
  await page.click("#create-project");
  await waitForText("#mgmt-status", /^Project \S+ created: \d+ operations? finished in \d+ ms\.$/);
  const { projects } = await neon.listProjects({});
  assert.equal(projects.length, 1);
  projectId = projects[0].id;
  assert.deepEqual(await tableCells("#projects"), [
    ["Project", "ID", "Region", ""],
    [projects[0].name, projectId, projects[0].region_id, "Branches"],
  ]);
  assert.equal(await text("#branches-project"), `${projects[0].name} (${projectId})`);
  const { branches } = await neon.listProjectBranches({ projectId });
  assert.deepEqual(await page.locator("#branches tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.branch)), branches.map((b) => b.name));
  await shot("project-created");
});

test("Management: creating a branch shows each of its operations' progress until finished, then lists it", async () => {
  await page.fill("#branch-name", "dev");
  await page.click("#create-branch");
  await waitForText("#mgmt-status", /^Branch dev \(br-[\w-]+\) created: \d+ operations? finished in \d+ ms\.$/);
  const branch = (await neon.listProjectBranches({ projectId })).branches.find((b) => b.name === "dev");
  assert.ok(branch, "the emulator has no branch dev");
  assert.equal(branch.current_state, "ready");
  assert.equal(await text("#operations .operations-head"), "Creating branch dev");
  const ops = await page.locator("#operations li").evaluateAll((items) => items.map((li) => [li.title, li.className, li.textContent]));
  assert.ok(ops.length > 0, "no operation shown");
  const { operations } = await neon.listProjectOperations({ projectId });
  const branchOps = operations.filter((op) => op.branch_id === branch.id);
  assert.deepEqual(ops.map(([id]) => id).sort(), branchOps.map((op) => op.id).sort());
  for (const [id, className, shown] of ops) {
    const op = branchOps.find((o) => o.id === id);
    assert.equal(op.status, "finished");
    assert.equal(className, "op op-finished");
    // Every status the wait saw, from the create's answer to the end.
    assert.match(shown, new RegExp(`^${op.action}: scheduling( → running)? → finished$`));
  }
  assert.ok(await page.locator('#branches tr[data-branch="dev"]').isVisible());
  assert.equal(await page.locator('#branches tr[data-branch="dev"] td').nth(1).innerText(), branch.id);
  await shot("branch-created");
});

test("Management: a missing project shows a typed 404 (kind, status, requestId)", async () => {
  expectedFailures.push({ url: `${emu.url}/api/v2/projects/no-such-project`, status: 404 });
  await page.fill("#project-id", "no-such-project");
  await page.click("#get-project");
  await page.waitForSelector("#mgmt-error:not([hidden])");
  assert.match(await text("#mgmt-error .error-title"), /^NeonApiError /);
  assert.equal(await text("#mgmt-error .field-kind"), "not_found");
  assert.equal(await text("#mgmt-error .field-status"), "404");
  assert.match(await text("#mgmt-error .field-requestId"), /^[\w-]{8,}$/);
  assert.equal(await text("#mgmt-error .field-operation"), "getProject");
  await shot("not-found");
  if (process.env.UPDATE_SCREENSHOT === "1") {
    await page.screenshot({ path: DOCS_SHOT, fullPage: true });
    const bytes = statSync(DOCS_SHOT).size;
    assert.ok(bytes < 150 * 1024, `docs/browser-demo.png is ${bytes} bytes, over 150 KB`);
  }
});

test("Management: deleting the branch follows its operations and removes it from the list", async () => {
  await page.click('#branches tr[data-branch="dev"] button.delete-branch');
  await waitForText("#mgmt-status", /^Branch dev deleted: \d+ operations? finished in \d+ ms\.$/);
  assert.ok(await page.locator("#mgmt-error").isHidden());
  assert.equal(await page.locator('#branches tr[data-branch="dev"]').count(), 0);
  assert.ok(await page.locator('#branches tr[data-branch="main"] button.delete-branch').isDisabled(), "the default branch offers Delete");
  assert.deepEqual((await neon.listProjectBranches({ projectId })).branches.map((b) => b.name), ["main"]);
  assert.match(await text("#operations"), /Deleting branch dev/);
  await shot("branch-deleted");
});

test("the API key stays in memory: never on the page, in storage or cookies, nor restored after a reload", async () => {
  const html = await page.content();
  assert.ok(!html.includes(API_KEY), "the key is in the page's HTML");
  assert.ok(!(await page.locator("body").innerText()).includes(API_KEY), "the key is in the page's text");
  const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: "" });
  assert.deepEqual(await context.cookies(), []);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.inputValue("#api-key"), "local-emulator-key"); // the emulator's placeholder, from the page
  await shot("reloaded");
});

test("serve.mjs without --emulator starts one, and Ctrl-C (SIGINT) stops it and the server", async () => {
  const own = await serve(["--port", "0"]);
  const emulatorUrl = own.stderr().match(/Local Neon emulator at (http:\/\/\S+)/)?.[1];
  assert.ok(emulatorUrl, own.stderr());
  const config = await (await fetch(new URL("/config.json", own.url))).json();
  assert.equal(config.managementBaseUrl, `${emulatorUrl}/api/v2`);
  assert.equal((await fetch(`${emulatorUrl}/__emulator/health`)).status, 200);
  assert.equal(own.stdout(), `browser demo at ${own.url}\n`);
  own.child.kill("SIGINT");
  assert.deepEqual(await own.exited, { code: 0, signal: null });
  await assert.rejects(fetch(`${emulatorUrl}/__emulator/health`), "the emulator still answers");
  await assert.rejects(fetch(own.url), "the page is still served");
});
