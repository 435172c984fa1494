// Ordinary Postgres drivers against the emulator's connection strings, used as they are handed
// out: npm `pg` and `postgres` over the wire protocol, @neondatabase/serverless's Pool and
// Client over the WebSocket proxy, with Neon's branch isolation, snapshots, suspends and
// password resets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import postgres from 'postgres';
import { Pool, Client, neonConfig } from '@neondatabase/serverless';
import ws from 'ws';
import { startEmulator } from './emulator.mjs';

let emu;

before(async () => {
  emu = await startEmulator(['--pg-auto', '--op-duration-ms', '0']);
  // The driver's WebSocket goes to the emulator's /v2; the endpoint travels in `options`.
  neonConfig.wsProxy = (host, port) => `${new URL(emu.baseUrl).host}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.webSocketConstructor = ws;
});
after(async () => { await emu?.stop(); });

async function api(method, path, body) {
  const res = await fetch(`${emu.baseUrl}/api/v2${path}`, {
    method,
    headers: { authorization: 'Bearer emulator-key', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

async function settled(projectId) {
  for (let i = 0; i < 500; i++) {
    const { operations } = await api('GET', `/projects/${projectId}/operations`);
    if (operations.every((op) => op.status === 'finished')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`operations of ${projectId} did not finish`);
}

/** A project with its main branch's direct string and a `dev` branch's pooled string. */
async function project() {
  const created = await api('POST', '/projects', { project: {} });
  const projectId = created.project.id;
  await settled(projectId);
  const dev = await api('POST', `/projects/${projectId}/branches`, { branch: { name: 'dev' }, endpoints: [{ type: 'read_write' }] });
  await settled(projectId);
  const { uri: devPooled } = await api('GET', `/projects/${projectId}/connection_uri?branch_id=${dev.branch.id}&role_name=neondb_owner&database_name=neondb&pooled=true`);
  return {
    projectId,
    mainBranchId: created.branch.id,
    endpointId: created.endpoints[0].id,
    main: created.connection_uris[0].connection_uri,
    devPooled,
  };
}

async function pgQuery(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

test('pg and postgres connect with the handed-out strings; a write on one branch is not seen on another', async () => {
  const p = await project();
  assert.match(p.main, /^postgresql:\/\/neondb_owner:[^@]+@127\.0\.0\.1:\d+\/neondb\?options=endpoint%3Dep-[a-z0-9-]+$/);
  assert.match(p.devPooled, /options=endpoint%3Dep-[a-z0-9-]+-pooler$/);
  await pgQuery(p.main, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES (\'on main\')');
  const sql = postgres(p.devPooled, { max: 1, onnotice: () => {} });
  try {
    const [{ user }] = await sql`SELECT current_user AS user`;
    assert.equal(user, 'neondb_owner');
    await assert.rejects(sql`SELECT body FROM notes`, /relation "notes" does not exist/);
    await sql`CREATE TABLE notes (body text)`;
    await sql`INSERT INTO notes VALUES (${'on dev'})`;
    assert.deepEqual((await sql`SELECT body FROM notes`).map((r) => r.body), ['on dev']);
  } finally {
    await sql.end();
  }
  assert.deepEqual(await pgQuery(p.main, 'SELECT body FROM notes'), [{ body: 'on main' }]);
});

test('the @neondatabase/serverless Pool runs a transaction over WebSocket and Client keeps its session', async () => {
  const p = await project();
  const pool = new Pool({ connectionString: p.main });
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE TABLE ledger (n int)');
      await client.query('INSERT INTO ledger VALUES ($1), ($2)', [1, 2]);
      await client.query('COMMIT');
      await client.query('BEGIN');
      await client.query('INSERT INTO ledger VALUES (3)');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const { rows } = await pool.query('SELECT sum(n)::int AS total FROM ledger');
    assert.deepEqual(rows, [{ total: 3 }]);
  } finally {
    await pool.end();
  }
  const client = new Client(p.devPooled);
  await client.connect();
  try {
    await client.query("SET application_name = 'drivers-test'");
    await client.query('CREATE TEMP TABLE scratch AS SELECT 41 + 1 AS answer');
    const { rows } = await client.query("SELECT answer, current_setting('application_name') AS app FROM scratch");
    assert.deepEqual(rows, [{ answer: 42, app: 'drivers-test' }]);
  } finally {
    await client.end();
  }
});

test('a wrong password and a missing endpoint get Neon\'s errors', async () => {
  const p = await project();
  const wrong = new URL(p.main);
  wrong.password = 'not-the-password';
  await assert.rejects(pgQuery(wrong.href, 'SELECT 1'), (err) => {
    assert.equal(err.code, '28P01');
    assert.equal(err.message, "password authentication failed for user 'neondb_owner'");
    assert.ok(!err.message.includes(new URL(p.main).password));
    return true;
  });
  const bare = p.main.replace(/\?options=.*$/, '');
  await assert.rejects(pgQuery(bare, 'SELECT 1'), /^error: Endpoint ID is not specified\./);
});

test('a suspended endpoint refuses connections until started, and its open sessions are closed', async () => {
  const p = await project();
  const open = new pg.Client({ connectionString: p.main });
  await open.connect();
  const closed = new Promise((resolve) => open.once('error', resolve));
  await api('POST', `/projects/${p.projectId}/endpoints/${p.endpointId}/suspend`);
  await settled(p.projectId);
  assert.match(String(await closed), /Connection terminated unexpectedly/);
  await assert.rejects(pgQuery(p.main, 'SELECT 1'), /endpoint ep-[a-z0-9-]+ is suspended\. Start it using Neon API and retry\./);
  await api('POST', `/projects/${p.projectId}/endpoints/${p.endpointId}/start`);
  await settled(p.projectId);
  assert.deepEqual(await pgQuery(p.main, 'SELECT 1 AS one'), [{ one: 1 }]);
});

test('a password reset takes effect: the old string is refused, the new one connects', async () => {
  const p = await project();
  const reset = await api('POST', `/projects/${p.projectId}/branches/${p.mainBranchId}/roles/neondb_owner/reset_password`);
  await settled(p.projectId);
  await assert.rejects(pgQuery(p.main, 'SELECT 1'), (err) => err.code === '28P01');
  const fresh = new URL(p.main);
  fresh.password = reset.role.password;
  assert.deepEqual(await pgQuery(fresh.href, 'SELECT current_user AS u'), [{ u: 'neondb_owner' }]);
});

test('a snapshot restore with finalize_restore makes the same string reach the restored data', async () => {
  const p = await project();
  await pgQuery(p.main, "CREATE TABLE items (name text); INSERT INTO items VALUES ('kept')");
  const snap = await api('POST', `/projects/${p.projectId}/branches/${p.mainBranchId}/snapshot?name=before`);
  await settled(p.projectId);
  const session = new pg.Client({ connectionString: p.main });
  await session.connect();
  const ended = new Promise((resolve) => session.once('error', resolve));
  await session.query("INSERT INTO items VALUES ('rolled back')");
  const restored = await api('POST', `/projects/${p.projectId}/snapshots/${snap.snapshot.id}/restore`, { target_branch_id: p.mainBranchId, finalize_restore: true });
  await settled(p.projectId);
  assert.equal(restored.endpoints[0].id, p.endpointId);
  assert.match(String(await ended), /Connection terminated unexpectedly/, 'the session on the old branch is closed');
  assert.deepEqual(await pgQuery(p.main, 'SELECT name FROM items ORDER BY name'), [{ name: 'kept' }]);
});

test('deleting a branch closes its connections', async () => {
  const p = await project();
  const url = new URL(p.devPooled);
  const devBranch = (await api('GET', `/projects/${p.projectId}/branches`)).branches.find((b) => b.name === 'dev');
  const session = new pg.Client({ connectionString: url.href });
  await session.connect();
  // PostgreSQL's own termination notice may come first: every error is awaited, one is checked.
  const ended = new Promise((resolve) => session.on('error', resolve));
  await api('DELETE', `/projects/${p.projectId}/branches/${devBranch.id}`);
  assert.match(String(await ended), /terminat/);
  await assert.rejects(pgQuery(p.devPooled, 'SELECT 1'), /The requested endpoint could not be found/);
});
