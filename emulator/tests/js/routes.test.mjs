// Unknown routes, unknown ids and wrong methods answer in Neon's error shape with the right status.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "./emulator.mjs";

let emu;
before(async () => { emu = await startEmulator(); });
after(async () => { await emu?.stop(); });

async function api(method, path) {
  const res = await fetch(`${emu.baseUrl}/api/v2${path}`, { method, headers: { authorization: "Bearer routes-key", "x-request-id": "rid-1" } });
  return { status: res.status, allow: res.headers.get("allow"), body: await res.json() };
}

const neonShape = (body) => {
  assert.equal(typeof body.code, "string");
  assert.equal(typeof body.message, "string");
  assert.ok(body.message.length > 0);
  assert.equal(body.request_id, "rid-1");
};

test("an unknown route is a 404 in Neon's error shape", async () => {
  const r = await api("GET", "/no/such/route");
  assert.equal(r.status, 404);
  neonShape(r.body);
});

test("an unknown id is a 404 naming it", async () => {
  const r = await api("GET", "/projects/no-such-project/branches");
  assert.equal(r.status, 404);
  neonShape(r.body);
  assert.match(r.body.message, /no-such-project/);
});

test("a wrong method on a known path is a 405 listing the allowed ones", async () => {
  const r = await api("PUT", "/regions");
  assert.equal(r.status, 405);
  neonShape(r.body);
  assert.match(r.allow, /GET/);
});
