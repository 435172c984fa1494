// Organization members and roles, invitations, the spending limit.
import assert from "node:assert/strict";

export const name = "organizations";

export async function run({ call, ids, emulatorUrl }) {
  const orgId = ids.orgId;
  const invited = await call("createOrganizationInvitations", { orgId, body: { invitations: [{ email: "new.member@example.com", role: "member" }] } });
  assert.equal(invited.invitations[0].email, "new.member@example.com");
  const invitations = await call("getOrganizationInvitations", { orgId });
  assert.ok(invitations.invitations.some((i) => i.email === "new.member@example.com"));
  const accepted = await fetch(`${emulatorUrl}/__emulator/organizations/${orgId}/invitations/${invited.invitations[0].id}/accept`, { method: "POST" });
  assert.equal(accepted.status, 200);
  const members = await call("getOrganizationMembers", { orgId, sort_by: "email", sort_order: "asc", limit: 10 });
  assert.deepEqual(members.members.map((m) => m.user.email), [ids.userEmail, "new.member@example.com"]);
  const me = members.members[0].member;
  const newcomer = members.members[1].member;
  const got = await call("getOrganizationMember", { orgId, memberId: newcomer.id });
  assert.equal(got.role, "member");
  const updated = await call("updateOrganizationMember", { orgId, memberId: newcomer.id, body: { role: "viewer" } });
  assert.equal(updated.role, "viewer");
  await assert.rejects(call("updateOrganizationMember", { orgId, memberId: me.id, body: { role: "member" } }), (e) => e.status === 422);
  await call("removeOrganizationMember", { orgId, memberId: newcomer.id });
  await assert.rejects(call("removeOrganizationMember", { orgId, memberId: me.id }), (e) => e.status === 422);

  const limit = await call("setOrganizationSpendingLimit", { orgId, body: { spending_limit_cents: 5000 } });
  assert.equal(limit.spending_limit_cents, 5000);
  const read = await call("getOrganizationSpendingLimit", { orgId });
  assert.equal(read.spending_limit_cents, 5000);
  await call("deleteOrganizationSpendingLimit", { orgId });
}
