// Neon Auth: an integration, users synced into neon_auth.users_sync, trusted domains, OAuth
// providers, the email server (checked against a local SMTP greeting), sign-in settings,
// plugins, webhooks, the provider project's hand-over and the integration's removal.
import assert from "node:assert/strict";
import { createServer } from "node:net";

export const name = "neon auth";


/** A loopback server that greets like SMTP; resolves to its port and a close function. */
function smtpGreeter() {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.end("220 emulator-test ESMTP\r\n"));
    server.listen(0, "127.0.0.1", () => resolve({ port: server.address().port, close: () => server.close() }));
  });
}

export async function run({ call, ids, sql }) {
  const projectId = ids.projectId;
  const provider = "better_auth";
  const at = { projectId, branchId: ids.branchId };
  const created = await call("createNeonAuthIntegration", { body: { auth_provider: provider, project_id: projectId, branch_id: ids.branchId } });
  assert.equal(created.table_name, "users_sync");
  const integrations = await call("listNeonAuthIntegrations", { projectId });
  assert.deepEqual(integrations.data.map((i) => i.branch_id), [ids.branchId]);
  const keys = await call("createNeonAuthProviderSDKKeys", { body: { project_id: projectId, auth_provider: provider } });
  assert.notEqual(keys.pub_client_key, created.pub_client_key);

  const ann = await call("createBranchNeonAuthNewUser", { ...at, body: { email: "ann@example.com", name: "Ann" } });
  const bob = await call("createNeonAuthNewUser", { body: { project_id: projectId, auth_provider: provider, email: "bob@example.com" } });
  const uri = (await call("getConnectionURI", { projectId, branch_id: ids.branchId, database_name: ids.databaseName, role_name: ids.roleName })).uri;
  const synced = await sql(uri, "SELECT email FROM neon_auth.users_sync WHERE deleted_at IS NULL ORDER BY email");
  assert.deepEqual(synced.map((r) => r.email), ["ann@example.com", "bob@example.com"]);
  await call("updateNeonAuthUserRole", { ...at, authUserId: ann.id, body: { roles: ["admin"] } });
  const roles = await sql(uri, `SELECT raw_json->'roles' AS roles FROM neon_auth.users_sync WHERE id = '${ann.id}'`);
  assert.deepEqual(roles[0].roles, ["admin"]);
  await call("deleteBranchNeonAuthUser", { ...at, authUserId: ann.id });
  await call("deleteNeonAuthUser", { projectId, authUserId: bob.id });
  const left = await sql(uri, "SELECT count(*)::int AS n FROM neon_auth.users_sync WHERE deleted_at IS NULL");
  assert.equal(left[0].n, 0);

  await call("addBranchNeonAuthTrustedDomain", { ...at, body: { domain: "https://app.example.com", auth_provider: provider } });
  assert.deepEqual((await call("listBranchNeonAuthTrustedDomains", at)).domains.map((d) => d.domain), ["https://app.example.com"]);
  await call("deleteBranchNeonAuthTrustedDomain", { ...at, body: { auth_provider: provider, domains: [{ domain: "https://app.example.com" }] } });
  await call("addNeonAuthDomainToRedirectURIWhitelist", { projectId, body: { domain: "https://www.example.com", auth_provider: provider } });
  assert.deepEqual((await call("listNeonAuthRedirectURIWhitelistDomains", { projectId })).domains.map((d) => d.domain), ["https://www.example.com"]);
  await call("deleteNeonAuthDomainFromRedirectURIWhitelist", { projectId, body: { auth_provider: provider, domains: [{ domain: "https://www.example.com" }] } });
  assert.deepEqual((await call("listBranchNeonAuthTrustedDomains", at)).domains, []);

  await call("addBranchNeonAuthOauthProvider", { ...at, body: { id: "google" } });
  const google = await call("updateBranchNeonAuthOauthProvider", { ...at, oauthProviderId: "google", body: { client_id: "google-client", client_secret: "google-secret" } });
  assert.equal(google.type, "standard");
  assert.equal(google.client_secret, undefined);
  assert.deepEqual((await call("listBranchNeonAuthOauthProviders", at)).providers.map((p) => p.id), ["google"]);
  await call("deleteBranchNeonAuthOauthProvider", { ...at, oauthProviderId: "google" });
  await call("addNeonAuthOauthProvider", { projectId, body: { id: "github" } });
  assert.equal((await call("updateNeonAuthOauthProvider", { projectId, oauthProviderId: "github", body: { client_id: "gh", client_secret: "gh-secret" } })).client_id, "gh");
  assert.deepEqual((await call("listNeonAuthOauthProviders", { projectId })).providers.map((p) => p.id), ["github"]);
  await call("deleteNeonAuthOauthProvider", { projectId, oauthProviderId: "github" });

  await call("getNeonAuthEmailServer", { projectId });
  await call("updateNeonAuthEmailServer", { projectId, body: { sender_email: "hello@example.com", sender_name: "Hello" } });
  assert.equal((await call("getNeonAuthEmailProvider", at)).sender_email, "hello@example.com");
  await call("updateNeonAuthEmailProvider", { ...at, body: { sender_email: "team@example.com", sender_name: "Team" } });
  const smtp = await smtpGreeter();
  try {
    const sent = await call("sendNeonAuthTestEmail", { ...at, body: { host: "127.0.0.1", port: smtp.port, username: "u", password: "p", sender_email: "team@example.com", sender_name: "Team", recipient_email: "ann@example.com" } });
    assert.equal(sent.success, true, sent.error_message);
  } finally {
    smtp.close();
  }

  assert.equal((await call("getNeonAuthEmailAndPasswordConfig", at)).enabled, true);
  assert.equal((await call("updateNeonAuthEmailAndPasswordConfig", { ...at, body: { email_verification_method: "link", require_email_verification: true } })).email_verification_method, "link");
  assert.equal((await call("getNeonAuthAllowLocalhost", at)).allow_localhost, true);
  assert.equal((await call("updateNeonAuthAllowLocalhost", { ...at, body: { allow_localhost: false } })).allow_localhost, false);
  assert.equal((await call("updateNeonAuthConfig", { ...at, body: { name: "My app" } })).name, "My app");
  assert.equal((await call("updateNeonAuthOrganizationPlugin", { ...at, body: { enabled: true, organization_limit: 3 } })).organization_limit, 3);
  assert.equal((await call("updateNeonAuthMagicLinkPlugin", { ...at, body: { enabled: true } })).enabled, true);
  assert.equal((await call("getNeonAuthPhoneNumberPlugin", at)).enabled, false);
  assert.equal((await call("updateNeonAuthPhoneNumberPlugin", { ...at, body: { enabled: true, otp_expires_in: 120 } })).otp_expires_in, 120);
  const plugins = await call("getNeonAuthPluginConfigs", at);
  assert.equal(plugins.organization.enabled, true);
  assert.equal(plugins.allow_localhost, false);
  assert.equal((await call("getNeonAuthWebhookConfig", at)).enabled, false);
  const hook = await call("updateNeonAuthWebhookConfig", { ...at, body: { enabled: true, webhook_url: "https://hooks.example.com/auth", enabled_events: ["user.created"] } });
  assert.deepEqual(hook.enabled_events, ["user.created"]);

  const handover = await call("transferNeonAuthProviderProject", { body: { project_id: projectId, auth_provider: provider } });
  assert.match(handover.url, /^http/);
  assert.equal((await call("listNeonAuthIntegrations", { projectId })).data[0].transfer_status, "initiated");
  await call("deleteNeonAuthIntegration", { projectId, authProvider: provider, body: { delete_data: true } });
  const schema = await sql(uri, "SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'neon_auth'");
  assert.equal(schema[0].n, 0);
}
