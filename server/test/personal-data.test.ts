import { Writable } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { LOOKS_PERSONAL, NOT_PERSONAL, PERSONAL_DATA } from '../src/modules/privacy/catalogue.js';
import { FieldCipher, isSealed } from '../src/modules/privacy/crypto.js';
import { fieldCipherFor } from '../src/modules/privacy/keys.js';
import { LOG_REDACTION } from '../src/modules/privacy/logging.js';
import { resealPersonalData } from '../src/modules/privacy/repository.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let hotline: Session, district: Session, grid: Session, dept: Session;
const INSIDE = { lng: 111.5525, lat: 40.7615 }; // 安居社区第1网格, 青河区
const OTHER_DISTRICT = { lng: 111.8425, lat: 40.7615 }; // 临川区

// values that appear nowhere else in the demo data, so any hit in the database is a leak
const REPORTER = { name: '屈晓岚', phone: '13987654321' };
const SUPPORTER = { name: '闻人兆', phone: '15811223344' };
const OTHER = { name: '司徒静', phone: '18655667788' };
const PURPOSE = '回访核实诉求';

const caseBody = (reporter: { name: string; phone: string }, location = INSIDE) => ({
  channel: 'hotline',
  title: '路灯不亮',
  description: '小区门口的路灯连续三天晚上不亮。',
  matterTypeCode: 'CG-005',
  location,
  reporter,
});

let caseId: number;
let otherCaseId: number;

beforeAll(async () => {
  t = await testApp();
  [hotline, district, grid, dept] = await Promise.all(['demo-hotline', 'demo-district', 'demo-grid', 'demo-dept'].map((u) => signIn(t.app, u))) as [Session, Session, Session, Session];
  const created = await hotline.post('/api/cases', caseBody(REPORTER));
  expect(created.statusCode).toBe(201);
  caseId = created.json().id;
  expect((await hotline.post(`/api/cases/${caseId}/supporters`, { ...SUPPORTER, channel: 'hotline' })).statusCode).toBe(200);
  const other = await hotline.post('/api/cases', caseBody(OTHER, OTHER_DISTRICT));
  expect(other.statusCode).toBe(201);
  otherCaseId = other.json().id;
});
afterAll(() => t.close());

/** Every column of every table that can hold text. */
async function textColumns() {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`.execute(t.handle.db);
  return rows;
}

/** Where a string occurs in the database: `table.column` for each column holding it in any row. */
async function occurrences(needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const c of await textColumns()) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(c.table_name)} WHERE ${sql.ref(c.column_name)}::text LIKE ${`%${needle}%`}`.execute(t.handle.db);
    if (rows[0]!.n > 0) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}

describe('the catalogue of personal data', () => {
  it('names every column that looks personal, or says why it is not', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`.execute(t.handle.db);
    const catalogued = new Set(PERSONAL_DATA.map((e) => `${e.table}.${e.column}`));
    const undecided = rows.map((r) => `${r.table_name}.${r.column_name}`).filter((name) => LOOKS_PERSONAL.test(name.split('.')[1]!) && !catalogued.has(name) && !(name in NOT_PERSONAL));
    expect(undecided, 'add these to privacy/catalogue.ts (PERSONAL_DATA or NOT_PERSONAL)').toEqual([]);
    const existing = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const stale = [...catalogued, ...Object.keys(NOT_PERSONAL)].filter((name) => !existing.has(name));
    expect(stale, 'catalogue entries of columns that no longer exist').toEqual([]);
  });
});

describe('masked by default', () => {
  it('shows the reporter masked in the case and in lists', async () => {
    const one = await district.get(`/api/cases/${caseId}`);
    expect(one.json().reporter).toEqual({ name: '屈**', phone: '139****4321' });
    const list = await hotline.get('/api/cases?limit=100');
    const item = list.json().items.find((c: { id: number }) => c.id === caseId);
    expect(item.reporter).toEqual({ name: '屈**', phone: '139****4321' });
    expect(list.body).not.toContain(REPORTER.phone);
    expect(list.body).not.toContain(SUPPORTER.phone);
  });
});

describe('reveal with a purpose', () => {
  it('answers the plain values to a hotline operator and audits the purpose and fields, never the values', async () => {
    const res = await hotline.post(`/api/cases/${caseId}/reveal`, { fields: ['reporterName', 'reporterPhone', 'supporters'], purpose: PURPOSE });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ caseId, reporterName: REPORTER.name, reporterPhone: REPORTER.phone, supporters: [{ name: SUPPORTER.name, phone: SUPPORTER.phone, channel: 'hotline' }] });
    const entry = await t.handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'personal.reveal').where('entity_id', '=', String(caseId)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity: 'case', purpose: PURPOSE, result: 'ok' });
    expect(entry.detail).toMatchObject({ fields: ['reporterName', 'reporterPhone', 'supporters'] });
    expect(JSON.stringify(entry)).not.toContain(REPORTER.phone);
  });

  it('answers only the fields asked for', async () => {
    const res = await district.post(`/api/cases/${caseId}/reveal`, { fields: ['reporterPhone'], purpose: '核实联系方式' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caseId, fields: ['reporterPhone'], reporterPhone: REPORTER.phone });
  });

  it('refuses grid workers and handlers (403), whatever their scope', async () => {
    for (const s of [grid, dept]) {
      const res = await s.post(`/api/cases/${caseId}/reveal`, { fields: ['reporterPhone'], purpose: PURPOSE });
      expect(res.statusCode).toBe(403);
    }
  });

  it('answers 404 outside the caller’s scope and audits the refused attempt', async () => {
    const res = await district.post(`/api/cases/${otherCaseId}/reveal`, { fields: ['reporterPhone'], purpose: PURPOSE });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(OTHER.phone);
    const entry = await t.handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'personal.reveal').where('entity_id', '=', String(otherCaseId)).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ result: 'denied', purpose: PURPOSE });
  });

  it.each([
    [{ fields: ['reporterPhone'], purpose: '看看' }, 'purpose'],
    [{ fields: ['reporterPhone'], purpose: '      ' }, 'purpose'],
    [{ fields: ['reporterPhone'] }, 'purpose'],
    [{ fields: [], purpose: PURPOSE }, 'fields'],
    [{ fields: ['idNumber'], purpose: PURPOSE }, 'fields.0'],
  ])('needs fields and a purpose of at least four characters %#', async (body, field) => {
    const res = await hotline.post(`/api/cases/${caseId}/reveal`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe(field);
  });
});

describe('search by phone', () => {
  it('matches the keyed hash whatever the formatting, within scope, and audits the lookup', async () => {
    const res = await hotline.get(`/api/cases?reporterPhone=${encodeURIComponent('+86 139 8765 4321')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: { id: number }) => c.id)).toEqual([caseId]);
    expect((await district.get(`/api/cases?reporterPhone=${OTHER.phone}`)).json().total).toBe(0);
    expect((await hotline.get(`/api/cases?reporterPhone=${OTHER.phone}`)).json().total).toBe(1);
    const entry = await t.handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'personal.search').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.detail).toMatchObject({ field: 'reporterPhone', matches: 1 });
  });

  it('is for staff who may reveal: grid workers get 403; a malformed phone is 400', async () => {
    expect((await grid.get(`/api/cases?reporterPhone=${REPORTER.phone}`)).statusCode).toBe(403);
    const bad = await hotline.get('/api/cases?reporterPhone=12345678901');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('reporterPhone');
  });
});

describe('at rest: the database holds no plain phone or name', () => {
  it('intake and closing send their SMS to a sealed recipient', async () => {
    const closed = await district.post(`/api/cases/${caseId}/actions/close`, { closeReason: 'unresolvable', note: '线路改造计划明年实施' });
    expect(closed.statusCode).toBe(200);
    const pii = fieldCipherFor(t.app.ctx.config);
    const sms = await t.handle.db.selectFrom('outbox_message').select(['recipient', 'payload']).where('channel', '=', 'sms').execute();
    const mine = sms.filter((m) => (m.payload as { caseId?: number }).caseId === caseId);
    // the receipt at intake and the notice of closing
    expect(mine.map((m) => (m.payload as { template: string }).template).sort()).toEqual(['case_closed', 'case_received']);
    for (const m of mine) {
      expect(isSealed(m.recipient)).toBe(true);
      expect(pii.decryptField(m.recipient)).toBe(REPORTER.phone);
    }
  });

  it('stores sealed values and a keyed hash only', async () => {
    const pii = fieldCipherFor(t.app.ctx.config);
    const row = await t.handle.db.selectFrom('case_file').select(['reporter_name', 'reporter_phone', 'reporter_phone_hash']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.reporter_phone).toMatch(/^v1:aes256gcm:test1:/);
    expect(pii.decryptField(row.reporter_name)).toBe(REPORTER.name);
    expect(row.reporter_phone_hash).toBe(pii.searchHash(REPORTER.phone, 'phone'));
    const supporter = await t.handle.db.selectFrom('case_supporter').select(['name', 'phone']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(isSealed(supporter.name) && isSealed(supporter.phone)).toBe(true);
    const support = await t.handle.db.selectFrom('audit_event').select('detail').where('action', '=', 'case.support').where('entity_id', '=', String(caseId)).executeTakeFirstOrThrow();
    expect(support.detail).toEqual({ channel: 'hotline', withName: true, withPhone: true });
  });

  it('finds no phone digits or names in any text or jsonb column of any table (cases, supporters, outbox, audit, events)', async () => {
    for (const needle of [REPORTER.phone, REPORTER.phone.slice(3), SUPPORTER.phone, OTHER.phone, REPORTER.name, SUPPORTER.name, OTHER.name]) {
      expect(await occurrences(needle), needle).toEqual([]);
    }
  });

  it('refuses a plaintext write to an encrypted column (database check)', async () => {
    await expect(t.handle.db.updateTable('case_file').set({ reporter_phone: '13987654321' as never }).where('id', '=', caseId).execute()).rejects.toThrow(/case_file_reporter_phone_sealed_ck/);
    await expect(t.handle.db.updateTable('case_supporter').set({ phone: '15811223344' as never }).where('case_id', '=', caseId).execute()).rejects.toThrow(/case_supporter_phone_sealed_ck/);
  });

  it('on PGlite: the raw data directory holds none of them either', async (ctx) => {
    const client = (t.handle as unknown as { client?: PGlite }).client;
    if (t.handle.kind !== 'pglite' || !client) return ctx.skip();
    await sql`CHECKPOINT`.execute(t.handle.db);
    const dump = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
    for (const needle of [REPORTER.phone, SUPPORTER.phone, OTHER.phone, REPORTER.name, SUPPORTER.name]) expect(dump.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
  });
});

describe('logs', () => {
  it('carry no phone or name through intake, search and reveal', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const app = await buildApp({ handle: t.handle, config: t.app.ctx.config, logger: { level: 'info', redact: LOG_REDACTION, stream } });
    await app.ready();
    try {
      const s = await signIn(app, 'demo-hotline');
      const created = await s.post('/api/cases', caseBody({ name: '欧阳朔', phone: '17700001234' }));
      expect(created.statusCode).toBe(201);
      await s.get('/api/cases?reporterPhone=17700001234');
      await s.post(`/api/cases/${created.json().id}/reveal`, { fields: ['reporterPhone'], purpose: PURPOSE });
      await s.post('/api/cases', { ...caseBody({ name: '欧阳朔', phone: '17700001234' }), location: { lng: 0, lat: 0 } });
    } finally {
      await app.close();
    }
    const all = lines.join('');
    expect(all).toContain('reporterPhone=177****1234');
    expect(all).not.toContain('17700001234');
    expect(all).not.toContain('欧阳朔');
  });
});

describe('key rotation', () => {
  it('moves every sealed value and keyed hash to the new key; the old key still decrypts until then', async () => {
    const old = fieldCipherFor(t.app.ctx.config);
    const config = t.app.ctx.config;
    const next = new FieldCipher({ cipher: 'sm4', keys: [{ id: 'k2027', key: Buffer.alloc(32, 0x27) }, ...config.piiKeys], hmacKey: Buffer.alloc(32, 0x72) });
    const counts = await resealPersonalData(t.handle.db, next, { batchSize: 2 });
    expect(counts.find((c) => c.column === 'case_file.reporter_phone')).toMatchObject({ resealed: expect.any(Number), rehashed: expect.any(Number) });
    const rows = await t.handle.db.selectFrom('case_file').select(['id', 'reporter_name', 'reporter_phone', 'reporter_phone_hash']).where('reporter_phone', 'is not', null).execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(r.reporter_phone).toMatch(/^v1:sm4cbc-sm3:k2027:/);
      expect(r.reporter_phone_hash).toBe(next.searchHash(next.decryptField(r.reporter_phone!), 'phone'));
      expect(() => old.decryptField(r.reporter_phone)).toThrow(/k2027 is not configured/);
    }
    const mine = rows.find((r) => r.id === caseId)!;
    expect(next.decryptField(mine.reporter_phone)).toBe(REPORTER.phone);
    const sms = await t.handle.db.selectFrom('outbox_message').select('recipient').where('channel', '=', 'sms').execute();
    for (const m of sms) expect(m.recipient).toMatch(/^v1:sm4cbc-sm3:k2027:/);
    const again = await resealPersonalData(t.handle.db, next);
    expect(again.every((c) => c.resealed === 0 && c.rehashed === 0)).toBe(true);
    expect(await t.handle.db.selectFrom('audit_event').select('entity_id').where('action', '=', 'personal.rotate').execute()).toContainEqual({ entity_id: 'k2027' });
  });
});
