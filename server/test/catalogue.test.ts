import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let admin: Session;
let community: Session;
beforeAll(async () => {
  t = await testApp();
  [admin, community] = await Promise.all([signIn(t.app, 'demo-admin'), signIn(t.app, 'demo-community')]);
});
afterAll(() => t.close());

describe('departments', () => {
  it('shows a community dispatcher the departments above it, not another district', async () => {
    const res = (await community.get('/api/departments?limit=1000')).json();
    const places = new Set(res.items.map((d: { jurisdictionCode: string }) => d.jurisdictionCode));
    expect([...places].sort()).toEqual(['990100', '990102']);
    const other = (await admin.get('/api/departments?jurisdictionCode=990103&limit=1')).json().items[0];
    expect((await community.get(`/api/departments/${other.id}`)).statusCode).toBe(404);
  });

  it('creates and changes departments as the system admin only', async () => {
    expect((await community.post('/api/departments', { code: 'X', name: 'x', kind: 'justice', jurisdictionCode: '990102' })).statusCode).toBe(403);
    const dup = await admin.post('/api/departments', { code: 'qh-justice-2', name: '青河区司法局二', kind: 'justice', jurisdictionCode: '990102' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('kind');
    const unknownKind = await admin.post('/api/departments', { code: 'qh-x', name: '青河区某局', kind: 'ministry_of_magic', jurisdictionCode: '990102' });
    expect(unknownKind.json().error).toMatchObject({ field: 'kind', code: 'unknown_code' });
    const street = await admin.post('/api/departments', { code: 'qh-x', name: '青河区某局', kind: 'justice', jurisdictionCode: '990102001000' });
    expect(street.statusCode).toBe(400);
    expect(street.json().error.field).toBe('jurisdictionCode');
    const dept = (await admin.get('/api/departments?jurisdictionCode=990102&kind=justice')).json().items[0];
    const changed = await admin.patch(`/api/departments/${dept.id}`, { phone: '0471-1234567' });
    expect(changed.json().phone).toBe('0471-1234567');
  });
});

describe('matter catalogue and responsibility matrix', () => {
  it('ships at least 60 matter types across the categories with time limits', async () => {
    const res = (await community.get('/api/matter-types?limit=1000')).json();
    expect(res.total).toBeGreaterThanOrEqual(60);
    const categories = new Set(res.items.map((m: { category: string }) => m.category));
    for (const c of ['city_management', 'market_supervision', 'public_security', 'fire_safety', 'dispute', 'livelihood', 'environment', 'housing_property']) {
      expect(categories.has(c)).toBe(true);
    }
    expect(res.items.every((m: { timeLimitDays: number }) => m.timeLimitDays >= 1)).toBe(true);
    const noise = (await community.get('/api/matter-types?q=噪')).json();
    expect(noise.total).toBeGreaterThan(0);
  });

  it('routes every matter at the city and district levels to a department kind that exists in the demo city', async () => {
    const matrix = (await community.get('/api/responsibility-matrix')).json().items as Array<{ level: string; departmentKind: string | null }>;
    const kinds = new Set((await admin.get('/api/departments?jurisdictionCode=990102&limit=1000')).json().items.map((d: { kind: string }) => d.kind));
    const upper = matrix.filter((m) => m.level === 'district');
    expect(upper.length).toBeGreaterThanOrEqual(60);
    for (const m of upper) expect(kinds.has(m.departmentKind)).toBe(true);
  });

  it('keeps the history of a matrix change', async () => {
    const code = (await admin.get('/api/matter-types?category=dispute&limit=1')).json().items[0].code;
    const res = await admin.put(`/api/responsibility-matrix/${code}/district`, { departmentKind: 'civil_affairs', reason: '按新权责清单调整' });
    expect(res.statusCode).toBe(200);
    const history = (await admin.get(`/api/responsibility-matrix/history?matterTypeCode=${code}`)).json();
    expect(history.items[0]).toMatchObject({ level: 'district', oldDepartmentKind: 'justice', newDepartmentKind: 'civil_affairs', reason: '按新权责清单调整', changedBy: '系统管理员（演示）' });
    const bad = await admin.put(`/api/responsibility-matrix/${code}/district`, { departmentKind: null, reason: '清空' });
    expect(bad.statusCode).toBe(400);
    const unknown = await admin.put('/api/responsibility-matrix/ZZ-999/district', { departmentKind: 'justice', reason: '测试' });
    expect(unknown.statusCode).toBe(404);
    expect((await community.put(`/api/responsibility-matrix/${code}/street`, { departmentKind: null, reason: '越权' })).statusCode).toBe(403);
  });

  it('creates and edits matter types, validating fields', async () => {
    const created = await admin.post('/api/matter-types', { code: 'CG-901', name: '共享单车乱停放', category: 'city_management', timeLimitDays: 3, priority: 'normal', handlingLevel: 'street', keywords: ['共享单车', '单车'] });
    expect(created.statusCode).toBe(201);
    const badLimit = await admin.post('/api/matter-types', { code: 'CG-902', name: '测试', category: 'city_management', timeLimitDays: 0, priority: 'normal', handlingLevel: 'street' });
    expect(badLimit.json().error.field).toBe('timeLimitDays');
    const badCode = await admin.post('/api/matter-types', { code: 'bad', name: '测试', category: 'city_management', timeLimitDays: 3, priority: 'normal', handlingLevel: 'street' });
    expect(badCode.json().error.field).toBe('code');
    const edited = await admin.patch('/api/matter-types/CG-901', { timeLimitDays: 2 });
    expect(edited.json().timeLimitDays).toBe(2);
  });
});
