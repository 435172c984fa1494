// Replays the golden Claimable Neon recordings (tests/golden/claimable-neon/, written from the
// service's source) against the emulator and checks that every answer matches its recording.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "./emulator.mjs";
import { service, given, mask } from "./claimable-neon-support.mjs";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../../../tests/golden/claimable-neon");
const recordings = readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
  .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(dir, f), "utf8")) }));

// Where the emulator answers differently from the service, on purpose: the recording is
// adjusted to what the emulator must answer instead (a client replays the recordings as they are).
const EMULATOR_DIFFERS = {
  // The emulator serves neither the Data API nor Neon Auth: it grants them without service URLs.
  "credentials-services": (response) => { response.body.services = {}; },
};

const TYPES = {
  string: (v) => typeof v === "string" && v.length > 0,
  integer: (v) => Number.isInteger(v),
  unix_seconds: (v) => Number.isInteger(v) && v > Date.now() / 1000,
  iso8601: (v) => typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)),
  jwt: (v) => {
    if (typeof v !== "string" || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(v)) return false;
    const h = JSON.parse(Buffer.from(v.split(".")[0], "base64url"));
    return h.alg === "EdDSA" && h.typ === "JWT" && typeof h.kid === "string";
  },
  base64url: (v) => typeof v === "string" && /^[\w-]+$/.test(v),
  url: (v) => typeof v === "string" && /^https?:\/\/\S+$/.test(v),
  array: (v) => Array.isArray(v),
  any: () => true,
};
// Patterns of placeholders that may also sit inside a longer string.
const PATTERNS = {
  string: ".+?", registration_id: "reg_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
  project_id: "[a-z0-9-]+", branch_id: "br-[a-z0-9-]+",
  user_code: "[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-?[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}",
  database_url: "postgres(?:ql)?://[^:/@]+:[^@]+@[^/]+/[^?]+(?:\\?.*)?", jwt: "[\\w-]+\\.[\\w-]+\\.[\\w-]+",
  iso8601: "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z",
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Fills `{{$name}}` and `{{origin}}` in a request value. */
function fill(value, ctx) {
  if (typeof value === "string") {
    return value.replace(/\{\{(\$?[\w-]+)\}\}/g, (m, name) => {
      if (name === "origin") return ctx.origin;
      if (name.startsWith("$") && name.slice(1) in ctx.values) return ctx.values[name.slice(1)];
      throw new Error(`cannot fill ${m}`);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, ctx)]));
  return value;
}

/** Asserts that `actual` matches the recorded `expected` (placeholders as in the README). */
function match(expected, actual, path, ctx) {
  const where = mask(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  if (typeof expected === "string") {
    const whole = /^\{\{([\w-]+)\}\}$/.exec(expected);
    if (whole && TYPES[whole[1]] && !PATTERNS[whole[1]]) return assert.ok(TYPES[whole[1]](actual), where);
    if (whole && TYPES[whole[1]]?.(actual) === false) assert.fail(where);
    assert.equal(typeof actual, "string", where);
    const names = [];
    const source = expected.split(/(\{\{\$?[\w-]+\}\})/).map((part) => {
      const m = /^\{\{(\$?[\w-]+)\}\}$/.exec(part);
      if (!m) return escape(part);
      const name = m[1];
      if (name === "origin") return escape(ctx.origin);
      if (name.startsWith("$")) return escape(String(ctx.values[name.slice(1)]));
      if (!PATTERNS[name]) throw new Error(`${path}: unknown placeholder ${part}`);
      names.push(name);
      return `(${PATTERNS[name]})`;
    }).join("");
    const m = new RegExp(`^${source}$`).exec(actual);
    assert.ok(m, where);
    names.forEach((name, i) => {
      if (name === "string") return;
      const seen = ctx.seen[name];
      if (seen === undefined) ctx.seen[name] = m[i + 1];
      else assert.equal(m[i + 1], seen, `${path}: every {{${name}}} must be the same value`);
    });
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), where);
    assert.equal(actual.length, expected.length, where);
    return expected.forEach((e, i) => match(e, actual[i], `${path}[${i}]`, ctx));
  }
  if (expected && typeof expected === "object") {
    assert.ok(actual && typeof actual === "object" && !Array.isArray(actual), where);
    const open = "{{...}}" in expected;
    for (const [k, v] of Object.entries(expected)) {
      if (k === "{{...}}") continue;
      assert.ok(k in actual, mask(`${path}.${k} is missing: ${JSON.stringify(actual)}`));
      match(v, actual[k], `${path}.${k}`, ctx);
    }
    if (!open) for (const k of Object.keys(actual)) assert.ok(k in expected, `${path}.${k} is not in the recording`);
    return;
  }
  assert.deepEqual(actual, expected, where);
}

let emu;
let svc;
before(async () => { emu = await startEmulator(["--op-duration-ms", "0"]); svc = service(emu.baseUrl); });
after(async () => { await emu?.stop(); });

test("the recordings cover every route family and every error code but internal_error", () => {
  const codes = new Set(recordings.map((r) => r.response.body?.error?.code).filter(Boolean));
  for (const c of ["capability_requires_claim", "scope_insufficient", "quota_exceeded", "token_expired", "invalid_grant", "project_expired",
    "project_claimed", "claim_in_progress", "route_not_allowed", "not_found", "invalid_request", "unauthorized", "upstream_error"]) {
    assert.ok(codes.has(c), `no recording answers ${c}`);
  }
  assert.ok(recordings.length >= 40);
});

for (const rec of recordings) {
  test(`golden ${rec.file}`, async () => {
    EMULATOR_DIFFERS[rec.name]?.(rec.response);
    await svc.reset();
    const values = await given(svc, rec.given);
    const ctx = { origin: emu.baseUrl, values: { ...values, request_id: rec.request.headers["x-request-id"] }, seen: {} };
    const headers = fill(rec.request.headers, ctx);
    let body;
    if (rec.request.body !== undefined) body = JSON.stringify(fill(rec.request.body, ctx));
    if (rec.request.form !== undefined) body = new URLSearchParams(fill(rec.request.form, ctx)).toString();
    const res = await fetch(`${emu.baseUrl}${fill(rec.request.path, ctx)}`, { method: rec.request.method, headers, body, redirect: "manual" });
    const text = await res.text();
    assert.equal(res.status, rec.response.status, mask(`status of ${rec.name}: ${text}`));
    for (const [name, value] of Object.entries(rec.response.headers ?? {})) {
      const actual = res.headers.get(name);
      assert.ok(actual !== null, `header ${name} is missing`);
      if (name === "content-type") assert.ok(actual.startsWith(value), `content-type ${actual}`);
      else match(value, actual, `header ${name}`, ctx);
    }
    if (rec.response.body !== undefined) match(rec.response.body, JSON.parse(text), "body", ctx);
    else if (rec.response.text !== undefined) match(rec.response.text, text, "text", ctx);
    else assert.ok(text === "", mask(`the response must have no body: ${text}`));
  });
}
