import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPglite } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { entryHash } from '../src/modules/audit/chain.js';
import { recordAudit, sealAuditLog, verifyAuditChain } from '../src/modules/audit/repository.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

const KIND = inject('zhiliDb').kind;
const serverDir = path.resolve(import.meta.dirname, '..');
const tsx = path.join(serverDir, '..', 'node_modules', '.bin', 'tsx');

let t: TestApp;
let auditor: Session, admin: Session, city: Session;
const db = () => t.handle.db;
beforeAll(async () => {
  t = await testApp();
  [auditor, admin, city] = await Promise.all([signIn(t.app, 'demo-auditor'), signIn(t.app, 'demo-admin'), signIn(t.app, 'demo-city')]);
});
afterAll(() => t.close());

const userId = async (username: string) => (await db().selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const maxId = async () => (await db().selectFrom('audit_event').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0;
const seqs = async (d: Kysely<Database>) => (await d.selectFrom('audit_event').select('seq').where('seq', 'is not', null).orderBy('seq').execute()).map((r) => r.seq);

/** What an attacker with the owner's rights can do: switch the guard off, change the table, switch it on again. */
async function asOwner(d: Kysely<Database>, statement: string) {
  await sql.raw('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only').execute(d);
  try {
    await sql.raw(statement).execute(d);
  } finally {
    await sql.raw('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only').execute(d);
  }
}

const square = (x: number, y: number, d = 0.001) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

describe('what is recorded', () => {
  it('records a failed and a good sign-in, a grid change and a case intake made through the API, and seals them', async () => {
    const before = await maxId();
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'demo-hotline', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    const hotline = await signIn(t.app, 'demo-hotline');
    const grid = await admin.post('/api/grids', { code: 'AUDIT-GRID-1', name: '审计测试网格', kind: 'dedicated', category: 'school', communityCode: '990102001002', geometry: square(111.5531, 40.7691), reason: '新建学校' });
    expect(grid.statusCode).toBe(201);
    expect((await admin.patch(`/api/grids/${grid.json().id}`, { name: '审计测试网格（改名）', reason: '更名', expectedVersion: 1 })).statusCode).toBe(200);
    const intake = await hotline.post('/api/cases', { channel: 'hotline', title: '路灯不亮', description: '小区门口的路灯连续三天晚上不亮。', matterTypeCode: 'CG-005', location: { lng: 111.5525, lat: 40.7615 }, reporter: { name: '张三', phone: '13812345678' } });
    expect(intake.statusCode).toBe(201);

    const res = await auditor.get('/api/audit?limit=50');
    expect(res.statusCode).toBe(200);
    const mine = res.json().items.filter((i: { id: number }) => i.id > before).reverse();
    const [hotlineId, adminId] = [await userId('demo-hotline'), await userId('demo-admin')];
    expect(mine.map((i: { action: string; actorId: number | null; entity: string; entityId: string; result: string }) => [i.action, i.actorId, i.entity, i.entityId, i.result])).toEqual([
      ['auth.login_failed', hotlineId, 'user', String(hotlineId), 'failed'],
      ['auth.login', hotlineId, 'user', String(hotlineId), 'ok'],
      ['grid.create', adminId, 'grid', String(grid.json().id), 'ok'],
      ['grid.change', adminId, 'grid', String(grid.json().id), 'ok'],
      ['case.create', hotlineId, 'case', String(intake.json().id), 'ok'],
    ]);
    for (const i of mine) {
      expect(i).toMatchObject({ seq: expect.any(Number), ip: '127.0.0.1', purpose: null, detail: expect.any(Object) });
      expect(Math.abs(Date.now() - Date.parse(i.at))).toBeLessThan(60_000);
    }
    expect(mine[1].actorName).toBe('12345 坐席员');
    expect(mine[2].detail).toMatchObject({ code: 'AUDIT-GRID-1', reason: '新建学校' });
  });

  it('keeps the reporter\'s phone number out of the intake entry', async () => {
    const rows = await db().selectFrom('audit_event').select(sql<string>`detail::text`.as('d')).where('action', '=', 'case.create').execute();
    for (const r of rows) expect(r.d).not.toContain('13812345678');
  });
});

describe('the chain', () => {
  it('seals every entry once, gapless from seq 1, and verifies', async () => {
    await sealAuditLog(db());
    const s = await seqs(db());
    expect(s.length).toBeGreaterThan(5);
    expect(s).toEqual(s.map((_, i) => i + 1));
    const unsealed = await db().selectFrom('audit_event').select('id').where('seq', 'is', null).execute();
    expect(unsealed).toEqual([]);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, count: s.length, lastSeq: s.length, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('seals exactly once when two sealers run at once', async () => {
    for (let i = 0; i < 60; i++) await recordAudit(db(), { actorId: null, action: 'test.concurrent', entity: 'test', entityId: String(i) });
    const [a, b] = await Promise.all([sealAuditLog(db(), { batchSize: 7 }), sealAuditLog(db(), { batchSize: 7 })]);
    expect(a.sealed + b.sealed).toBe(60);
    const s = await seqs(db());
    expect(s).toEqual(s.map((_, i) => i + 1));
    expect((await verifyAuditChain(db(), { seal: false })).ok).toBe(true);
  });

  it.runIf(KIND === 'postgres')('lets writers commit while sealing runs, and seals a late commit in a later run', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const inserted = new Promise<void>((r) => (written = r));
    const slow = db().transaction().execute(async (trx) => {
      await recordAudit(trx, { actorId: null, action: 'test.late', entity: 'test' });
      written();
      await held;
    });
    await inserted;
    await recordAudit(db(), { actorId: null, action: 'test.early', entity: 'test' });
    await sealAuditLog(db());
    const state = async () => Object.fromEntries((await db().selectFrom('audit_event').select(['action', 'seq']).where('action', 'in', ['test.late', 'test.early']).execute()).map((r) => [r.action, r.seq]));
    expect(await state()).toEqual({ 'test.early': expect.any(Number) });
    release();
    await slow;
    await sealAuditLog(db());
    const after = await state();
    expect(after['test.late']).toBe(after['test.early']! + 1);
    expect((await verifyAuditChain(db(), { seal: false })).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even of an entry not yet sealed', async () => {
    await expect(sql`UPDATE audit_event SET action = 'auth.logout' WHERE seq = 1`.execute(db())).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql`DELETE FROM audit_event WHERE seq = 2`.execute(db())).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql`TRUNCATE audit_event`.execute(db())).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(sql`UPDATE audit_event SET seq = NULL, prev_hash = NULL, hash = NULL WHERE seq = 3`.execute(db())).rejects.toThrow(/append-only/);
    await recordAudit(db(), { actorId: null, action: 'test.pending', entity: 'test' });
    await expect(sql`UPDATE audit_event SET action = 'test.forged' WHERE action = 'test.pending'`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_event SET seq = 999999, prev_hash = 'x', hash = 'y', ip = '1.2.3.4' WHERE action = 'test.pending'`.execute(db())).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });
});

describe('the auditor\'s routes', () => {
  const routes = ['/api/audit', '/api/audit/verify', '/api/audit/export'];

  it('are the auditor\'s alone: 401 without a session, 403 for the admin and a dispatcher, and the refusals are recorded', async () => {
    const before = await maxId();
    for (const url of routes) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await admin.get(url)).statusCode, url).toBe(403);
      expect((await city.get(url)).statusCode, url).toBe(403);
    }
    const denied = (await auditor.get('/api/audit?action=audit.access&result=denied&limit=100')).json();
    const recent = denied.items.filter((i: { id: number }) => i.id > before);
    expect(recent).toHaveLength(6);
    expect(new Set(recent.map((i: { actorId: number }) => i.actorId))).toEqual(new Set([await userId('demo-admin'), await userId('demo-city')]));
    expect(recent[0]).toMatchObject({ entity: 'audit_event', result: 'denied', detail: { method: 'GET', path: expect.stringMatching(/^\/api\/audit/) } });
  });

  it('search by actor, action prefix, entity, result and time, and page', async () => {
    const adminId = await userId('demo-admin');
    const byActor = (await auditor.get(`/api/audit?actorId=${adminId}&action=grid.*`)).json();
    expect(byActor.total).toBe(2);
    expect(byActor.items.map((i: { action: string }) => i.action)).toEqual(['grid.change', 'grid.create']);
    const gridId = byActor.items[0].entityId;
    expect((await auditor.get(`/api/audit?entity=grid&entityId=${gridId}`)).json().total).toBe(2);
    const failed = (await auditor.get('/api/audit?result=failed')).json();
    expect(failed.total).toBeGreaterThanOrEqual(1);
    expect(failed.items.every((i: { result: string }) => i.result === 'failed')).toBe(true);
    const all = (await auditor.get('/api/audit?limit=1')).json();
    expect(all.items).toHaveLength(1);
    const page2 = (await auditor.get('/api/audit?limit=1&offset=1')).json();
    expect(page2.items[0].id).not.toBe(all.items[0].id);
    expect(page2.total).toBe(all.total);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await auditor.get(`/api/audit?from=${encodeURIComponent(future)}`)).json().total).toBe(0);
    expect((await auditor.get(`/api/audit?to=${encodeURIComponent(future)}`)).json().total).toBe(all.total);
    expect((await auditor.get('/api/audit?from=2000-01-01&to=2000-01-02')).json().total).toBe(0);
    const bad = await auditor.get('/api/audit?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('from');
    expect((await auditor.get('/api/audit?result=maybe')).statusCode).toBe(400);
  });

  it('verify the chain and say so', async () => {
    const res = await auditor.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, count: expect.any(Number), lastSeq: expect.any(Number) });
  });

  it('export CSV with a BOM and a watermark, and the export is itself audited', async () => {
    const before = await maxId();
    const res = await auditor.get('/api/audit/export?action=grid.*');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{8}-\d{6}\.csv"$/);
    const body = res.body;
    expect(body.startsWith('\uFEFF# exported by demo-auditor at ')).toBe(true);
    const lines = body.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^# exported by demo-auditor at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(lines[1]).toBe('seq,id,at,actorId,actorUsername,actorName,action,entity,entityId,purpose,result,ip,detail,hash');
    const rows = lines.slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => /,grid\.(create|change),grid,/.test(r))).toBe(true);
    expect(rows[0]).toContain('demo-admin');
    expect(rows[0]).toMatch(/,[0-9a-f]{64}$/);
    const exported = (await auditor.get('/api/audit?action=audit.export')).json().items.filter((i: { id: number }) => i.id > before);
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ actorId: await userId('demo-auditor'), entity: 'audit_event', result: 'ok', detail: { filter: { action: 'grid.*' }, count: rows.length } });
  });
});

describe('tampering', () => {
  const entryAt = async (seq: number) => db().selectFrom('audit_event').select(['id', 'action']).where('seq', '=', seq).executeTakeFirstOrThrow();

  it('names an altered entry (hash_mismatch), here and on the auditor\'s page', async () => {
    const { lastSeq } = (await verifyAuditChain(db())) as { lastSeq: number };
    const seq = Math.floor(lastSeq / 2);
    const victim = await entryAt(seq);
    await asOwner(db(), `UPDATE audit_event SET action = 'auth.logout' WHERE id = ${victim.id}`);
    const v = await verifyAuditChain(db());
    expect(v).toMatchObject({ ok: false, reason: 'hash_mismatch', brokenAt: { seq, id: victim.id, action: 'auth.logout' }, count: seq - 1 });
    expect((await auditor.get('/api/audit/verify')).json()).toMatchObject({ ok: false, reason: 'hash_mismatch', brokenAt: { seq, id: victim.id } });

    await asOwner(db(), `UPDATE audit_event SET action = '${victim.action}' WHERE id = ${victim.id}`);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('names an entry altered and re-hashed by the break at its successor (prev_hash_mismatch)', async () => {
    const seq = 4;
    const row = await db()
      .selectFrom('audit_event')
      .select(['id', 'seq', 'prev_hash', 'hash', 'actor_id', 'action', 'entity', 'entity_id', 'ip', 'purpose', 'result'])
      .select([sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'), sql<string>`detail::text`.as('detail')])
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    const forged = entryHash(row.prev_hash!, { id: row.id, seq, at: row.at, actorId: row.actor_id, action: 'auth.logout', entity: row.entity, entityId: row.entity_id, detail: row.detail, ip: row.ip, purpose: row.purpose, result: row.result });
    await asOwner(db(), `UPDATE audit_event SET action = 'auth.logout', hash = '${forged}' WHERE id = ${row.id}`);
    const next = await entryAt(seq + 1);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: false, reason: 'prev_hash_mismatch', brokenAt: { seq: seq + 1, id: next.id } });
    await asOwner(db(), `UPDATE audit_event SET action = '${row.action}', hash = '${row.hash}' WHERE id = ${row.id}`);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('names the gap a deleted entry leaves (missing_entry)', async () => {
    const { lastSeq } = (await verifyAuditChain(db())) as { lastSeq: number };
    const seq = lastSeq - 3;
    const victim = await entryAt(seq);
    const next = await entryAt(seq + 1);
    await asOwner(db(), `DELETE FROM audit_event WHERE id = ${victim.id}`);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: false, reason: 'missing_entry', missingSeq: seq, brokenAt: { seq: seq + 1, id: next.id } });
    // later entries still seal after the gap; the break stays where it is
    await recordAudit(db(), { actorId: null, action: 'test.after_gap', entity: 'test' });
    expect(await verifyAuditChain(db())).toMatchObject({ ok: false, reason: 'missing_entry', missingSeq: seq });
  });
});

describe('the audit-verify command', () => {
  const dirs: string[] = [];
  const dbs: string[] = [];
  afterAll(async () => {
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
    const info = inject('zhiliDb');
    if (info.kind === 'postgres' && dbs.length) {
      const admin = new pg.Client({ connectionString: info.adminUrl });
      await admin.connect();
      for (const name of dbs) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  /** Its own database (on-disk PGlite, or a PostgreSQL database), opened for a step and closed again for the CLI. */
  async function ownDatabase(): Promise<{ env: NodeJS.ProcessEnv; open(): Promise<{ db: Kysely<Database>; close(): Promise<void> }> }> {
    const info = inject('zhiliDb');
    const { DATABASE_URL: _, ...base } = process.env;
    if (info.kind === 'pglite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-audit-'));
      dirs.push(dir);
      return { env: { ...base, ZHILI_DATA_DIR: dir }, open: () => openPglite(dir) };
    }
    const name = `zhili_a_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: info.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    dbs.push(name);
    const url = new URL(info.adminUrl);
    url.pathname = `/${name}`;
    const { openPostgres } = await import('../src/db/database.js');
    return { env: { ...base, DATABASE_URL: url.toString() }, open: () => openPostgres(url.toString(), 2) };
  }

  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(tsx, ['src/cli.ts', 'audit-verify'], { cwd: serverDir, env: { ...env, INIT_CWD: serverDir, LOG_LEVEL: 'warn' } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, out, err }));
    });

  it('exits 0 on an intact chain and non-zero on a broken one, naming the entry', { timeout: 120_000 }, async () => {
    const own = await ownDatabase();
    let h = await own.open();
    await migrateToLatest(h.db);
    for (const action of ['auth.login', 'grid.create', 'grid.change', 'auth.logout']) await recordAudit(h.db, { actorId: 1, action, entity: 'user', entityId: '1' });
    await h.close();

    const good = await run(own.env);
    expect(good.err.replace(/npm warn.*\n/g, '')).toBe('');
    expect(good.code).toBe(0);
    expect(good.out).toContain('audit chain intact: 4 entries, last seq 4');

    h = await own.open();
    const victim = await h.db.selectFrom('audit_event').select(['id']).where('seq', '=', 2).executeTakeFirstOrThrow();
    await asOwner(h.db, `UPDATE audit_event SET actor_id = 2 WHERE id = ${victim.id}`);
    await h.close();

    const bad = await run(own.env);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(new RegExp(`audit chain BROKEN: entry seq 2 \\(id ${victim.id}, at \\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z, action grid\\.create\\) was altered`));
  });

  it('exits non-zero after a TRUNCATE by the owner, naming the seqs gone (it said "intact: 0 entries" before the seals)', { timeout: 120_000 }, async () => {
    const own = await ownDatabase();
    let h = await own.open();
    await migrateToLatest(h.db);
    for (const action of ['auth.login', 'grid.create', 'grid.change', 'auth.logout']) await recordAudit(h.db, { actorId: 1, action, entity: 'user', entityId: '1' });
    await h.close();
    expect((await run(own.env)).code).toBe(0);

    h = await own.open();
    await sql.raw('ALTER TABLE audit_event DISABLE TRIGGER USER').execute(h.db);
    await sql.raw('TRUNCATE audit_event').execute(h.db);
    await sql.raw('ALTER TABLE audit_event ENABLE TRIGGER USER').execute(h.db);
    await h.close();

    const bad = await run(own.env);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/audit log BROKEN: seq 1–4 missing \(deleted or truncated\): seal #1 of .* recorded the log up to seq 4, it now ends at seq 0/);
  });
});
