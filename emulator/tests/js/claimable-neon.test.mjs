// Claimable Neon's whole lifecycle on the emulator with raw fetch, as an agent and a human would
// go through it: register, verify the assertion against the JWKS, exchange it, read credentials,
// run SQL, claim through the /claim form, accept, reconcile; then token expiry and re-exchange,
// project and attempt expiry, revocation and deletion.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import pg from "pg";
import { startEmulator } from "./emulator.mjs";
import { service, mask } from "./claimable-neon-support.mjs";

let emu;
let svc;
before(async () => {
  emu = await startEmulator(["--pg-auto", "--op-duration-ms", "0"]);
  svc = service(emu.baseUrl);
});
after(async () => { await emu?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Verifies a compact JWS against the service's JWKS; resolves to its claims. */
async function verified(jws) {
  const { keys } = (await svc.call("GET", "/.well-known/jwks.json")).body;
  const [h, p, s] = jws.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url"));
  const jwk = keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, "the token's kid is in the JWKS");
  assert.equal(header.alg, "EdDSA");
  const key = createPublicKey({ key: jwk, format: "jwk" });
  assert.ok(verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url")), "the signature verifies");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url")), exp: 9999999999 })).toString("base64url");
  assert.ok(!verify(null, Buffer.from(`${h}.${forged}`), key, Buffer.from(s, "base64url")), "altered claims do not verify");
  return JSON.parse(Buffer.from(p, "base64url"));
}

async function sql(url, query) {
  const res = await fetch(`${emu.baseUrl}/sql`, {
    method: "POST",
    headers: { "neon-connection-string": url, "content-type": "application/json" },
    body: JSON.stringify({ query, params: [] }),
  });
  return { status: res.status, body: await res.json() };
}

async function wire(url, query) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return (await client.query(query)).rows; } finally { await client.end(); }
}

const management = async (path) => {
  const r = await svc.call("GET", `/api/v2${path}`, { token: "claiming-user-key" });
  assert.equal(r.status, 200, mask(r.text));
  return r.body;
};

const expectError = (r, status, code) => {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.error.code, code, r.text);
  assert.equal(r.body.error.request_id, r.headers.get("x-request-id"));
  return r.body.error;
};

test("register, exchange, credentials, SQL, claim through the form, accept, reconcile", async () => {
  const reg = await svc.register(["postgres"]);
  const assertion = await verified(reg.identity_assertion);
  assert.equal(assertion.typ, "assertion");
  assert.equal(assertion.sub, reg.registration_id);
  assert.equal(assertion.aud, `${emu.baseUrl}/`);
  assert.equal(assertion.exp, reg.assertion_expires);
  assert.equal(Date.parse(reg.project.expires_at) / 1000, reg.assertion_expires);
  // 72 hours is the policy by default.
  assert.ok(Math.abs(reg.assertion_expires - Date.now() / 1000 - 72 * 3600) < 60);
  const projectId = reg.project.id;

  const token = await svc.exchange(reg.identity_assertion);
  const access = await verified(token.access_token);
  assert.equal(access.typ, "access");
  assert.equal(access.project_id, projectId);
  assert.equal(access.exp - access.iat, token.expires_in);
  assert.equal(token.expires_in, 3600);
  assert.equal(token.scope, "postgres.read postgres.write");

  const creds = (await svc.call("GET", `/v1/projects/${projectId}/credentials`, { token: token.access_token })).body;
  assert.equal(creds.project_id, projectId);
  assert.equal(creds.branch_id, reg.project.branch_id);
  assert.ok(/^postgresql:\/\/neondb_owner:[^@]+@127\.0\.0\.1:\d+\/neondb\?options=endpoint%3Dep-[a-z0-9-]+-pooler/.test(creds.database_url), mask(creds.database_url));
  for (const q of ["CREATE TABLE notes (body text)", "INSERT INTO notes VALUES ('kept')"]) {
    const r = await sql(creds.database_url, q);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  assert.deepEqual(await wire(creds.database_url, "SELECT body FROM notes"), [{ body: "kept" }]);

  // The proxy acts on the Management API's own state; unclaimed projects stay out of listings.
  const renamed = await svc.call("PATCH", `/v1/projects/${projectId}/branches/${reg.project.branch_id}`, { token: token.access_token, body: { branch: { name: "agent-main" } } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal((await management(`/projects/${projectId}/branches/${reg.project.branch_id}`)).branch.name, "agent-main");
  const org = (await svc.call("POST", "/__emulator/organizations", { body: { name: "Claiming team" } })).body;
  assert.ok(!(await management(`/projects?org_id=${org.id}`)).projects.some((p) => p.id === projectId));

  const code = await svc.startClaim(projectId, token.access_token);
  assert.match(code.user_code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  assert.equal(code.interval, 5);
  const page = await svc.call("GET", `/claim?user_code=${code.user_code}`);
  assert.match(page.text, new RegExp(`value="${code.user_code.replace("-", "")}"`));
  const submitted = await svc.submitCode(code.user_code.toLowerCase());
  assert.equal(submitted.status, 303);
  assert.match(submitted.headers.get("location"), new RegExp(`p=${projectId}&tr=`));
  const status = await svc.call("GET", `/v1/projects/${projectId}/claim`, { token: token.access_token });
  assert.deepEqual([status.body.state, status.body.reconciled], ["pending", false]);
  assert.equal(expectError(await svc.call("GET", `/v1/projects/${projectId}/credentials`, { token: token.access_token }), 409, "claim_in_progress").claim_state, "pending");
  expectError(await svc.call("POST", "/v1/oauth2/token", { form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: reg.identity_assertion } }), 400, "invalid_grant");
  expectError(await svc.submitCode(code.user_code), 400, "invalid_grant");

  await svc.accept(projectId, { org_id: org.id });
  const accepted = (await svc.call("GET", `/v1/databases/${projectId}/claim`, { token: token.access_token })).body;
  assert.equal(accepted.state, "accepted");
  assert.match(accepted.message, /not yet reconciled/);
  const listed = (await management(`/projects?org_id=${org.id}`)).projects;
  assert.ok(listed.some((p) => p.id === projectId), "the claimed project is listed under the claiming organization");

  await svc.reconcile(projectId);
  const done = (await svc.call("GET", `/v1/projects/${projectId}/claim`, { token: token.access_token })).body;
  assert.deepEqual([done.state, done.reconciled], ["reconciled", true]);
  const refused = await sql(creds.database_url, "SELECT 1");
  assert.notEqual(refused.status, 200, "the pre-claim database_url is refused over SQL over HTTP");
  await assert.rejects(wire(creds.database_url, "SELECT 1"), /password/i, "and over the wire protocol");
  const claimed = expectError(await svc.call("POST", "/v1/oauth2/token", { form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: reg.identity_assertion } }), 409, "project_claimed");
  assert.equal(claimed.retryable, false);
  expectError(await svc.call("GET", `/v1/projects/${projectId}/credentials`, { token: token.access_token }), 409, "project_claimed");
  // The new owner's credentials reach the same data.
  const { uri } = await management(`/projects/${projectId}/connection_uri?role_name=neondb_owner&database_name=neondb`);
  assert.deepEqual(await wire(uri, "SELECT body FROM notes"), [{ body: "kept" }]);
});

test("an expired access token is re-exchanged; lifetimes are capped by the project's expiry", async () => {
  await svc.config({ project_ttl_seconds: 120 });
  try {
    const reg = await svc.register();
    const first = await svc.exchange(reg.identity_assertion);
    assert.ok(first.expires_in <= 120 && first.expires_in >= 118, `expires_in ${first.expires_in} is capped at the project's expiry`);
    await svc.expireTokens(reg.project.id);
    const r = await svc.call("GET", `/v1/projects/${reg.project.id}/credentials`, { token: first.access_token });
    const e = expectError(r, 401, "token_expired");
    assert.equal(e.retryable, true);
    assert.match(r.headers.get("www-authenticate"), new RegExp(`resource_metadata="${emu.baseUrl}/.well-known/oauth-protected-resource"`));
    const second = await svc.exchange(reg.identity_assertion);
    assert.equal((await svc.call("GET", `/v1/projects/${reg.project.id}/credentials`, { token: second.access_token })).status, 200);

    await svc.config({ access_token_ttl_seconds: 1 });
    const short = await svc.exchange(reg.identity_assertion);
    assert.equal(short.expires_in, 1);
    await sleep(1100);
    expectError(await svc.call("GET", `/v1/projects/${reg.project.id}/credentials`, { token: short.access_token }), 401, "token_expired");
  } finally {
    await svc.config({ access_token_ttl_seconds: 3600, project_ttl_seconds: 72 * 3600 });
  }
});

test("projects and claim attempts expire on their own", async () => {
  // The service counts time in whole seconds: a TTL of n seconds ends between n - 1 and n
  // seconds after the start. The attempt (1 s) has surely expired 1.1 s after it started; the
  // project (4 s) surely has not (at least 3 s), and its own expires_at says when it has.
  await svc.config({ project_ttl_seconds: 4, claim_ttl_seconds: 1 });
  try {
    const reg = await svc.register();
    const token = await svc.exchange(reg.identity_assertion);
    await svc.startClaim(reg.project.id, token.access_token);
    await sleep(1100);
    const attempt = (await svc.call("GET", `/v1/projects/${reg.project.id}/claim`, { token: token.access_token })).body;
    assert.equal(attempt.state, "expired", mask(JSON.stringify(attempt)));
    await sleep(Math.max(0, Date.parse(reg.project.expires_at) + 100 - Date.now()));
    const gone = expectError(await svc.call("POST", "/v1/oauth2/token", { form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: reg.identity_assertion } }), 410, "project_expired");
    assert.equal(gone.retryable, false);
  } finally {
    await svc.config({ project_ttl_seconds: 72 * 3600, claim_ttl_seconds: 900 });
  }
});

test("revoked tokens and deleted projects", async () => {
  const reg = await svc.register();
  const token = await svc.exchange(reg.identity_assertion);
  const revoked = await svc.call("POST", "/v1/oauth2/revoke", { form: { token: token.access_token } });
  assert.equal(revoked.status, 200);
  expectError(await svc.call("GET", `/v1/projects/${reg.project.id}/credentials`, { token: token.access_token }), 401, "unauthorized");
  const fresh = await svc.exchange(reg.identity_assertion);
  assert.equal((await svc.call("DELETE", `/v1/projects/${reg.project.id}`, { token: fresh.access_token })).status, 204);
  expectError(await svc.call("POST", "/v1/oauth2/token", { form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: reg.identity_assertion } }), 400, "invalid_grant");
  assert.equal((await svc.call("GET", `/api/v2/projects/${reg.project.id}`, { token: "any-key" })).status, 404);
});

test("an assertion signed by another key is refused", async () => {
  const reg = await svc.register();
  const [h, p] = reg.identity_assertion.split(".");
  const other = (await svc.register()).identity_assertion.split(".")[2];
  const r = await svc.call("POST", "/v1/oauth2/token", { form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: `${h}.${p}.${other}` } });
  assert.equal(expectError(r, 400, "invalid_grant").message, "Token signature is not valid.");
});
