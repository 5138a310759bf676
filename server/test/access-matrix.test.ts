import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/city.js';
import { RULES } from '../src/modules/access/index.js';
import { NOTICE_KINDS } from '../src/modules/notifications/kinds.js';
import { notify } from '../src/modules/notifications/repository.js';
import { scanDeadlines } from '../src/modules/cases/deadline-scan.js';
import { scanFollowUps } from '../src/modules/mediation/follow-up-scan.js';
import { scanMissedVisits } from '../src/modules/people/visit-scan.js';
import { currentWorkersOfGrids } from '../src/modules/gridwork/index.js';
import { idCheckCharacter } from '../src/modules/privacy/validate.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

/**
 * The access matrix. Records that some users may not see (canaries) are made in three ways: outside their place
 * (another district), outside their relation (a case dispatched to another department) and above their clearance
 * (机密, which no demo account holds). Then every GET endpoint the app registers, as every account, must show none
 * of them (no title, number or id) and count the same as before they existed; and every notice about one reaches
 * only those who may see it. Endpoints and notice kinds added later join by themselves.
 */

let t: TestApp;
const sessions = new Map<string, Session>();
const COMMUNITY = '990102001001';
const OTHER_COMMUNITY = '990104001001';
const POINT = { lng: 111.5525, lat: 40.7615 }; // 安居社区 grid 1
const TOKEN = `QZX${Date.now().toString(36).toUpperCase()}`;
const CARE_ID = `99010219520306002${idCheckCharacter('99010219520306002')}`;

type Set_ = 'place' | 'relation' | 'care' | 'clearance';
interface Canary {
  set: Set_;
  kind: string;
  id: number;
  tokens: string[];
}
const canaries: Canary[] = [];
/** notices sent before the clearance canaries were labelled were right when sent; the inbox hides them since */
let noticeMark = 0;

/** Who may not see which set: written out by hand, so the test does not ask the access layer it checks. */
const HIDDEN: Record<string, readonly Set_[]> = {
  'demo-district': ['place', 'care', 'clearance'],
  'demo-street': ['place', 'clearance'],
  'demo-community': ['place', 'clearance'],
  'demo-grid': ['place', 'clearance'],
  'demo-mediator': ['place', 'care', 'clearance'],
  'demo-intake': ['place', 'care', 'clearance'],
  'demo-dept': ['place', 'relation', 'care', 'clearance'],
  'demo-city': ['care', 'clearance'],
  'demo-hotline': ['care', 'clearance'],
  'demo-supervisor': ['care', 'clearance'],
  'demo-leader': ['care', 'clearance'],
  'demo-admin': ['place', 'relation', 'care', 'clearance'],
  'demo-security': ['place', 'relation', 'care', 'clearance'],
  // the auditor reads the whole audit log (audit/access.ts); everywhere else it sees no record
  'demo-auditor': ['place', 'relation', 'care', 'clearance'],
  'other-dispatcher': ['relation', 'care', 'clearance'],
  'other-grid': ['relation', 'care', 'clearance'],
};
const EXTRA_ACCOUNTS = [
  { username: 'other-dispatcher', roles: ['dispatcher'], jurisdictionCode: OTHER_COMMUNITY },
  { username: 'other-grid', roles: ['grid_worker'], jurisdictionCode: OTHER_COMMUNITY },
];

const hiddenFrom = (username: string) => canaries.filter((c) => HIDDEN[username]!.includes(c.set));

/** Sets every sequence a canary takes its id from far past the demo's, so ids and numbers are unmistakable. */
async function distinctiveIds() {
  const tables = ['case_file', 'dispute', 'person_served', 'visit', 'patrol', 'daily_log_entry', 'supervision_item', 'care_visit_warning', 'case_attachment', 'psych_referral', 'crisis_intervention'];
  for (const [i, table] of tables.entries()) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), ${900_000_000 + i * 1000})`.execute(t.handle.db);
  }
  await sql`SELECT setval('case_number_seq', 900999000)`.execute(t.handle.db);
}

// ---- the sweep: every GET endpoint as one account ----

const SAMPLES: Record<string, string> = { code: '990100', action: 'accept', level: 'district', matterTypeCode: 'CG-005', day: '2026-10-01' };
const getRoutes = () => t.app.routePolicies.filter((r) => r.method === 'GET' && r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
const fill = (url: string, id: number | null) => url.replace(/:([A-Za-z]+)/g, (_, name: string) => SAMPLES[name] ?? String(id ?? 1));

/** Timestamps and generated instants differ between two sweeps by design; nothing else may. */
const normalise = (body: string) => body.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?/g, 'T').replace(/"(csrfToken|generatedAt|asOf)":"[^"]*"/g, '"$1":"…"');

async function sweep(username: string): Promise<Map<string, string>> {
  const s = sessions.get(username)!;
  const out = new Map<string, string>();
  for (const r of getRoutes()) {
    if (r.url.includes(':')) continue;
    const res = await s.get(r.url);
    out.set(r.url, `${res.statusCode} ${normalise(res.body)}`);
  }
  return out;
}

function leaks(username: string, where: string, body: string): string[] {
  return hiddenFrom(username)
    .filter((c) => c.tokens.some((tok) => body.includes(tok)))
    .map((c) => `${username} ${where}: ${c.set} ${c.kind} ${c.id}`);
}

beforeAll(async () => {
  t = await testApp();
  const template = await t.handle.db.selectFrom('app_user').select('password_hash').where('username', '=', 'demo-district').executeTakeFirstOrThrow();
  for (const a of EXTRA_ACCOUNTS) {
    await t.handle.db
      .insertInto('app_user')
      .values({ username: a.username, display_name: a.username, password_hash: template.password_hash, roles: a.roles, jurisdiction_code: a.jurisdictionCode, department_id: null })
      .execute();
  }
  for (const a of [...DEMO_ACCOUNTS, ...EXTRA_ACCOUNTS]) sessions.set(a.username, await signIn(t.app, a.username));
}, 120_000);
afterAll(() => t.close());

describe('the access matrix', () => {
  /** every account's sweep before and after each stage: a stage may change nothing for those it is hidden from */
  const snapshots = new Map<Set_, { before: Map<string, Map<string, string>>; after: Map<string, Map<string, string>> }>();
  const snapAll = async () => new Map(await Promise.all([...sessions.keys()].map(async (u) => [u, await sweep(u)] as const)));

  it('makes canaries outside place, relation, care level and clearance, each seen by someone', async () => {
    await distinctiveIds();
    const db = t.handle.db;
    const [city, district, community, hotline, security, other] = ['demo-city', 'demo-district', 'demo-community', 'demo-hotline', 'demo-security', 'other-dispatcher'].map((u) => sessions.get(u)!) as [Session, Session, Session, Session, Session, Session];
    const add = (set: Set_, kind: string, id: number, ...tokens: string[]) => canaries.push({ set, kind, id, tokens: [String(id), ...tokens] });
    const parties = [{ kind: 'person', role: 'applicant', name: '甲某', phone: '13700001111' }, { kind: 'person', role: 'respondent', name: '乙某', phone: '13900002222' }];
    const everybody = (await db.selectFrom('app_user').select('id').execute()).map((u) => u.id);
    const userId = async (u: string) => (await db.selectFrom('app_user').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
    const pathOf = async (code: string) => (await db.selectFrom('jurisdiction').select('path').where('code', '=', code).executeTakeFirstOrThrow()).path;
    const [here, there] = [await pathOf(COMMUNITY), await pathOf(OTHER_COMMUNITY)];
    const today = new Date();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(today);
    const visit = async (set: Set_, user: string, personId: number, code: string, path: string) => {
      const token = `${TOKEN}-${set}-visit`;
      const v = await db.insertInto('visit').values({ user_id: await userId(user), client_key: token, person_id: personId, patrol_id: null, whom: null, place: null, findings: token, lng: null, lat: null, community_code: code, jurisdiction_path: path, visited_at: today, visited_on: day, on_time: true }).returning('id').executeTakeFirstOrThrow();
      add(set, 'visit', v.id, token);
    };
    /** notices about the stage's records to everybody, and a supervision item on each of its cases */
    const finish = async (set: Set_) => {
      for (const c of canaries.filter((c) => c.set === set && ['case', 'dispute', 'person'].includes(c.kind))) {
        await notify(db, { audience: everybody, about: { kind: c.kind, id: c.id }, kind: 'case.centre', title: `${TOKEN}-notice-${c.set}-${c.kind}`, body: '' });
        c.tokens.push(`${TOKEN}-notice-${c.set}-${c.kind}`);
      }
      for (const c of canaries.filter((c) => c.set === set && c.kind === 'case')) {
        const item = await db.insertInto('supervision_item').values({ case_id: c.id, kind: 'overdue', jurisdiction_code: '990102', note: `${TOKEN}-${set}-supervision` }).returning('id').executeTakeFirstOrThrow();
        add(set, 'supervision', item.id, `${TOKEN}-${set}-supervision`);
      }
    };
    const stage = async (set: Set_, make: () => Promise<void>) => {
      const before = await snapAll();
      await make();
      await finish(set);
      snapshots.set(set, { before, after: await snapAll() });
    };

    // outside the place: a case with its dispute, a person served, a visit, a patrol and a daily log in 临川区
    await stage('place', async () => {
      const pd = await city.post('/api/disputes', { case: { channel: 'grid', title: `${TOKEN}-place-case`, description: '工资纠纷', communityCode: OTHER_COMMUNITY }, disputeType: 'labour', facts: `${TOKEN}-place-dispute`, parties });
      expect(pd.statusCode, pd.body).toBe(201);
      const pCase = await db.selectFrom('case_file').select(['id', 'number']).where('id', '=', pd.json().caseId).executeTakeFirstOrThrow();
      add('place', 'case', pCase.id, `${TOKEN}-place-case`, pCase.number);
      add('place', 'dispute', pd.json().id, `${TOKEN}-place-dispute`);
      const pp = await other.post('/api/people', { careGroup: 'elderly_alone', riskLevel: 'high', name: '丙某', communityCode: OTHER_COMMUNITY, carePlan: { government: `${TOKEN}-place-plan` } });
      expect(pp.statusCode, pp.body).toBe(201);
      add('place', 'person', pp.json().id);
      await visit('place', 'other-grid', pp.json().id, OTHER_COMMUNITY, there);
      const patrol = await db.insertInto('patrol').values({ user_id: await userId('other-grid'), client_key: `${TOKEN}-p`, grid_id: null, community_code: OTHER_COMMUNITY, jurisdiction_path: there, started_at: today, track: '[]', note: `${TOKEN}-place-patrol` }).returning('id').executeTakeFirstOrThrow();
      add('place', 'patrol', patrol.id, `${TOKEN}-place-patrol`);
      const log = await db.insertInto('daily_log_entry').values({ user_id: await userId('other-grid'), client_key: `${TOKEN}-l`, log_on: day, at: today, content: `${TOKEN}-place-log`, jurisdiction_path: there }).returning('id').executeTakeFirstOrThrow();
      add('place', 'daily-log', log.id, `${TOKEN}-place-log`);
    });

    // outside the relation: a case in 青河区 dispatched to a department other than demo-dept's
    await stage('relation', async () => {
      const myDept = (await db.selectFrom('app_user').select('department_id').where('username', '=', 'demo-dept').executeTakeFirstOrThrow()).department_id!;
      const matter = await db
        .selectFrom('responsibility as r')
        .innerJoin('department as d', 'd.kind', 'r.department_kind')
        .innerJoin('matter_type as m', 'm.code', 'r.matter_type_code')
        .select(['m.code', 'd.id'])
        .where('r.level', '=', 'district')
        .where('d.jurisdiction_code', '=', '990102')
        .where('d.id', '!=', myDept)
        .where('m.active', '=', true)
        .where('m.priority', '!=', 'critical')
        .orderBy('m.code')
        .executeTakeFirstOrThrow();
      const rc = await hotline.post('/api/cases', { channel: 'hotline', title: `${TOKEN}-relation-case`, description: '别的部门的事', matterTypeCode: matter.code, location: POINT });
      expect(rc.statusCode, rc.body).toBe(201);
      expect((await district.post(`/api/cases/${rc.json().id}/actions/dispatch`, { departmentId: matter.id })).statusCode).toBe(200);
      add('relation', 'case', rc.json().id, `${TOKEN}-relation-case`, rc.json().number);
    });

    // people served are read at community and street level only: a person of 安居社区 and a visit about them
    await stage('care', async () => {
      const cp = await community.post('/api/people', { careGroup: 'elderly_alone', riskLevel: 'low', name: '戊某', idNumber: CARE_ID, communityCode: COMMUNITY, carePlan: { government: `${TOKEN}-care-plan` } });
      expect(cp.statusCode, cp.body).toBe(201);
      add('care', 'person', cp.json().id);
      await visit('care', 'demo-grid2', cp.json().id, COMMUNITY, here);
    });

    // above clearance: a case of 安居社区 dispatched to demo-dept's department with its dispute, a person, labelled 机密
    await stage('clearance', async () => {
      const sc = await hotline.post('/api/cases', { channel: 'hotline', title: `${TOKEN}-clearance-case`, description: '路灯不亮', matterTypeCode: 'CG-005', location: POINT });
      expect(sc.statusCode, sc.body).toBe(201);
      const sId = sc.json().id as number;
      expect((await district.post(`/api/cases/${sId}/actions/dispatch`, {})).statusCode).toBe(200);
      const sd = await community.post('/api/disputes', { caseId: sId, disputeType: 'neighbour', facts: `${TOKEN}-clearance-dispute`, parties });
      expect(sd.statusCode, sd.body).toBe(201);
      const sp = await community.post('/api/people', { careGroup: 'elderly_alone', riskLevel: 'low', name: '丁某', communityCode: COMMUNITY, carePlan: { government: `${TOKEN}-clearance-plan` } });
      expect(sp.statusCode, sp.body).toBe(201);
      expect((await security.post(`/api/cases/${sId}/label`, { label: 'secret', reason: '涉密' })).statusCode).toBe(200);
      await db.updateTable('person_served').set({ security_label: 'secret', security_rank: 3 }).where('id', '=', sp.json().id).execute();
      noticeMark = (await db.selectFrom('notification').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0;
      add('clearance', 'case', sId, `${TOKEN}-clearance-case`, sc.json().number);
      add('clearance', 'dispute', sd.json().id, `${TOKEN}-clearance-dispute`);
      add('clearance', 'person', sp.json().id);
      await visit('clearance', 'demo-grid', sp.json().id, COMMUNITY, here);
    });

    expect(new Set(canaries.map((c) => c.set))).toEqual(new Set(['place', 'relation', 'care', 'clearance']));
    // each canary is seen by someone: they are hidden by the rule, not by being broken
    const seer: Record<Set_, string> = { place: 'demo-city', relation: 'demo-district', care: 'demo-community', clearance: 'demo-district' };
    for (const c of canaries.filter((c) => c.kind === 'case' && c.set !== 'clearance')) expect((await sessions.get(seer[c.set])!.get(`/api/cases/${c.id}`)).statusCode).toBe(200);
    for (const c of canaries.filter((c) => c.kind === 'person' && c.set === 'care')) expect((await sessions.get('demo-community')!.get(`/api/people/${c.id}`)).statusCode).toBe(200);
    await db.updateTable('app_user').set({ clearance: 'secret' }).where('username', '=', 'demo-district').execute();
    const cleared = await signIn(t.app, 'demo-district');
    for (const c of canaries.filter((c) => c.set === 'clearance' && c.kind === 'case')) expect((await cleared.get(`/api/cases/${c.id}`)).statusCode).toBe(200);
    await db.updateTable('app_user').set({ clearance: 'confidential' }).where('username', '=', 'demo-district').execute();
  }, 600_000);

  it('shows no canary on any GET endpoint, as any account, with any of their ids as a parameter', async () => {
    const found: string[] = [];
    for (const [username, s] of sessions) {
      const hidden = hiddenFrom(username);
      for (const r of getRoutes()) {
        const ids = r.url.includes(':') ? hidden.map((c) => c.id) : [null];
        for (const id of ids) {
          const url = fill(r.url, id);
          const res = await s.get(url);
          expect(res.statusCode, `${username} ${url}`).toBeLessThan(500);
          // the auditor's own kind: it reads every entry of the audit log, whatever it is about
          if (username === 'demo-auditor' && r.url.startsWith('/api/audit')) continue;
          found.push(...leaks(username, url, res.body));
        }
      }
    }
    expect(found).toEqual([]);
  }, 300_000);

  it('answers a write to a record its account may not see exactly as one to a record that does not exist', async () => {
    const NONE = 2147483000;
    const writes = t.app.routePolicies.filter((r) => r.method !== 'GET' && r.url.startsWith('/api/') && /:[A-Za-z]*[iI]d\b/.test(r.url));
    expect(writes.length).toBeGreaterThan(10);
    const differ: string[] = [];
    const answer = (res: { statusCode: number; body: string }) => `${res.statusCode} ${res.statusCode >= 400 ? (JSON.parse(res.body || '{}').error?.code ?? '') : 'done'}`;
    for (const [username, s] of sessions) {
      const hidden = hiddenFrom(username);
      for (const r of writes) {
        const none = answer(await s.request({ method: r.method as 'POST', url: fill(r.url, NONE), payload: {} }));
        for (const c of hidden) {
          const got = answer(await s.request({ method: r.method as 'POST', url: fill(r.url, c.id), payload: {} }));
          if (got !== none) differ.push(`${username} ${r.method} ${r.url} on ${c.set} ${c.kind} ${c.id}: ${got}, nonexistent: ${none}`);
        }
      }
    }
    expect(differ).toEqual([]);
  }, 300_000);

  it('answers an existence check without telling of records outside the caller\'s view', async () => {
    // the same ID number in another community: registered there, not "already on record"
    const other = sessions.get('other-dispatcher')!;
    const elsewhere = await other.post('/api/people', { careGroup: 'elderly_alone', riskLevel: 'low', name: '戊某', idNumber: CARE_ID, communityCode: OTHER_COMMUNITY });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
    // where the registrar sees the first record, it is a twin
    const twin = await sessions.get('demo-community')!.post('/api/people', { careGroup: 'elderly_alone', riskLevel: 'low', name: '戊某', idNumber: CARE_ID, communityCode: COMMUNITY });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.field).toBe('idNumber');
    // possible duplicates at intake list only cases the caller may see
    const dup = await sessions.get('demo-community')!.get(`/api/cases/duplicates?matterTypeCode=CG-005&lng=${POINT.lng}&lat=${POINT.lat}`);
    expect(dup.statusCode).toBe(200);
    expect(leaks('demo-community', 'duplicates', dup.body)).toEqual([]);
  }, 120_000);

  it('counts the same on every list, count and figure after a stage of canaries its account may not see', async () => {
    const changed: string[] = [];
    for (const [set, snap] of snapshots) {
      for (const [username, hidden] of Object.entries(HIDDEN)) {
        if (!hidden.includes(set) || username === 'demo-auditor') continue; // the audit log grew, which is the auditor's to read
        for (const [url, body] of snap.after.get(username)!) {
          const was = snap.before.get(username)!.get(url) ?? '';
          if (was === body) continue;
          let i = 0;
          while (was[i] === body[i]) i++;
          changed.push(`${set}: ${username} ${url}\n  before …${was.slice(Math.max(0, i - 80), i + 200)}\n  after  …${body.slice(Math.max(0, i - 80), i + 200)}`);
        }
      }
    }
    expect(changed).toEqual([]);
  }, 300_000);

  it('tells only those who may see a record, for every kind of notice the platform sends', async () => {
    const db = t.handle.db;
    // the background scans and the actions that notify, run over the canaries
    const far = new Date(Date.now() + 400 * 86_400_000);
    await db.updateTable('case_file').set({ deadline: new Date(Date.now() - 86_400_000), warning_next_at: null }).where('id', 'in', canaries.filter((c) => c.kind === 'case').map((c) => c.id)).execute();
    await scanDeadlines(db, { now: new Date(), warningShare: 0.8 });
    await db.updateTable('person_served').set({ next_visit_due: '2020-01-01' }).where('id', 'in', canaries.filter((c) => c.kind === 'person').map((c) => c.id)).execute();
    await scanMissedVisits(db, currentWorkersOfGrids, { now: far });
    for (const d of canaries.filter((c) => c.kind === 'dispute')) {
      await db.insertInto('dispute_follow_up').values({ dispute_id: d.id, due_on: '2020-01-01', done_at: null, result: null, reminded_at: null, created_by: null }).execute();
    }
    await scanFollowUps(db, { now: far });
    const rows = await db.selectFrom('notification as n').innerJoin('app_user as u', 'u.id', 'n.user_id').select(['n.id', 'u.username', 'n.kind', 'n.title', 'n.body', 'n.record_kind', 'n.record_id']).execute();
    const wrong: string[] = [];
    const kindsAboutCanaries = new Set<string>();
    for (const n of rows) {
      const about = canaries.filter((c) => (n.record_kind === c.kind && n.record_id === c.id) || c.tokens.some((tok) => tok.startsWith(TOKEN) && `${n.title} ${n.body}`.includes(tok)));
      for (const c of about) {
        kindsAboutCanaries.add(n.kind);
        if (HIDDEN[n.username]?.includes(c.set) && !(c.set === 'clearance' && n.id <= noticeMark)) wrong.push(`${n.kind} about ${c.set} ${c.kind} ${c.id} reached ${n.username}`);
      }
    }
    expect(wrong).toEqual([]);
    // every kind of notice the platform sends is in the catalogue, and the catalogue names the record kind it is about
    for (const [kind, def] of Object.entries(NOTICE_KINDS)) expect(def.about === null || RULES.has(def.about), kind).toBe(true);
    const sentKinds = new Set(rows.map((r) => r.kind));
    for (const k of sentKinds) expect(Object.keys(NOTICE_KINDS), `notice kind ${k} is missing from notifications/kinds.ts`).toContain(k);
    expect([...kindsAboutCanaries].length).toBeGreaterThan(3);
  }, 300_000);
});
