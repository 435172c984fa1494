// The official @neondatabase/api-client (and @neondatabase/serverless for the data) against the
// emulator's newer areas: one flow per area, as a user of Neon's own clients writes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiClient } from '@neondatabase/api-client';
import { neon, neonConfig } from '@neondatabase/serverless';
import { startEmulator, waitForOperations } from './emulator.mjs';

let emu;
let api;

before(async () => {
  emu = await startEmulator(['--pg-auto', '--op-duration-ms', '20']);
  api = createApiClient({ apiKey: 'emulator-key', baseURL: `${emu.baseUrl}/api/v2`, proxy: false });
  neonConfig.fetchEndpoint = () => `${emu.baseUrl}/sql`;
});
after(async () => { await emu?.stop(); });

async function project(name) {
  const { data } = await api.createProject({ project: { name } });
  await waitForOperations(api, data.project.id);
  return data;
}

test('a transfer request moves a project to the organization that accepts it, once', async () => {
  const p = await project('transfer-me');
  const orgs = (await api.getCurrentUserOrganizations()).data.organizations;
  const dest = orgs.find((o) => o.id !== p.project.org_id);
  const req = await api.createProjectTransferRequest(p.project.id, { ttl_seconds: 600 });
  assert.equal(req.status, 201);
  const accepted = await api.acceptProjectTransferRequest(p.project.id, req.data.id, { org_id: dest.id });
  assert.equal(accepted.status, 204);
  assert.equal((await api.getProject(p.project.id)).data.project.org_id, dest.id);
  await assert.rejects(api.acceptProjectTransferRequest(p.project.id, req.data.id, {}), (e) => e.response.status === 404);
});

test('project permissions by email list the project as shared with that user', async () => {
  const p = await project('shared');
  const me = (await api.getCurrentUserInfo()).data;
  const granted = await api.grantPermissionToProject(p.project.id, { email: me.email });
  assert.deepEqual((await api.listSharedProjects({})).data.projects.map((x) => x.id), [p.project.id]);
  await api.revokePermissionFromProject(p.project.id, granted.data.id);
  assert.deepEqual((await api.listProjectPermissions(p.project.id)).data.project_permissions, []);
  assert.deepEqual((await api.listSharedProjects({})).data.projects, []);
  await assert.rejects(api.grantPermissionToProject(p.project.id, { email: 'not an email' }), (e) => e.response.status === 400);
});

test('organization members keep at least one admin; the spending limit is set and removed', async () => {
  const orgId = (await api.getCurrentUserOrganizations()).data.organizations[0].id;
  const { data } = await api.getOrganizationMembers({ orgId });
  assert.equal(data.members.length, 1);
  await assert.rejects(api.updateOrganizationMember(orgId, data.members[0].member.id, { role: 'viewer' }), (e) => e.response.status === 422);
  await api.setOrganizationSpendingLimit(orgId, { spending_limit_cents: 1234 });
  assert.equal((await api.getOrganizationSpendingLimit(orgId)).data.spending_limit_cents, 1234);
  await api.deleteOrganizationSpendingLimit(orgId);
  await assert.rejects(api.getOrganizationSpendingLimit(orgId), (e) => e.response.status === 404);
});

test('a JWKS creates its roles on the branch; backup schedules only on root branches', async () => {
  const p = await project('jwks');
  const added = await api.addProjectJwks(p.project.id, { jwks_url: 'https://auth.example.com/jwks.json', provider_name: 'example' });
  assert.deepEqual(added.data.jwks.role_names, ['authenticator', 'authenticated', 'anonymous']);
  await waitForOperations(api, p.project.id);
  const roles = (await api.listProjectBranchRoles(p.project.id, p.branch.id)).data.roles.map((r) => r.name);
  assert.ok(['authenticator', 'authenticated', 'anonymous'].every((r) => roles.includes(r)));
  await api.setSnapshotSchedule(p.project.id, p.branch.id, { schedule: [{ frequency: 'weekly', day: 1, hour: 2 }] });
  assert.equal((await api.getSnapshotSchedule(p.project.id, p.branch.id)).data.schedule[0].frequency, 'weekly');
  const child = await api.createProjectBranch(p.project.id, { branch: { name: 'child' } });
  await assert.rejects(api.setSnapshotSchedule(p.project.id, child.data.branch.id, { schedule: [] }), (e) => e.response.status === 400);
});

test('a deleted branch and a deleted project are recovered with their data', async () => {
  const p = await project('recover');
  const sql = neon(p.connection_uris[0].connection_uri);
  await sql`CREATE TABLE t (v int)`;
  await sql`INSERT INTO t VALUES (42)`;
  const child = await api.createProjectBranch(p.project.id, { branch: { name: 'child' }, endpoints: [{ type: 'read_write' }] });
  await waitForOperations(api, p.project.id);
  await api.deleteProjectBranch({ projectId: p.project.id, branchId: child.data.branch.id });
  assert.deepEqual((await api.listProjectBranches({ projectId: p.project.id })).data.branches.map((b) => b.name), ['main']);
  await api.recoverProjectBranch(p.project.id, child.data.branch.id);
  await api.deleteProject(p.project.id);
  assert.ok((await api.listProjects({ recoverable: true })).data.projects.some((x) => x.id === p.project.id));
  await api.recoverProject(p.project.id);
  assert.deepEqual(await sql`SELECT v FROM t`, [{ v: 42 }]);
  assert.equal((await api.listProjectBranches({ projectId: p.project.id })).data.branches.length, 2);
});

test('Neon Auth users land in neon_auth.users_sync', async () => {
  const p = await project('auth');
  await api.createNeonAuth(p.project.id, p.branch.id, { auth_provider: 'better_auth' });
  const user = await api.createBranchNeonAuthNewUser(p.project.id, p.branch.id, { email: 'ann@example.com', name: 'Ann' });
  const sql = neon(p.connection_uris[0].connection_uri);
  assert.deepEqual(await sql`SELECT id, name, email FROM neon_auth.users_sync`, [{ id: user.data.id, name: 'Ann', email: 'ann@example.com' }]);
  await assert.rejects(api.createBranchNeonAuthNewUser(p.project.id, p.branch.id, { email: 'ann@example.com' }), (e) => e.response.status === 409);
});

test('an anonymized branch masks the copied rows', async () => {
  const p = await project('anonymize');
  const sql = neon(p.connection_uris[0].connection_uri);
  await sql`CREATE TABLE users (id int, email text)`;
  await sql`INSERT INTO users VALUES (1, 'real@corp.test')`;
  const created = await api.createProjectBranchAnonymized(p.project.id, {
    branch_create: { branch: { name: 'masked' }, endpoints: [{ type: 'read_write' }] },
    masking_rules: [{ database_name: 'neondb', schema_name: 'public', table_name: 'users', column_name: 'email', masking_function: 'anon.hash(email)' }],
    start_anonymization: true,
  });
  assert.equal((await api.getAnonymizedBranchStatus(p.project.id, created.data.branch.id)).data.state, 'anonymized');
  const masked = neon(created.data.connection_uris[0].connection_uri);
  const [row] = await masked`SELECT email FROM users`;
  assert.match(row.email, /^[0-9a-f]{64}$/);
  assert.deepEqual(await sql`SELECT email FROM users`, [{ email: 'real@corp.test' }]);
});

test('storage objects go up and come down through presigned URLs; credentials are shown once', async () => {
  const p = await project('storage');
  await api.createProjectBranchBucket(p.project.id, p.branch.id, { name: 'files' });
  const up = await api.presignProjectBranchBucketObject(p.project.id, p.branch.id, 'files', 'a.txt', { operation: 'upload' });
  assert.equal((await fetch(up.data.url, { method: 'PUT', body: 'hello' })).status, 200);
  const down = await api.presignProjectBranchBucketObject(p.project.id, p.branch.id, 'files', 'a.txt', { operation: 'download' });
  assert.equal(await (await fetch(down.data.url)).text(), 'hello');
  const cred = await api.createCredential(p.project.id, p.branch.id, { scopes: ['storage:read'], principal_type: 'user' });
  assert.ok(cred.data.api_token);
  const listed = (await api.listCredentials(p.project.id, p.branch.id)).data.credentials;
  assert.equal(listed[0].api_token, undefined);
  await api.revokeCredential(p.project.id, p.branch.id, cred.data.token_id);
  assert.ok((await api.listCredentials(p.project.id, p.branch.id)).data.credentials[0].revoked_at);
});

test('a VPC endpoint restricts a project only once its organization has it', async () => {
  const p = await project('vpc');
  const id = 'vpce-00aa11bb22cc33dd4';
  await assert.rejects(api.assignProjectVpcEndpoint(p.project.id, id, { label: 'x' }), (e) => e.response.status === 400);
  await api.assignOrganizationVpcEndpoint(p.project.org_id, p.project.region_id, id, { label: 'office' });
  await api.assignProjectVpcEndpoint(p.project.id, id, { label: 'office' });
  assert.equal((await api.listProjectVpcEndpoints(p.project.id)).data.endpoints[0].vpc_endpoint_id, id);
});

test('a function is created by its first deployment (multipart) and keeps its latest as active', async () => {
  const p = await project('functions');
  await assert.rejects(
    api.createProjectBranchFunctionDeployment(p.project.id, p.branch.id, 'greet', { environment: 'A=1' }),
    (e) => e.response.status === 400 && /zip/.test(e.response.data.message),
  );
  const first = await api.createProjectBranchFunctionDeployment(p.project.id, p.branch.id, 'greet', {
    zip: new Blob([new Uint8Array([0x50, 0x4b, 3, 4])], { type: 'application/zip' }),
    runtime: 'nodejs24',
  });
  assert.equal(first.status, 201);
  await api.createProjectBranchFunctionDeployment(p.project.id, p.branch.id, 'greet', { environment: 'GREETING=hi' });
  const fn = (await api.getProjectBranchFunction(p.project.id, p.branch.id, 'greet')).data.function;
  assert.equal(fn.active_deployment.id, 2);
  assert.deepEqual(fn.active_deployment.environment, ['GREETING']);
  assert.equal(fn.active_deployment.runtime, 'nodejs24');
});
