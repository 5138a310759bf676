import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/modules/auth/totp.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, signIn, type TestApp, testApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ loginRateLimit: 10_000 });
});
afterAll(() => t.close());

const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body, headers });
const resetTotpStep = (username: string) => t.handle.db.updateTable('app_user').set({ totp_last_step: null }).where('username', '=', username).execute();

describe('lockout', () => {
  it('locks an account for 15 minutes after 5 failures, demo accounts too, and audits it', async () => {
    for (let i = 0; i < 4; i++) expect((await login({ username: 'demo-street', password: 'wrong-one' })).statusCode).toBe(401);
    const fifth = await login({ username: 'demo-street', password: 'wrong-one' });
    expect(fifth.statusCode).toBe(401);
    const locked = await login({ username: 'demo-street', password: DEMO_PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.message).toContain('锁定');
    const row = await t.handle.db.selectFrom('app_user').select('locked_until').where('username', '=', 'demo-street').executeTakeFirstOrThrow();
    expect(row.locked_until!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const audit = await t.handle.db.selectFrom('audit_event').select('action').where('action', 'in', ['auth.locked', 'auth.login_refused']).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.locked', 'auth.login_refused']));
    await t.handle.db.updateTable('app_user').set({ locked_until: new Date(Date.now() - 1000) }).where('username', '=', 'demo-street').execute();
    expect((await login({ username: 'demo-street', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await testApp({ loginRateLimit: 3 });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' } })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('two-factor sign-in for privileged roles', () => {
  it('asks the admin for a code, refuses a wrong or replayed one, accepts the right one once', async () => {
    await resetTotpStep('demo-admin');
    const noCode = await login({ username: 'demo-admin', password: DEMO_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error).toMatchObject({ code: 'totp_required', field: 'totp' });
    expect((await login({ username: 'demo-admin', password: DEMO_PASSWORD, totp: '000000' })).json().error.code).toBe('invalid_totp');
    const code = currentTotp(DEMO_TOTP_SECRET);
    expect((await login({ username: 'demo-admin', password: DEMO_PASSWORD, totp: code })).statusCode).toBe(200);
    expect((await login({ username: 'demo-admin', password: DEMO_PASSWORD, totp: code })).json().error.code).toBe('invalid_totp');
    for (const u of ['demo-security', 'demo-auditor', 'demo-leader']) {
      expect((await login({ username: u, password: DEMO_PASSWORD })).json().error.code, u).toBe('totp_required');
    }
    expect((await login({ username: 'demo-city', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('makes a new leader enrol before anything else, then requires the code, and takes a recovery code once', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const created = await admin.post('/api/users', { username: 'wang.leader', displayName: '王领导', password: 'Initial#2026', jurisdictionCode: '990102' });
    expect(created.statusCode).toBe(201);
    const security = await signIn(t.app, 'demo-security');
    expect((await security.put(`/api/users/${created.json().id}/roles`, { roles: ['leader'], reason: '任命' })).statusCode).toBe(200);
    const first = await signIn(t.app, 'wang.leader', 'Initial#2026');
    expect((await first.get('/api/grids')).json().error.code).toBe('password_change_required');
    const weak = await first.post('/api/auth/password', { currentPassword: 'Initial#2026', newPassword: 'abcdefgh1' });
    expect(weak.json().error).toMatchObject({ field: 'newPassword', code: 'too_simple' });
    const common = await first.post('/api/auth/password', { currentPassword: 'Initial#2026', newPassword: 'P@ssw0rd' });
    expect(common.json().error.code).toBe('common');
    const withName = await first.post('/api/auth/password', { currentPassword: 'Initial#2026', newPassword: 'Wang.Leader#9' });
    expect(withName.json().error.code).toBe('contains_username');
    expect((await first.post('/api/auth/password', { currentPassword: 'Initial#2026', newPassword: 'Qinghe#River88' })).statusCode).toBe(200);
    const blocked = await first.get('/api/grids');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('totp_enrolment_required');
    const setup = (await first.post('/api/auth/totp/setup', { currentPassword: 'Qinghe#River88' })).json();
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.qrCode).toMatch(/^data:image\/png;base64,/);
    expect((await first.post('/api/auth/totp/enable', { code: '123456', currentPassword: 'Qinghe#River88' })).statusCode).toBe(400);
    const enabled = await first.post('/api/auth/totp/enable', { code: currentTotp(setup.secret), currentPassword: 'Qinghe#River88' });
    const { recoveryCodes } = enabled.json();
    expect(recoveryCodes).toHaveLength(10);
    expect((await first.get('/api/grids?limit=1')).statusCode).toBe(200);

    expect((await login({ username: 'wang.leader', password: 'Qinghe#River88' })).json().error.code).toBe('totp_required');
    expect((await login({ username: 'wang.leader', password: 'Qinghe#River88', totp: recoveryCodes[0] })).statusCode).toBe(200);
    expect((await login({ username: 'wang.leader', password: 'Qinghe#River88', totp: recoveryCodes[0] })).statusCode).toBe(401);
  });

  it('signs out everywhere', async () => {
    const a = await signIn(t.app, 'demo-district');
    const b = await signIn(t.app, 'demo-district');
    expect((await a.post('/api/auth/logout-all', { currentPassword: DEMO_PASSWORD })).statusCode).toBe(200);
    expect((await b.get('/api/me')).statusCode).toBe(401);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('accounts and the three separated duties', () => {
  it('lets only the security admin grant roles, never to itself; the admin creates accounts without any', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const security = await signIn(t.app, 'demo-security');
    const duty = await admin.post('/api/users', { username: 'new.auditor', displayName: '新审计员', password: 'Audit#Qinghe1', roles: ['auditor'], jurisdictionCode: '990100' });
    expect(duty.statusCode).toBe(403);
    const plain = await admin.post('/api/users', { username: 'li.clerk', displayName: '李受理', password: 'Clerk#Qinghe1', jurisdictionCode: '990102' });
    const id = plain.json().id;
    expect(plain.json().roles).toEqual([]);
    expect((await admin.put(`/api/users/${id}/roles`, { roles: ['dispatcher'], reason: '调岗' })).statusCode).toBe(403);
    expect((await security.put(`/api/users/${id}/roles`, { roles: ['intake_clerk'], reason: '受理岗位' })).json().roles).toEqual(['intake_clerk']);
    const session = await signIn(t.app, 'li.clerk', 'Clerk#Qinghe1');
    const changed = await security.put(`/api/users/${id}/roles`, { roles: ['dispatcher'], reason: '调岗为调度员' });
    expect(changed.json().roles).toEqual(['dispatcher']);
    expect((await session.get('/api/me')).statusCode).toBe(401);
    const mixed = await security.put(`/api/users/${id}/roles`, { roles: ['auditor', 'dispatcher'], reason: '兼任' });
    expect(mixed.json().error.field).toBe('roles');
    const me = (await security.get('/api/me')).json().user.id;
    expect((await security.put(`/api/users/${me}/roles`, { roles: ['system_admin'], reason: '自授' })).statusCode).toBe(403);
    const audit = await t.handle.db.selectFrom('audit_event').select(['action', 'detail']).where('action', '=', 'user.roles_changed').where('entity_id', '=', String(id)).execute();
    expect(audit).toHaveLength(2);
  });

  it('resets a password to a temporary one that must be changed, and unlocks', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const target = (await admin.get('/api/users?q=demo-mediator')).json().items[0];
    const reset = await admin.post(`/api/users/${target.id}/reset-password`);
    const { temporaryPassword } = reset.json();
    const s = await signIn(t.app, 'demo-mediator', temporaryPassword);
    expect((await s.get('/api/me')).json().user.mustChangePassword).toBe(true);
    await t.handle.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 600_000) }).where('id', '=', target.id).execute();
    expect((await admin.patch(`/api/users/${target.id}`, { unlock: true })).statusCode).toBe(200);
    expect((await login({ username: 'demo-mediator', password: temporaryPassword })).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${target.id}`, { active: false })).json().active).toBe(false);
    expect((await login({ username: 'demo-mediator', password: temporaryPassword })).statusCode).toBe(401);
  });
});
