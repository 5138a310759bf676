import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymiseExpired } from '../src/modules/retention/index.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let hotline: Session, district: Session, community: Session, grid: Session, dept: Session, security: Session, leader: Session, street: Session;
const INSIDE = { lng: 111.5525, lat: 40.7615 }; // 安居社区第1网格, 青河区
const OTHER_DISTRICT = { lng: 111.8425, lat: 40.7615 }; // 临川区
const DAY = 86_400_000;

// values that appear nowhere else, so a hit in an export or the audit log is a leak
const REPORTER = { name: '欧阳岚清', phone: '13677889900' };
const PETITIONER = { name: '司马静远', phone: '15922334455' };

const body = (extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  title: '路灯不亮',
  description: '小区门口的路灯连续三天晚上不亮。',
  matterTypeCode: 'CG-005',
  location: INSIDE,
  reporter: REPORTER,
  ...extra,
});

async function intake(s: Session, extra: Record<string, unknown> = {}) {
  const res = await s.post('/api/cases', body(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; number: string; securityLabel: string };
}

const userId = async (username: string) => (await t.handle.db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const lastAudit = (action: string) => t.handle.db.selectFrom('audit_event').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirstOrThrow();

let petition: { id: number; number: string };
let plain: { id: number; number: string };
let elsewhere: { id: number; number: string };

beforeAll(async () => {
  t = await testApp();
  const s = await Promise.all(['demo-hotline', 'demo-district', 'demo-community', 'demo-grid', 'demo-dept', 'demo-security', 'demo-leader', 'demo-street'].map((u) => signIn(t.app, u)));
  [hotline, district, community, grid, dept, security, leader, street] = s as [Session, Session, Session, Session, Session, Session, Session, Session];
  petition = await intake(hotline, { channel: 'petition', reporter: PETITIONER });
  plain = await intake(hotline);
  elsewhere = await intake(hotline, { location: OTHER_DISTRICT });
}, 120_000);
afterAll(() => t.close());

describe('security labels and clearances', () => {
  it('labels petitions and police referrals 敏感 at intake, other channels 内部', async () => {
    expect((await district.get(`/api/cases/${petition.id}`)).json().securityLabel).toBe('confidential');
    expect((await district.get(`/api/cases/${plain.id}`)).json().securityLabel).toBe('internal');
    const police = await intake(district, { channel: 'police', reporter: undefined });
    expect(police.securityLabel).toBe('confidential');
    const row = await t.handle.db.selectFrom('case_file').select(['security_label', 'security_rank']).where('id', '=', police.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ security_label: 'confidential', security_rank: 2 });
  });

  it('hides a case above the reader’s clearance exactly like one out of scope: 404, and absent from lists', async () => {
    // the community dispatcher (内部) has both cases in its jurisdiction
    expect((await community.get(`/api/cases/${plain.id}`)).statusCode).toBe(200);
    const hidden = await community.get(`/api/cases/${petition.id}`);
    const away = await community.get(`/api/cases/${elsewhere.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(away.json());
    const ids = (await community.get('/api/cases?limit=1000')).json().items.map((c: { id: number }) => c.id);
    expect(ids).toContain(plain.id);
    expect(ids).not.toContain(petition.id);
    expect((await district.get('/api/cases?limit=1000')).json().items.map((c: { id: number }) => c.id)).toContain(petition.id);
    // actions and reveals go through the same scope
    expect((await community.post(`/api/cases/${petition.id}/actions/close`, { closeReason: 'withdrawn' })).statusCode).toBe(404);
    expect((await community.post(`/api/cases/${petition.id}/reveal`, { fields: ['reporterPhone'], purpose: '回访核实诉求' })).statusCode).toBe(404);
  });

  it('refuses to take in a case of a channel labelled above the taker’s clearance', async () => {
    const res = await grid.post('/api/cases', body({ channel: 'petition' }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'above_clearance', field: 'channel' });
  });

  it('lets a dispatcher at the case’s centre raise a label, with a reason, audited and on the timeline', async () => {
    const res = await district.post(`/api/cases/${plain.id}/label`, { label: 'confidential', reason: '涉及未成年人' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ caseId: plain.id, securityLabel: 'confidential', previousLabel: 'internal' });
    expect((await community.get(`/api/cases/${plain.id}`)).statusCode).toBe(404);
    const entry = await lastAudit('case.label');
    expect(entry).toMatchObject({ entity: 'case', entity_id: String(plain.id), result: 'ok', actor_id: await userId('demo-district') });
    expect(entry.detail).toMatchObject({ from: 'internal', to: 'confidential', direction: 'raise', reason: '涉及未成年人' });
    const timeline = (await district.get(`/api/cases/${plain.id}`)).json().timeline;
    expect(timeline.at(-1)).toMatchObject({ action: 'label', detail: { from: 'internal', to: 'confidential' } });
  });

  it('refuses lowering to anyone but the security admin, raising above one’s clearance, and others; refusals audited', async () => {
    const lower = await district.post(`/api/cases/${plain.id}/label`, { label: 'internal', reason: '误标' });
    expect(lower.statusCode).toBe(403);
    expect(lower.json().error.code).toBe('lower_needs_security_admin');
    expect(await lastAudit('case.label')).toMatchObject({ result: 'denied', entity_id: String(plain.id) });
    const above = await district.post(`/api/cases/${plain.id}/label`, { label: 'secret', reason: '涉密' });
    expect(above.statusCode).toBe(403);
    expect(above.json().error.code).toBe('above_clearance');
    expect((await district.post(`/api/cases/${plain.id}/label`, { label: 'confidential', reason: '重复' })).json().error.code).toBe('unchanged');
    // the street dispatcher sees the case but is below the district centre that handles it
    const fresh = await intake(hotline, { reporter: undefined });
    const streetRaise = await street.post(`/api/cases/${fresh.id}/label`, { label: 'confidential', reason: '涉及隐私' });
    expect(streetRaise.statusCode).toBe(403);
    expect(streetRaise.json().error.code).toBe('not_at_centre');
    // out of scope: 404, audited
    const away = await district.post(`/api/cases/${elsewhere.id}/label`, { label: 'confidential', reason: '涉及隐私' });
    expect(away.statusCode).toBe(404);
    expect(await lastAudit('case.label')).toMatchObject({ result: 'denied', entity_id: String(elsewhere.id) });
    for (const s of [grid, dept, leader]) expect((await s.post(`/api/cases/${plain.id}/label`, { label: 'secret', reason: '涉密' })).statusCode).toBe(403);
  });

  it('lets the security admin lower a label without reading the case', async () => {
    expect((await security.get(`/api/cases/${plain.id}`)).statusCode).toBe(403);
    const res = await security.post(`/api/cases/${plain.id}/label`, { label: 'internal', reason: '经核实不涉及隐私' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ securityLabel: 'internal', previousLabel: 'confidential' });
    expect(Object.keys(res.json()).sort()).toEqual(['caseId', 'number', 'previousLabel', 'securityLabel', 'version']);
    expect((await lastAudit('case.label')).detail).toMatchObject({ direction: 'lower', to: 'internal' });
    expect((await community.get(`/api/cases/${plain.id}`)).statusCode).toBe(200);
  });

  it('lets only the security admin change a clearance, audited as a permission change, effective at the next request', async () => {
    const id = await userId('demo-community');
    for (const s of [district, grid, leader]) expect((await s.put(`/api/users/${id}/clearance`, { clearance: 'confidential', reason: '承担信访事项' })).statusCode).toBe(403);
    expect((await security.put(`/api/users/${await userId('demo-security')}/clearance`, { clearance: 'secret', reason: '自己' })).statusCode).toBe(403);
    const res = await security.put(`/api/users/${id}/clearance`, { clearance: 'confidential', reason: '承担信访事项' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id, username: 'demo-community', clearance: 'confidential', previousClearance: 'internal' });
    const entry = await lastAudit('user.clearance_changed');
    expect(entry).toMatchObject({ entity: 'user', entity_id: String(id), actor_id: await userId('demo-security'), result: 'ok' });
    expect(entry.detail).toMatchObject({ from: 'internal', to: 'confidential', reason: '承担信访事项' });
    expect((await community.get(`/api/cases/${petition.id}`)).statusCode).toBe(200);
    expect((await security.put(`/api/users/${id}/clearance`, { clearance: 'internal', reason: '恢复' })).statusCode).toBe(200);
    expect((await community.get(`/api/cases/${petition.id}`)).statusCode).toBe(404);
    expect((await security.put(`/api/users/${id}/clearance`, { clearance: 'top', reason: 'x' })).statusCode).toBe(400);
  });
});

describe('exports', () => {
  const exportOf = async (s: Session, query = '') => {
    const res = await s.get(`/api/cases/export?format=csv${query}`);
    return res;
  };
  const lines = (csv: string) => csv.split('\r\n').filter(Boolean);

  it('answers a masked, watermarked CSV with a BOM and a dated file name', async () => {
    const before = Date.now();
    const res = await exportOf(district);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{8}-\d{6}\.csv"$/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const all = lines(res.body.replace(/^\uFEFF/, ''));
    const mark = /^# 导出人 demo-district（青河区综治中心调度员） 导出时间 (\S+) 仅限工作使用$/;
    expect(all[0]).toMatch(mark);
    expect(all.at(-1)).toBe(all[0]);
    expect(new Date(mark.exec(all[0]!)![1]!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(all[1]!.split(',')).toEqual(expect.arrayContaining(['编号', '诉求人', '联系电话', '密级']));
    // masked, never plain
    expect(res.body).toContain('欧***');
    expect(res.body).toContain('136****9900');
    expect(res.body).toContain('司***');
    expect(res.body).not.toContain(REPORTER.phone);
    expect(res.body).not.toContain(REPORTER.name);
    expect(res.body).not.toContain(PETITIONER.phone);
  });

  it('exports the caller’s scope only, labels included, with the list filters', async () => {
    const own = await exportOf(district);
    expect(own.body).toContain(petition.number);
    expect(own.body).toContain(plain.number);
    expect(own.body).not.toContain(elsewhere.number);
    const lower = await exportOf(community);
    expect(lower.statusCode).toBe(200);
    expect(lower.body).toContain(plain.number);
    expect(lower.body).not.toContain(petition.number);
    const petitions = await exportOf(district, '&channel=petition');
    expect(lines(petitions.body)).toHaveLength(4);
    expect(petitions.body).toContain(petition.number);
    expect(petitions.body).toContain('信访');
  });

  it('refuses grid workers and handlers (403), and the out-of-scope jurisdiction filter (404)', async () => {
    for (const s of [grid, dept, security]) expect((await exportOf(s)).statusCode).toBe(403);
    expect((await exportOf(district, '&jurisdictionCode=990104')).statusCode).toBe(404);
    expect((await leader.get('/api/cases/export')).statusCode).toBe(200);
  });

  it('holds at most 10,000 rows: beyond, 400 naming limit', async () => {
    const big = await exportOf(district, '&limit=10001');
    expect(big.statusCode).toBe(400);
    expect(big.json().error.field).toBe('limit');
    const over = await exportOf(district, '&limit=1');
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({ field: 'limit', code: 'too_many' });
  });

  it('audits each export with its filters and row count, never the content', async () => {
    await exportOf(district, '&channel=petition&purpose=' + encodeURIComponent('月度信访统计'));
    const entry = await lastAudit('case.export');
    expect(entry).toMatchObject({ entity: 'case', actor_id: await userId('demo-district'), purpose: '月度信访统计', result: 'ok' });
    expect(entry.detail).toMatchObject({ filters: { channel: 'petition' }, rows: 1, format: 'csv' });
    const text = JSON.stringify(entry);
    for (const leak of [petition.number, PETITIONER.phone, '司***', '136****9900']) expect(text).not.toContain(leak);
  });
});

describe('retention', () => {
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const config = () => t.app.ctx.config;

  async function closedCase(closedDaysAgo: number) {
    const c = await intake(hotline);
    expect((await hotline.post(`/api/cases/${c.id}/supporters`, { name: '闻人兆', phone: '15811223344', channel: 'hotline' })).statusCode).toBe(200);
    expect((await district.post(`/api/cases/${c.id}/actions/close`, { closeReason: 'resolved', note: '已处理' })).statusCode).toBe(200);
    await t.handle.db.updateTable('case_file').set({ closed_at: ago(closedDaysAgo) }).where('id', '=', c.id).execute();
    await t.handle.db.updateTable('outbox_message').set({ status: 'sent', created_at: ago(closedDaysAgo) }).where('channel', '=', 'sms').where('status', '=', 'pending').execute();
    return c;
  }
  const row = (id: number) => t.handle.db.selectFrom('case_file').select(['reporter_name', 'reporter_phone', 'reporter_phone_hash', 'pii_anonymised_at', 'status_type']).where('id', '=', id).executeTakeFirstOrThrow();
  const supporters = (id: number) => t.handle.db.selectFrom('case_supporter').select(['name', 'phone']).where('case_id', '=', id).execute();

  it('anonymises closed cases past the period, keeps recent and open ones, prunes sessions and read notifications, audits the counts', async () => {
    const old = await closedCase(4 * 365);
    const recent = await closedCase(365);
    const open = await intake(hotline);
    await t.handle.db.updateTable('case_file').set({ created_at: ago(10 * 365), registered_at: ago(10 * 365) }).where('id', '=', open.id).execute();

    const uid = await userId('demo-grid');
    const session = (id: string, expiresDaysAgo: number, lastSeenDaysAgo: number) => ({ id, user_id: uid, csrf_token: 'x', expires_at: ago(expiresDaysAgo), last_seen_at: ago(lastSeenDaysAgo), created_at: ago(lastSeenDaysAgo), ip: '10.0.0.1', user_agent: 'test' });
    await t.handle.db.insertInto('user_session').values([session('old-expired', 40, 40), session('old-idle', -1, 45), session('recent-expired', 5, 5)]).execute();
    const note = (title: string, readDaysAgo: number | null, createdDaysAgo: number) => ({ user_id: uid, kind: 'test', title, body: '', case_id: null, read_at: readDaysAgo === null ? null : ago(readDaysAgo), created_at: ago(createdDaysAgo) });
    await t.handle.db.insertInto('notification').values([note('read-long-ago', 400, 401), note('read-recently', 10, 400), note('unread-old', null, 800)]).execute();

    const run = await anonymiseExpired(t.handle.db, config(), now);
    expect(run).not.toBeNull();
    expect(run!.counts).toMatchObject({ cases: 1, supporters: 1, sessions: 2, notifications: 1 });
    expect(run!.counts.smsMessages).toBeGreaterThanOrEqual(1);

    expect(await row(old.id)).toMatchObject({ reporter_name: null, reporter_phone: null, reporter_phone_hash: null, pii_anonymised_at: now });
    expect(await supporters(old.id)).toEqual([{ name: null, phone: null }]);
    for (const kept of [recent.id, open.id]) {
      const r = await row(kept);
      expect(r.reporter_name).toMatch(/^v1:/);
      expect(r.reporter_phone_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.pii_anonymised_at).toBeNull();
    }
    expect((await supporters(recent.id))[0]!.name).toMatch(/^v1:/);

    const sessions = await t.handle.db.selectFrom('user_session').select('id').where('id', 'in', ['old-expired', 'old-idle', 'recent-expired']).execute();
    expect(sessions.map((s) => s.id)).toEqual(['recent-expired']);
    const notes = await t.handle.db.selectFrom('notification').select('title').where('kind', '=', 'test').orderBy('title').execute();
    expect(notes.map((n) => n.title)).toEqual(['read-recently', 'unread-old']);

    const entry = await lastAudit('retention.run');
    expect(entry).toMatchObject({ actor_id: null, entity: 'retention', result: 'ok' });
    expect(entry.detail).toMatchObject({ counts: run!.counts, days: { casePiiDays: 1095, sessionDays: 30, notificationDays: 365 } });

    // the API shows the reporter as gone; a reveal finds nothing either
    const shown = (await district.get(`/api/cases/${old.id}`)).json();
    expect(shown.reporter).toBeNull();
    expect(shown.piiAnonymisedAt).toBe(now.toISOString());
    expect((await district.get(`/api/cases/${recent.id}`)).json().reporter).toEqual({ name: '欧***', phone: '136****9900' });
    const revealed = await district.post(`/api/cases/${old.id}/reveal`, { fields: ['reporterName', 'reporterPhone', 'supporters'], purpose: '回访核实诉求' });
    expect(revealed.json()).toMatchObject({ reporterName: null, reporterPhone: null, supporters: [] });
    // nor does a search by the phone find it
    const found = (await district.get(`/api/cases?reporterPhone=${REPORTER.phone}&limit=1000`)).json().items.map((c: { id: number }) => c.id);
    expect(found).not.toContain(old.id);
    expect(found).toContain(recent.id);
  });

  it('finds nothing left on a second run, and lets one of two concurrent runs do the work', async () => {
    const again = await anonymiseExpired(t.handle.db, config(), now);
    expect(again!.counts).toEqual({ cases: 0, supporters: 0, smsMessages: 0, sessions: 0, notifications: 0 });
    const another = await closedCase(5 * 365);
    const runs = await Promise.all([anonymiseExpired(t.handle.db, config(), now), anonymiseExpired(t.handle.db, config(), now)]);
    expect(runs.reduce((n, r) => n + (r?.counts.cases ?? 0), 0)).toBe(1);
    expect((await row(another.id)).reporter_name).toBeNull();
  });

  it('keeps a category whose period is 0', async () => {
    const c = await closedCase(20 * 365);
    const run = await anonymiseExpired(t.handle.db, { ...config(), retentionCasePiiDays: 0 }, now);
    expect(run!.counts.cases).toBe(0);
    expect((await row(c.id)).reporter_name).toMatch(/^v1:/);
  });
});
