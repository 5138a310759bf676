import fs from 'node:fs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, pageAs, screenshotDir, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

/** Clicks a dispute action, lets `fill` complete its modal, confirms and waits for the status. */
async function act(page: Page, action: string, status: string, fill?: (modal: ReturnType<Page['getByTestId']>) => Promise<void>) {
  await page.getByTestId(`dispute-action-${action}`).click();
  const modal = page.getByTestId('dispute-modal-body');
  await modal.waitFor();
  if (fill) await fill(modal);
  await page.getByTestId('dispute-modal-ok').click();
  await modal.waitFor({ state: 'detached' });
  await expect.poll(() => page.getByTestId('dispute-status').getAttribute('data-status')).toBe(status);
}

const timeline = (page: Page) => page.getByTestId('dispute-timeline').locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''));

describe('a neighbour dispute in the console', () => {
  it('goes from intake through diversion, assignment, a session and an agreement to confirmation and a follow-up', { timeout: 240_000 }, async () => {
    // the community centre takes in the case and the dispute together
    const centre = await pageAs(world, 'demo-community');
    await centre.getByRole('menuitem', { name: /矛盾纠纷/ }).click();
    await centre.waitForURL('**/disputes');
    await centre.getByTestId('dispute-new').click();
    await centre.waitForURL('**/disputes/new');
    await centre.getByTestId('dispute-case-title').fill('安居社区楼上漏水邻里纠纷');
    await centre.getByTestId('dispute-case-description').fill('居民反映楼上卫生间漏水致楼下天花板受损，双方多次协商未果。');
    await centre.getByTestId('dispute-community').click();
    await centre.keyboard.type('安居社区');
    await centre.locator('.ant-select-tree-node-content-wrapper', { hasText: '安居社区' }).first().click();
    await centre.getByTestId('dispute-type-neighbour').click();
    await centre.getByTestId('dispute-facts').fill('2026年10月起楼上住户卫生间防水层损坏，渗水致楼下天花板霉变脱落。');
    await centre.getByTestId('dispute-amount').fill('3000');
    await centre.getByTestId('party-0-name').fill('郝振东');
    await centre.getByTestId('party-0-phone').fill('13700001111');
    await centre.getByTestId('party-0-id').fill('11010519491231002X');
    await centre.getByTestId('party-1-name').fill('钱海燕');
    await centre.getByTestId('party-1-phone').fill('13900002222');
    await centre.getByTestId('dispute-submit').click();
    await centre.waitForURL(/\/disputes\/\d+$/);
    const id = Number(new URL(centre.url()).pathname.split('/').pop());
    await expect.poll(() => centre.getByTestId('dispute-status').getAttribute('data-status')).toBe('registered');
    // parties come back masked
    const parties = await centre.getByTestId('dispute-parties').innerText();
    expect(parties).toContain('郝**');
    expect(parties).not.toContain('郝振东');

    // diverted to the community's people's mediation committee
    await act(centre, 'divert', 'diverted', async (modal) => {
      await modal.getByTestId('path-people_mediation').click();
      await modal.getByText('安居社区人民调解委员会').click();
      await modal.getByTestId('divert-reason').fill('邻里纠纷，适宜由社区人民调解委员会就地调解');
    });
    expect(await centre.getByTestId('dispute-path').innerText()).toBe('人民调解');

    // the suggested mediators include demo-mediator (调解员李明); the centre assigns him
    await act(centre, 'assign', 'mediating', async (modal) => {
      const li = modal.locator('label', { hasText: '调解员李明' });
      await li.waitFor();
      await li.click();
    });
    expect(await centre.getByTestId('dispute-mediator').innerText()).toBe('调解员李明');

    // the mediator finds it on the workbench, holds a session and records the agreement
    const mediator = await pageAs(world, 'demo-mediator');
    await mediator.getByRole('menuitem', { name: /调解工作台/ }).click();
    await mediator.waitForURL('**/mediation/workbench');
    await mediator.getByTestId(`dispute-link-${id}`).click();
    await mediator.waitForURL(`**/disputes/${id}`);
    await act(mediator, 'record-session', 'mediating', async (modal) => {
      await modal.getByTestId('session-place').fill('安居社区人民调解室');
      await modal.getByTestId('session-participants').fill('郝振东、钱海燕、调解员李明');
      await modal.getByTestId('session-minutes').fill('经释法说理，双方同意由楼上住户修复防水并赔偿楼下损失。');
    });
    expect(await mediator.getByTestId('dispute-sessions').innerText()).toContain('安居社区人民调解室');
    await act(mediator, 'conclude', 'agreed', async (modal) => {
      await modal.getByTestId('outcome-agreement').click();
      await modal.getByTestId('conclude-terms').fill('一、钱海燕于2026年12月5日前修复卫生间防水层；\n二、钱海燕赔偿郝振东天花板修复费用人民币叁仟元整。');
      await modal.getByTestId('conclude-method').fill('修复由钱海燕自行委托施工，赔偿款一次性转账支付');
      await modal.getByTestId('conclude-deadline').fill('2026-12-10');
    });

    // the agreement downloads as a Word document with the parties' full names and the terms
    const [download] = await Promise.all([mediator.waitForEvent('download'), mediator.getByTestId('dispute-agreement').click()]);
    const file = await download.path();
    const zip = await JSZip.loadAsync(fs.readFileSync(file!));
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const s of ['人民调解协议书', '郝振东', '钱海燕', '修复卫生间防水层', '叁仟元', '2026年12月10日', '调解员李明']) expect(xml).toContain(s);

    // judicial confirmation applied for and decided, then a follow-up
    await act(mediator, 'apply-confirmation', 'agreed', async (modal) => {
      await modal.getByTestId('confirmation-court').fill('青河区人民法院');
      await modal.getByTestId('confirmation-applied-on').fill('2026-11-22');
    });
    await act(mediator, 'record-confirmation', 'agreed', async (modal) => {
      await modal.getByTestId('decision-confirmed').click();
      await modal.getByTestId('confirmation-decided-on').fill('2026-11-30');
    });
    expect(await mediator.getByTestId('dispute-confirmation').innerText()).toContain('确认有效');
    await act(mediator, 'schedule-follow-up', 'agreed', async (modal) => {
      await modal.getByTestId('follow-up-due').fill('2026-12-15');
    });
    await act(mediator, 'record-follow-up', 'agreed', async (modal) => {
      await modal.getByTestId('follow-up-result').fill('防水已修复，赔偿款已付清，双方满意');
    });
    expect(await mediator.getByTestId('dispute-follow-ups').innerText()).toContain('双方满意');
    expect(await timeline(mediator)).toEqual(['intake', 'divert', 'assign', 'record-session', 'conclude', 'agreement', 'apply-confirmation', 'record-confirmation', 'schedule-follow-up', 'record-follow-up']);
    await mediator.screenshot({ path: `${screenshotDir}/zhili-dispute.png`, fullPage: true });

    // statistics for the leaders
    const supervisor = await pageAs(world, 'demo-supervisor');
    await supervisor.getByRole('menuitem', { name: /纠纷统计/ }).click();
    await supervisor.waitForURL('**/mediation/stats');
    await supervisor.getByTestId('chart-med.byType').waitFor();
    expect(await supervisor.locator('.ant-statistic').first().innerText()).toContain('1');
  });

  it('shows the administrative-mediation list to anyone, without signing in', async () => {
    const page = await newPage(world);
    await page.goto('/public/administrative-mediation');
    await page.getByTestId('public-list-version').waitFor();
    expect(await page.getByTestId('public-list-version').innerText()).toContain('2026-01-01');
    const text = await page.getByTestId('public-list').innerText();
    expect(text).toContain('公安');
    expect(text).toContain('提起民事诉讼');
    expect(new URL(page.url()).pathname).toBe('/public/administrative-mediation');
  });
});
