import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/city.js';
import { type Action, may } from '../src/modules/auth/permissions.js';
import { authPlugin } from '../src/modules/auth/plugin.js';
import { signIn, type Session, type TestApp, testApp } from './harness.js';

let t: TestApp;
const sessions = new Map<string, Session>();
beforeAll(async () => {
  t = await testApp();
  for (const a of DEMO_ACCOUNTS) sessions.set(a.username, await signIn(t.app, a.username));
});
afterAll(() => t.close());

const sample = (url: string) => url.replace(/:code/g, '990100').replace(/:action/g, 'accept').replace(/:level/g, 'district').replace(/:matterTypeCode/g, 'CG-005').replace(/:day/g, '2026-10-01').replace(/:[A-Za-z]+/g, '99999');

describe('the route-by-role matrix', () => {
  it('covers every registered route, and each demo role is refused exactly where its policy says so', async () => {
    // signing out would end the sessions this test uses; those two routes are 'signed-in' and tested in auth tests
    const routes = t.app.routePolicies.filter((r) => r.auth !== 'public' && !r.url.startsWith('/api/auth/logout'));
    expect(routes.length).toBeGreaterThan(50);
    const mismatches: string[] = [];
    for (const r of routes) {
      for (const account of DEMO_ACCOUNTS) {
        const s = sessions.get(account.username)!;
        const res = await s.request({ method: r.method as 'GET', url: sample(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        const refusedByRole = res.statusCode === 403 && res.json().error?.code === 'role_not_permitted';
        const shouldRefuse = r.auth !== 'signed-in' && !may(account.roles, r.auth as Action);
        if (refusedByRole !== shouldRefuse) mismatches.push(`${r.method} ${r.url} as ${account.username}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        expect(res.statusCode, `${r.method} ${r.url} as ${account.username}`).toBeLessThan(500);
      }
    }
    expect(mismatches).toEqual([]);
  }, 180_000);

  it('refuses to register a route that declares no policy', async () => {
    const app = Fastify({ logger: false });
    app.decorate('ctx', t.app.ctx);
    await app.register(cookie);
    await app.register(authPlugin);
    void app.register(async (child) => {
      child.get('/api/forgotten', async () => ({ secret: true }));
    });
    await expect(app.ready()).rejects.toThrow(/declares no auth policy/);
  });
});

describe('records inside and outside the scope', () => {
  it('answers 200 inside and 404 outside for every kind of record a community dispatcher reads', async () => {
    const city = sessions.get('demo-city')!;
    const hotline = sessions.get('demo-hotline')!;
    const community = sessions.get('demo-community')!;
    const intake = (lng: number) => hotline.post('/api/cases', { channel: 'hotline', title: '路灯不亮', description: '门口路灯坏了', matterTypeCode: 'CG-005', location: { lng, lat: 40.7615 } });
    const own = (await intake(111.5525)).json().id;
    const other = (await intake(111.8425)).json().id;
    const gridOwn = (await city.get('/api/grids?jurisdictionCode=990102001001&limit=1')).json().items[0].id;
    const gridOther = (await city.get('/api/grids?jurisdictionCode=990104&limit=1')).json().items[0].id;
    const deptOther = (await city.get('/api/departments?jurisdictionCode=990104&limit=1')).json().items[0].id;
    const deptOwn = (await city.get('/api/departments?jurisdictionCode=990102&limit=1')).json().items[0].id;
    const pairs: Array<[string, string]> = [
      [`/api/cases/${own}`, `/api/cases/${other}`],
      [`/api/grids/${gridOwn}`, `/api/grids/${gridOther}`],
      ['/api/jurisdictions/990102001001', '/api/jurisdictions/990104001001'],
      [`/api/departments/${deptOwn}`, `/api/departments/${deptOther}`],
      [`/api/cases?jurisdictionCode=990102001001`, `/api/cases?jurisdictionCode=990104`],
    ];
    for (const [inside, outside] of pairs) {
      expect((await community.get(inside)).statusCode, inside).toBe(200);
      expect((await community.get(outside)).statusCode, outside).toBe(404);
    }
    const act = await community.post(`/api/cases/${other}/actions/close`, { closeReason: 'withdrawn' });
    expect(act.statusCode).toBe(404);
  });
});
