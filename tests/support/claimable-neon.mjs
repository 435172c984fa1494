// The emulator's Claimable Neon control routes (no auth), for tests that drive a claim, expire
// tokens or projects, or inject faults (emulator/README.md, "Claimable Neon").

/** Control of the emulator at `origin` (its base URL). */
export function claimableNeonControl(origin) {
  const call = async (method, path, body) => {
    const res = await fetch(`${origin}/__emulator/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__emulator/${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    /** POST /__emulator/claimable-neon/<path> (claim accept/reconcile/expire, expire-tokens, expire). */
    post: (path, body = {}) => call("POST", `claimable-neon/${path}`, body),
    /** Sets token, project and claim lifetimes or the registration limit. */
    config: (body) => call("POST", "claimable-neon/config", body),
    /** Every registration the emulator keeps. */
    registrations: async () => (await call("GET", "claimable-neon/registrations")).registrations,
    /** The registration of `projectId` as the emulator keeps it (status, claim state, user code). */
    registration: async (projectId) =>
      (await call("GET", "claimable-neon/registrations")).registrations.find((r) => r.project_id === projectId),
    /** Makes the Management API answer `status` on `path` (a proxied call then gets 502 upstream_error). */
    fault: (body) => call("POST", "faults", body),
  };
}
