import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionUser } from '../src/modules/auth/repository.js';
import type { SessionUser } from '../src/modules/auth/session-user.js';
import { caseWorkflow } from '../src/modules/cases/workflow.js';
import { nextActions, runAction } from '../src/modules/workflow/index.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

// The kernel's transaction guarantees, on the real database: cases are the record kind it runs here.
let t: TestApp;
let hotline: Session;
let district: SessionUser, district2: SessionUser, dept: SessionUser;
const INSIDE = { lng: 111.5525, lat: 40.7615 }; // 安居社区第1网格, 青河区

async function userOf(username: string) {
  const s = await signIn(t.app, username);
  return (await sessionUser(t.handle.db, s.cookie, 60))!;
}

beforeAll(async () => {
  t = await testApp();
  hotline = await signIn(t.app, 'demo-hotline');
  [district, district2, dept] = [await userOf('demo-district'), await userOf('demo-district'), await userOf('demo-dept')];
});
afterAll(() => t.close());

async function newCase(phone = '13812345678'): Promise<{ id: number; departmentId: number; version: number }> {
  const res = await hotline.post('/api/cases', { channel: 'hotline', title: '路灯不亮', description: '小区门口的路灯不亮', matterTypeCode: 'CG-005', location: INSIDE, reporter: { phone } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Everything an action on a case may write, counted. */
async function written(id: number) {
  const { rows } = await sql<{ events: number; audit: number; outbox: number; inbox: number; assignments: number; version: number; status: string; supporters: number }>`
    select (select count(*) from case_event where case_id = ${id})::int as events,
           (select count(*) from audit_event where entity = 'case' and entity_id = ${String(id)})::int as audit,
           (select count(*) from outbox_message where payload->>'caseId' = ${String(id)})::int as outbox,
           (select count(*) from notification where case_id = ${id})::int as inbox,
           (select count(*) from case_assignment where case_id = ${id})::int as assignments,
           c.version, c.status, c.supporter_count as supporters
      from case_file c where c.id = ${id}`.execute(t.handle.db);
  return rows[0]!;
}

/** A department on the case's chain that may co-handle it (not its lead). */
async function coDepartments(c: { id: number; departmentId: number }, n: number) {
  const row = await t.handle.db.selectFrom('case_file').select('jurisdiction_path').where('id', '=', c.id).executeTakeFirstOrThrow();
  const rows = await t.handle.db
    .selectFrom('department')
    .select('id')
    .where('jurisdiction_code', 'in', row.jurisdiction_path.split('/'))
    .where('active', '=', true)
    .where('id', '!=', c.departmentId)
    .orderBy('id')
    .limit(n)
    .execute();
  expect(rows.length).toBe(n);
  return rows.map((r) => r.id);
}

describe('one transaction per action', () => {
  it('answers 404 for a record the actor cannot see, and 409 for a stale version, writing nothing', async () => {
    const c = await newCase();
    const before = await written(c.id);
    await expect(runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'sign', actor: dept, body: {} })).rejects.toMatchObject({ status: 404 });
    await expect(runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'dispatch', actor: district, body: {}, expectedVersion: c.version + 1 })).rejects.toMatchObject({
      status: 409,
      field: 'expectedVersion',
      text: { zh: expect.stringContaining(`当前版本 ${c.version}`) },
    });
    expect(await written(c.id)).toEqual(before);
  });

  it('answers the record with the next allowed actions, and writes the timeline, audit and inbox once', async () => {
    const c = await newCase();
    const before = await written(c.id);
    const answer = await runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'dispatch', actor: district, body: { note: '  请尽快修复  ' }, expectedVersion: c.version });
    expect(answer.record).toMatchObject({ status: 'dispatched', version: c.version + 1 });
    expect(answer.allowedActions).toEqual(await nextActions(t.handle.db, caseWorkflow, answer.record!, district));
    expect(answer.allowedActions).toContain('designate-lead');
    const after = await written(c.id);
    expect(after).toMatchObject({ events: before.events + 1, audit: before.audit + 1, assignments: 1 });
    expect(after.inbox).toBeGreaterThan(before.inbox);
    const event = await t.handle.db.selectFrom('case_event').select(['action', 'note']).where('case_id', '=', c.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event).toEqual({ action: 'dispatch', note: '请尽快修复' });
  });

  it('lets exactly one of two simultaneous dispatches through; the other is a 409 and writes nothing', async () => {
    const c = await newCase();
    const before = await written(c.id);
    const results = await Promise.allSettled([district, district2].map((actor) => runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'dispatch', actor, body: {} })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 409 } });
    expect(await written(c.id)).toMatchObject({ events: before.events + 1, audit: before.audit + 1, version: c.version + 1, status: 'dispatched' });
  });

  it('lets exactly one of two simultaneous steps on the same version through, when neither changes the status', async () => {
    const c = await newCase();
    await runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'dispatch', actor: district, body: {} });
    const [a, b] = await coDepartments(c, 2);
    const before = await written(c.id);
    const results = await Promise.allSettled(
      [a!, b!].map((id, i) => runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'co-handle', actor: i ? district2 : district, body: { departmentIds: [id] }, expectedVersion: before.version })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 409, field: 'expectedVersion' } });
    expect(await written(c.id)).toMatchObject({ events: before.events + 1, audit: before.audit + 1, assignments: before.assignments + 1, version: before.version + 1 });
  });
});

describe('a failure rolls the whole action back', () => {
  it('an input refused inside apply after it wrote a row', async () => {
    const c = await newCase();
    await runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'dispatch', actor: district, body: {} });
    const [co] = await coDepartments(c, 1);
    const before = await written(c.id);
    // the first department is written, the second does not exist: 400 naming the field
    await expect(runAction(t.handle.db, caseWorkflow, { id: c.id, action: 'co-handle', actor: district, body: { departmentIds: [co!, 2_000_000_000] } })).rejects.toMatchObject({
      status: 400,
      field: 'departmentIds',
    });
    expect(await written(c.id)).toEqual(before);
  });

  it('an error thrown inside apply after it wrote another record and its timeline entry', async () => {
    const [parent, child] = [await newCase(), await newCase()];
    const before = [await written(parent.id), await written(child.id)];
    const failing = { ...caseWorkflow, apply: async (...args: Parameters<typeof caseWorkflow.apply>) => {
      await caseWorkflow.apply(...args);
      throw new Error('apply failed');
    } };
    await expect(runAction(t.handle.db, failing, { id: child.id, action: 'merge', actor: district, body: { intoCaseId: parent.id } })).rejects.toThrow('apply failed');
    expect([await written(parent.id), await written(child.id)]).toEqual(before);
  });

  it('an error after the timeline, the audit entry, the inbox notice and the outbox SMS were written', async () => {
    const c = await newCase('13900004444');
    const before = await written(c.id);
    let seen: Awaited<ReturnType<typeof written>> | undefined;
    const failing = { ...caseWorkflow, settle: async (...args: Parameters<NonNullable<typeof caseWorkflow.settle>>) => {
      await caseWorkflow.settle!(...args);
      const [db, , after] = args;
      seen = (await sql<{ events: number; audit: number; outbox: number }>`
        select (select count(*) from case_event where case_id = ${after.id})::int as events,
               (select count(*) from audit_event where entity = 'case' and entity_id = ${String(after.id)})::int as audit,
               (select count(*) from outbox_message where payload->>'caseId' = ${String(after.id)})::int as outbox`.execute(db)).rows[0] as typeof seen;
      throw new Error('settle failed');
    } };
    await expect(runAction(t.handle.db, failing, { id: c.id, action: 'close', actor: district, body: { closeReason: 'resolved' } })).rejects.toThrow('settle failed');
    // inside the transaction all three were there
    expect(seen).toMatchObject({ events: before.events + 1, audit: before.audit + 1, outbox: before.outbox + 1 });
    expect(await written(c.id)).toEqual(before);
  });
});

describe('one input check for every kind', () => {
  it('refuses a reason of only spaces on cases as on disputes, naming the field, and writes nothing', async () => {
    const c = await newCase();
    const districtSession = await signIn(t.app, 'demo-district');
    const before = await written(c.id);
    const onCase = await districtSession.post(`/api/cases/${c.id}/actions/escalate`, { reason: '  ' });
    expect(onCase.statusCode).toBe(400);
    expect(onCase.json().error).toMatchObject({ code: 'required', field: 'reason' });
    expect(await written(c.id)).toEqual(before);

    const community = await signIn(t.app, 'demo-community');
    const d = await community.post('/api/disputes', {
      case: { channel: 'grid', title: '楼上漏水邻里纠纷', description: '楼上卫生间漏水', communityCode: '990102001001' },
      disputeType: 'neighbour',
      facts: '楼上住户卫生间渗水致楼下天花板霉变，双方协商未果。',
      parties: [{ kind: 'person', role: 'applicant', name: '郝振东' }],
    });
    expect(d.statusCode, d.body).toBe(201);
    const onDispute = await community.post(`/api/disputes/${d.json().id}/actions/divert`, { path: 'litigation', reason: '  ', receivingBody: '青河区人民法院' });
    expect(onDispute.statusCode).toBe(400);
    expect(onDispute.json().error).toMatchObject({ code: 'required', field: 'reason' });
  });
});
