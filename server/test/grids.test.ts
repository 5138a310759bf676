import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let city: Session;
let community: Session;
let admin: Session;
beforeAll(async () => {
  t = await testApp();
  [city, community, admin] = await Promise.all([signIn(t.app, 'demo-city'), signIn(t.app, 'demo-community'), signIn(t.app, 'demo-admin')]);
});
afterAll(() => t.close());

const square = (x: number, y: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

describe('grids', () => {
  it('lists the whole city for the city dispatcher: 300 base and 20 dedicated grids', async () => {
    const res = await city.get('/api/grids?limit=1000');
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(320);
    expect(items.filter((g: { kind: string }) => g.kind === 'base')).toHaveLength(300);
    expect(items[0]).toMatchObject({ kind: expect.any(String), communityCode: expect.stringMatching(/^\d{12}$/), geometry: { type: 'Polygon' } });
  });

  it('pages with limit and offset', async () => {
    const a = (await city.get('/api/grids?limit=10&offset=0')).json();
    const b = (await city.get('/api/grids?limit=10&offset=10')).json();
    expect(a.items).toHaveLength(10);
    expect(a.total).toBe(320);
    expect(a.items[9].code < b.items[0].code).toBe(true);
  });

  it('scopes the community dispatcher to its own community', async () => {
    const res = (await community.get('/api/grids?limit=1000')).json();
    expect(res.total).toBeGreaterThanOrEqual(5);
    expect(res.items.every((g: { communityCode: string }) => g.communityCode === '990102001001')).toBe(true);
    const other = (await city.get('/api/grids?jurisdictionCode=990103&limit=1')).json().items[0];
    expect((await community.get(`/api/grids/${other.id}`)).statusCode).toBe(404);
    const outside = await community.get('/api/grids?jurisdictionCode=990103');
    expect(outside.statusCode).toBe(404);
  });

  it('answers 401 to an unauthenticated request', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/grids' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/grids/locate?lng=111.555&lat=40.762' })).statusCode).toBe(401);
  });

  it('locates a point inside a base grid with its community, street and district', async () => {
    const res = await city.get('/api/grids/locate?lng=111.5525&lat=40.7615');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      grid: { code: '990102001001001', kind: 'base' },
      community: { code: '990102001001' },
      street: { code: '990102001000' },
      district: { code: '990102' },
    });
  });

  it('gives one deterministic answer on an edge shared by two grids', async () => {
    // the city's south edge is straight; the vertical edge between the first two cells runs from (x0,40.76)
    const first = (await city.get('/api/grids?q=990102001001001')).json().items[0];
    const [, p1, p2] = first.geometry.coordinates[0];
    const mid = [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2];
    const answers = new Set<string>();
    for (let i = 0; i < 5; i++) answers.add((await city.get(`/api/grids/locate?lng=${mid[0]}&lat=${mid[1]}`)).json().grid.code);
    expect([...answers]).toEqual(['990102001001001']);
  });

  it('prefers a dedicated grid over the base grid around it', async () => {
    const dedicated = (await city.get('/api/grids?kind=dedicated&limit=1')).json().items[0];
    const ring = dedicated.geometry.coordinates[0];
    const cx = (ring[0][0] + ring[2][0]) / 2;
    const cy = (ring[0][1] + ring[2][1]) / 2;
    const res = (await city.get(`/api/grids/locate?lng=${cx}&lat=${cy}`)).json();
    expect(res.grid).toMatchObject({ code: dedicated.code, kind: 'dedicated' });
  });

  it('answers 404 with a message for a point outside the city, 400 for bad coordinates', async () => {
    const out = await city.get('/api/grids/locate?lng=116.4&lat=39.9');
    expect(out.statusCode).toBe(404);
    expect(out.json().error.message).toContain('不在任何网格内');
    const bad = await city.get('/api/grids/locate?lng=abc&lat=40');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('lng');
    const range = await city.get('/api/grids/locate?lng=111&lat=95');
    expect(range.statusCode).toBe(400);
    expect(range.json().error.field).toBe('lat');
  });

  it('keeps every change as a filed version and relocates with the new geometry', async () => {
    const created = await admin.post('/api/grids', {
      code: 'TEST-SCHOOL-1',
      name: '测试学校',
      kind: 'dedicated',
      category: 'school',
      communityCode: '990102001002',
      geometry: square(111.5531, 40.7691),
      reason: '新建学校',
      filingNumber: 'QH-2026-17',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await city.get('/api/grids/locate?lng=111.5535&lat=40.7695')).json().grid.code).toBe('TEST-SCHOOL-1');

    const changed = await admin.patch(`/api/grids/${id}`, { geometry: square(111.556, 40.7691), reason: '校区迁址', expectedVersion: 1 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().version).toBe(2);
    expect((await city.get('/api/grids/locate?lng=111.5535&lat=40.7695')).json().grid.kind).toBe('base');
    expect((await city.get('/api/grids/locate?lng=111.5565&lat=40.7695')).json().grid.code).toBe('TEST-SCHOOL-1');

    const detail = (await city.get(`/api/grids/${id}`)).json();
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(detail.versions[1]).toMatchObject({ reason: '新建学校', filingNumber: 'QH-2026-17', filedBy: { displayName: '系统管理员（演示）' } });
    expect(detail.versions[1].geometry.coordinates[0][0]).toEqual([111.5531, 40.7691]);

    const stale = await admin.patch(`/api/grids/${id}`, { name: '旧版本修改', reason: '并发修改', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    const retired = await admin.patch(`/api/grids/${id}`, { status: 'retired', reason: '学校撤并' });
    expect(retired.json().status).toBe('retired');
    expect((await city.get('/api/grids/locate?lng=111.5565&lat=40.7695')).json().grid.kind).toBe('base');
    const audit = await t.handle.db.selectFrom('audit_event').select('action').where('entity', '=', 'grid').where('entity_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['grid.create', 'grid.change', 'grid.change']);
  });

  it('refuses bad geometry with a 400 naming the problem and writes nothing', async () => {
    const base = { code: 'BAD-1', name: '坏网格', kind: 'base', communityCode: '990102001001', reason: '测试' };
    const cases: Array<[unknown, string]> = [
      [{ type: 'Polygon', coordinates: [[[111.55, 40.76], [111.56, 40.76], [111.56, 40.77], [111.55, 40.77]]] }, 'geometry.coordinates[0]'],
      [{ type: 'Polygon', coordinates: [[[111.55, 40.76], [111.57, 40.77], [111.57, 40.76], [111.55, 40.775], [111.55, 40.76]]] }, 'geometry.coordinates'],
      [{ type: 'Polygon', coordinates: [[[181, 40.76], [111.56, 40.76], [111.56, 40.77], [181, 40.76]]] }, 'geometry.coordinates[0][0]'],
      [{ type: 'Point', coordinates: [111.55, 40.76] }, 'geometry.type'],
      [{ type: 'Polygon', coordinates: [[[111.55, 40.76], [111.56, 40.76], 'x', [111.55, 40.76]]] }, 'geometry.coordinates.0.2'],
    ];
    for (const [geometry, field] of cases) {
      const res = await admin.post('/api/grids', { ...base, geometry });
      expect(res.statusCode, JSON.stringify(geometry)).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    const selfCross = await admin.post('/api/grids', { ...base, geometry: cases[1]![0] });
    expect(selfCross.json().error.message).toContain('自相交');
    const count = await t.handle.db.selectFrom('grid').select('id').where('code', '=', 'BAD-1').execute();
    expect(count).toHaveLength(0);
  });

  it('refuses an unknown community, a duplicate code and wrong types', async () => {
    const unknown = await admin.post('/api/grids', { code: 'X-100', name: 'x', kind: 'base', communityCode: '990199999999', geometry: square(111.6, 40.77), reason: '测试' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'unknown_code', field: 'communityCode' });
    const dup = await admin.post('/api/grids', { code: '990102001001001', name: 'x', kind: 'base', communityCode: '990102001001', geometry: square(111.6, 40.77), reason: '测试' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('code');
    const wrong = await admin.post('/api/grids', { code: 'X-101', name: 'x', kind: 'round', communityCode: '990102001001', geometry: square(111.6, 40.77), reason: '测试' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('kind');
    const noReason = await admin.patch('/api/grids/1', { name: 'x' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const badId = await admin.get('/api/grids/abc');
    expect(badId.statusCode).toBe(400);
  });

  it('lets only grid:write roles change grids', async () => {
    const res = await community.patch('/api/grids/1', { name: '改名', reason: '测试' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('role_not_permitted');
  });
});
