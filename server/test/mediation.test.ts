import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFollowUps } from '../src/modules/mediation/follow-up-scan.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let community: Session, street: Session, mediator: Session, hotline: Session, other: Session, leader: Session, supervisor: Session, city: Session;
const COMMUNITY = '990102001001'; // 安居社区, 东关街道
const OTHER_COMMUNITY = '990104001001'; // 临川区

beforeAll(async () => {
  t = await testApp();
  const s = await Promise.all(['demo-community', 'demo-street', 'demo-mediator', 'demo-hotline', 'demo-district', 'demo-leader', 'demo-supervisor', 'demo-city'].map((u) => signIn(t.app, u)));
  [community, street, mediator, hotline, other, leader, supervisor, city] = s as [Session, Session, Session, Session, Session, Session, Session, Session];
});
afterAll(() => t.close());

const PARTIES = [
  { kind: 'person', role: 'applicant', name: '郝振东', phone: '13700001111', idNumber: '11010519491231002X' },
  { kind: 'person', role: 'respondent', name: '钱海燕', phone: '13900002222' },
];

const newDispute = (s: Session, extra: Record<string, unknown> = {}) =>
  s.post('/api/disputes', {
    case: { channel: 'grid', title: '楼上漏水邻里纠纷', description: '楼上卫生间漏水，楼下天花板受损，双方协商未果', communityCode: COMMUNITY },
    disputeType: 'neighbour',
    facts: '2026年10月起楼上住户卫生间防水层损坏，渗水致楼下天花板霉变，双方就维修和赔偿协商未果。',
    amount: 3500,
    riskLevel: 'medium',
    parties: PARTIES,
    ...extra,
  });

const act = (s: Session, id: number, action: string, body: Record<string, unknown> = {}) => s.post(`/api/disputes/${id}/actions/${action}`, body);

async function orgId(code: string) {
  return (await t.handle.db.selectFrom('mediation_org').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}
async function demoMediatorId() {
  return (await t.handle.db.selectFrom('mediator').innerJoin('app_user', 'app_user.id', 'mediator.user_id').select('mediator.id').where('app_user.username', '=', 'demo-mediator').executeTakeFirstOrThrow()).id;
}

describe('a neighbour dispute from intake to follow-up', () => {
  it('takes in the case and the dispute together, parties sealed and masked', async () => {
    const res = await newDispute(community);
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ status: 'registered', statusType: 'open', disputeType: 'neighbour', amount: 3500, jurisdictionCode: COMMUNITY, organiserCode: COMMUNITY });
    expect(d.parties[0]).toMatchObject({ name: '郝**', phone: '137****1111', idNumber: '110105********002X' });
    expect(d.timeline[0]).toMatchObject({ action: 'intake', toStatus: 'registered' });
    const stored = await t.handle.db.selectFrom('dispute_party').selectAll().where('dispute_id', '=', d.id).execute();
    for (const p of stored) for (const v of [p.name, p.phone]) expect(v).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain('郝振东');
    const c = (await community.get(`/api/cases/${d.caseId}`)).json();
    expect(c.title).toBe('楼上漏水邻里纠纷');
  });

  it('goes through diversion, assignment, a session, an agreement, confirmation and a follow-up', async () => {
    const d = (await newDispute(community)).json();
    const pmc = await orgId(`PMC-${COMMUNITY}`);
    let r = await act(community, d.id, 'divert', { path: 'people_mediation', reason: '邻里纠纷，适宜就地人民调解', orgId: pmc });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'diverted', path: 'people_mediation', receivingBody: '安居社区人民调解委员会' });
    const sug = (await community.get(`/api/disputes/${d.id}/mediator-suggestions`)).json();
    expect(sug.items.length).toBeGreaterThan(1);
    const mid = await demoMediatorId();
    expect(sug.items.map((s: { id: number }) => s.id)).toContain(mid);
    r = await act(community, d.id, 'assign', { mediatorId: mid });
    expect(r.json()).toMatchObject({ status: 'mediating', mediatorId: mid });
    const inbox = (await mediator.get('/api/notifications')).json();
    expect(JSON.stringify(inbox)).toContain('调解任务');
    r = await act(mediator, d.id, 'record-session', { heldAt: '2026-11-20T09:30:00+08:00', place: '安居社区调解室', participants: '双方当事人、调解员李明', minutes: '双方同意由楼上住户修复防水并赔偿' });
    expect(r.statusCode, r.body).toBe(200);
    r = await act(mediator, d.id, 'conclude', { outcome: 'agreement', terms: '一、钱海燕于十日内修复卫生间防水层；\n二、钱海燕赔偿郝振东天花板修复费用人民币叁仟元。', performanceMethod: '一次性现金支付', performanceDeadline: '2026-12-10' });
    expect(r.json()).toMatchObject({ status: 'agreed', statusType: 'resolved', outcome: 'agreement', canGenerateAgreement: true });

    const doc = await mediator.post(`/api/disputes/${d.id}/agreement`, {});
    expect(doc.statusCode, doc.body.slice(0, 200)).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(doc.rawPayload)).file('word/document.xml')!.async('string');
    for (const s of ['人民调解协议书', '郝振东', '钱海燕', '11010519491231002X', '修复卫生间防水层', '2026年12月10日', '安居社区人民调解委员会']) expect(xml).toContain(s);
    const entry = await t.handle.db.selectFrom('audit_event').selectAll().where('action', '=', 'personal.reveal').where('entity', '=', 'dispute').where('entity_id', '=', String(d.id)).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ purpose: '制作调解协议书', result: 'ok' });
    expect(JSON.stringify(entry.detail)).not.toContain('郝振东');

    r = await act(mediator, d.id, 'apply-confirmation', { court: '青河区人民法院', appliedOn: '2026-11-22' });
    r = await act(mediator, d.id, 'record-confirmation', { decision: 'confirmed', decidedOn: '2026-11-30' });
    expect(r.json().confirmation).toEqual({ court: '青河区人民法院', appliedOn: '2026-11-22', decision: 'confirmed', decidedOn: '2026-11-30' });
    r = await act(mediator, d.id, 'schedule-follow-up', { dueOn: '2026-12-15' });
    r = await act(mediator, d.id, 'record-follow-up', { result: '防水已修复，赔偿款已付清，双方满意' });
    expect(r.json().followUps[0]).toMatchObject({ dueOn: '2026-12-15', result: '防水已修复，赔偿款已付清，双方满意' });
    r = await act(community, d.id, 'close', {});
    expect(r.json().status).toBe('closed');
    expect(r.json().timeline.map((e: { action: string }) => e.action)).toEqual(['intake', 'divert', 'assign', 'record-session', 'conclude', 'agreement', 'apply-confirmation', 'record-confirmation', 'schedule-follow-up', 'record-follow-up', 'close']);
  });

  it('diverts a failed mediation to litigation and keeps the whole history', async () => {
    const d = (await newDispute(community)).json();
    await act(community, d.id, 'divert', { path: 'people_mediation', reason: '先行人民调解', orgId: await orgId(`PMC-${COMMUNITY}`) });
    await act(community, d.id, 'assign', { mediatorId: await demoMediatorId() });
    await act(mediator, d.id, 'record-session', { heldAt: '2026-11-20T09:30:00+08:00', place: '调解室', participants: '双方', minutes: '赔偿金额分歧较大' });
    let r = await act(mediator, d.id, 'conclude', { outcome: 'failed' });
    expect(r.json().status).toBe('failed');
    expect((await mediator.post(`/api/disputes/${d.id}/agreement`, {})).statusCode).toBe(409);
    r = await act(mediator, d.id, 'divert', { path: 'litigation', reason: '调解不成，引导当事人向人民法院起诉', receivingBody: '青河区人民法院' });
    expect(r.statusCode, r.body).toBe(200);
    const after = r.json();
    expect(after).toMatchObject({ status: 'referred', statusType: 'closed', path: 'litigation', outcome: 'failed' });
    expect(after.diversions.map((v: { path: string }) => v.path)).toEqual(['people_mediation', 'litigation']);
    expect(after.sessions).toHaveLength(1);
    expect(after.timeline.map((e: { action: string }) => e.action)).toEqual(['intake', 'divert', 'assign', 'record-session', 'conclude', 'divert']);
    expect((await act(community, d.id, 'assign', { mediatorId: await demoMediatorId() })).statusCode).toBe(409);
  });
});

describe('rules, scope and bad input', () => {
  it('creates from an existing case, once', async () => {
    const c = (await hotline.post('/api/cases', { channel: 'hotline', title: '物业费纠纷', description: '业主与物业就物业费发生争议', communityCode: COMMUNITY })).json();
    const body = { caseId: c.id, disputeType: 'property_management', facts: '业主以服务不到位为由拒交物业费', parties: [{ kind: 'organisation', role: 'respondent', name: '青河安居物业服务有限公司' }, { kind: 'person', role: 'applicant', name: '孙立' }] };
    const res = await street.post('/api/disputes', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().parties[0].name).toBe('青河安居物业服务有限公司');
    expect((await street.post('/api/disputes', body)).statusCode).toBe(409);
    expect((await other.post('/api/disputes', { ...body, caseId: 2147483647 })).json().error.field).toBe('caseId');
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const before = await t.handle.db.selectFrom('dispute').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await newDispute(community, { parties: [{ kind: 'person', role: 'applicant', name: '甲', idNumber: '110105194912310021' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('parties/0/idNumber');
    expect((await newDispute(community, { disputeType: 'war' })).json().error.field).toContain('disputeType');
    const after = await t.handle.db.selectFrom('dispute').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const d = (await newDispute(community)).json();
    expect((await act(community, d.id, 'divert', { reason: '缺少途径' })).json().error.field).toBe('path');
    expect((await act(community, d.id, 'divert', { path: 'people_mediation', reason: '缺少接收单位' })).json().error.field).toBe('receivingBody');
    expect((await act(community, d.id, 'divert', { path: 'people_mediation', reason: '外区组织', orgId: 2147483647 })).json().error.field).toBe('orgId');
  });

  it('shows a mediator only disputes assigned to them or in their jurisdiction; others 404', async () => {
    const d = (await newDispute(community)).json();
    expect((await mediator.get(`/api/disputes/${d.id}`)).statusCode).toBe(200); // 安居社区 is in 东关街道
    expect((await act(mediator, d.id, 'conclude', { outcome: 'agreement' })).statusCode).toBe(403);
    const far = (await city.post('/api/disputes', { case: { channel: 'grid', title: '临川区劳动争议', description: '拖欠工资', communityCode: OTHER_COMMUNITY }, disputeType: 'labour', facts: '某公司拖欠三名员工工资', parties: PARTIES })).json();
    expect(far.id, JSON.stringify(far)).toBeGreaterThan(0);
    expect((await mediator.get(`/api/disputes/${far.id}`)).statusCode).toBe(404);
    expect((await community.get(`/api/disputes/${far.id}`)).statusCode).toBe(404);
    expect((await mediator.post(`/api/disputes/${far.id}/agreement`, {})).statusCode).toBe(404);
    const list = (await mediator.get('/api/disputes?limit=200')).json();
    expect(list.items.some((x: { id: number }) => x.id === far.id)).toBe(false);
  });

  it('organises a dispute spanning two districts at their common upper centre, with a joint meeting', async () => {
    const res = await newDispute(other, { otherJurisdictionCode: OTHER_COMMUNITY, disputeType: 'construction' });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.organiserCode).toBe('990100');
    expect((await act(other, d.id, 'joint-meeting', { departmentIds: [1], leadDepartmentId: 1, minutes: '研究' })).statusCode).toBe(403);
    const depts = await t.handle.db.selectFrom('department').select(['id', 'jurisdiction_code']).where('jurisdiction_code', 'in', ['990102', '990104']).limit(40).execute();
    const a = depts.find((x) => x.jurisdiction_code === '990102')!.id;
    const b = depts.find((x) => x.jurisdiction_code === '990104')!.id;
    const r = await act(supervisor, d.id, 'joint-meeting', { departmentIds: [a, b], leadDepartmentId: a, minutes: '两区住建部门联合调处，青河区牵头' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ leadDepartmentId: a, meetings: [{ leadDepartmentId: a, organiserCode: '990100' }] });
  });

  it('reminds of a missed follow-up once', async () => {
    const d = (await newDispute(community)).json();
    await act(community, d.id, 'divert', { path: 'people_mediation', reason: '人民调解', orgId: await orgId(`PMC-${COMMUNITY}`) });
    await act(community, d.id, 'assign', { mediatorId: await demoMediatorId() });
    await act(mediator, d.id, 'conclude', { outcome: 'partial', terms: '部分赔偿', performanceMethod: '转账', performanceDeadline: '2026-12-01' });
    await act(mediator, d.id, 'schedule-follow-up', { dueOn: '2026-12-05' });
    const now = new Date('2026-12-07T02:00:00Z');
    expect(await scanFollowUps(t.handle.db, { now })).toBeGreaterThanOrEqual(1);
    expect(await scanFollowUps(t.handle.db, { now })).toBe(0);
    const detail = (await mediator.get(`/api/disputes/${d.id}`)).json();
    expect(detail.timeline.at(-1).action).toBe('follow-up-missed');
    expect(JSON.stringify((await mediator.get('/api/notifications')).json())).toContain('回访逾期');
  });

  it('counts statistics, and publishes the administrative-mediation list without a session', async () => {
    const s = await leader.get('/api/disputes/stats');
    expect(s.statusCode, s.body).toBe(200);
    const stats = s.json();
    expect(stats.total).toBeGreaterThan(3);
    expect(stats.byType.find((x: { key: string }) => x.key === 'neighbour').count).toBeGreaterThan(2);
    expect(stats.successRate).toBeGreaterThan(0);
    expect(stats.confirmationRate).toBe(1);
    expect((await mediator.get('/api/disputes/stats')).statusCode).toBe(403);
    for (const field of ['from', 'to']) {
      // 2-30 was read as 3-2
      const res = await leader.get(`/api/disputes/stats?${field}=2026-02-30`);
      expect([res.statusCode, res.json().error.field]).toEqual([400, field]);
    }
    const pub = await t.app.inject({ method: 'GET', url: '/api/public/lists/administrative-mediation' });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ version: 1, effectiveFrom: '2026-01-01' });
    expect(pub.json().items.length).toBeGreaterThanOrEqual(15);
    expect(pub.json().items[0]).toEqual({ matter: expect.any(String), level: 'district', body: expect.stringContaining('公安'), remedy: expect.any(String) });
    const v2 = await supervisor.post('/api/admin-mediation-lists', { effectiveFrom: '2099-01-01', items: [{ matter: '未来事项', level: 'city', body: '市某局', remedy: '提起诉讼' }] });
    expect(v2.json()).toEqual({ version: 2 });
    expect((await t.app.inject({ method: 'GET', url: '/api/public/lists/administrative-mediation' })).json().version).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/lists/administrative-mediation?on=2099-02-01' })).json().version).toBe(2);
  });
});
