// `neon-edge/claimable-neon` from Node as users import it, against the emulator's Claimable
// Neon: register, a token, credentials, SQL on the database URL, the Management client with the
// session as its key, the claim through the emulator's control routes, the old URL refused and
// the dead assertion typed; token expiry and re-exchange, one exchange for concurrent callers,
// and each of the service's error codes as its typed error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NeonClient } from "neon-edge";
import {
  registerClaimableNeon, ClaimableNeonSession, sql, NeonApiError, NeonClientError, NeonOperationError,
} from "neon-edge/claimable-neon";
import { startEmulator } from "../support/emulator.mjs";
import { claimableNeonControl } from "../support/claimable-neon.mjs";

let emulator;
let control;
before(async () => {
  emulator = await startEmulator({ args: ["--op-duration-ms", "0"] });
  control = claimableNeonControl(emulator.claimableNeonOrigin);
}, { timeout: 600_000 });
after(() => emulator?.close());

const origin = () => emulator.claimableNeonOrigin;

async function registered(options = {}) {
  const reg = await registerClaimableNeon({ origin: origin(), source: "neon-edge tests", ...options });
  const session = new ClaimableNeonSession({ origin: origin(), identityAssertion: reg.identityAssertion, projectId: reg.projectId });
  return { reg, session };
}

/** The rejection of `promise`, which must be a `NeonApiError` with this status and code. */
async function apiError(promise, status, code) {
  const e = await promise.then(() => assert.fail(`expected ${status} ${code}`), (e) => e);
  assert.ok(e instanceof NeonApiError, `${e?.name}: ${e?.message}`);
  assert.equal(e.status, status, e.message);
  assert.equal(e.code, code, e.message);
  return e;
}

test("the whole lifecycle: register, token, credentials, SQL, Management proxy, claim, old URL refused, dead assertion", async () => {
  const { reg, session } = await registered({ capabilities: ["postgres", "no_such_capability"] });
  assert.match(reg.projectId, /\S/);
  assert.ok(reg.assertionExpires > Date.now() / 1000);
  assert.deepEqual(reg.capabilities.map((c) => [c.capability, c.granted]), [["postgres", true], ["no_such_capability", false]]);
  assert.equal(session.projectId, reg.projectId);
  assert.equal(session.origin, origin());

  const token = await session.accessToken();
  assert.equal(token.split(".").length, 3, "a JWT");
  assert.equal(await session.accessToken(), token, "cached");
  assert.equal(session.exchanges, 1);

  const creds = await session.credentials();
  assert.equal(creds.projectId, reg.projectId);
  assert.equal(creds.branchId, reg.branchId);
  const db = sql(creds.databaseUrl, { endpoint: emulator.sqlEndpoint });
  await db.query("CREATE TABLE notes (body text)");
  await db.sql`INSERT INTO notes VALUES (${"kept"})`;
  assert.deepEqual((await db.query("SELECT body FROM notes")).rows, [{ body: "kept" }]);

  // The allowlisted Management API through the Management client, the session as its key.
  const neon = new NeonClient({ apiKey: () => session.accessToken(), baseUrl: session.managementBaseUrl });
  const project = await neon.request({ method: "GET", path: `/projects/${reg.projectId}` });
  assert.equal(project.project.id, reg.projectId);
  const renamed = await neon.updateProjectBranch({ projectId: reg.projectId, branchId: reg.branchId, body: { branch: { name: "agent-main" } } });
  assert.equal(renamed.branch.name, "agent-main");
  assert.equal(session.exchanges, 1, "the client reused the session's token");

  const code = await session.claim();
  assert.match(code.userCode, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  assert.ok(code.verificationUri.startsWith(origin()), code.verificationUri);
  assert.ok(code.verificationUriComplete.includes(code.userCode.replace("-", "")) || code.verificationUriComplete.includes(code.userCode));
  assert.equal((await session.claimStatus()).state, "pending");

  const seen = [];
  const waited = session.waitForClaim({ intervalMs: 50, onProgress: (s) => seen.push(s.state) });
  await control.post(`projects/${reg.projectId}/claim/accept`);
  await control.post(`projects/${reg.projectId}/claim/reconcile`);
  const done = await waited;
  assert.equal(done.reconciled, true);
  assert.equal(seen.at(-1), "reconciled");

  await assert.rejects(db.query("SELECT 1"), "the pre-claim database URL is refused");
  const dead = await apiError(session.credentials(), 409, "project_claimed");
  assert.equal(dead.reason, "dead_assertion");
  assert.equal(dead.retryable, false);
  assert.equal(dead.operation.startsWith("claimableNeon."), true, dead.operation);
});

test("an expired token is re-exchanged once; 20 concurrent calls share one exchange", async () => {
  const { reg, session } = await registered();
  const tokens = await Promise.all(Array.from({ length: 20 }, () => session.accessToken()));
  assert.equal(new Set(tokens).size, 1);
  assert.equal(session.exchanges, 1, "one exchange for 20 concurrent callers");

  await control.post(`projects/${reg.projectId}/expire-tokens`);
  const creds = await session.credentials();
  assert.equal(creds.projectId, reg.projectId);
  assert.equal(session.exchanges, 2, "token_expired -> one re-exchange, then the call succeeded");
  assert.notEqual(await session.accessToken(), tokens[0]);

  await control.post(`projects/${reg.projectId}/expire-tokens`);
  await Promise.all(Array.from({ length: 20 }, () => session.credentials()));
  assert.equal(session.exchanges, 3, "20 concurrent calls on an expired token: one re-exchange");

  await session.revoke();
  await session.credentials();
  assert.equal(session.exchanges, 4, "a revoked token is replaced by a new exchange");
});

test("each error code of the service is its typed error", async (t) => {
  await t.test("invalid_grant: a forged assertion is dead", async () => {
    const { reg } = await registered();
    const [h, p] = reg.identityAssertion.split(".");
    const forged = new ClaimableNeonSession({ origin: origin(), identityAssertion: `${h}.${p}.AAAA`, projectId: reg.projectId });
    const e = await apiError(forged.accessToken(), 400, "invalid_grant");
    assert.equal(e.reason, "dead_assertion");
    assert.ok(!e.message.includes(reg.identityAssertion) && !JSON.stringify(e).includes(p), "the assertion is not in the error");
  });

  await t.test("project_expired: dead; the deleted project is dead too", async () => {
    const { reg, session } = await registered();
    await control.post(`projects/${reg.projectId}/expire`);
    assert.equal((await apiError(session.credentials(), 410, "project_expired")).reason, "dead_assertion");
    const other = await registered();
    await other.session.delete();
    assert.equal((await apiError(other.session.credentials(), 400, "invalid_grant")).reason, "dead_assertion");
  });

  await t.test("claim_in_progress: the claim state, not a dead assertion", async () => {
    const { reg, session } = await registered();
    await session.claim();
    await session.accessToken();
    const r = await fetch(`${origin()}/claim`, { method: "POST", body: new URLSearchParams({ user_code: (await control.registration(reg.projectId)).user_code }), redirect: "manual" });
    assert.equal(r.status, 303);
    const e = await apiError(session.credentials(), 409, "claim_in_progress");
    assert.equal(e.claimState, "pending");
    assert.equal(e.reason, undefined);
    assert.equal(e.kind, "conflict");
  });

  await t.test("not_found: no claim started yet", async () => {
    const { session } = await registered();
    const e = await apiError(session.claimStatus(), 404, "not_found");
    assert.equal(e.kind, "not_found");
    assert.equal(e.reason, undefined);
  });

  await t.test("quota_exceeded on registration: rate_limit, retryable", async () => {
    await control.config({ registration_limit: 1 });
    try {
      await registered();
      const e = await apiError(registerClaimableNeon({ origin: origin() }), 429, "quota_exceeded");
      assert.equal(e.kind, "rate_limit");
      assert.equal(e.retryable, true);
    } finally {
      await control.config({ registration_limit: 0 });
    }
  });

  await t.test("upstream_error from the Management API behind the proxy", async () => {
    const { reg, session } = await registered();
    await control.fault({ path: `/api/v2/projects/${reg.projectId}`, status: 503 });
    const neon = new NeonClient({ apiKey: () => session.accessToken(), baseUrl: session.managementBaseUrl, retry: false });
    const e = await neon.request({ method: "GET", path: `/projects/${reg.projectId}` }).then(() => assert.fail("no error"), (e) => e);
    assert.ok(e instanceof NeonApiError);
    assert.equal(e.status, 502);
  });

  await t.test("claim_ended: an expired claim attempt ends the wait as a NeonOperationError", async () => {
    const { reg, session } = await registered();
    await session.claim();
    const waited = session.waitForClaim({ intervalMs: 50 });
    await control.post(`projects/${reg.projectId}/claim/expire`);
    const e = await waited.then(() => assert.fail("no error"), (e) => e);
    assert.ok(e instanceof NeonOperationError, e.message);
    assert.equal(e.reason, "claim_ended");
    assert.equal(e.state, "expired");
  });

  await t.test("bad input is a NeonClientError naming what was wrong", async () => {
    assert.throws(() => new ClaimableNeonSession({ projectId: "p" }), (e) => e instanceof NeonClientError && /identityAssertion/.test(e.message));
    assert.throws(() => new ClaimableNeonSession({ identityAssertion: "a.b.c", projectId: "p", origin: "http://example.com" }), (e) => e instanceof NeonClientError && /origin/.test(e.message));
    await assert.rejects(registerClaimableNeon({ origin: origin(), capabilities: "postgres" }), (e) => e instanceof NeonClientError && /capabilities/.test(e.message));
    assert.throws(() => new ClaimableNeonSession("a.b.c"), NeonClientError);
  });
});
