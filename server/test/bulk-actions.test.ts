import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
let district: Session, hotline: Session, community: Session;
beforeAll(async () => {
  t = await testApp();
  [district, hotline, community] = (await Promise.all(['demo-district', 'demo-hotline', 'demo-community'].map((u) => signIn(t.app, u)))) as [Session, Session, Session];
});
afterAll(() => t.close());

const intake = async (lng: number, title: string) => {
  const res = await hotline.post('/api/cases', { channel: 'hotline', title, description: '门口路灯坏了', matterTypeCode: 'CG-005', location: { lng, lat: 40.7615 } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; number: string; version: number };
};

describe('one action on many cases', () => {
  it('dispatches the cases the user may see and answers the others as cases that do not exist', async () => {
    const own = await intake(111.5525, '路灯不亮 一');
    const stale = await intake(111.5525, '路灯不亮 二');
    const elsewhere = await intake(111.8425, '临川区的路灯');
    const res = await district.post('/api/cases/bulk/dispatch', {
      items: [{ id: own.id, expectedVersion: own.version }, { id: elsewhere.id }, { id: 2147483000 }, { id: stale.id, expectedVersion: stale.version + 5 }],
      note: '请尽快修复',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.done).toBe(1);
    expect(body.items[0]).toMatchObject({ id: own.id, ok: true, number: own.number, status: 'dispatched' });
    // outside the district: the same answer as a case that does not exist, no number, no title
    const { id: _a, ...outside } = body.items[1];
    const { id: _b, ...missing } = body.items[2];
    expect(outside).toEqual(missing);
    expect(outside).toMatchObject({ ok: false, code: 'not_found', number: null });
    expect(JSON.stringify(body)).not.toContain(elsewhere.number);
    expect(body.items[3]).toMatchObject({ id: stale.id, ok: false, code: 'conflict' });
    expect((await district.get(`/api/cases/${stale.id}`)).json().status).not.toBe('dispatched');
  });

  it('refuses a malformed request naming the field, and a role that may not act', async () => {
    const empty = await district.post('/api/cases/bulk/dispatch', { items: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toMatch(/items/);
    const c = await intake(111.5525, '路灯不亮 三');
    const wrong = await community.post('/api/cases/bulk/dispatch', { items: [{ id: c.id }] });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.json().items[0]).toMatchObject({ ok: false });
  });
});
