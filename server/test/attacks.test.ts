import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/modules/auth/totp.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, signIn, type TestApp, testApp } from './harness.js';

/*
 * The attacks of issue 12, each as it was tried against the demo city, kept so they stay closed
 * (docs/SECURITY.md names each test). Every one of them succeeded before the fix.
 */

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const db = () => t.handle.db;
const login = (body: Record<string, unknown>, headers: Record<string, string> = {}, remoteAddress?: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body, headers, ...(remoteAddress ? { remoteAddress } : {}) });
const account = (username: string) => db().selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
const auditOf = async (userId: number, afterId: number) =>
  (await db().selectFrom('audit_event').select(['action', 'ip', 'detail']).where('entity', '=', 'user').where('entity_id', '=', String(userId)).where('id', '>', afterId).orderBy('id').execute());
const maxAuditId = async () => (await db().selectFrom('audit_event').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0;
const count = (xs: readonly { action: string }[], action: string) => xs.filter((x) => x.action === action).length;

describe('sign-in under concurrency (finding 2, 3)', () => {
  it('counts every one of 4 parallel wrong passwords', async () => {
    const before = await account('demo-community');
    expect(before.failed_logins).toBe(0);
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => login({ username: 'demo-community', password: `wrong-${i}` })));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
    expect((await account('demo-community')).failed_logins).toBe(4);
    // a right password clears the count
    expect((await login({ username: 'demo-community', password: DEMO_PASSWORD })).statusCode).toBe(200);
    expect((await account('demo-community')).failed_logins).toBe(0);
  });

  it('locks after 25 parallel wrong passwords, checking no more than five of them, and audits all 25', async () => {
    const user = await account('demo-street');
    const from = await maxAuditId();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => login({ username: 'demo-street', password: `guess-${i}` })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 423)).toHaveLength(20);
    const after = await account('demo-street');
    expect(after.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const entries = await auditOf(user.id, from);
    expect([count(entries, 'auth.login_failed'), count(entries, 'auth.locked'), count(entries, 'auth.login_refused')]).toEqual([4, 1, 20]);
    // the right password now meets the lock
    expect((await login({ username: 'demo-street', password: DEMO_PASSWORD })).statusCode).toBe(423);
    await db().updateTable('app_user').set({ locked_until: null, failed_logins: 0 }).where('id', '=', user.id).execute();
  });

  it('does not count a right password whose code is still to come, nor let it lock the account', async () => {
    await db().updateTable('app_user').set({ failed_logins: 4, locked_until: null }).where('username', '=', 'demo-leader').execute();
    expect((await login({ username: 'demo-leader', password: DEMO_PASSWORD })).json().error.code).toBe('totp_required');
    expect(await account('demo-leader')).toMatchObject({ failed_logins: 4, locked_until: null });
    // the fifth wrong code locks, as a fifth wrong password does
    expect((await login({ username: 'demo-leader', password: DEMO_PASSWORD, totp: '000000' })).json().error.code).toBe('invalid_totp');
    expect((await account('demo-leader')).locked_until).not.toBeNull();
    await db().updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('username', '=', 'demo-leader').execute();
  });

  it('lets one TOTP code sign in once when four sign-ins use it at the same moment', async () => {
    await db().updateTable('app_user').set({ totp_last_step: null }).where('username', '=', 'demo-leader').execute();
    const code = currentTotp(DEMO_TOTP_SECRET);
    const answers = await Promise.all(Array.from({ length: 4 }, () => login({ username: 'demo-leader', password: DEMO_PASSWORD, totp: code })));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 401, 401, 401]);
    for (const a of answers.filter((x) => x.statusCode === 401)) expect(a.json().error.code).toBe('invalid_totp');
    await db().updateTable('app_user').set({ failed_logins: 0 }).where('username', '=', 'demo-leader').execute();
  });

  it('consumes a recovery code once when three sign-ins use it at the same moment', async () => {
    const { newRecoveryCodes } = await import('../src/modules/auth/totp.js');
    const { codes, hashes } = newRecoveryCodes();
    await db().updateTable('app_user').set({ recovery_codes: JSON.stringify(hashes), failed_logins: 0 }).where('username', '=', 'demo-leader').execute();
    const answers = await Promise.all(Array.from({ length: 3 }, () => login({ username: 'demo-leader', password: DEMO_PASSWORD, totp: codes[0] })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401]);
    const left = (await account('demo-leader')).recovery_codes;
    expect(left).toHaveLength(9);
    expect(left).not.toContain(hashes[0]);
    await db().updateTable('app_user').set({ failed_logins: 0 }).where('username', '=', 'demo-leader').execute();
  });
});

describe('the client address (finding 2)', () => {
  it('takes the address from the socket, not from a forged X-Forwarded-For: the per-address limit holds and the log is true', { timeout: 120_000 }, async () => {
    const limited = await testApp({ loginRateLimit: 5 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) {
        codes.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `nobody-${i}`, password: 'wrong-one' }, headers: { 'x-forwarded-for': `203.0.113.${i}` }, remoteAddress: '198.51.100.7' })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      const ips = await limited.handle.db.selectFrom('audit_event').select('ip').where('action', '=', 'auth.login_failed').execute();
      expect(ips).toHaveLength(5);
      expect(new Set(ips.map((r) => r.ip))).toEqual(new Set(['198.51.100.7']));
    } finally {
      await limited.close();
    }
  });

  it('believes X-Forwarded-For only from a configured trusted proxy', { timeout: 120_000 }, async () => {
    const proxied = await testApp({ trustedProxies: ['10.0.0.0/8'] });
    try {
      const send = (remoteAddress: string) =>
        proxied.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' }, headers: { 'x-forwarded-for': '203.0.113.9' }, remoteAddress });
      await send('10.1.2.3');
      await send('192.0.2.1');
      const ips = await proxied.handle.db.selectFrom('audit_event').select('ip').where('action', '=', 'auth.login_failed').orderBy('id').execute();
      expect(ips.map((r) => r.ip)).toEqual(['203.0.113.9', '192.0.2.1']);
    } finally {
      await proxied.close();
    }
  });
});

describe('three separated duties (finding 1)', () => {
  const userId = async (username: string) => (await account(username)).id;
  const refusals = async (afterId: number) =>
    db().selectFrom('audit_event').select(['action', 'actor_id', 'entity_id', 'result', 'detail']).where('id', '>', afterId).where('result', '=', 'denied').orderBy('id').execute();

  it('refuses the system administrator an account with roles, and audits the refusal; an account it creates has none', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const from = await maxAuditId();
    const privileged = await admin.post('/api/users', { username: 'zhou.lin', displayName: '内鬼', password: 'Qinghe#River2026', roles: ['dispatcher', 'supervisor'], jurisdictionCode: '990100' });
    expect(privileged.statusCode).toBe(403);
    expect(privileged.json().error).toMatchObject({ code: 'duty_separation', field: 'roles' });
    expect(await db().selectFrom('app_user').select('id').where('username', '=', 'zhou.lin').executeTakeFirst()).toBeUndefined();
    expect(await refusals(from)).toEqual([
      expect.objectContaining({ action: 'user.create_refused', actor_id: await userId('demo-admin'), detail: expect.objectContaining({ username: 'zhou.lin', roles: ['dispatcher', 'supervisor'] }) }),
    ]);

    const plain = await admin.post('/api/users', { username: 'zhou.lin', displayName: '内鬼', password: 'Qinghe#River2026', jurisdictionCode: '990100' });
    expect(plain.statusCode).toBe(201);
    expect(plain.json().roles).toEqual([]);
    // signed in, it can do nothing: no case, no reveal of a reporter
    const agent = await signIn(t.app, 'zhou.lin', 'Qinghe#River2026');
    await agent.post('/api/auth/password', { currentPassword: 'Qinghe#River2026', newPassword: 'Qinghe#Changed2026' });
    expect((await agent.get('/api/me')).json().user.abilities).toEqual([]);
    const hotline = await signIn(t.app, 'demo-hotline');
    const someCase = (await hotline.post('/api/cases', { channel: 'hotline', title: '路灯不亮', description: '小区门口的路灯连续三天晚上不亮。', matterTypeCode: 'CG-005', location: { lng: 111.5525, lat: 40.7615 }, reporter: { name: '张三', phone: '13812345678' } })).json();
    expect((await agent.get('/api/cases?limit=1')).statusCode).toBe(403);
    expect((await agent.post(`/api/cases/${someCase.id}/reveal`, { fields: ['reporterName', 'reporterPhone'], purpose: '回访核实诉求' })).statusCode).toBe(403);
  });

  it('refuses the system administrator any change to the security administrator and the auditor, and to itself', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const [security, auditor, self] = [await userId('demo-security'), await userId('demo-auditor'), await userId('demo-admin')];
    const from = await maxAuditId();
    const attempts = [
      () => admin.patch(`/api/users/${auditor}`, { active: false }),
      () => admin.patch(`/api/users/${security}`, { displayName: '改名' }),
      () => admin.patch(`/api/users/${security}`, { jurisdictionCode: '990102' }),
      () => admin.post(`/api/users/${security}/reset-password`),
      () => admin.post(`/api/users/${auditor}/reset-password`),
      () => admin.post(`/api/users/${self}/reset-password`),
      () => admin.patch(`/api/users/${self}`, { active: false }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('duty_separation');
    }
    expect((await account('demo-auditor')).active).toBe(true);
    expect((await account('demo-security')).display_name).toBe('安全管理员（演示）');
    const denied = await refusals(from);
    expect(denied.map((d) => d.action)).toEqual(['user.change_refused', 'user.change_refused', 'user.change_refused', 'user.password_reset_refused', 'user.password_reset_refused', 'user.password_reset_refused', 'user.change_refused']);
    // the demo password still works for both
    expect((await signIn(t.app, 'demo-auditor')).csrf).toBeTruthy();
  });

  it('refuses the system administrator the grant of a role (policy) and the security administrator business records, each audited', async () => {
    const admin = await signIn(t.app, 'demo-admin');
    const security = await signIn(t.app, 'demo-security');
    const target = await userId('zhou.lin');
    const from = await maxAuditId();
    const grant = await admin.put(`/api/users/${target}/roles`, { roles: ['dispatcher'], reason: '自己授权' });
    expect(grant.statusCode).toBe(403);
    expect(grant.json().error.code).toBe('role_not_permitted');
    expect((await security.get('/api/cases?limit=1')).statusCode).toBe(403);
    expect((await security.get('/api/audit')).statusCode).toBe(403);
    const denied = await refusals(from);
    expect(denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'auth.access_denied', actor_id: await userId('demo-admin'), entity_id: 'PUT /api/users/:id/roles' }),
        expect.objectContaining({ action: 'auth.access_denied', actor_id: await userId('demo-security'), entity_id: 'GET /api/cases' }),
        expect.objectContaining({ action: 'audit.access', actor_id: await userId('demo-security') }),
      ]),
    );
  });

  it('lets the security administrator grant a role and a clearance, never two duties and never to itself', async () => {
    const security = await signIn(t.app, 'demo-security');
    const target = await userId('zhou.lin');
    const from = await maxAuditId();
    const combined = await security.put(`/api/users/${target}/roles`, { roles: ['auditor', 'system_admin'], reason: '兼任' });
    expect(combined.statusCode).toBe(400);
    expect(combined.json().error.field).toBe('roles');
    const own = await security.put(`/api/users/${await userId('demo-security')}/roles`, { roles: ['auditor'], reason: '自授' });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('duty_separation');
    expect((await refusals(from)).map((d) => d.action)).toEqual(['user.roles_refused', 'user.roles_refused']);

    expect((await security.put(`/api/users/${target}/roles`, { roles: ['dispatcher'], reason: '调度岗位' })).json().roles).toEqual(['dispatcher']);
    expect((await security.put(`/api/users/${target}/clearance`, { clearance: 'confidential', reason: '承担信访事项' })).statusCode).toBe(200);
    const agent = await signIn(t.app, 'zhou.lin', 'Qinghe#Changed2026');
    expect((await agent.get('/api/cases?limit=1')).statusCode).toBe(200);
  });

  it('holds in the domain, whoever calls it: a dispatcher or the security administrator creating an account is refused and audited', async () => {
    const { createAccount } = await import('../src/modules/auth/users.js');
    const from = await maxAuditId();
    const asDispatcher = { id: await userId('demo-city'), roles: ['dispatcher' as const], jurisdictionPath: '990100' };
    await expect(createAccount(db(), t.app.ctx.config, asDispatcher, { username: 'sneaky', displayName: 'x', password: 'Sneaky#Qinghe1', jurisdictionCode: '990100' }, '127.0.0.1')).rejects.toMatchObject({ status: 403, code: 'duty_separation' });
    const asSecurity = { id: await userId('demo-security'), roles: ['security_admin' as const], jurisdictionPath: '990100' };
    await expect(createAccount(db(), t.app.ctx.config, asSecurity, { username: 'sneaky', displayName: 'x', password: 'Sneaky#Qinghe1', jurisdictionCode: '990100' }, '127.0.0.1')).rejects.toMatchObject({ status: 403 });
    expect((await refusals(from)).map((d) => d.action)).toEqual(['user.create_refused', 'user.create_refused']);
  });
});

describe('re-authentication for security changes (finding 4)', () => {
  const nextCode = (secret: string) => currentTotp(secret, Date.now() + 30_000);
  const freshStep = (username: string) => db().updateTable('app_user').set({ totp_last_step: null }).where('username', '=', username).execute();
  const inbox = async (username: string) =>
    (await db().selectFrom('notification').select('kind').where('user_id', '=', (await account(username)).id).where('kind', 'like', 'security.%').orderBy('id').execute()).map((n) => n.kind);

  it('refuses a session alone to replace the second factor; the owner\'s authenticator keeps working', async () => {
    const stolen = await signIn(t.app, 'demo-leader');
    const bare = await stolen.post('/api/auth/totp/setup', {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.field).toBe('currentPassword');
    const noCode = await stolen.post('/api/auth/totp/setup', { currentPassword: DEMO_PASSWORD });
    expect(noCode.json().error).toMatchObject({ field: 'code', code: 'totp_required' });
    const wrongCode = await stolen.post('/api/auth/totp/setup', { currentPassword: DEMO_PASSWORD, code: '000000' });
    expect(wrongCode.json().error).toMatchObject({ field: 'code', code: 'invalid_totp' });
    const wrongPassword = await stolen.post('/api/auth/totp/setup', { currentPassword: 'guess-1', code: nextCode(DEMO_TOTP_SECRET) });
    expect(wrongPassword.json().error).toMatchObject({ field: 'currentPassword', code: 'invalid_credentials' });
    expect((await stolen.post('/api/auth/totp/enable', { code: '123456', currentPassword: DEMO_PASSWORD })).statusCode).toBe(400);
    const row = await account('demo-leader');
    expect(row).toMatchObject({ totp_secret: DEMO_TOTP_SECRET, totp_pending_secret: null, totp_enabled: true });
    const failures = await db().selectFrom('audit_event').select('action').where('actor_id', '=', row.id).where('action', '=', 'auth.reauth_failed').execute();
    expect(failures).toHaveLength(2);
    await freshStep('demo-leader');
    expect((await login({ username: 'demo-leader', password: DEMO_PASSWORD, totp: currentTotp(DEMO_TOTP_SECRET) })).statusCode).toBe(200);
    await db().updateTable('app_user').set({ failed_logins: 0 }).where('id', '=', row.id).execute();
  });

  it('replaces the authenticator with the password and a current code, audits it and tells the owner', async () => {
    const owner = await signIn(t.app, 'demo-supervisor');
    // a supervisor may enrol although not obliged to: the password alone starts it
    const setup = (await owner.post('/api/auth/totp/setup', { currentPassword: DEMO_PASSWORD })).json();
    expect((await owner.post('/api/auth/totp/enable', { code: currentTotp(setup.secret), currentPassword: 'wrong-one' })).json().error.field).toBe('currentPassword');
    expect((await owner.post('/api/auth/totp/enable', { code: currentTotp(setup.secret), currentPassword: DEMO_PASSWORD })).json().recoveryCodes).toHaveLength(10);
    // enrolled: sign-in now asks for the code, and replacing needs a current one
    expect((await login({ username: 'demo-supervisor', password: DEMO_PASSWORD })).json().error.code).toBe('totp_required');
    expect((await owner.post('/api/auth/totp/setup', { currentPassword: DEMO_PASSWORD })).json().error.code).toBe('totp_required');
    const replacement = (await owner.post('/api/auth/totp/setup', { currentPassword: DEMO_PASSWORD, code: nextCode(setup.secret) })).json();
    expect(replacement.secret).not.toBe(setup.secret);
    expect((await owner.post('/api/auth/totp/enable', { code: currentTotp(replacement.secret), currentPassword: DEMO_PASSWORD })).statusCode).toBe(200);
    await freshStep('demo-supervisor');
    expect((await login({ username: 'demo-supervisor', password: DEMO_PASSWORD, totp: currentTotp(setup.secret) })).json().error.code).toBe('invalid_totp');
    await freshStep('demo-supervisor');
    expect((await login({ username: 'demo-supervisor', password: DEMO_PASSWORD, totp: currentTotp(replacement.secret) })).statusCode).toBe(200);

    // new recovery codes, a password change and signing out everywhere: each needs the password and a code
    await freshStep('demo-supervisor');
    expect((await owner.post('/api/auth/recovery-codes', { currentPassword: DEMO_PASSWORD })).json().error.code).toBe('totp_required');
    const codes = (await owner.post('/api/auth/recovery-codes', { currentPassword: DEMO_PASSWORD, code: currentTotp(replacement.secret) })).json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect((await owner.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Qinghe#Super2026' })).json().error.code).toBe('totp_required');
    expect((await owner.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Qinghe#Super2026', code: codes[0] })).statusCode).toBe(200);
    expect((await owner.post('/api/auth/logout-all', { currentPassword: 'Qinghe#Super2026' })).json().error.code).toBe('totp_required');
    expect((await owner.post('/api/auth/logout-all', { currentPassword: 'Qinghe#Super2026', code: codes[1] })).statusCode).toBe(200);

    const id = (await account('demo-supervisor')).id;
    const audit = (await db().selectFrom('audit_event').select('action').where('actor_id', '=', id).where('action', 'in', ['auth.totp_enabled', 'auth.totp_replaced', 'auth.recovery_codes_generated', 'auth.password_changed', 'auth.logout_all']).orderBy('id').execute()).map((a) => a.action);
    expect(audit).toEqual(['auth.totp_enabled', 'auth.totp_replaced', 'auth.recovery_codes_generated', 'auth.password_changed', 'auth.logout_all']);
    expect(await inbox('demo-supervisor')).toEqual(['security.totp_enabled', 'security.totp_replaced', 'security.recovery_codes_generated', 'security.password_changed', 'security.logout_all']);
  });

  it('counts wrong passwords given for re-authentication towards the lockout', async () => {
    const session = await signIn(t.app, 'demo-intake');
    for (let i = 0; i < 5; i++) expect((await session.post('/api/auth/logout-all', { currentPassword: `guess-${i}` })).statusCode).toBe(400);
    expect((await session.post('/api/auth/logout-all', { currentPassword: DEMO_PASSWORD })).statusCode).toBe(423);
    expect((await login({ username: 'demo-intake', password: DEMO_PASSWORD })).statusCode).toBe(423);
    await db().updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('username', '=', 'demo-intake').execute();
  });

  it('lets a role that must keep a second factor replace it but not remove it', async () => {
    const leader = await signIn(t.app, 'demo-leader');
    await freshStep('demo-leader');
    const res = await leader.post('/api/auth/totp/remove', { currentPassword: DEMO_PASSWORD, code: currentTotp(DEMO_TOTP_SECRET) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('totp_required_for_role');
    expect((await account('demo-leader')).totp_enabled).toBe(true);
  });
});

describe('the lesser findings (finding 6)', () => {
  it('stores an HTML page behind a GIF header as a GIF, keeps its name only as a label and serves it as a download', async () => {
    const hotline = await signIn(t.app, 'demo-hotline');
    const c = (await hotline.post('/api/cases', { channel: 'hotline', title: '井盖缺失', description: '路口井盖缺失，夜间很危险。', matterTypeCode: 'CG-005', location: { lng: 111.5525, lat: 40.7615 } })).json();
    const evil = Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'), Buffer.from('<html><script>fetch("/api/me")</script></html>')]);
    const boundary = 'zhili-attack';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="../evil\u202Egpj.html"\r\nContent-Type: text/html\r\n\r\n`),
      evil,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await hotline.request({ method: 'POST', url: `/api/cases/${c.id}/attachments`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ mimeType: 'image/gif', fileName: 'evil_gpj.gif', label: 'evil_gpj.html' });
    const down = await hotline.get(`/api/cases/${c.id}/attachments/${up.json().id}`);
    expect(down.headers['content-type']).toBe('image/gif');
    expect(down.headers['content-disposition']).toBe("attachment; filename*=UTF-8''evil_gpj.gif");
    expect(down.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(down.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps an Open311 api_key sent in the query string out of the log', async () => {
    const { Writable } = await import('node:stream');
    const { buildApp } = await import('../src/http/app.js');
    const { LOG_REDACTION } = await import('../src/modules/privacy/logging.js');
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const logged = await buildApp({ handle: t.handle, config: t.app.ctx.config, logger: { level: 'info', redact: LOG_REDACTION, stream } });
    await logged.ready();
    try {
      await logged.inject({ method: 'GET', url: '/open311/v2/services.json?api_key=demo-open311-key&jurisdiction_id=990100' });
      await logged.inject({ method: 'POST', url: '/open311/v2/requests.json?api_key=demo-open311-key', payload: { service_code: 'CG-005' } });
      await logged.inject({ method: 'GET', url: '/api/me?token=abc123secret&password=hunter2hunter2' });
    } finally {
      await logged.close();
    }
    const all = lines.join('');
    expect(all).toContain('api_key=[REDACTED]');
    expect(all).not.toContain('demo-open311-key');
    expect(all).not.toContain('abc123secret');
    expect(all).not.toContain('hunter2hunter2');
  });

  it('gives the session cookie no lifetime, so it ends with the browser, unless ZHILI_SESSION_PERSIST', { timeout: 120_000 }, async () => {
    const res = await login({ username: 'demo-grid', password: DEMO_PASSWORD });
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^zhili_session=/);
    expect(header).not.toMatch(/Expires=|Max-Age=/i);
    const persistent = await testApp({ sessionPersist: true });
    try {
      const kept = await persistent.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'demo-grid', password: DEMO_PASSWORD } });
      expect(String(kept.headers['set-cookie'])).toMatch(/Expires=/);
    } finally {
      await persistent.close();
    }
  });
});
