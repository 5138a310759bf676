import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../server/src/modules/auth/totp.js';
import { DEMO_PASSWORD, logIn, newPage, startWorld, type World } from './support.js';

const DEMO_TOTP_SECRET = 'ZHILIDEMO2FA7777';
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

describe('sign-in security in the browser', () => {
  it('asks a leader for the authenticator code, refuses a wrong one and signs in with the right one', async () => {
    const page = await newPage(world);
    await logIn(page, 'demo-leader');
    const totp = page.getByTestId('login-totp');
    await totp.waitFor();
    await totp.fill('000000');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.locator('[data-testid="login-error"]').innerText()).toContain('动态验证码错误');
    await world.server.handle.db.updateTable('app_user').set({ totp_last_step: null }).where('username', '=', 'demo-leader').execute();
    await totp.fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expect.poll(() => page.getByTestId('current-user').innerText()).toContain('市综治中心主任');
    await page.context().close();
  });

  it('locks an account after five wrong passwords and says so', async () => {
    const page = await newPage(world);
    for (let i = 0; i < 5; i++) {
      await logIn(page, 'demo-intake', `wrong-${i}`);
      await expect.poll(() => page.locator('[data-testid="login-error"]').count()).toBe(1);
    }
    await logIn(page, 'demo-intake', DEMO_PASSWORD);
    await expect.poll(() => page.locator('[data-testid="login-error"]').innerText()).toContain('锁定');
    await world.server.handle.db.updateTable('app_user').set({ locked_until: null, failed_logins: 0 }).where('username', '=', 'demo-intake').execute();
    await page.context().close();
  });

  it('sends a user whose session went idle back to the sign-in page', async () => {
    const page = await newPage(world);
    await logIn(page, 'demo-district');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await world.server.handle.db.updateTable('user_session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).execute();
    await page.reload();
    await page.waitForURL('**/login**');
    await expect.poll(() => page.locator('body').innerText()).toContain('登录已过期');
    await page.context().close();
  });

  it('makes an account with an initial password change it before anything else', async () => {
    const { hashPassword } = await import('../../server/src/modules/auth/passwords.js');
    await world.server.handle.db.updateTable('app_user').set({ password_hash: await hashPassword('Initial#Qinghe1'), must_change_password: true }).where('username', '=', 'demo-street').execute();
    const page = await newPage(world);
    await logIn(page, 'demo-street', 'Initial#Qinghe1');
    await page.waitForURL('**/account');
    await page.goto('/cases');
    await page.waitForURL('**/account');
    await page.locator('#current-password').fill('Initial#Qinghe1');
    await page.locator('#new-password').fill('abc');
    await page.locator('#confirm-password').fill('abc');
    await page.getByTestId('password-save').click();
    await expect.poll(() => page.getByTestId('account-error').innerText()).toContain('至少');
    await page.locator('#new-password').fill('Dongguan#Street9');
    await page.locator('#confirm-password').fill('Dongguan#Street9');
    await page.getByTestId('password-save').click();
    await page.goto('/cases');
    await page.waitForURL('**/cases');
    await page.context().close();
  });
});

describe('the auditor in the browser', () => {
  it('signs in with the second factor, searches the log and verifies the chain', async () => {
    await world.server.handle.db.updateTable('app_user').set({ totp_last_step: null }).where('username', '=', 'demo-auditor').execute();
    const page = await newPage(world);
    await logIn(page, 'demo-auditor');
    await page.getByTestId('login-totp').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto('/audit');
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('auth.login');
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verdict').innerText()).toContain('哈希链完整');
    await page.context().close();
  });
});
