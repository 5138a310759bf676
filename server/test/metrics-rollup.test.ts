import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf, shiftDay, startOfLocalDay } from '../src/modules/calendar/index.js';
import { PERIODS } from '../src/modules/metrics/periods.js';
import { countCases, GROUP_BYS, type MetricsQuery } from '../src/modules/metrics/repository.js';
import { refreshCaseMetrics, rollupCounts } from '../src/modules/metrics/rollup.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let hotline: Session, district: Session, dept: Session, city: Session;
const INSIDE = { lng: 111.5525, lat: 40.7615 }; // 安居社区, 青河区
const OTHER_DISTRICT = { lng: 111.8425, lat: 40.7615 }; // 临川区
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CITY = '990100';
const QINGHE = '990100/990102';

const light = (extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  title: '路灯不亮',
  description: '小区门口的路灯连续三天晚上不亮。',
  matterTypeCode: 'CG-005',
  location: INSIDE,
  ...extra,
});

async function intake(extra: Record<string, unknown> = {}): Promise<number> {
  const res = await hotline.post('/api/cases', light(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function act(s: Session, id: number, action: string, body: Record<string, unknown> = {}) {
  const res = await s.post(`/api/cases/${id}/actions/${action}`, body);
  expect(res.statusCode, `${action} on ${id}: ${res.body}`).toBe(200);
}

const setCase = (id: number, patch: Record<string, Date | null>) => t.handle.db.updateTable('case_file').set(patch).where('id', '=', id).execute();

/** Cases at every step of the loop, spread over two months of days, two districts and three channels. */
async function buildCases(now: number) {
  const ids: number[] = [];
  for (let i = 0; i < 24; i++) {
    const id = await intake({ channel: i % 8 === 0 ? 'petition' : ['hotline', 'portal', 'inspection'][i % 3], location: i % 5 === 4 ? OTHER_DISTRICT : INSIDE, ...(i % 7 === 6 ? { matterTypeCode: undefined } : {}) });
    ids.push(id);
    if (i % 7 === 6) continue;
    if (i % 5 === 4) {
      if (i % 2 === 0) await act(city, id, 'close', { closeReason: 'resolved' });
      continue;
    }
    if (i % 4 === 0) continue; // registered, never dispatched
    await act(district, id, 'dispatch');
    if (i % 6 === 1) continue; // dispatched, not signed
    await act(dept, id, 'sign');
    if (i % 6 === 2) continue;
    await act(dept, id, 'feed-back', { result: '已修复' });
    await act(district, id, 'verify', { pass: i % 3 !== 0 });
    if (i % 3 === 0) continue; // sent back for rework
    if (i % 2 === 1) await act(hotline, id, 'rate', { rating: ['satisfied', 'basically_satisfied', 'unsatisfied'][i % 3] });
  }
  // spread over days and weeks; deadlines and response limits around now, some crossed over the next days
  for (const [n, id] of ids.entries()) {
    const created = now - ((n * 37) % 50) * DAY - (n % 5) * HOUR;
    await setCase(id, { created_at: new Date(created) });
    if (n % 4 === 1) await setCase(id, { deadline: new Date(now + (n % 3) * DAY + 5 * HOUR) });
    if (n % 6 === 5) await setCase(id, { deadline: new Date(now - 2 * HOUR) });
  }
  const dupe = await intake();
  await act(district, dupe, 'close', { closeReason: 'duplicate', duplicateOfCaseId: ids[1] });
}

const windows = (now: number) => {
  const today = localDateOf(new Date(now));
  return [
    { from: shiftDay(today, -29), to: today },
    { from: shiftDay(today, -70), to: shiftDay(today, 5) },
    { from: shiftDay(today, -3), to: shiftDay(today, -1) },
  ];
};

/** Every grouping, period, scope and window: the rollups' answer must be the live one. */
async function expectSameAsLive(now: Date, label: string) {
  let compared = 0;
  for (const w of windows(now.getTime())) {
    for (const groupBy of GROUP_BYS) {
      for (const period of groupBy === 'period' ? PERIODS : (['day'] as const)) {
        for (const underPath of [CITY, QINGHE, `${QINGHE}/990102001000`, `${QINGHE}/990102001000/990102001001`]) {
          const q: MetricsQuery = { groupBy, period, underPath, start: startOfLocalDay(w.from), end: startOfLocalDay(shiftDay(w.to, 1)), now };
          const fromRollup = await rollupCounts(t.handle.db, q);
          expect(fromRollup, `${label}: ${groupBy}/${period} under ${underPath} ${w.from}..${w.to}`).toEqual(await countCases(t.handle.db, q));
          compared++;
        }
      }
    }
  }
  return compared;
}

beforeAll(async () => {
  t = await testApp();
  const s = await Promise.all(['demo-hotline', 'demo-district', 'demo-dept', 'demo-city'].map((u) => signIn(t.app, u)));
  [hotline, district, dept, city] = s as [Session, Session, Session, Session];
  await buildCases(Date.now());
}, 180_000);
afterAll(() => t.close());

describe('case metrics from the rollups', () => {
  it('are the live answer, built, then after every kind of change, and after each refresh', async () => {
    const t0 = new Date();
    expect(await rollupCounts(t.handle.db, { groupBy: 'district', period: 'day', underPath: CITY, start: new Date(t0.getTime() - DAY), end: t0, now: t0 })).toBeNull();
    expect((await refreshCaseMetrics(t.handle.db, { now: t0 })).mode).toBe('full');
    // judged now, as response limits and deadlines pass over the next days, and back before the build
    for (const at of [t0.getTime(), t0.getTime() + 2 * HOUR, t0.getTime() + 26 * HOUR, t0.getTime() + 3 * DAY, t0.getTime() - HOUR]) {
      expect(await expectSameAsLive(new Date(at), `built, at ${new Date(at).toISOString()}`)).toBe(108);
    }

    // changes after the build: a new case, a dispatch, a sign, a close, a rating, a reopen, a merge
    const fresh = await intake();
    const open = await t.handle.db.selectFrom('case_file').select(['id', 'status']).where('status_type', '=', 'open').orderBy('id').execute();
    const registered = open.filter((c) => c.status === 'registered').map((c) => c.id);
    const dispatched = open.filter((c) => c.status === 'dispatched').map((c) => c.id);
    await act(district, registered[0]!, 'dispatch');
    await act(dept, dispatched[0]!, 'sign');
    await act(district, fresh, 'close', { closeReason: 'unresolvable', note: '已解释' });
    const closed = await t.handle.db.selectFrom('case_file').select('id').where('status', '=', 'closed').where('rating', 'is', null).where('close_reason', '=', 'resolved').orderBy('id').execute();
    await act(hotline, closed[0]!.id, 'rate', { rating: 'unsatisfied' });
    await act(district, closed[1]!.id, 'reopen', { reason: '诉求人反映仍未解决' });
    await act(district, registered[1]!, 'merge', { intoCaseId: dispatched[1]! });
    for (const at of [Date.now(), Date.now() + 30 * HOUR]) expect(await expectSameAsLive(new Date(at), 'changed')).toBe(108);

    const t1 = new Date();
    const r1 = await refreshCaseMetrics(t.handle.db, { now: t1 });
    expect(r1).toMatchObject({ mode: 'incremental' });
    expect(r1.cases).toBeGreaterThan(4);
    for (const at of [t1.getTime(), t1.getTime() + 2 * DAY]) expect(await expectSameAsLive(new Date(at), 'refreshed')).toBe(108);

    // a later refresh moves as_of past crossed deadlines; then a change, and back again
    const t2 = new Date(t1.getTime() + 28 * HOUR);
    expect((await refreshCaseMetrics(t.handle.db, { now: t2 })).mode).toBe('incremental');
    const unsigned = await t.handle.db.selectFrom('case_file').select('id').where('status', '=', 'dispatched').where('channel', '!=', 'petition').orderBy('id').executeTakeFirstOrThrow();
    await act(dept, unsigned.id, 'sign');
    for (const at of [t2.getTime(), t2.getTime() + DAY, t1.getTime()]) expect(await expectSameAsLive(new Date(at), 'moved on')).toBe(108);
    expect((await refreshCaseMetrics(t.handle.db, { now: t2, full: true })).mode).toBe('full');
    expect(await expectSameAsLive(t2, 'rebuilt')).toBe(108);
  }, 120_000);

  it('answers the route as the live query does', async () => {
    await refreshCaseMetrics(t.handle.db);
    for (const query of ['groupBy=district', 'groupBy=matter', 'groupBy=period&period=week', 'groupBy=department&jurisdictionCode=990102']) {
      const viaRoute = (await city.get(`/api/metrics/cases?${query}`)).json();
      await sql`DELETE FROM case_metrics_state`.execute(t.handle.db);
      const live = (await city.get(`/api/metrics/cases?${query}`)).json();
      expect(viaRoute, query).toEqual(live);
      await refreshCaseMetrics(t.handle.db);
    }
  });
});
