// The official @neondatabase/api-client against the emulator: the same flows as on Neon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiClient } from '@neondatabase/api-client';
import { startEmulator, waitForOperations } from './emulator.mjs';

let emu;
let api;

before(async () => {
  emu = await startEmulator(['--op-duration-ms', '100']);
  api = createApiClient({ apiKey: 'emulator-key', baseURL: `${emu.baseUrl}/api/v2`, proxy: false });
});
after(async () => { await emu?.stop(); });

test('a project is created with its default branch, endpoint, role and database', async () => {
  const { status, data } = await api.createProject({ project: { name: 'js-first' } });
  assert.equal(status, 201);
  assert.equal(data.branch.name, 'main');
  assert.equal(data.roles[0].name, 'neondb_owner');
  assert.equal(data.databases[0].name, 'neondb');
  assert.match(data.connection_uris[0].connection_uri, /^postgresql:\/\/neondb_owner:/);
  await waitForOperations(api, data.project.id);
  const got = await api.getProject(data.project.id);
  assert.equal(got.data.project.name, 'js-first');
  const list = await api.listProjects({ search: 'js-first' });
  assert.equal(list.data.projects.length, 1);
});

test('a conflicting mutation while operations run is refused with 423, then succeeds', async () => {
  const { data } = await api.createProject({ project: {} });
  const projectId = data.project.id;
  await assert.rejects(api.createProjectBranch(projectId, {}), (err) => {
    assert.equal(err.response.status, 423);
    assert.equal(err.response.data.message, 'project already has running conflicting operations, scheduling of new ones is prohibited');
    return true;
  });
  await waitForOperations(api, projectId);
  const branch = await api.createProjectBranch(projectId, { branch: { name: 'dev' }, endpoints: [{ type: 'read_write' }] });
  assert.equal(branch.status, 201);
  assert.equal(branch.data.branch.parent_id, data.branch.id);
  const branches = await api.listProjectBranches({ projectId });
  assert.equal(branches.data.branches.length, 2);
});

test('snapshots restore onto the same endpoint and leave an (old) branch to delete', async () => {
  const { data } = await api.createProject({ project: { name: 'js-snapshots' } });
  const projectId = data.project.id;
  const main = data.branch.id;
  await waitForOperations(api, projectId);
  const snap = await api.createSnapshot({ projectId, branchId: main, name: 'v1' });
  assert.equal(snap.data.snapshot.name, 'v1');
  await waitForOperations(api, projectId);
  const listed = await api.listSnapshots(projectId);
  assert.equal(listed.data.snapshots.length, 1);
  const restored = await api.restoreSnapshot({ projectId, snapshotId: snap.data.snapshot.id }, { target_branch_id: main, finalize_restore: true });
  assert.equal(restored.data.branch.name, 'main');
  assert.equal(restored.data.endpoints[0].id, data.endpoints[0].id);
  await waitForOperations(api, projectId);
  const old = await api.getProjectBranch(projectId, main);
  assert.equal(old.data.branch.name, 'main (old)');
  const deleted = await api.deleteProjectBranch({ projectId, branchId: main });
  assert.equal(deleted.status, 200);
});

test('roles reveal and reset their passwords and connection URIs follow', async () => {
  const { data } = await api.createProject({ project: {} });
  const projectId = data.project.id;
  const branchId = data.branch.id;
  await waitForOperations(api, projectId);
  const before = await api.getProjectBranchRolePassword(projectId, branchId, 'neondb_owner');
  const reset = await api.resetProjectBranchRolePassword(projectId, branchId, 'neondb_owner');
  assert.notEqual(reset.data.role.password, before.data.password);
  const uri = await api.getConnectionUri({ projectId, database_name: 'neondb', role_name: 'neondb_owner', pooled: true });
  assert.ok(uri.data.uri.includes(reset.data.role.password));
  assert.ok(uri.data.uri.endsWith('-pooler'));
});

test('errors carry Neon codes, messages and request ids', async () => {
  await assert.rejects(api.getProject('no-such-project'), (err) => {
    assert.equal(err.response.status, 404);
    assert.equal(typeof err.response.data.message, 'string');
    assert.equal(err.response.data.request_id, err.response.headers['x-request-id']);
    return true;
  });
});

test('projects transfer between organizations', async () => {
  const { data } = await api.createProject({ project: {} });
  const orgs = await api.getCurrentUserOrganizations();
  const dest = orgs.data.organizations.find((o) => o.id !== data.project.org_id);
  await api.transferProjectsFromOrgToOrg(data.project.org_id, { destination_org_id: dest.id, project_ids: [data.project.id] });
  const moved = await api.getProject(data.project.id);
  assert.equal(moved.data.project.org_id, dest.id);
});

test('rate limits and injected faults reach the client as Neon would send them', async () => {
  const control = (path, body) => fetch(`${emu.baseUrl}/__emulator/${path}`, { method: 'POST', body: JSON.stringify(body) });
  await control('faults', { path: '/api/v2/regions', status: 503, retry_after: 1, times: 1 });
  await assert.rejects(api.getActiveRegions(), (err) => {
    assert.equal(err.response.status, 503);
    assert.equal(err.response.headers['retry-after'], '1');
    return true;
  });
  await control('config', { rate_limit_route_per_second: 2 });
  const results = await Promise.allSettled([api.getActiveRegions(), api.getActiveRegions(), api.getActiveRegions()]);
  const limited = results.filter((r) => r.status === 'rejected' && r.reason.response?.status === 429);
  assert.equal(limited.length, 1);
  assert.ok(Number(limited[0].reason.response.headers['retry-after']) >= 1);
  await control('config', { rate_limit_route_per_second: 40 });
});
