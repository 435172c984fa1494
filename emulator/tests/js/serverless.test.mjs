// @neondatabase/serverless's neon() HTTP query function against the emulator's SQL over HTTP,
// on claimable databases and project branches backed by a real PostgreSQL cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import { startEmulator } from './emulator.mjs';

let emu;

before(async () => {
  emu = await startEmulator(['--pg-auto', '--op-duration-ms', '0']);
  neonConfig.fetchEndpoint = () => `${emu.baseUrl}/sql`;
});
after(async () => { await emu?.stop(); });

async function claimableDatabase() {
  const res = await fetch(`${emu.baseUrl}/api/v1/database`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ref: 'neon-edge-js-tests' }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

test('neon() runs tagged-template queries with parameters and parses Postgres types', async () => {
  const { connection_string } = await claimableDatabase();
  const sql = neon(connection_string);
  await sql`CREATE TABLE todo (id serial PRIMARY KEY, title text, done boolean DEFAULT false, due timestamptz, meta jsonb)`;
  const title = "it's a test";
  const inserted = await sql`INSERT INTO todo (title, due, meta) VALUES (${title}, ${new Date('2026-01-02T03:04:05Z')}, ${JSON.stringify({ tags: ['a'] })}) RETURNING *`;
  assert.equal(inserted.length, 1);
  assert.equal(inserted[0].id, 1);
  assert.equal(inserted[0].title, title);
  assert.equal(inserted[0].done, false);
  assert.ok(inserted[0].due instanceof Date);
  assert.equal(inserted[0].due.toISOString(), '2026-01-02T03:04:05.000Z');
  assert.deepEqual(inserted[0].meta, { tags: ['a'] });
  const rows = await sql.query('SELECT count(*)::int AS n FROM todo WHERE title = $1', [title]);
  assert.deepEqual(rows, [{ n: 1 }]);
});

test('full results and array mode come back as Neon returns them', async () => {
  const { connection_string } = await claimableDatabase();
  const sql = neon(connection_string, { fullResults: true, arrayMode: true });
  const r = await sql`SELECT 1 AS one, 'x' AS letter`;
  assert.equal(r.command, 'SELECT');
  assert.equal(r.rowCount, 1);
  assert.deepEqual(r.rows, [[1, 'x']]);
  assert.deepEqual(r.fields.map((f) => f.name), ['one', 'letter']);
  assert.equal(r.fields[0].dataTypeID, 23);
});

test('a transaction commits together or not at all', async () => {
  const { connection_string } = await claimableDatabase();
  const sql = neon(connection_string);
  await sql`CREATE TABLE t (n int PRIMARY KEY)`;
  const [, counted] = await sql.transaction([sql`INSERT INTO t VALUES (${1})`, sql`SELECT count(*)::int AS c FROM t`], { isolationLevel: 'Serializable' });
  assert.deepEqual(counted, [{ c: 1 }]);
  await assert.rejects(sql.transaction([sql`INSERT INTO t VALUES (2)`, sql`INSERT INTO t VALUES (1)`]), (err) => {
    assert.ok(err instanceof NeonDbError);
    assert.equal(err.code, '23505');
    return true;
  });
  assert.deepEqual(await sql`SELECT count(*)::int AS c FROM t`, [{ c: 1 }]);
});

test('Postgres errors surface as NeonDbError with SQLSTATE fields', async () => {
  const { connection_string } = await claimableDatabase();
  const sql = neon(connection_string);
  await assert.rejects(sql`SELECT * FROM nowhere`, (err) => {
    assert.ok(err instanceof NeonDbError);
    assert.equal(err.code, '42P01');
    assert.equal(err.severity, 'ERROR');
    assert.equal(err.position, '15');
    return true;
  });
});

test('a project branch copies its parent data and connection strings keep working', async () => {
  const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
  const post = async (path, body) => {
    const res = await fetch(`${emu.baseUrl}/api/v2${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return res.json();
  };
  const project = await post('/projects', { project: { name: 'js-branches' } });
  const main = neon(project.connection_uris[0].connection_uri);
  await main`CREATE TABLE notes (body text)`;
  await main`INSERT INTO notes VALUES ('from main')`;
  const dev = await post(`/projects/${project.project.id}/branches`, { branch: { name: 'dev' }, endpoints: [{ type: 'read_write' }] });
  const devSql = neon(dev.connection_uris[0].connection_uri);
  await devSql`INSERT INTO notes VALUES ('from dev')`;
  assert.deepEqual(await devSql`SELECT body FROM notes ORDER BY body`, [{ body: 'from dev' }, { body: 'from main' }]);
  assert.deepEqual(await main`SELECT body FROM notes`, [{ body: 'from main' }]);
});

test('queries run as the role of the connection string', async () => {
  const { connection_string } = await claimableDatabase();
  const sql = neon(connection_string);
  const [{ current_user }] = await sql`SELECT current_user`;
  assert.equal(current_user, 'neondb_owner');
});
