import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, clickMapAt, pageAs, screenshotDir, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

// a point in grid 990102001001001: 安居社区, 东关街道, 青河区
const STREETLIGHT = { lng: 111.5525, lat: 40.7615 };

async function openCase(page: Page, id: number) {
  await page.goto(`/cases/${id}`);
  await page.getByTestId('case-number').waitFor();
}

/** Clicks an action's button on the case page, lets `fill` complete its modal, confirms and waits for the new status. */
async function act(page: Page, action: string, status: string, fill?: (modal: ReturnType<Page['getByTestId']>) => Promise<void>) {
  await page.getByTestId(`action-${action}`).click();
  const modal = page.getByTestId('action-modal');
  await modal.waitFor();
  if (fill) await fill(modal);
  await page.getByTestId('action-modal-ok').click();
  await modal.waitFor({ state: 'detached' });
  await expect.poll(() => page.getByTestId('case-status').getAttribute('data-status')).toBe(status);
}

async function timelineActions(page: Page): Promise<string[]> {
  return page.getByTestId('case-timeline').locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''));
}

describe('the case loop in the console', () => {
  let caseA = 0;
  let caseB = 0;

  it('takes in a hotline call on the map, dispatches, signs, feeds back, verifies and rates it', { timeout: 180_000 }, async () => {
    const hotline = await pageAs(world, 'demo-hotline');
    await hotline.getByRole('menuitem', { name: /受理登记/ }).click();
    await hotline.waitForURL('**/intake');
    await hotline.getByTestId('intake-title').fill('东关街道安居社区门口路灯不亮');
    await hotline.getByTestId('intake-description').fill('市民来电：小区门口两盏路灯连续三晚不亮，晚上太黑，老人出行不便。');
    // the matter type is suggested from the text as the operator types
    const suggestion = hotline.getByTestId('matter-suggestion-CG-005');
    await suggestion.waitFor({ timeout: 15_000 });
    await suggestion.click();
    await expect.poll(() => hotline.getByTestId('intake-matter-info').innerText()).toContain('5 个工作日');
    // the map of the operator's jurisdiction: wait for its grids, then click the point
    await hotline.waitForFunction(() => document.querySelectorAll('path.zhili-case-grid').length >= 300, undefined, { timeout: 30_000 });
    await clickMapAt(hotline, 'intake-map', STREETLIGHT.lng, STREETLIGHT.lat);
    const located = hotline.getByTestId('intake-location');
    await expect.poll(() => located.getAttribute('data-grid'), { timeout: 15_000 }).toBe('990102001001001');
    expect(await located.innerText()).toContain('安居社区');
    // with matter and place known the duplicates panel has looked: none yet
    await expect.poll(() => hotline.getByTestId('intake-duplicates').innerText()).toContain('附近没有同类未办结案件');
    await hotline.getByTestId('intake-reporter-name').fill('张三');
    await hotline.getByTestId('intake-reporter-phone').fill('13800138000');
    await hotline.screenshot({ path: `${screenshotDir}/zhili-intake.png` });
    await hotline.getByTestId('intake-submit').click();
    await hotline.waitForURL(/\/cases\/\d+$/);
    caseA = Number(new URL(hotline.url()).pathname.split('/').pop());
    await hotline.getByTestId('case-number').waitFor();
    expect(await hotline.getByTestId('case-status').getAttribute('data-status')).toBe('registered');
    // the reporter comes back masked
    expect(await hotline.getByTestId('case-reporter').innerText()).toMatch(/张\*.*138\*{4}8000/);
    const number = await hotline.getByTestId('case-number').innerText();

    // the district dispatcher sends it to the department the matrix proposes
    const district = await pageAs(world, 'demo-district');
    await openCase(district, caseA);
    expect(await district.getByTestId('case-number').innerText()).toBe(number);
    expect(await district.getByTestId('case-department').innerText()).toContain('城市管理');
    await act(district, 'dispatch', 'dispatched', async (modal) => {
      // the proposed department is chosen already
      expect(await modal.innerText()).toContain('建议');
    });

    // the department hears of it in its inbox, opens it from there, signs and feeds back
    const dept = await pageAs(world, 'demo-dept');
    await expect.poll(async () => Number(await dept.getByTestId('inbox-bell').getAttribute('data-unread')), { timeout: 40_000 }).toBeGreaterThan(0);
    await dept.getByTestId('inbox-bell').click();
    await dept.getByTestId('inbox-list').locator(`[data-case-id="${caseA}"]`).first().click();
    await dept.waitForURL(`**/cases/${caseA}`);
    await dept.getByTestId('case-number').waitFor();
    await act(dept, 'sign', 'signed');
    await act(dept, 'feed-back', 'fed_back', async (modal) => {
      await modal.getByTestId('action-result').fill('已更换两盏路灯灯泡并检修线路，现已恢复照明。');
    });

    // the district verifies: passed, the case closes as resolved
    await openCase(district, caseA);
    await act(district, 'verify', 'closed');
    expect(await district.getByTestId('case-close-reason').innerText()).toBe('已解决');

    // the hotline calls the reporter back (the number shown in clear for that stated purpose) and records the rating
    await openCase(hotline, caseA);
    await hotline.getByTestId('reporter-reveal').click();
    await hotline.getByTestId('reporter-reveal-purpose').fill('回访核实诉求办理情况');
    await hotline.getByTestId('reporter-reveal-ok').click();
    await expect.poll(() => hotline.getByTestId('reporter-revealed').innerText()).toBe('张三 · 13800138000');
    await act(hotline, 'rate', 'closed', async (modal) => {
      await modal.getByTestId('rating-satisfied').click();
    });
    expect(await hotline.getByTestId('case-rating').innerText()).toBe('满意');
    expect(await timelineActions(hotline)).toEqual(['intake', 'dispatch', 'sign', 'feed-back', 'verify', 'rate']);
    const timeline = await hotline.getByTestId('case-timeline').innerText();
    for (const text of ['登记', '交办', '签收', '反馈', '核查', '回访评价', '已更换两盏路灯灯泡']) expect(timeline).toContain(text);
    await hotline.screenshot({ path: `${screenshotDir}/zhili-case-closed.png`, fullPage: true });

    for (const p of [hotline, district, dept]) await p.context().close();
  });

  it('lets a department return a case, the district designate the lead, and approves an extension that moves the deadline', { timeout: 180_000 }, async () => {
    const hotline = await pageAs(world, 'demo-hotline');
    // set up through the API: this case lies in another community of the same street (福居社区)
    const created = await callApi<{ id: number; status: string }>(hotline, 'POST', '/api/cases', {
      channel: 'hotline',
      title: '福居社区路灯坏了',
      description: '小区南门外路灯杆倾斜，灯不亮。',
      matterTypeCode: 'CG-005',
      communityCode: '990102001002',
    });
    expect(created.status).toBe(201);
    caseB = created.data.id;
    // and one more for the bulk dispatch from the board
    const third = await callApi<{ id: number }>(hotline, 'POST', '/api/cases', {
      channel: 'hotline',
      title: '康居社区路灯闪烁',
      description: '路灯忽明忽暗。',
      matterTypeCode: 'CG-005',
      communityCode: '990102001003',
    });
    expect(third.status).toBe(201);
    const caseC = third.data.id;
    await hotline.context().close();

    const district = await pageAs(world, 'demo-district');
    const dept = await pageAs(world, 'demo-dept');
    await openCase(district, caseB);
    await act(district, 'dispatch', 'dispatched');

    await openCase(dept, caseB);
    await act(dept, 'return', 'returned', async (modal) => {
      await modal.getByTestId('action-reason').fill('路灯杆倾斜属于道路设施安全隐患，需由区里明确牵头单位。');
    });

    await openCase(district, caseB);
    await act(district, 'designate-lead', 'dispatched', async (modal) => {
      await modal.getByTestId('action-reason').fill('路灯设施由区城管局牵头处置');
    });
    expect(await district.getByTestId('case-department').getAttribute('data-designated')).toBe('1');
    expect(await district.getByTestId('case-department').innerText()).toContain('城市管理');

    await openCase(dept, caseB);
    // a designated lead department can no longer return the case
    expect(await dept.getByTestId('action-return').count()).toBe(0);
    await act(dept, 'request-extension', 'dispatched', async (modal) => {
      await modal.getByTestId('action-days').fill('3');
      await modal.getByTestId('action-reason').fill('需协调供电公司停电作业，申请延期 3 个工作日。');
    });
    await dept.getByTestId('case-pending-extension').waitFor();

    await openCase(district, caseB);
    const before = await district.getByTestId('case-deadline').getAttribute('data-deadline');
    await act(district, 'approve-extension', 'dispatched');
    await expect.poll(() => district.getByTestId('case-deadline').getAttribute('data-deadline')).not.toBe(before);
    const after = await district.getByTestId('case-deadline').getAttribute('data-deadline');
    // three working days later: at least three calendar days
    expect(new Date(after!).getTime() - new Date(before!).getTime()).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(await district.getByTestId('case-pending-extension').count()).toBe(0);
    expect(await timelineActions(district)).toEqual(['intake', 'dispatch', 'return', 'designate-lead', 'request-extension', 'approve-extension']);
    const timeline = await district.getByTestId('case-timeline').innerText();
    for (const text of ['退回', '需由区里明确牵头单位', '指定牵头', '申请延期', '批准延期']) expect(timeline).toContain(text);
    await district.screenshot({ path: `${screenshotDir}/zhili-case-extension.png`, fullPage: true });

    // the dispatcher board lists both cases
    await district.goto('/cases');
    const board = district.getByTestId('case-board');
    await board.waitFor();
    await expect.poll(() => board.locator(`[data-testid=case-link-${caseA}], [data-testid=case-link-${caseB}], [data-testid=case-link-${caseC}]`).count()).toBe(3);
    await district.screenshot({ path: `${screenshotDir}/zhili-board.png` });
    // bulk dispatch: the registered case goes, the closed one is refused
    for (const id of [caseA, caseC]) await board.locator(`tr[data-row-key="${id}"] .ant-checkbox-input`).check();
    await district.getByTestId('bulk-dispatch').click();
    await district.getByTestId('bulk-dispatch-department').click();
    await district.keyboard.type('青河区城市管理');
    await district.locator('.ant-select-item-option', { hasText: '青河区城市管理综合执法局' }).first().click();
    await district.getByTestId('bulk-dispatch-ok').click();
    const result = district.getByTestId('bulk-result');
    await expect.poll(() => result.innerText()).toContain('成功 1 件，未交办 1 件');
    expect(await result.getByTestId(`bulk-outcome-${caseC}`).getAttribute('data-ok')).toBe('1');
    expect(await result.getByTestId(`bulk-outcome-${caseA}`).getAttribute('data-ok')).toBe('0');
    await district.screenshot({ path: `${screenshotDir}/zhili-bulk.png` });
    await district.getByTestId('bulk-dispatch-ok').click();
    await result.waitFor({ state: 'detached' });
    await expect.poll(() => board.locator(`tr[data-row-key="${caseC}"] [data-status]`).getAttribute('data-status')).toBe('dispatched');

    // the handler's tasks: the case in progress is there
    await dept.goto('/tasks');
    await dept.getByTestId('my-tasks').waitFor();
    await expect.poll(() => dept.getByTestId(`task-open-${caseB}`).count()).toBe(1);
    await dept.screenshot({ path: `${screenshotDir}/zhili-tasks.png` });

    // a stale page: the case was signed meanwhile (here through the API); the action answers 409, the page reloads
    await openCase(dept, caseC);
    expect((await callApi(dept, 'POST', `/api/cases/${caseC}/actions/sign`, {})).status).toBe(200);
    await dept.getByTestId('action-sign').click();
    await dept.getByTestId('action-modal-ok').click();
    await expect.poll(() => dept.locator('.ant-message').innerText()).toContain('已被他人处理');
    await expect.poll(() => dept.getByTestId('case-status').getAttribute('data-status')).toBe('signed');
    expect(await dept.getByTestId('action-sign').count()).toBe(0);

    for (const p of [district, dept]) await p.context().close();
  });

  it('shows a community dispatcher a not-found page for a case of another community', async () => {
    expect(caseA).toBeGreaterThan(0);
    expect(caseB).toBeGreaterThan(0);
    const community = await pageAs(world, 'demo-community');
    // its own community's case opens…
    await openCase(community, caseA);
    // …another community's does not, not even as a forbidden page that would confirm it exists
    await community.goto(`/cases/${caseB}`);
    await community.getByTestId('not-found').waitFor();
    expect(await community.getByTestId('case-number').count()).toBe(0);
    expect(await community.locator('body').innerText()).not.toContain('福居社区路灯坏了');
    await community.context().close();
  });

  it('draws the metrics of the district with the cases of the day', async () => {
    const district = await pageAs(world, 'demo-district');
    await district.getByRole('menuitem', { name: /统计分析/ }).click();
    await district.getByTestId('metrics').waitFor();
    await expect.poll(() => district.getByTestId('metrics-registered').locator('.ant-statistic-content-value').innerText(), { timeout: 20_000 }).toBe('3');
    await district.getByTestId('metrics-chart-hotline').locator('canvas').waitFor();
    await district.screenshot({ path: `${screenshotDir}/zhili-metrics.png`, fullPage: true });
    await district.context().close();
  });
});
