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

/** Starts serve.mjs with `args`; resolves once it printed its URL, with what it wrote to stderr. */
function serve(args) {
  const child = spawn(process.execPath, [serveScript, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
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
    viewport: { width: 1200, height: 900 },
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
  if (server?.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
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
  assert.equal((await fetch(new URL("/pkg/..%2f..%2fCargo.toml", server.url))).status, 404);
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
test("Instant database: connection strings masked with reveal and copy, the claim link, a live countdown", async () => {
  await page.click("#create-db");
  await page.waitForSelector("#db:not([hidden])");
  const id = (await text("#db-status")).match(/Database (\S+) is UNCLAIMED/)?.[1];
  assert.ok(id, await text("#db-status"));
  database = await getClaimableDatabase(id, { baseUrl: emu.claimableBaseUrl });
  const password = new URL(database.databaseUrl.replace(/^postgresql:/, "http:")).password;
  assert.ok(password.length >= 8);

  const pooled = page.locator('[data-secret="pooled"]');
  const direct = page.locator('[data-secret="direct"]');
  assert.equal(await pooled.locator("code").innerText(), database.databaseUrl.replace(`:${password}@`, ":****@"));
  assert.equal(await direct.locator("code").innerText(), database.databaseUrlDirect.replace(`:${password}@`, ":****@"));
  assert.ok(!(await page.content()).includes(password), "the password shows before Reveal");
  await shot("database-masked");

  await pooled.locator("button.reveal").click();
  assert.equal(await pooled.locator("code").innerText(), database.databaseUrl);
  assert.equal(await pooled.locator("button.reveal").innerText(), "Hide");
  await pooled.locator("button.reveal").click();
  assert.ok(!(await page.content()).includes(password), "Hide leaves the password on the page");

  await direct.locator("button.copy").click();
  await waitForText('[data-secret="direct"] button.copy', /Copied/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), database.databaseUrlDirect);

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
  assert.equal(await text("#sql-error .field-position"), "14");
  assert.equal(await text("#sql-error .field-statement"), "#2 of 2, from line 3");
  assert.equal(await text("#sql-error .field-script-line"), "4");
  assert.equal(await page.locator("#sql-error pre.caret").textContent(), "  no_such_column FROM todo\n  ^");
  assert.ok(!(await page.content()).includes(new URL(database.databaseUrl.replace(/^postgresql:/, "http:")).password));
  await shot("sql-error");
});

test("SQL: the next run clears the error; the seeded rows are still in the database", async () => {
  await page.fill("#sql-text", "SELECT id, title FROM todo WHERE title LIKE $$%;%$$ ORDER BY id");
  await page.click("#run-sql");
  await waitForText("#sql-status", /^1 statement ran/);
  assert.ok(await page.locator("#sql-error").isHidden());
  assert.deepEqual(await tableCells("#sql-results table.data"), [["id", "title"], ["1", "try neon-edge; in a browser"]]);
});
