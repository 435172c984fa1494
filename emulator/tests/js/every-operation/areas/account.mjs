// The account: regions, the current user and organizations, API keys, consumption history.
import assert from "node:assert/strict";

export const name = "account";

export async function run({ call, ids }) {
  const regions = await call("getActiveRegions");
  assert.ok(regions.regions.length > 0);
  const me = await call("getCurrentUserInfo");
  ids.userEmail = me.email;
  const orgs = await call("getCurrentUserOrganizations");
  ids.orgId = orgs.organizations[0].id;
  ids.otherOrgId = orgs.organizations[1].id;
  const org = await call("getOrganization", { orgId: ids.orgId });
  assert.equal(org.id, ids.orgId);

  const key = await call("createApiKey", { body: { key_name: "every-operation" } });
  const keys = await call("listApiKeys");
  assert.ok(keys.some((k) => k.id === key.id));
  await call("revokeApiKey", { keyId: key.id });
  const orgKey = await call("createOrgApiKey", { orgId: ids.orgId, body: { key_name: "every-operation-org" } });
  const orgKeys = await call("listOrgApiKeys", { orgId: ids.orgId });
  assert.ok(orgKeys.some((k) => k.id === orgKey.id));
  await call("revokeOrgApiKey", { orgId: ids.orgId, keyId: orgKey.id });

  const to = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const from = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
  await call("getConsumptionHistoryPerProject", { from, to, granularity: "daily" });
  await call("getConsumptionHistoryPerProjectV2", { from, to, granularity: "daily", org_id: ids.orgId, metrics: ["compute_unit_seconds"] });
  await call("getConsumptionHistoryPerBranchV2", { from, to, granularity: "daily", org_id: ids.orgId, metrics: ["compute_unit_seconds"], project_ids: ["p-none"] });
}
