import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fieldCipherFor } from '../src/modules/privacy/keys.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let hotline: Session, district: Session, dept: Session, community: Session, city: Session;
const as = (s: Session | undefined) => s!;
const INSIDE = { lng: 111.5525, lat: 40.7615 }; // 安居社区第1网格, 青河区
const OTHER_DISTRICT = { lng: 111.8425, lat: 40.7615 }; // 临川区

beforeAll(async () => {
  t = await testApp();
  const s = await Promise.all(['demo-hotline', 'demo-district', 'demo-dept', 'demo-community', 'demo-city'].map((u) => signIn(t.app, u)));
  [hotline, district, dept, community, city] = [as(s[0]), as(s[1]), as(s[2]), as(s[3]), as(s[4])];
});
afterAll(() => t.close());

const streetLight = (extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  title: '路灯不亮',
  description: '小区门口的路灯连续三天晚上不亮，行人看不清路。',
  matterTypeCode: 'CG-005',
  location: INSIDE,
  reporter: { name: '张三', phone: '13812345678' },
  ...extra,
});

/** SMS in the outbox for a phone: recipients are sealed, so the test decrypts them. */
async function smsTo(phone: string) {
  const pii = fieldCipherFor(t.app.ctx.config);
  const rows = await t.handle.db.selectFrom('outbox_message').select(['recipient', 'payload']).where('channel', '=', 'sms').execute();
  return rows.filter((m) => pii.readStored(m.recipient) === phone);
}

async function act(s: Session, id: number, action: string, body: Record<string, unknown> = {}) {
  const res = await s.post(`/api/cases/${id}/actions/${action}`, body);
  return res;
}

describe('intake', () => {
  it('takes in a hotline case: grid, community chain, department and deadline', async () => {
    const res = await hotline.post('/api/cases', streetLight());
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.number).toMatch(/^\d{8}-\d{6}$/);
    expect(c).toMatchObject({ status: 'registered', statusType: 'open', communityCode: '990102001001', streetCode: '990102001000', districtCode: '990102', handlingLevel: 'district', handlingJurisdictionCode: '990102' });
    expect(c.gridId).toBeGreaterThan(0);
    expect(c.departmentId).toBeGreaterThan(0);
    expect(new Date(c.deadline).getTime()).toBeGreaterThan(Date.now());
    expect(c.reporter).toEqual({ name: '张*', phone: '138****5678' });
    expect(c.timeline[0]).toMatchObject({ action: 'intake', toStatus: 'registered', actorName: '12345 坐席员' });
  });

  it('keeps a community matter at the community and suggests a matter type from the words', async () => {
    const res = await hotline.post('/api/cases', { channel: 'hotline', title: '楼下有人乱堆杂物', description: '楼道里乱堆乱放了很多杂物，堵住了通道', location: INSIDE });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'accepted', matterTypeCode: null, suggestedMatterTypeCode: expect.any(String) });
    const sug = (await hotline.get(`/api/cases/suggest-matter?text=${encodeURIComponent('楼道乱堆乱放杂物')}`)).json();
    expect(sug.items[0].code).toBe('CG-003');
    expect(res.json().handlingJurisdictionCode).toBe('990100');
    expect((await community.post(`/api/cases/${res.json().id}/actions/register`, { matterTypeCode: 'CG-003' })).statusCode).toBe(403);
    const reg = await city.post(`/api/cases/${res.json().id}/actions/register`, { matterTypeCode: 'CG-003' });
    expect(reg.statusCode).toBe(200);
    expect(reg.json()).toMatchObject({ status: 'registered', handlingLevel: 'community', handlingJurisdictionCode: '990102001001' });
    expect((await community.get(`/api/cases/${res.json().id}`)).json().actions).toContain('close');
  });

  it('replays a retried submission with the same Idempotency-Key, refuses a different body', async () => {
    const headers = { 'idempotency-key': 'retry-test-0001' };
    const first = await hotline.request({ method: 'POST', url: '/api/cases', headers, payload: streetLight() });
    const again = await hotline.request({ method: 'POST', url: '/api/cases', headers, payload: streetLight() });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const other = await hotline.request({ method: 'POST', url: '/api/cases', headers, payload: streetLight({ title: '另一件事' }) });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.field).toBe('Idempotency-Key');
    const concurrent = await Promise.all([1, 2, 3, 4].map(() => hotline.request({ method: 'POST', url: '/api/cases', headers: { 'idempotency-key': 'retry-test-0002' }, payload: streetLight() })));
    expect(new Set(concurrent.map((r) => r.json().id)).size).toBe(1);
  });

  it('shows possible duplicates of the same matter nearby', async () => {
    const res = await hotline.post('/api/cases', streetLight({ location: { lng: INSIDE.lng + 0.0005, lat: INSIDE.lat } }));
    expect(res.json().possibleDuplicates.length).toBeGreaterThan(0);
    expect(res.json().possibleDuplicates[0].distanceM).toBeLessThanOrEqual(200);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const before = await t.handle.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: Array<[Record<string, unknown>, string]> = [
      [streetLight({ title: undefined }), 'title'],
      [streetLight({ channel: 'fax' }), 'channel'],
      [streetLight({ location: undefined }), 'location'],
      [streetLight({ location: { lng: 116.4, lat: 39.9 } }), 'location'],
      [streetLight({ location: { lng: 'east', lat: 39.9 } }), 'location.lng'],
      [streetLight({ matterTypeCode: 'ZZ-999' }), 'matterTypeCode'],
      [streetLight({ reporter: { phone: '12345' } }), 'reporter.phone'],
      [streetLight({ location: undefined, communityCode: '990199999999' }), 'communityCode'],
    ];
    for (const [body, field] of cases) {
      const res = await hotline.post('/api/cases', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    const after = await t.handle.db.selectFrom('case_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('the closed loop', () => {
  it('dispatch → sign → feed back → verify → close → rate, every step in the timeline', async () => {
    const c = (await hotline.post('/api/cases', streetLight())).json();
    expect(c.actions).toEqual([]);
    const seenByDistrict = (await district.get(`/api/cases/${c.id}`)).json();
    expect(seenByDistrict.actions).toContain('dispatch');
    expect((await dept.get(`/api/cases/${c.id}`)).statusCode).toBe(404);

    const dispatched = await act(district, c.id, 'dispatch', { note: '请尽快修复' });
    expect(dispatched.statusCode).toBe(200);
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', departmentId: c.departmentId });
    const inbox = await dept.get('/api/notifications');
    expect(inbox.json().items.some((n: { caseId: number }) => n.caseId === c.id)).toBe(true);

    const mine = (await dept.get('/api/cases?statusType=open')).json();
    expect(mine.items.map((x: { id: number }) => x.id)).toContain(c.id);
    expect((await dept.get(`/api/cases/${c.id}`)).json().actions).toEqual(expect.arrayContaining(['sign', 'return', 'request-extension']));
    expect((await act(dept, c.id, 'sign')).json().status).toBe('signed');
    const fed = await act(dept, c.id, 'feed-back', { result: '已更换灯泡，路灯恢复照明' });
    expect(fed.json().status).toBe('fed_back');
    const closed = await act(district, c.id, 'verify', { pass: true, note: '现场核查已亮' });
    expect(closed.json()).toMatchObject({ status: 'closed', statusType: 'closed', closeReason: 'resolved' });
    const rated = await act(hotline, c.id, 'rate', { rating: 'satisfied', comment: '很快' });
    expect(rated.json()).toMatchObject({ rating: 'satisfied' });
    expect(rated.json().timeline.map((e: { action: string }) => e.action)).toEqual(['intake', 'dispatch', 'sign', 'feed-back', 'verify', 'rate']);
    expect((await act(hotline, c.id, 'rate', { rating: 'unsatisfied' })).statusCode).toBe(409);
    const sms = await smsTo('13812345678');
    expect(sms.some((m) => (m.payload as { caseId: number }).caseId === c.id)).toBe(true);
  });

  it('return → designate lead, which cannot return again; verification failure counts as rework', async () => {
    const c = (await hotline.post('/api/cases', streetLight())).json();
    await act(district, c.id, 'dispatch');
    const ret = await act(dept, c.id, 'return', { reason: '路灯属供电部门维护，非我局职责' });
    expect(ret.json().status).toBe('returned');
    expect((await act(dept, c.id, 'return', { reason: '再退' })).statusCode).toBe(409);
    const lead = await act(district, c.id, 'designate-lead', { departmentId: c.departmentId, reason: '按属地管理，由区城管局牵头' });
    expect(lead.json()).toMatchObject({ status: 'dispatched', designated: true });
    await act(dept, c.id, 'sign');
    const again = await act(dept, c.id, 'return', { reason: '仍然不是我们的' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('牵头');
    await act(dept, c.id, 'feed-back', { result: '已协调修复' });
    const failed = await act(district, c.id, 'verify', { pass: false, note: '现场仍不亮' });
    expect(failed.json()).toMatchObject({ status: 'signed', reworkCount: 1 });
  });

  it('extension: requested by the department, approved by the centre, deadline moves by working days', async () => {
    const c = (await hotline.post('/api/cases', streetLight())).json();
    await act(district, c.id, 'dispatch');
    await act(dept, c.id, 'sign');
    const asked = await act(dept, c.id, 'request-extension', { days: 3, reason: '需采购配件' });
    expect(asked.json().pendingExtension).toEqual({ days: 3, reason: '需采购配件' });
    expect((await act(dept, c.id, 'approve-extension')).statusCode).toBe(403);
    const approved = await act(district, c.id, 'approve-extension');
    expect(approved.json()).toMatchObject({ pendingExtension: null, extensionCount: 1 });
    expect(new Date(approved.json().deadline).getTime()).toBeGreaterThan(new Date(c.deadline).getTime() + 2 * 86_400_000);
  });

  it('honest closing: not our responsibility names who is; a duplicate points at its case', async () => {
    const a = (await hotline.post('/api/cases', streetLight())).json();
    const b = (await hotline.post('/api/cases', streetLight())).json();
    const noBody = await act(district, a.id, 'close', { closeReason: 'not_responsible' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error.field).toBe('responsibleBody');
    const ok = await act(district, a.id, 'close', { closeReason: 'not_responsible', responsibleBody: '国网青河供电公司' });
    expect(ok.json()).toMatchObject({ closeReason: 'not_responsible', responsibleElsewhere: '国网青河供电公司' });
    const dup = await act(district, b.id, 'close', { closeReason: 'duplicate', duplicateOfCaseId: a.id });
    expect(dup.json()).toMatchObject({ closeReason: 'duplicate', parentCaseId: a.id });
  });

  it('merge and me-too: supporters count on the parent; closing the parent tells the merged reporters', async () => {
    const parent = (await hotline.post('/api/cases', streetLight())).json();
    const child = (await hotline.post('/api/cases', streetLight({ reporter: { name: '李四', phone: '13900001111' } }))).json();
    const merged = await act(district, child.id, 'merge', { intoCaseId: parent.id });
    expect(merged.json()).toMatchObject({ status: 'closed', closeReason: 'duplicate', parentCaseId: parent.id });
    const grid = await signIn(t.app, 'demo-grid');
    const plus = await grid.post(`/api/cases/${parent.id}/supporters`, {});
    expect(plus.json().supporterCount).toBe(2);
    expect((await grid.post(`/api/cases/${parent.id}/supporters`, {})).statusCode).toBe(409);
    await act(district, parent.id, 'close', { closeReason: 'unresolvable', note: '线路改造计划明年实施' });
    const sms = await smsTo('13900001111');
    expect(sms.map((m) => (m.payload as { text: string }).text).join()).toContain(parent.number);
  });

  it('lets only one of two simultaneous dispatches succeed', async () => {
    const c = (await hotline.post('/api/cases', streetLight())).json();
    const other = await signIn(t.app, 'demo-district');
    const [r1, r2] = await Promise.all([act(district, c.id, 'dispatch'), act(other, c.id, 'dispatch')]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const stale = await act(district, c.id, 'co-handle', { departmentIds: [c.departmentId + 1], expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
  });

  it('escalates to the level above, and a cross-region matter to the common upper level', async () => {
    const c = (await hotline.post('/api/cases', { channel: 'hotline', title: '两区交界处的排水问题', description: '路面积水', location: INSIDE })).json();
    expect(c.handlingJurisdictionCode).toBe('990100');
    const local = (await community.post('/api/cases', { channel: 'grid', title: '社区内乱堆乱放', description: '楼道堆物', matterTypeCode: 'CG-003', location: INSIDE })).json();
    const up = await act(community, local.id, 'escalate', { reason: '社区无法协调' });
    expect(up.json()).toMatchObject({ handlingJurisdictionCode: '990102001000', status: 'registered' });
    const street = await signIn(t.app, 'demo-street');
    const cross = await act(street, local.id, 'escalate', { reason: '涉及兴安区', jurisdictionCode: '990103' });
    expect(cross.json().handlingJurisdictionCode).toBe('990100');
  });
});

describe('scope', () => {
  it('hides another community’s case (404) from list, read and action', async () => {
    const far = (await hotline.post('/api/cases', streetLight({ location: OTHER_DISTRICT }))).json();
    expect((await community.get(`/api/cases/${far.id}`)).statusCode).toBe(404);
    expect((await act(community, far.id, 'close', { closeReason: 'withdrawn' })).statusCode).toBe(404);
    const list = (await community.get('/api/cases?limit=1000')).json();
    expect(list.items.every((x: { communityCode: string }) => x.communityCode === '990102001001')).toBe(true);
    expect((await city.get(`/api/cases/${far.id}`)).statusCode).toBe(200);
    expect((await community.post('/api/cases', streetLight({ location: OTHER_DISTRICT }))).statusCode).toBe(400);
  });

  it('shows a department handler only the cases dispatched to the department', async () => {
    const list = (await dept.get('/api/cases?limit=1000')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((x: { dispatchedAt: string | null }) => x.dispatchedAt !== null)).toBe(true);
  });

  it('filters the list by status, overdue, text and sorts by supporters', async () => {
    const open = (await city.get('/api/cases?statusType=open&sort=supporters&limit=5')).json();
    expect(open.items.every((x: { statusType: string }) => x.statusType === 'open')).toBe(true);
    const q = (await city.get(`/api/cases?q=${encodeURIComponent('路灯')}`)).json();
    expect(q.total).toBeGreaterThan(0);
    const bad = await city.get('/api/cases?status=flying');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('status');
  });
});

describe('deadline scan', () => {
  it('marks an overdue case red once, opens one supervision item, and warns yellow near the deadline', async () => {
    const { scanDeadlines } = await import('../src/modules/cases/deadline-scan.js');
    const late = (await hotline.post('/api/cases', streetLight())).json();
    await act(district, late.id, 'dispatch');
    const near = (await hotline.post('/api/cases', streetLight())).json();
    await act(district, near.id, 'dispatch');
    const now = new Date();
    await t.handle.db.updateTable('case_file').set({ deadline: new Date(now.getTime() - 3600_000) }).where('id', '=', late.id).execute();
    // dispatched long ago, deadline soon: most of the working time is used
    await t.handle.db
      .updateTable('case_file')
      .set({ dispatched_at: new Date(now.getTime() - 20 * 86_400_000), deadline: new Date(now.getTime() + 86_400_000) })
      .where('id', '=', near.id)
      .execute();
    const runs = await Promise.all([scanDeadlines(t.handle.db, { now, warningShare: 0.8 }), scanDeadlines(t.handle.db, { now, warningShare: 0.8 })]);
    expect(runs.reduce((s, r) => s + r.red, 0)).toBeGreaterThanOrEqual(1);
    const again = await scanDeadlines(t.handle.db, { now, warningShare: 0.8 });
    expect(again).toEqual({ yellow: 0, red: 0, supervision: 0 });
    const lateNow = (await district.get(`/api/cases/${late.id}`)).json();
    expect(lateNow).toMatchObject({ warningLevel: 'red', overdue: true });
    expect(lateNow.timeline.filter((e: { action: string }) => e.action === 'overdue')).toHaveLength(1);
    expect((await district.get(`/api/cases/${near.id}`)).json().warningLevel).toBe('yellow');
    const items = await t.handle.db.selectFrom('supervision_item').selectAll().where('case_id', '=', late.id).execute();
    expect(items).toHaveLength(1);
    const board = (await district.get('/api/supervision')).json();
    expect(board.items.map((i: { caseId: number }) => i.caseId)).toContain(late.id);
    const overdue = (await district.get('/api/cases?overdue=true&limit=100')).json();
    expect(overdue.items.map((c: { id: number }) => c.id)).toContain(late.id);
    await act(dept, late.id, 'sign');
    await act(dept, late.id, 'feed-back', { result: '已修复' });
    await act(district, late.id, 'verify', { pass: true });
    expect((await district.get('/api/supervision')).json().items.map((i: { caseId: number }) => i.caseId)).not.toContain(late.id);
  });
});

describe('attachments', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const multipart = (name: string, content: Buffer, type: string) => {
    const boundary = '----zhili-test-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body };
  };

  it('takes a photo judged by its bytes, refuses a disguised file, serves it back and links it to a step', async () => {
    const c = (await hotline.post('/api/cases', streetLight())).json();
    const up = await hotline.request({ method: 'POST', url: `/api/cases/${c.id}/attachments`, ...multipart('现场.jpg', PNG, 'image/jpeg') });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ mimeType: 'image/png', sizeBytes: PNG.length, fileName: '现场.png', label: '现场.jpg' });
    const fake = await hotline.request({ method: 'POST', url: `/api/cases/${c.id}/attachments`, ...multipart('photo.jpg', Buffer.from('#!/bin/sh\nrm -rf /\n'), 'image/jpeg') });
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.field).toBe('file');
    const down = await district.get(`/api/cases/${c.id}/attachments/${up.json().id}`);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(down.rawPayload, PNG)).toBe(0);
    await act(district, c.id, 'dispatch');
    await act(dept, c.id, 'sign');
    const other = (await hotline.post('/api/cases', streetLight())).json();
    const foreign = await act(dept, c.id, 'feed-back', { result: '已修复', attachmentIds: [up.json().id + 1000] });
    expect(foreign.statusCode).toBe(400);
    const fed = await act(dept, c.id, 'feed-back', { result: '已修复，附现场照片', attachmentIds: [up.json().id] });
    expect(fed.json().timeline.at(-1).attachmentIds).toEqual([up.json().id]);
    expect((await community.get(`/api/cases/${other.id}/attachments/${up.json().id}`)).statusCode).toBe(404);
  });
});

describe('case numbers', () => {
  // last in this file: it moves the sequence on
  it('keep every digit past 999,999 and never repeat', async () => {
    await sql`SELECT setval('case_number_seq', 999998)`.execute(t.handle.db);
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await hotline.post('/api/cases', streetLight({ title: `编号测试 ${i}` }));
      expect(res.statusCode).toBe(201);
      numbers.push(res.json().number);
    }
    expect(numbers.map((n) => n.split('-')[1])).toEqual(['999999', '1000000', '1000001']);
  });
});
