import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISIONAL_SOURCE, SHIPPED_DAYS } from '../src/modules/calendar/data.js';
import { findCalendarDay, seedCalendar } from '../src/modules/calendar/repository.js';
import { calendarCache } from '../src/modules/calendar/service.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let admin: Session;
let city: Session;
beforeAll(async () => {
  t = await testApp();
  // the template is migrated but not (yet) seeded with the calendar; seeding is idempotent
  await seedCalendar(t.handle.db);
  [admin, city] = await Promise.all([signIn(t.app, 'demo-admin'), signIn(t.app, 'demo-city')]);
});
afterAll(() => t.close());

const shipped = (year: number) => SHIPPED_DAYS.filter((d) => d.day.startsWith(`${year}-`));
const del = (s: Session, url: string) => s.request({ method: 'DELETE', url });
const deadline = (s: Session, start: string, days: number) => s.get(`/api/calendar/deadline?start=${encodeURIComponent(start)}&days=${days}`);
const auditOf = (entityId: string) =>
  t.handle.db.selectFrom('audit_event').select(['action', 'actor_id', 'detail']).where('entity', '=', 'calendar_day').where('entity_id', '=', entityId).orderBy('id').execute();

describe('calendar seeding', () => {
  it('loads every shipped day once and changes nothing the second time', async () => {
    expect(await seedCalendar(t.handle.db)).toBe(0);
    const n = await t.handle.db.selectFrom('calendar_day').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(SHIPPED_DAYS.length);
    expect(await findCalendarDay(t.handle.db, '2025-01-26')).toMatchObject({ kind: 'workday', name: '春节', updatedBy: null });
  });

  it('lets provisional days nobody edited follow the shipped data, and leaves edited ones alone', async () => {
    const db = t.handle.db;
    // as if an older release had derived other provisional days
    await db.updateTable('calendar_day').set({ name: '旧推算', updated_at: new Date() }).where('day', '=', '2027-02-10').execute();
    await db.insertInto('calendar_day').values({ day: '2027-02-11', kind: 'holiday', name: '春节', source: PROVISIONAL_SOURCE, updated_by: null }).execute();
    const adminId = (await db.selectFrom('app_user').select('id').where('username', '=', 'demo-admin').executeTakeFirstOrThrow()).id;
    await db.updateTable('calendar_day').set({ name: '管理员改过', updated_by: adminId, updated_at: new Date() }).where('day', '=', '2027-10-05').execute();
    expect(await seedCalendar(db)).toBe(2);
    expect(await findCalendarDay(db, '2027-02-10')).toMatchObject({ name: '春节', updatedBy: null });
    expect(await findCalendarDay(db, '2027-02-11')).toBeUndefined();
    expect(await findCalendarDay(db, '2027-10-05')).toMatchObject({ name: '管理员改过', updatedBy: adminId });
    await db.updateTable('calendar_day').set({ name: '国庆节', updated_by: null, updated_at: new Date() }).where('day', '=', '2027-10-05').execute();
    expect(await seedCalendar(db)).toBe(0);
  });
});

describe('GET /api/calendar', () => {
  it('lists a year for any signed-in user, with weekday and source', async () => {
    const res = await city.get('/api/calendar?year=2025');
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(shipped(2025).length);
    expect(items).toHaveLength(total);
    expect(items.find((i: { day: string }) => i.day === '2025-01-26')).toEqual({
      day: '2025-01-26',
      kind: 'workday',
      name: '春节',
      source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
      weekday: 7,
    });
    expect(items.find((i: { day: string }) => i.day === '2025-02-08')).toMatchObject({ kind: 'workday', weekday: 6 });
    expect(items.filter((i: { day: string; kind: string }) => i.kind === 'holiday' && i.day >= '2025-01-28' && i.day <= '2025-02-04')).toHaveLength(8);
    expect(items.map((i: { day: string }) => i.day)).toEqual([...items.map((i: { day: string }) => i.day)].sort());
  });

  it('flags the derived 2027 days as provisional', async () => {
    const { items } = (await city.get('/api/calendar?year=2027')).json();
    expect(items.length).toBe(shipped(2027).length);
    expect(items.every((i: { provisional?: boolean }) => i.provisional === true)).toBe(true);
    const { items: y2026 } = (await city.get('/api/calendar?year=2026')).json();
    expect(y2026.some((i: { provisional?: boolean }) => i.provisional)).toBe(false);
  });

  it('answers an empty list for a year without data and 400 naming year outside 2000–2100', async () => {
    expect((await city.get('/api/calendar?year=2030')).json()).toEqual({ items: [], total: 0 });
    for (const q of ['1999', '2101', 'abc']) {
      const res = await city.get(`/api/calendar?year=${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.field).toBe('year');
    }
  });

  it('answers 401 without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar?year=2025' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar/deadline?start=2025-09-26T15:00:00%2B08:00&days=3' })).statusCode).toBe(401);
  });
});

describe('GET /api/calendar/deadline', () => {
  it('ends 3 working days after Friday 2025-09-26 15:00 on Tuesday 9-30, counting the make-up Sunday', async () => {
    const res = await deadline(city, '2025-09-26T15:00:00+08:00', 3);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deadline: '2025-09-30T15:59:59.999Z' });
  });

  it('jumps 国庆 2025 and takes the local date of a UTC start', async () => {
    expect((await deadline(city, '2025-09-30T02:00:00Z', 1)).json().deadline).toBe('2025-10-09T15:59:59.999Z');
    // 16:30Z on 9-30 is 00:30 on 10-1 in Beijing: a holiday, so day 0 is 10-9
    expect((await deadline(city, '2025-09-30T16:30:00Z', 0)).json().deadline).toBe('2025-10-09T15:59:59.999Z');
  });

  it('answers 400 naming the field for a bad start or days', async () => {
    for (const [start, days, field] of [['yesterday', 1, 'start'], ['2025-09-26', 1, 'start'], ['2025-09-26T15:00:00+08:00', -1, 'days'], ['2025-09-26T15:00:00+08:00', 1000, 'days']] as const) {
      const res = await deadline(city, start, days);
      expect(res.statusCode, `${start} ${days}`).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
  });
});

describe('PUT and DELETE /api/calendar/{day}', () => {
  it('lets the system admin declare a holiday, which deadlines use at once, with an audit entry', async () => {
    // Friday 2025-03-07 15:00 + 1 working day = Monday 3-10; once 3-10 is a holiday, Tuesday 3-11
    expect((await deadline(city, '2025-03-07T15:00:00+08:00', 1)).json().deadline).toBe('2025-03-10T15:59:59.999Z');
    const res = await admin.put('/api/calendar/2025-03-10', { kind: 'holiday', name: '地方节日', source: '市政府通知' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ day: '2025-03-10', kind: 'holiday', name: '地方节日', source: '市政府通知', weekday: 1 });
    expect((await deadline(city, '2025-03-07T15:00:00+08:00', 1)).json().deadline).toBe('2025-03-11T15:59:59.999Z');
    expect((await calendarCache.current(t.handle.db)).isWorkingDay('2025-03-10')).toBe(false);
    const audit = await auditOf('2025-03-10');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'calendar_day.set', detail: { kind: 'holiday', name: '地方节日', source: '市政府通知', previous: null } });
  });

  it('changes a shipped day, keeps the edit through a later seeding, and records the previous value', async () => {
    const res = await admin.put('/api/calendar/2025-02-08', { kind: 'holiday', name: '春节' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'holiday', source: '系统管理员维护' });
    expect(await seedCalendar(t.handle.db)).toBe(0);
    expect(await findCalendarDay(t.handle.db, '2025-02-08')).toMatchObject({ kind: 'holiday', source: '系统管理员维护' });
    const [entry] = await auditOf('2025-02-08');
    expect(entry?.detail).toMatchObject({ previous: { kind: 'workday', name: '春节' } });
  });

  it('deletes a day back to the weekday rule, and seeding does not bring a shipped day back', async () => {
    expect((await deadline(city, '2025-09-26T15:00:00+08:00', 1)).json().deadline).toBe('2025-09-28T15:59:59.999Z');
    const res = await del(admin, '/api/calendar/2025-09-28');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    // Sunday 9-28 is a day off again: the first working day after Friday is Monday 9-29
    expect((await deadline(city, '2025-09-26T15:00:00+08:00', 1)).json().deadline).toBe('2025-09-29T15:59:59.999Z');
    expect((await city.get('/api/calendar?year=2025')).json().items.some((i: { day: string }) => i.day === '2025-09-28')).toBe(false);
    expect(await seedCalendar(t.handle.db)).toBe(0);
    expect(await findCalendarDay(t.handle.db, '2025-09-28')).toBeUndefined();
    expect((await auditOf('2025-09-28')).map((a) => a.action)).toEqual(['calendar_day.delete']);
    expect((await del(admin, '/api/calendar/2025-09-28')).statusCode).toBe(404);
  });

  it('answers 400 naming the field for a malformed or impossible day, an unknown kind, a year out of range', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['2025-1-1', { kind: 'holiday', name: '元旦' }, 'day'],
      ['2025-02-30', { kind: 'holiday', name: '元旦' }, 'day'],
      ['2025-13-01', { kind: 'holiday', name: '元旦' }, 'day'],
      ['1999-10-01', { kind: 'holiday', name: '国庆节' }, 'day'],
      ['2025-03-12', { kind: 'vacation', name: '元旦' }, 'kind'],
      ['2025-03-12', { kind: 'holiday' }, 'name'],
    ];
    for (const [day, body, field] of cases) {
      const res = await admin.put(`/api/calendar/${day}`, body);
      expect(res.statusCode, `${day} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    expect((await del(admin, '/api/calendar/2025-02-30')).json().error.field).toBe('day');
  });

  it('refuses users without calendar:write and sessions without the CSRF header', async () => {
    expect((await city.put('/api/calendar/2025-03-12', { kind: 'holiday', name: '元旦' })).statusCode).toBe(403);
    expect((await del(city, '/api/calendar/2025-10-01')).statusCode).toBe(403);
    const noCsrf = await t.app.inject({ method: 'PUT', url: '/api/calendar/2025-03-12', cookies: { zhili_session: admin.cookie }, payload: { kind: 'holiday', name: '元旦' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await findCalendarDay(t.handle.db, '2025-03-12')).toBeUndefined();
    expect(await findCalendarDay(t.handle.db, '2025-10-01')).toMatchObject({ kind: 'holiday' });
  });
});
