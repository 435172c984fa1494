// Raw-fetch helpers for the Claimable Neon tests: the service's calls, the control routes, and
// the `given` states of the golden recordings (tests/golden/claimable-neon/README.md).
export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** Text for assertion messages with tokens and connection-string passwords masked. */
export const mask = (text) => String(text)
  .replace(/[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, "<jwt>")
  .replace(/(:\/\/[^:/@\s"]+):[^@\s"]+@/g, "$1:****@");

/** A client of the emulated service at `origin`. */
export function service(origin) {
  const call = async (method, path, { body, form, token, headers = {} } = {}) => {
    const h = { accept: "application/json", ...headers };
    let payload;
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined) { h["content-type"] = "application/json"; payload = JSON.stringify(body); }
    if (form !== undefined) { h["content-type"] = "application/x-www-form-urlencoded"; payload = new URLSearchParams(form).toString(); }
    const res = await fetch(`${origin}${path}`, { method, headers: h, body: payload, redirect: "manual" });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, body: json };
  };
  const ok = async (promise, status) => {
    const r = await promise;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${mask(r.text)}`);
    return r.body;
  };
  const control = (method, path, body) => ok(call(method, `/__emulator/claimable-neon${path}`, { body }), 200);
  return {
    call,
    register: (capabilities = ["postgres"]) =>
      ok(call("POST", "/v1/agent/identity", { body: { type: "anonymous", capabilities, source: "emulator-tests" } }), 201),
    exchange: (assertion) => ok(call("POST", "/v1/oauth2/token", { form: { grant_type: JWT_BEARER, assertion, resource: `${origin}/` } }), 200),
    startClaim: (projectId, token) => ok(call("POST", `/v1/projects/${projectId}/claim`, { token }), 200),
    submitCode: (userCode) => call("POST", "/claim", { form: { user_code: userCode } }),
    config: (settings) => control("POST", "/config", settings),
    accept: (projectId, body = {}) => control("POST", `/projects/${projectId}/claim/accept`, body),
    reconcile: (projectId) => control("POST", `/projects/${projectId}/claim/reconcile`),
    expireAttempt: (projectId) => control("POST", `/projects/${projectId}/claim/expire`),
    expireProject: (projectId) => control("POST", `/projects/${projectId}/expire`),
    expireTokens: (projectId) => control("POST", `/projects/${projectId}/expire-tokens`),
    reset: () => ok(call("POST", "/__emulator/reset"), 200),
    fault: (rule) => ok(call("POST", "/__emulator/faults", { body: rule }), 200),
  };
}

/** Puts the service in the golden recordings' state `given`; resolves to the scenario values. */
export async function given(svc, name) {
  const values = {};
  const register = async (capabilities) => {
    const r = await svc.register(capabilities);
    Object.assign(values, { assertion: r.identity_assertion, project_id: r.project.id, branch_id: r.project.branch_id, registration_id: r.registration_id });
    const branches = await svc.call("GET", `/api/v2/projects/${r.project.id}/endpoints`, { token: "golden-setup" });
    values.endpoint_id = branches.body.endpoints.find((e) => e.branch_id === r.project.branch_id).id;
  };
  const withToken = async (capabilities) => {
    await register(capabilities);
    values.access_token = (await svc.exchange(values.assertion)).access_token;
  };
  const started = async () => {
    await withToken();
    values.user_code = (await svc.startClaim(values.project_id, values.access_token)).user_code;
  };
  const pending = async () => {
    await started();
    const r = await svc.submitCode(values.user_code);
    if (r.status !== 303) throw new Error(`POST /claim answered ${r.status}: ${mask(r.text)}`);
  };
  switch (name) {
    case "none": break;
    case "registered": await register(["postgres"]); break;
    case "registered_with_token": await withToken(["postgres"]); break;
    case "registered_with_token_all": await withToken(["postgres", "data_api", "auth"]); break;
    case "claim_started": await started(); break;
    case "claim_pending": await pending(); break;
    case "claim_accepted": await pending(); await svc.accept(values.project_id); break;
    case "claim_reconciled": await pending(); await svc.accept(values.project_id); await svc.reconcile(values.project_id); break;
    case "claim_attempt_expired": await started(); await svc.expireAttempt(values.project_id); break;
    case "project_expired": await withToken(["postgres"]); await svc.expireProject(values.project_id); break;
    case "token_expired": await withToken(["postgres"]); await svc.expireTokens(values.project_id); break;
    case "registration_quota_exhausted": await svc.config({ registration_limit: 1 }); await svc.register(); break;
    case "upstream_failing":
      await withToken(["postgres"]);
      await svc.fault({ path: `/api/v2/projects/${values.project_id}`, status: 503, times: 1 });
      break;
    default: throw new Error(`unknown given state ${name}`);
  }
  return values;
}
