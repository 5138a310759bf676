import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '../src/modules/calendar/index.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let grid: Session, community: Session, street: Session, hotline: Session;
const HERE = { lng: 111.5525, lat: 40.7615 }; // 安居社区第1网格
beforeAll(async () => {
  t = await testApp();
  [grid, community, street, hotline] = (await Promise.all(['demo-grid', 'demo-community', 'demo-street', 'demo-hotline'].map((u) => signIn(t.app, u)))) as [Session, Session, Session, Session];
});
afterAll(() => t.close());

describe('grid workers', () => {
  it("shows the community its workers with grids, history and training; assignments keep history", async () => {
    const list = (await community.get('/api/gridwork/workers')).json();
    const wang = list.items.find((w: { name: string }) => w.name === '网格员王芳');
    expect(wang.grids[0].code).toBe('990102001001001');
    const g2 = (await t.handle.db.selectFrom('grid').select('id').where('code', '=', '990102001001003').executeTakeFirstOrThrow()).id;
    const added = await community.post(`/api/gridwork/workers/${wang.userId}/assignments`, { gridId: g2, reason: '人员调整' });
    expect(added.statusCode).toBe(200);
    expect(added.json().grids).toHaveLength(2);
    const ended = await community.post(`/api/gridwork/workers/${wang.userId}/assignments`, { gridId: g2, reason: '调整结束', end: true });
    expect(ended.json().grids).toHaveLength(1);
    expect(ended.json().assignments).toHaveLength(2);
    expect((await community.post(`/api/gridwork/workers/${wang.userId}/assignments`, { gridId: 1, reason: '跨社区' })).json().error.field).toBe('gridId');
    expect((await community.post(`/api/gridwork/workers/${wang.userId}/trainings`, { title: '矛盾纠纷调解培训', hours: 4, completedOn: '2026-03-01' })).json().trainings).toHaveLength(2);
    expect((await hotline.get('/api/gridwork/workers')).statusCode).toBe(403);
  });
});

describe('patrols, visits, the daily log and reports', () => {
  it('starts a patrol once per key, records the track and ends it', async () => {
    const t0 = Date.now() - 600_000;
    const a = await grid.post('/api/gridwork/patrols', { clientKey: 'patrol-key-0001', point: [HERE.lng, HERE.lat, t0] });
    const b = await grid.post('/api/gridwork/patrols', { clientKey: 'patrol-key-0001', point: [HERE.lng, HERE.lat, t0] });
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json().id).toBe(a.json().id);
    const id = a.json().id;
    await grid.post(`/api/gridwork/patrols/${id}/track`, { points: [[HERE.lng + 0.001, HERE.lat, t0 + 60_000]] });
    const end = await grid.post(`/api/gridwork/patrols/${id}/track`, { points: [[HERE.lng + 0.001, HERE.lat, t0 + 60_000], [HERE.lng + 0.002, HERE.lat, t0 + 120_000]], end: {} });
    expect(end.json()).toMatchObject({ points: 3, distanceM: 168 });
    expect(end.json().endedAt).not.toBeNull();
    expect((await community.post(`/api/gridwork/patrols/${id}/track`, { points: [] })).statusCode).toBe(403);
    const list = (await community.get('/api/gridwork/patrols')).json();
    expect(list.items.some((p: { id: number }) => p.id === id)).toBe(true);
    // a day that does not exist is refused, not rolled over into March
    for (const url of ['/api/gridwork/patrols?day=2026-02-30', '/api/gridwork/visits?day=2026-02-30', '/api/gridwork/log?day=2026-02-30']) {
      const res = await community.get(url);
      expect([res.statusCode, res.json().error.field], url).toEqual([400, 'day']);
    }
  });

  it('records visits and log entries once per key', async () => {
    const v = { clientKey: 'visit-key-0001', whom: '李大爷', place: '3栋楼下', findings: '反映楼道灯坏了', location: HERE };
    const [a, b] = [await grid.post('/api/gridwork/visits', v), await grid.post('/api/gridwork/visits', v)];
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect((await t.handle.db.selectFrom('visit').select('whom').where('id', '=', a.json().id).executeTakeFirstOrThrow()).whom).toMatch(/^v1:/);
    const l = { clientKey: 'log-key-00001', content: '上午巡查安居社区，走访3户' };
    expect((await grid.post('/api/gridwork/log', l)).statusCode).toBe(201);
    expect((await grid.post('/api/gridwork/log', l)).statusCode).toBe(200);
    expect((await grid.post('/api/gridwork/visits', { clientKey: 'bad', findings: 'x' })).json().error.field).toBe('clientKey');
  });

  it('reports a case through the one window, once per Idempotency-Key, and shows it in the daily log', async () => {
    const body = { title: '井盖缺失', description: '人行道井盖缺失，有安全隐患', matterTypeCode: 'CG-005', location: HERE };
    const headers = { 'idempotency-key': 'grid-report-0001' };
    const a = await grid.request({ method: 'POST', url: '/api/gridwork/reports', headers, payload: body });
    const b = await grid.request({ method: 'POST', url: '/api/gridwork/reports', headers, payload: body });
    expect(a.statusCode, a.body).toBe(201);
    expect(b.json()).toMatchObject({ caseId: a.json().caseId, replayed: true });
    const c = (await community.get(`/api/cases/${a.json().caseId}`)).json();
    expect(c).toMatchObject({ channel: 'grid', communityCode: '990102001001' });
    const log = (await grid.get('/api/gridwork/log')).json();
    expect(log.reports.map((r: { caseId: number }) => r.caseId)).toEqual([a.json().caseId]);
    expect(log.entries).toHaveLength(1);
    expect(log.patrols).toBe(1);
    const today = (await grid.get('/api/gridwork/today')).json();
    expect(today.counts).toMatchObject({ patrols: 1, reports: 1, logEntries: 1 });
    const outside = await grid.post('/api/gridwork/reports', { ...body, location: { lng: 111.8425, lat: 40.7615 } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.field).toBe('location');
  });

  it("ranks the street's workers by the month's score", async () => {
    const month = localDateOf(new Date()).slice(0, 7);
    const res = await street.get(`/api/gridwork/performance?month=${month}`);
    expect(res.statusCode).toBe(200);
    const wang = res.json().items.find((w: { name: string }) => w.name === '网格员王芳');
    expect(wang.figures).toMatchObject({ patrols: 1, visitsDone: 1, reports: 1 });
    const ranks = res.json().items.map((w: { rank: number }) => w.rank);
    expect(ranks).toEqual([...ranks].sort((a: number, b: number) => a - b));
    expect((await grid.get(`/api/gridwork/performance?month=${month}`)).statusCode).toBe(403);
    expect((await street.get('/api/gridwork/performance?month=2026-13')).json().error.field).toBe('month');
  });
});
