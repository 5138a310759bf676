import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../server/src/modules/auth/totp.js';
import { logIn, newPage, startWorld, type World } from './support.js';

/*
 * The three separated duties (三员分立) walked in the console (issue 12): the system administrator creates an
 * account, which gets no role, and cannot grant one; the security administrator grants a role and a clearance;
 * the new user signs in and works; the auditor finds all of it, the refusal included, in the log.
 */

const DEMO_TOTP_SECRET = 'ZHILIDEMO2FA7777';
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

/** Signs a privileged demo account in with its authenticator code (each code is accepted once per account). */
async function signInWithCode(username: string): Promise<Page> {
  await world.server.handle.db.updateTable('app_user').set({ totp_last_step: null }).where('username', '=', username).execute();
  const page = await newPage(world);
  await logIn(page, username);
  await page.getByTestId('login-totp').fill(currentTotp(DEMO_TOTP_SECRET));
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

const rowOf = (page: Page, username: string) => page.locator('tr', { hasText: username });

describe('three separated duties in the console', () => {
  it('administrator creates an account without a role and is refused a grant; the security administrator grants; the user works; the auditor sees it all', { timeout: 240_000 }, async () => {
    // the system administrator: a new account, which has no role
    const admin = await signInWithCode('demo-admin');
    await admin.goto('/users');
    await admin.getByTestId('user-create').click();
    await admin.locator('#new-username').fill('chen.jing');
    await admin.locator('#new-display-name').fill('陈静');
    await admin.locator('#new-password').fill('Qinghe#Start2026');
    await admin.getByTestId('user-submit').click();
    await expect.poll(() => rowOf(admin, 'chen.jing').innerText(), { timeout: 15_000 }).toContain('无角色');
    // its own account and the guarded duties offer no action
    await expect.poll(() => admin.getByTestId('user-reset-demo-auditor').count()).toBe(0);
    await expect.poll(() => admin.getByTestId('user-reset-chen.jing').count()).toBe(1);

    // … and its attempt to grant a role is refused, with the reason
    await admin.goto('/roles');
    await expect.poll(() => admin.getByTestId('roles-help').innerText()).toContain('安全管理员授予');
    await admin.getByTestId('grant-roles-chen.jing').click();
    await admin.getByTestId('role-dispatcher').click();
    await admin.locator('#grant-reason').fill('想自己授权');
    await admin.getByTestId('roles-submit').click();
    await expect.poll(() => admin.getByTestId('roles-error').innerText()).toContain('三员分立：角色和许可级别只能由安全管理员授予');
    await admin.context().close();

    // the security administrator grants a role and a clearance
    const security = await signInWithCode('demo-security');
    await security.goto('/roles');
    await security.getByTestId('roles-pending').click();
    await expect.poll(() => rowOf(security, 'chen.jing').innerText(), { timeout: 15_000 }).toContain('无角色');
    await security.getByTestId('grant-roles-chen.jing').click();
    await security.getByTestId('role-dispatcher').click();
    await security.locator('#grant-reason').fill('市综治中心调度岗位');
    await security.getByTestId('roles-submit').click();
    await expect.poll(() => security.locator('.ant-message').innerText()).toContain('已授权');
    await security.getByTestId('roles-pending').click();
    await expect.poll(() => rowOf(security, 'chen.jing').innerText()).toContain('调度员');
    await security.getByTestId('set-clearance-chen.jing').click();
    await security.getByTestId('clearance-choice').click();
    await security.locator('.ant-select-item-option', { hasText: '敏感' }).click();
    await security.locator('#grant-reason').fill('承担信访事项');
    await security.getByTestId('roles-submit').click();
    await expect.poll(() => rowOf(security, 'chen.jing').innerText()).toContain('敏感');
    await security.context().close();

    // the new user: first the initial password, then the work
    const user = await newPage(world);
    await logIn(user, 'chen.jing', 'Qinghe#Start2026');
    await user.waitForURL('**/account');
    await user.locator('#current-password').fill('Qinghe#Start2026');
    await user.locator('#new-password').fill('Qinghe#Dispatch88');
    await user.locator('#confirm-password').fill('Qinghe#Dispatch88');
    await user.getByTestId('password-save').click();
    await expect.poll(() => user.locator('.ant-message').innerText()).toContain('密码已修改');
    await user.goto('/cases');
    await user.waitForURL('**/cases');
    await expect.poll(() => user.getByTestId('current-user').innerText()).toContain('陈静');
    await expect.poll(() => user.locator('body').innerText(), { timeout: 15_000 }).not.toContain('没有访问此页面的权限');
    await user.context().close();

    // the auditor sees all of it
    const auditor = await signInWithCode('demo-auditor');
    await auditor.goto('/audit');
    const table = auditor.getByTestId('audit-table');
    await expect.poll(() => table.innerText(), { timeout: 15_000 }).toContain('auth.login');
    for (const action of ['user.create', 'auth.access_denied', 'user.roles_changed', 'user.clearance_changed', 'auth.password_changed']) {
      await auditor.locator('#action').fill(action);
      await auditor.getByRole('button', { name: /查\s*询/ }).click();
      await expect.poll(() => table.innerText(), { timeout: 15_000 }).toContain(action);
      if (action.startsWith('user.')) await expect.poll(() => table.innerText()).toContain('chen.jing');
    }
    await auditor.getByTestId('audit-verify').click();
    await expect.poll(() => auditor.getByTestId('audit-verdict').innerText()).toContain('哈希链完整');
    await auditor.context().close();
  });
});
