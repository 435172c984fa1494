// Type-checked (tsc --strict) by tests/js/types.test.mjs: neon-edge/claimable-neon
// (src/bindings/postgres/claimable_neon.d.ts, pkg-template/claimable-neon/index.d.ts) and the
// Claimable Neon options of instantPostgres and the Vite plugin, as users call them. Never run.
import { NeonClient } from "neon-edge";
import {
  registerClaimableNeon,
  ClaimableNeonSession,
  sql,
  NeonApiError,
  type ClaimableNeonCallOptions,
  type ClaimableNeonCapability,
  type ClaimableNeonClaimCode,
  type ClaimableNeonClaimStatus,
  type ClaimableNeonCredentials,
  type ClaimableNeonOptions,
  type ClaimableNeonRegistration,
  type ClaimableNeonSessionOptions,
  type RegisterClaimableNeonOptions,
  type WaitForClaimOptions,
} from "neon-edge/claimable-neon";
import { instantPostgres, type InstantClaimableNeonOptions, type InstantClaimableNeonResult } from "neon-edge/node";
import { postgres } from "neon-edge/vite";

export async function usage(signal: AbortSignal): Promise<void> {
  const shared: ClaimableNeonOptions = { origin: "http://127.0.0.1:1", fetch: (r: Request) => fetch(r), timeoutMs: 1000 };
  const register: RegisterClaimableNeonOptions = { ...shared, capabilities: ["postgres"], source: "app", dataApi: { enabled: true }, signal };
  const reg: ClaimableNeonRegistration = await registerClaimableNeon(register);
  const strings: string[] = [reg.registrationId, reg.identityAssertion, reg.projectId, reg.branchId, reg.expiresAt, ...reg.scopes];
  const when: number = reg.assertionExpires;
  const first: ClaimableNeonCapability | undefined = reg.capabilities[0];
  const granted: boolean | undefined = first?.granted;
  const why: (string | undefined)[] = [first?.capability, first?.reason, first?.message];

  const options: ClaimableNeonSessionOptions = { ...shared, identityAssertion: reg.identityAssertion, projectId: reg.projectId };
  const session = new ClaimableNeonSession(options);
  const about: string[] = [session.origin, session.projectId, session.managementBaseUrl];
  const count: number = session.exchanges;
  const call: ClaimableNeonCallOptions = { signal, timeoutMs: 5000 };
  const token: string = await session.accessToken(call);
  const creds: ClaimableNeonCredentials = await session.credentials();
  const urls: (string | undefined)[] = [creds.projectId, creds.branchId, creds.databaseUrl, creds.expiresAt,
    creds.services.auth?.baseUrl, creds.services.auth?.jwksUrl, creds.services.dataApi?.url];
  const rows = (await sql(creds.databaseUrl).sql`SELECT ${1} AS one`).rows;

  const neon = new NeonClient({ apiKey: () => session.accessToken(), baseUrl: session.managementBaseUrl });
  await neon.request({ method: "GET", path: `/projects/${session.projectId}` });

  const code: ClaimableNeonClaimCode = await session.claim(call);
  const shown: (string | number)[] = [code.userCode, code.verificationUri, code.verificationUriComplete, code.expiresIn, code.interval];
  const now: ClaimableNeonClaimStatus = await session.claimStatus();
  const fields: [string, string | null, boolean, string | undefined] = [now.state, now.expiresAt, now.reconciled, now.message];
  const wait: WaitForClaimOptions = { intervalMs: 5000, onProgress: (s) => console.log(s.state), signal };
  const done: ClaimableNeonClaimStatus = await session.waitForClaim(wait);
  await session.revoke();
  await session.delete();
  try {
    await session.credentials();
  } catch (e) {
    if (e instanceof NeonApiError && e.reason === "dead_assertion") console.log("register again");
  }
  console.log(strings, when, granted, why, about, count, token, urls, rows, shown, fields, done);

  // @ts-expect-error identityAssertion and projectId are required
  new ClaimableNeonSession({ origin: "https://claimable.neon.tech" });
  // @ts-expect-error capabilities is a list of strings
  await registerClaimableNeon({ capabilities: "postgres" });

  const instant: InstantClaimableNeonOptions = { service: "claimable-neon", origin: "http://127.0.0.1:1", referrer: "app", dotEnvFile: ".env" };
  const result: InstantClaimableNeonResult = await instantPostgres(instant);
  const claimSession: ClaimableNeonSession = result.session;
  console.log(result.databaseUrl, result.projectId, result.claimExpiresAt.getTime(), claimSession.projectId);
  // @ts-expect-error baseUrl is neon.new's, not Claimable Neon's
  await instantPostgres({ service: "claimable-neon", referrer: "app", baseUrl: "http://127.0.0.1:1/api/v1" });
  // @ts-expect-error no such service
  await instantPostgres({ service: "claimable", referrer: "app" });
  postgres({ referrer: "app", service: "claimable-neon", origin: "http://127.0.0.1:1" });
  // @ts-expect-error no such service
  postgres({ referrer: "app", service: "neon" });
}
