import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let hotline: Session, district: Session, dept: Session, community: Session, city: Session, grid: Session;
const INSIDE = { lng: 111.5525, lat: 40.7615 }; // 安居社区第1网格, 青河区
const OTHER_DISTRICT = { lng: 111.8425, lat: 40.7615 }; // 临川区
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Case {
  id: number;
  departmentId: number | null;
  districtCode: string;
}
const c = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L', Case>;
let otherDistrict: string;
let departmentName: string;
let matterName: string;
const now = Date.now();

const streetLight = (extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  title: '路灯不亮',
  description: '小区门口的路灯连续三天晚上不亮，行人看不清路。',
  matterTypeCode: 'CG-005',
  location: INSIDE,
  ...extra,
});

async function intake(extra: Record<string, unknown> = {}): Promise<Case> {
  const res = await hotline.post('/api/cases', streetLight(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function act(s: Session, id: number, action: string, body: Record<string, unknown> = {}): Promise<Case> {
  const res = await s.post(`/api/cases/${id}/actions/${action}`, body);
  if (res.statusCode !== 200) throw new Error(`${action} on case ${id}: ${res.statusCode} ${res.body}`);
  return res.json();
}

const setCase = (id: number, patch: Record<string, Date>) => t.handle.db.updateTable('case_file').set(patch).where('id', '=', id).execute();
const ago = (ms: number) => new Date(now - ms);

/** The stories behind the numbers: every case of 安居社区 unless said otherwise. */
async function buildCases() {
  // A: the whole loop, rated satisfied
  c.A = await intake();
  await act(district, c.A.id, 'dispatch');
  await act(dept, c.A.id, 'sign');
  await act(dept, c.A.id, 'feed-back', { result: '已更换灯泡' });
  await act(district, c.A.id, 'verify', { pass: true });
  await act(hotline, c.A.id, 'rate', { rating: 'satisfied' });
  // B: verification fails once (rework), then resolved; basically satisfied
  c.B = await intake();
  await act(district, c.B.id, 'dispatch');
  await act(dept, c.B.id, 'sign');
  await act(dept, c.B.id, 'feed-back', { result: '已修复' });
  await act(district, c.B.id, 'verify', { pass: false, note: '现场仍不亮' });
  await act(dept, c.B.id, 'feed-back', { result: '已更换线路' });
  await act(district, c.B.id, 'verify', { pass: true });
  await act(hotline, c.B.id, 'rate', { rating: 'basically_satisfied' });
  // C: extended, then closed as explained but unresolvable; unsatisfied
  c.C = await intake();
  await act(district, c.C.id, 'dispatch');
  await act(dept, c.C.id, 'sign');
  await act(dept, c.C.id, 'request-extension', { days: 3, reason: '需采购配件' });
  await act(district, c.C.id, 'approve-extension');
  await act(dept, c.C.id, 'feed-back', { result: '线路改造须列入明年计划' });
  await act(district, c.C.id, 'verify', { pass: true, closeReason: 'unresolvable', note: '已向诉求人解释' });
  await act(hotline, c.C.id, 'rate', { rating: 'unsatisfied' });
  // D: dispatched three days ago, never signed for, now past its deadline
  c.D = await intake();
  await act(district, c.D.id, 'dispatch');
  await setCase(c.D.id, { created_at: ago(3 * DAY), registered_at: ago(3 * DAY), dispatched_at: ago(3 * DAY), deadline: ago(HOUR) });
  // E: signed for 30 hours after dispatch (a late response), still being handled
  c.E = await intake();
  await act(district, c.E.id, 'dispatch');
  await act(dept, c.E.id, 'sign');
  await setCase(c.E.id, { created_at: ago(2 * DAY), registered_at: ago(2 * DAY), dispatched_at: ago(2 * DAY), signed_at: ago(2 * DAY - 30 * HOUR) });
  // F: a petition registered eight days ago, not dispatched yet
  c.F = await intake({ channel: 'petition' });
  await setCase(c.F.id, { created_at: ago(8 * DAY), registered_at: ago(8 * DAY) });
  // G: a duplicate of A, counted nowhere
  c.G = await intake();
  await act(district, c.G.id, 'close', { closeReason: 'duplicate', duplicateOfCaseId: c.A.id });
  // H: taken in five days ago and signed for at once, resolved today: a day after its deadline
  c.H = await intake();
  await act(district, c.H.id, 'dispatch');
  await act(dept, c.H.id, 'sign');
  await setCase(c.H.id, { created_at: ago(5 * DAY), registered_at: ago(5 * DAY), dispatched_at: ago(5 * DAY), signed_at: ago(5 * DAY - HOUR), deadline: ago(DAY) });
  await act(dept, c.H.id, 'feed-back', { result: '已修复' });
  await act(district, c.H.id, 'verify', { pass: true });
  // I: dispatched just now, not signed for yet: still within its response time
  c.I = await intake();
  await act(district, c.I.id, 'dispatch');
  // L: no matter type yet, so no department
  c.L = await intake({ title: '楼下有人乱堆杂物', description: '楼道里乱堆乱放了很多杂物', matterTypeCode: undefined });
  // J: 临川区, closed by the city centre at once, satisfied
  c.J = await intake({ location: OTHER_DISTRICT });
  await act(city, c.J.id, 'close', { closeReason: 'resolved', note: '电话指导后已恢复' });
  await act(hotline, c.J.id, 'rate', { rating: 'satisfied' });
  // K: forty days ago, outside the default window
  c.K = await intake();
  await setCase(c.K.id, { created_at: ago(40 * DAY), registered_at: ago(40 * DAY) });
}

beforeAll(async () => {
  t = await testApp();
  const s = await Promise.all(['demo-hotline', 'demo-district', 'demo-dept', 'demo-community', 'demo-city', 'demo-grid'].map((u) => signIn(t.app, u)));
  [hotline, district, dept, community, city, grid] = s as [Session, Session, Session, Session, Session, Session];
  await buildCases();
  otherDistrict = c.J.districtCode;
  departmentName = (await t.handle.db.selectFrom('department').select('name').where('id', '=', c.A.departmentId!).executeTakeFirstOrThrow()).name;
  matterName = (await t.handle.db.selectFrom('matter_type').select('name').where('code', '=', 'CG-005').executeTakeFirstOrThrow()).name;
}, 120_000);
afterAll(() => t.close());

const metrics = async (s: Session, query: string) => {
  const res = await s.get(`/api/metrics/cases?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** 安居社区 = 青河区 here: A B C D E F H I L (G is a duplicate, J elsewhere, K too old). */
const QINGHE = {
  registered: 9,
  dispatched: 7, // all but F and L
  dueForResponse: 6, // I is still within its 24 hours
  responded: 4, // A B C H; E signed late, D never
  closed: 4, // A B C H
  resolved: 3, // C is unresolvable
  rated: 3,
  satisfied: 1,
  basicallySatisfied: 1,
  unsatisfied: 1,
  closedWithDeadline: 4,
  onTime: 3, // H closed late
  openOverdue: 1, // D
  reworked: 1, // B
  extended: 1, // C
  responseRate: 0.6667,
  resolutionRate: 0.75,
  satisfactionRate: 0.6667,
  closureRate: 0.4444,
  onTimeRate: 0.6,
  reworkRate: 0.25,
  extensionRate: 0.1429,
};

const LINCHUAN = {
  registered: 1,
  dispatched: 0,
  dueForResponse: 0,
  responded: 0,
  closed: 1,
  resolved: 1,
  rated: 1,
  satisfied: 1,
  basicallySatisfied: 0,
  unsatisfied: 0,
  closedWithDeadline: 1,
  onTime: 1,
  openOverdue: 0,
  reworked: 0,
  extended: 0,
  responseRate: null,
  resolutionRate: 1,
  satisfactionRate: 1,
  closureRate: 1,
  onTimeRate: 1,
  reworkRate: 0,
  extensionRate: null,
};

const localDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
const mondayOf = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
};

describe('GET /api/metrics/cases', () => {
  it('gives every count and rate of a district exactly, by its definition', async () => {
    const r = await metrics(district, 'groupBy=district');
    expect(r).toMatchObject({ from: localDay(now - 29 * DAY), to: localDay(now), groupBy: 'district', jurisdictionCode: '990102' });
    expect(r.items).toEqual([{ key: '990102', label: '青河区', ...QINGHE }]);
    expect(r.total).toEqual(QINGHE);
  });

  it('counts an open overdue case against the on-time rate', async () => {
    const before = (await metrics(district, 'groupBy=district')).total;
    expect(before).toMatchObject({ onTime: 3, closedWithDeadline: 4, openOverdue: 1, onTimeRate: 0.6 });
    const deadline = (await t.handle.db.selectFrom('case_file').select('deadline').where('id', '=', c.D.id).executeTakeFirstOrThrow()).deadline!;
    await setCase(c.D.id, { deadline: new Date(now + 5 * DAY) });
    try {
      const notYet = (await metrics(district, 'groupBy=district')).total;
      expect(notYet).toMatchObject({ openOverdue: 0, onTimeRate: 0.75 });
    } finally {
      await setCase(c.D.id, { deadline });
    }
  });

  it('lets the city see every district, each with its own rates, and a total that sums them', async () => {
    const r = await metrics(city, 'groupBy=district');
    expect(r.jurisdictionCode).toBe('990100');
    expect(r.items).toEqual([
      { key: '990102', label: '青河区', ...QINGHE },
      { key: otherDistrict, label: '临川区', ...LINCHUAN },
    ]);
    expect(r.total).toEqual({
      registered: 10,
      dispatched: 7,
      dueForResponse: 6,
      responded: 4,
      closed: 5,
      resolved: 4,
      rated: 4,
      satisfied: 2,
      basicallySatisfied: 1,
      unsatisfied: 1,
      closedWithDeadline: 5,
      onTime: 4,
      openOverdue: 1,
      reworked: 1,
      extended: 1,
      responseRate: 0.6667,
      resolutionRate: 0.8,
      satisfactionRate: 0.75,
      closureRate: 0.5,
      onTimeRate: 0.6667,
      reworkRate: 0.2,
      extensionRate: 0.1429,
    });
    const one = await metrics(city, `groupBy=street&jurisdictionCode=${otherDistrict}`);
    expect(one.jurisdictionCode).toBe(otherDistrict);
    expect(one.total).toEqual(LINCHUAN);
  });

  it('keeps a community dispatcher to the community: another district or the district above is 404', async () => {
    const own = await metrics(community, 'groupBy=community');
    expect(own.jurisdictionCode).toBe('990102001001');
    expect(own.items).toEqual([{ key: '990102001001', label: '安居社区', ...QINGHE }]);
    for (const code of [otherDistrict, '990102', '990103']) {
      const res = await community.get(`/api/metrics/cases?groupBy=district&jurisdictionCode=${code}`);
      expect(res.statusCode, code).toBe(404);
    }
    expect((await district.get(`/api/metrics/cases?groupBy=district&jurisdictionCode=${otherDistrict}`)).statusCode).toBe(404);
    expect((await district.get('/api/metrics/cases?groupBy=district&jurisdictionCode=990102001001')).json().total).toEqual(QINGHE);
  });

  it('groups by department, matter and channel, naming the cases without one', async () => {
    const dep = await metrics(district, 'groupBy=department');
    expect(dep.items.map((i: { key: string | null; label: string; registered: number }) => [i.key, i.label, i.registered])).toEqual([
      [String(c.A.departmentId), departmentName, 8],
      [null, '未交办', 1],
    ]);
    expect(dep.items[0]).toMatchObject({ dispatched: 7, responseRate: 0.6667, closureRate: 0.5 });
    expect(dep.total).toEqual(QINGHE);
    const en = await district.request({ method: 'GET', url: '/api/metrics/cases?groupBy=department', headers: { 'accept-language': 'en' } });
    expect(en.json().items[1].label).toBe('Not dispatched');

    const matter = await metrics(district, 'groupBy=matter');
    expect(matter.items.map((i: { key: string | null; label: string; registered: number }) => [i.key, i.label, i.registered])).toEqual([
      ['CG-005', matterName, 8],
      [null, '未分类', 1],
    ]);
    const channel = await metrics(district, 'groupBy=channel');
    expect(channel.items.map((i: { key: string; label: string; registered: number }) => [i.key, i.label, i.registered])).toEqual([
      ['hotline', '12345热线', 8],
      ['petition', '信访', 1],
    ]);
  });

  it('groups by local ISO week (Monday) and by day, with every period of the window', async () => {
    const created = [...Array(5).fill(0), 2, 3, 5, 8].map((d) => localDay(now - d * DAY)); // A B C I L today; E, D, H, F earlier
    const week = await metrics(district, 'groupBy=period&period=week');
    expect(week).toMatchObject({ groupBy: 'period', period: 'week' });
    const mondays = week.items.map((i: { key: string }) => i.key);
    expect(mondays[0]).toBe(mondayOf(localDay(now - 29 * DAY)));
    expect(mondays[mondays.length - 1]).toBe(mondayOf(localDay(now)));
    mondays.forEach((m: string, i: number) => {
      expect(mondayOf(m)).toBe(m);
      if (i > 0) expect(new Date(m).getTime() - new Date(mondays[i - 1]).getTime()).toBe(7 * DAY);
    });
    const expected = new Map<string, number>();
    for (const day of created) expected.set(mondayOf(day), (expected.get(mondayOf(day)) ?? 0) + 1);
    for (const item of week.items) {
      expect(item.registered, item.key).toBe(expected.get(item.key) ?? 0);
      expect(item.label).toMatch(/^\d{4}-W\d{2}$/);
    }
    expect(week.total).toEqual(QINGHE);

    const day = await metrics(district, 'groupBy=period&period=day');
    expect(day.items).toHaveLength(30);
    const registered = Object.fromEntries(day.items.filter((i: { registered: number }) => i.registered > 0).map((i: { key: string; registered: number }) => [i.key, i.registered]));
    expect(registered).toEqual({ [localDay(now - 8 * DAY)]: 1, [localDay(now - 3 * DAY)]: 1, [localDay(now - 2 * DAY)]: 1, [localDay(now - 5 * DAY)]: 1, [localDay(now)]: 5 });
    expect(day.items.find((i: { key: string }) => i.key === localDay(now - 3 * DAY))).toMatchObject({ openOverdue: 1, onTimeRate: 0, responseRate: 0 });
  });

  it('takes an explicit window: an older case comes in, an empty window has no rates', async () => {
    const wide = await metrics(district, `groupBy=district&from=${localDay(now - 45 * DAY)}&to=${localDay(now)}`);
    expect(wide.total).toMatchObject({ registered: 10, closureRate: 0.4 });
    const month = await metrics(district, `groupBy=period&period=month&from=${localDay(now - 45 * DAY)}`);
    expect(month.items.every((i: { key: string }) => i.key.endsWith('-01'))).toBe(true);
    expect(month.total.registered).toBe(10);
    const empty = await metrics(district, 'groupBy=district&from=2020-01-01&to=2020-01-31');
    expect(empty.items).toEqual([]);
    expect(empty.total).toMatchObject({ registered: 0, responseRate: null, resolutionRate: null, satisfactionRate: null, closureRate: null, onTimeRate: null, reworkRate: null, extensionRate: null });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['groupBy=flying', 'groupBy'],
      ['', 'groupBy'],
      ['groupBy=period&period=year', 'period'],
      ['groupBy=district&from=2026-02-30', 'from'],
      ['groupBy=district&to=yesterday', 'to'],
      ['groupBy=district&from=2026-11-02&to=2026-11-01', 'from'],
      ['groupBy=district&from=2020-01-01&to=2026-01-01', 'from'],
      ['groupBy=district&jurisdictionCode=abc', 'jurisdictionCode'],
    ];
    for (const [query, field] of cases) {
      const res = await district.get(`/api/metrics/cases?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field, query).toBe(field);
    }
  });

  it('is for centre staff only: a grid worker and a hotline operator are 403, no session 401', async () => {
    expect((await grid.get('/api/metrics/cases?groupBy=district')).statusCode).toBe(403);
    expect((await hotline.get('/api/metrics/cases?groupBy=district')).statusCode).toBe(403);
    expect((await dept.get('/api/metrics/cases?groupBy=district')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/metrics/cases?groupBy=district' })).statusCode).toBe(401);
  });
});
