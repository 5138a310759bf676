import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type TestApp, testApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('sign-in and sessions', () => {
  it('signs in with the demo password and answers /api/me with abilities', async () => {
    const s = await signIn(t.app, 'demo-city');
    const me = await s.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ username: 'demo-city', roles: ['dispatcher'], jurisdictionCode: '990100', jurisdictionLevel: 'city' });
    expect(me.json().user.abilities).toContain('grid:read');
    expect(me.json().user.abilities).not.toContain('grid:write');
  });

  it('sets an HttpOnly session cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'demo-street', password: 'demo12345' } });
    const cookie = res.cookies.find((c) => c.name === 'zhili_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('refuses a wrong password with 401 and a message in the user language', async () => {
    const zh = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'demo-city', password: 'nope-nope' } });
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toEqual({ code: 'invalid_credentials', message: '用户名或密码错误', field: 'password' });
    const en = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en-US' }, payload: { username: 'nobody', password: 'x' } });
    expect(en.statusCode).toBe(401);
    expect(en.json().error.message).toBe('Wrong username or password');
  });

  it('rejects a malformed login body naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'demo-city' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('password');
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 42, password: ['x'] } });
    expect(wrongType.statusCode).toBe(400);
    const notJson = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.message).toBe('请求体不是有效的 JSON');
  });

  it('answers 401 without a session and after logout', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const s = await signIn(t.app, 'demo-district');
    expect((await s.post('/api/auth/logout')).statusCode).toBe(200);
    const after = await s.get('/api/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('session_expired');
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const s = await signIn(t.app, 'demo-admin');
    const res = await s.request({ method: 'PUT', url: '/api/settings/level-names', headers: { 'x-csrf-token': 'forged' }, payload: { city: '市', district: '旗区', street: '苏木', community: '嘎查' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.field).toBe('X-CSRF-Token');
  });

  it('expires an idle session', async () => {
    const s = await signIn(t.app, 'demo-grid');
    await t.handle.db.updateTable('user_session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).execute();
    expect((await s.get('/api/me')).statusCode).toBe(401);
  });

  it('keeps the three duties apart: the auditor reads no business records, the admin no audit log', async () => {
    const auditor = await signIn(t.app, 'demo-auditor');
    expect((await auditor.get('/api/grids')).statusCode).toBe(403);
    expect((await auditor.get('/api/jurisdictions/tree')).statusCode).toBe(403);
    const admin = await signIn(t.app, 'demo-admin');
    expect((await admin.get('/api/grids?limit=1')).statusCode).toBe(200);
    const users = await admin.get('/api/users?limit=100');
    expect(users.statusCode).toBe(200);
    expect(users.json().items.some((u: { username: string }) => u.username === 'demo-grid')).toBe(true);
    expect(JSON.stringify(users.json())).not.toContain('password');
  });

  it('creates an account without roles that must change its password; roles asked for are refused', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const bad = await admin.post('/api/users', { username: 'mixed', displayName: 'x', password: 'Passw0rd!x', roles: ['system_admin', 'dispatcher'], jurisdictionCode: '990100' });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().error.field).toBe('roles');
    const business = await admin.post('/api/users', { username: 'mixed', displayName: 'x', password: 'Passw0rd!x', roles: ['mediator', 'dispatcher'], jurisdictionCode: '990100' });
    expect(business.json().error).toMatchObject({ code: 'duty_separation', field: 'roles' });
    const none = await admin.post('/api/users', { username: 'mixed', displayName: 'x', password: 'Passw0rd!x', jurisdictionCode: '990100' });
    expect(none.statusCode).toBe(201);
    expect(none.json()).toMatchObject({ roles: [], mustChangePassword: true, clearance: 'internal', jurisdictionName: expect.any(String) });
    const weak = await admin.post('/api/users', { username: 'weakling', displayName: 'x', password: 'password1', jurisdictionCode: '990100' });
    expect(weak.json().error).toMatchObject({ field: 'password' });
    const ok = await admin.post('/api/users', { username: 'zhang.wei', displayName: '张伟', password: 'Passw0rd!x', jurisdictionCode: '990102' });
    expect(ok.statusCode).toBe(201);
    const s = await signIn(t.app, 'zhang.wei', 'Passw0rd!x');
    expect((await s.get('/api/me')).json().user.mustChangePassword).toBe(true);
    const dup = await admin.post('/api/users', { username: 'zhang.wei', displayName: '张伟', password: 'Passw0rd!x', jurisdictionCode: '990102' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('username');
  });
});
