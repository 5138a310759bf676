import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, logIn, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 120_000);
afterAll(() => world?.close());

// a 1×1 PNG: the attachment route sniffs the content
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('grid work on a phone', () => {
  it('patrols, visits and reports, offline too, and the server holds each exactly once', async () => {
    const context = await world.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, geolocation: { longitude: 111.5525, latitude: 40.7615 }, permissions: ['geolocation'], baseURL: world.server.url });
    const page = await context.newPage();
    await logIn(page, 'demo-grid');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${world.server.url}/grid-work`);
    await page.getByTestId('gridwork-phone').waitFor();
    await expect(page.getByTestId('missed-warning').waitFor({ timeout: 10_000 })).resolves.toBeUndefined();

    await page.getByText('巡查', { exact: true }).first().click();
    await page.getByRole('button', { name: '开始巡查' }).click();
    await page.getByTestId('patrol-open').waitFor();

    await page.getByText('走访', { exact: true }).first().click();
    await page.getByTestId('visit-whom').fill('张大爷');
    await page.getByTestId('visit-findings').fill('楼道堆放杂物');
    await page.getByTestId('visit-save').click();
    await page.getByText('已提交').first().waitFor();

    await page.getByText('上报', { exact: true }).first().click();
    await page.getByTestId('report-title').fill('井盖缺失有隐患');
    await page.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('report-save').click();
    await page.getByText('已提交').first().waitFor();

    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await page.getByText('走访', { exact: true }).first().click();
    await page.getByTestId('visit-whom').fill('李阿姨');
    await page.getByTestId('visit-findings').fill('反映噪音扰民');
    await page.getByTestId('visit-save').click();
    await page.getByText('已离线保存，联网后自动提交').first().waitFor();
    await page.getByText('上报', { exact: true }).first().click();
    await page.getByTestId('report-title').fill('路灯不亮');
    await page.getByTestId('report-save').click();
    await page.getByTestId('queued-count').waitFor();

    await context.setOffline(false);
    await page.getByTestId('queued-count').waitFor({ state: 'detached', timeout: 15_000 });

    const visits = await callApi<{ items: Array<{ whom: string; findings: string }> }>(page, 'GET', '/api/gridwork/visits?limit=100');
    expect(visits.data.items.filter((v) => v.findings === '楼道堆放杂物')).toHaveLength(1);
    expect(visits.data.items.filter((v) => v.findings === '反映噪音扰民')).toHaveLength(1);
    const log = await callApi<{ reports: Array<{ caseId: number; title: string }> }>(page, 'GET', '/api/gridwork/log');
    expect(log.data.reports.filter((r) => r.title === '井盖缺失有隐患')).toHaveLength(1);
    expect(log.data.reports.filter((r) => r.title === '路灯不亮')).toHaveLength(1);
    const withPhoto = log.data.reports.find((r) => r.title === '井盖缺失有隐患')!;
    const c = await callApi<{ channel: string; attachments: unknown[] }>(page, 'GET', `/api/cases/${withPhoto.caseId}`);
    expect(c.data.channel).toBe('grid');
    expect(c.data.attachments).toHaveLength(1);
    await context.close();
  }, 120_000);

  it('masks a person served for the community dispatcher, who cannot reveal; the grid worker reveals, audited', async () => {
    const context = await world.browser.newContext({ baseURL: world.server.url });
    const page = await context.newPage();
    await logIn(page, 'demo-community');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    const list = await callApi<{ items: Array<{ id: number; name: string }> }>(page, 'GET', '/api/people');
    expect(list.data.items.length).toBeGreaterThan(0);
    expect(list.data.items.every((p) => p.name.includes('*'))).toBe(true);
    expect((await callApi(page, 'POST', `/api/people/${list.data.items[0]!.id}/reveal`, { fields: ['name'], purpose: '核实身份信息' })).status).toBe(403);
    const warnings = await callApi<{ total: number }>(page, 'GET', '/api/people/warnings');
    expect(warnings.data.total).toBeGreaterThan(0);
    await context.close();
  }, 60_000);
});
