import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_COUNT_CAP } from '../src/modules/cases/repository.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let hotline: Session, city: Session;
const INSIDE = { lng: 111.5525, lat: 40.7615 };

beforeAll(async () => {
  t = await testApp();
  [hotline, city] = (await Promise.all(['demo-hotline', 'demo-city'].map((u) => signIn(t.app, u)))) as [Session, Session];
  const res = await hotline.post('/api/cases', { channel: 'hotline', title: '路灯不亮', description: '路灯不亮', matterTypeCode: 'CG-005', location: INSIDE });
  expect(res.statusCode).toBe(201);
  // copies of that case, a few without a deadline and a few on other channels
  await sql`INSERT INTO case_file (number, channel, title, description, matter_type_code, priority, status, status_type, community_code, street_code,
      district_code, jurisdiction_path, handling_level, handling_jurisdiction_code, handling_path, department_id, time_limit_days, deadline, registered_at, created_at, updated_at)
    SELECT 'T' || g, CASE WHEN g % 100 = 0 THEN 'portal' ELSE c.channel END, c.title, c.description, c.matter_type_code, c.priority,
      CASE WHEN g % 3 = 0 THEN 'dispatched' ELSE c.status END, c.status_type, c.community_code, c.street_code, c.district_code,
      c.jurisdiction_path, c.handling_level, c.handling_jurisdiction_code, c.handling_path, c.department_id, c.time_limit_days,
      CASE WHEN g % 50 = 0 THEN NULL ELSE c.deadline - g * interval '1 minute' END, c.registered_at, c.created_at, c.updated_at
    FROM case_file c, generate_series(1, ${LIST_COUNT_CAP + 20}) g WHERE c.id = ${res.json().id}`.execute(t.handle.db);
}, 120_000);
afterAll(() => t.close());

describe('the board list', () => {
  it('counts up to the cap, then says the total is a lower bound', async () => {
    const all = (await city.get('/api/cases?limit=20')).json();
    expect(all).toMatchObject({ totalCapped: true, total: LIST_COUNT_CAP + 1 });
    expect(all.items).toHaveLength(20);
    const deep = (await city.get(`/api/cases?limit=50&offset=${LIST_COUNT_CAP}`)).json();
    // the last page: the total it implies is the exact one
    expect(deep).toMatchObject({ totalCapped: true, total: LIST_COUNT_CAP + 21 });
    const few = (await city.get('/api/cases?channel=portal')).json();
    expect(few).toMatchObject({ totalCapped: false, total: Math.floor((LIST_COUNT_CAP + 20) / 100) });
  });

  it('sorts by deadline with the cases without one last, and filters an open status', async () => {
    const byDeadline = (await city.get('/api/cases?statusType=open&sort=deadline&limit=1000&offset=0')).json().items as Array<{ deadline: string | null; id: number }>;
    const tail = (await city.get(`/api/cases?statusType=open&sort=deadline&limit=100&offset=${LIST_COUNT_CAP - 20}`)).json().items as Array<{ deadline: string | null }>;
    const deadlines = [...byDeadline, ...tail].map((c) => c.deadline);
    const firstNull = deadlines.indexOf(null);
    expect(firstNull).toBeGreaterThan(0);
    expect(deadlines.slice(firstNull).every((d) => d === null)).toBe(true);
    const dated = byDeadline.filter((c) => c.deadline !== null);
    for (let i = 1; i < dated.length; i++) expect(dated[i]!.deadline! >= dated[i - 1]!.deadline!).toBe(true);
    const dispatched = (await city.get('/api/cases?status=dispatched&sort=deadline&limit=5')).json();
    expect(dispatched.items.every((c: { status: string }) => c.status === 'dispatched')).toBe(true);
    expect(dispatched.total).toBe(Math.floor((LIST_COUNT_CAP + 20) / 3));
  });
});
