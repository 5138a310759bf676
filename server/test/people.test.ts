import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckCharacter } from '../src/modules/privacy/validate.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let grid: Session, community: Session, street: Session, city: Session, otherGrid: Session;
beforeAll(async () => {
  t = await testApp();
  [grid, community, street, city, otherGrid] = (await Promise.all(['demo-grid', 'demo-community', 'demo-street', 'demo-city', 'demo-grid5'].map((u) => signIn(t.app, u)))) as [Session, Session, Session, Session, Session];
});
afterAll(() => t.close());

const ID = `99010219480512002${idCheckCharacter('99010219480512002')}`;
const WRONG = `99010219480512002${idCheckCharacter('99010219480512002') === '1' ? '2' : '1'}`;
const person = { careGroup: 'elderly_alone', riskLevel: 'high', name: '欧阳秀兰', idNumber: ID, phone: '13912345678', address: '青河区东关街道幸福路8号2栋301', communityCode: '990102001001', carePlan: { government: '高龄津贴', social: '志愿者每周上门', family: '女儿每周探望' }, responsible: [{ side: 'family', name: '欧阳丽', phone: '13800001111' }] };

describe('people served', () => {
  let id = 0;
  it('registers a person sealed, and shows them masked with a visit schedule', async () => {
    const res = await community.post('/api/people', person);
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    id = p.id;
    expect(p).toMatchObject({ name: '欧***', idNumber: `990102********002${ID.slice(-1)}`, phone: '139****5678', address: '青河区东关街道***', visitIntervalDays: 7, securityLabel: 'internal' });
    expect(p.responsible[0]).toMatchObject({ name: '欧**', phone: '138****1111' });
    const raw = await t.handle.db.selectFrom('person_served').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (const c of [raw.name, raw.id_number, raw.phone, raw.address, raw.family_measures]) expect(c).toMatch(/^v1:/);
    expect((await community.post('/api/people', person)).statusCode).toBe(409);
  });

  it('refuses bad input naming the field', async () => {
    const bad = await community.post('/api/people', { ...person, idNumber: WRONG });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('idNumber');
    const other = await community.post('/api/people', { ...person, communityCode: '990104001001' });
    expect(other.json().error.field).toBe('communityCode');
  });

  it('lists people in scope, masked, and hides them from other communities and from city level', async () => {
    const list = (await community.get('/api/people?limit=200')).json();
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((p: { communityCode: string; name: string }) => p.communityCode === '990102001001' && p.name.includes('*'))).toBe(true);
    expect((await otherGrid.get(`/api/people/${id}`)).statusCode).toBe(404);
    expect((await street.get(`/api/people/${id}`)).statusCode).toBe(200);
    const cityRes = await city.get('/api/people');
    expect(cityRes.statusCode).toBe(403);
    expect(cityRes.json().error.code).toBe('level_not_permitted');
  });

  it('keeps 敏感 groups from readers without the clearance', async () => {
    const all = await t.handle.db.selectFrom('person_served').select(['id', 'security_label']).where('community_code', '=', '990102001001').execute();
    const secret = all.find((p) => p.security_label === 'confidential')!;
    expect((await community.get(`/api/people/${secret.id}`)).statusCode).toBe(404);
  });

  it('reveals only with the permission and a purpose, and audits it', async () => {
    const refused = await community.post(`/api/people/${id}/reveal`, { fields: ['name'], purpose: '上门走访核实' });
    expect(refused.statusCode).toBe(403);
    const res = await grid.post(`/api/people/${id}/reveal`, { fields: ['name', 'phone', 'idNumber'], purpose: '上门走访核实' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '欧阳秀兰', phone: '13912345678', idNumber: ID });
    const audit = await t.handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'personal.reveal').where('entity', '=', 'person_served').execute();
    expect(audit.at(-1)).toMatchObject({ entity_id: String(id), purpose: '上门走访核实', result: 'ok' });
    expect(JSON.stringify(audit)).not.toContain('欧阳秀兰');
    expect((await grid.post(`/api/people/${id}/reveal`, { fields: ['name'], purpose: ' ' })).statusCode).toBe(400);
  });

  it('warns the worker and the community of a missed visit, once, and a visit clears it', async () => {
    const w = (await grid.get('/api/people/warnings?mine=true')).json();
    expect(w.total).toBeGreaterThan(0);
    const overdue = w.items[0];
    expect((await community.get('/api/people/warnings')).json().items.map((x: { personId: number }) => x.personId)).toContain(overdue.personId);
    await grid.get('/api/people/warnings');
    const inbox = await t.handle.db.selectFrom('notification as n').innerJoin('app_user as u', 'u.id', 'n.user_id').select(['u.username']).where('n.kind', '=', 'people.visit_missed').execute();
    const names = inbox.map((r) => r.username);
    expect(names).toContain('demo-grid');
    expect(names).toContain('demo-community');
    expect(names.filter((n) => n === 'demo-grid').length).toBe(new Set(w.items.map((x: { personId: number }) => x.personId)).size);
    const v = await grid.post('/api/gridwork/visits', { clientKey: 'visit-missed-0001', personId: overdue.personId, findings: '老人身体尚可，已补走访' });
    expect(v.statusCode).toBe(201);
    const after = (await grid.get('/api/people/warnings?mine=true')).json();
    expect(after.items.map((x: { personId: number }) => x.personId)).not.toContain(overdue.personId);
    const p = (await grid.get(`/api/people/${overdue.personId}`)).json();
    expect(p.visitState).toBe('ok');
    expect(p.visits[0]).toMatchObject({ onTime: false });
  });

  it('changes risk and moves the schedule; records psychological referrals and crisis interventions', async () => {
    const res = await community.patch(`/api/people/${id}`, { riskLevel: 'low', reason: '情况稳定' });
    expect(res.json()).toMatchObject({ riskLevel: 'low', visitIntervalDays: 30 });
    expect((await community.post('/api/psych/referrals', { personId: id, station: '东关街道心理服务站', reason: '情绪低落' })).statusCode).toBe(201);
    expect((await community.post('/api/psych/crisis', { personId: id, severity: 'high', occurredAt: new Date().toISOString(), measures: '陪伴疏导，联系家属' })).statusCode).toBe(201);
    expect((await community.post('/api/psych/crisis', { severity: 'high', occurredAt: new Date().toISOString(), measures: '陪伴' })).json().error.field).toBe('personId');
    const recs = (await community.get(`/api/psych/records?personId=${id}`)).json();
    expect(recs.items.map((r: { kind: string }) => r.kind)).toEqual(['referral', 'crisis']);
    expect((await otherGrid.get(`/api/psych/records?personId=${id}`)).statusCode).toBe(404);
  });
});
