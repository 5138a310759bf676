import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type TestApp, testApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('every API route', () => {
  it('declares its auth, and without a session the non-public ones answer 401 (never 500)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ path, method: m.toUpperCase() })));
    expect(routes.length).toBeGreaterThan(20);
    const publicRoutes = new Set(['POST /api/auth/login', 'GET /api/health', 'GET /api/settings/public']);
    for (const r of routes) {
      const url = r.path.replace(/\{code\}/g, '990100').replace(/\{[^}]+\}/g, '1');
      const res = await t.app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' ? undefined : {} });
      if (publicRoutes.has(`${r.method} ${r.path}`)) expect(res.statusCode, `${r.method} ${r.path}`).toBeLessThan(500);
      else expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('never answers 500 to malformed input from a signed-in user', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const sessions = await Promise.all(['demo-admin', 'demo-community'].map((u) => signIn(t.app, u)));
    const junkBodies: unknown[] = [{}, [], 'text', { code: 42, name: null, geometry: { type: 'Polygon', coordinates: 'x' } }, { reason: 'x'.repeat(600) }];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        for (const param of ['abc', '99999999999', "'; DROP TABLE grid;--"]) {
          const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(param));
          for (const s of sessions) {
            const bodies = method === 'get' ? [undefined] : junkBodies;
            for (const [body, query] of bodies.flatMap((b) => [[b, ''], [b, '?limit=-1&offset=x&lng=abc']] as const)) {
              const res = await s.request({ method: method.toUpperCase() as 'GET', url: `${url}${query}`, payload: body as string });
              expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBeLessThan(500);
              if (res.statusCode >= 400) expect(res.json().error.message.length).toBeGreaterThan(0);
            }
          }
        }
      }
    }
  }, 240_000);

  it('answers unknown endpoints with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('reports health with the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', db: t.handle.kind });
  });
});
