import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../server/src/modules/auth/totp.js';
import { logIn, newPage, startWorld, type World } from './support.js';

/*
 * The console under its Content-Security-Policy (issue 12): every page a duty or a dispatcher opens works and
 * raises no violation, map tiles come from the configured host, and what the policy is for is really refused
 * (an inline script, an image from elsewhere).
 */

const DEMO_TOTP_SECRET = 'ZHILIDEMO2FA7777';
// a 1×1 PNG: the tile server answers it for every tile
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let world: World;
let tiles: http.Server;
let tileRequests = 0;
beforeAll(async () => {
  tiles = http.createServer((_req, res) => {
    tileRequests += 1;
    res.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' });
    res.end(TILE);
  });
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  const port = (tiles.address() as AddressInfo).port;
  world = await startWorld({ mapTileUrl: `http://127.0.0.1:${port}/tiles/{z}/{x}/{y}.png` });
});
afterAll(async () => {
  await world?.close();
  await new Promise((resolve) => tiles?.close(resolve));
});

/** A page that records every policy violation and console error from its first script on. */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]>; errors: string[] }> {
  const page = await newPage(world);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, errors, violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations ?? []) };
}

async function signIn(page: Page, username: string, privileged: boolean) {
  if (privileged) await world.server.handle.db.updateTable('app_user').set({ totp_last_step: null }).where('username', '=', username).execute();
  await logIn(page, username);
  if (privileged) {
    await page.getByTestId('login-totp').fill(currentTotp(DEMO_TOTP_SECRET));
    await page.getByTestId('login-submit').click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe('the console under a strict Content-Security-Policy', () => {
  it('sends the policy and the security headers with the console', async () => {
    const res = await fetch(`${world.server.url}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toMatch(/img-src 'self' data: blob: http:\/\/127\.0\.0\.1:\d+;/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toContain('geolocation=(self)');
    const api = await fetch(`${world.server.url}/api/health`);
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('lets a dispatcher work through the board, intake, metrics, disputes and the map with its tiles, and a grid worker its phone page, without a violation', async () => {
    const { page, violations, errors } = await watchedPage();
    await signIn(page, 'demo-city', false);
    for (const path of ['/', '/cases', '/intake', '/metrics', '/disputes']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    await page.goto('/grids');
    await page.getByTestId('grid-map').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('path.zhili-grid').length > 0, undefined, { timeout: 30_000 });
    await expect.poll(() => page.locator('img.leaflet-tile-loaded').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(tileRequests).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();

    // the phone page registers its service worker for offline work
    const phone = await watchedPage();
    await signIn(phone.page, 'demo-grid', false);
    await phone.page.goto('/grid-work');
    await phone.page.waitForLoadState('networkidle');
    await expect.poll(() => phone.page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), { timeout: 15_000 }).toBe(1);
    expect(await phone.violations()).toEqual([]);
    await phone.page.context().close();
  });

  it('lets the three duties open their pages without a violation', async () => {
    for (const [username, paths] of [
      ['demo-admin', ['/users', '/roles', '/departments', '/account']],
      ['demo-security', ['/roles', '/account']],
      ['demo-auditor', ['/audit']],
    ] as const) {
      const { page, violations, errors } = await watchedPage();
      await signIn(page, username, true);
      for (const path of paths) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).not.toContain('没有访问此页面的权限');
      }
      if (username === 'demo-auditor') {
        await page.getByTestId('audit-verify').click();
        await expect.poll(() => page.getByTestId('audit-verdict').innerText()).toContain('哈希链完整');
      }
      expect(await violations(), username).toEqual([]);
      expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e)), username).toEqual([]);
      await page.context().close();
    }
  });

  it('refuses an injected inline script and an image from a host the configuration does not name', async () => {
    const { page, violations } = await watchedPage();
    await page.goto('/login');
    await page.locator('#username').waitFor();
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { __injected?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.appendChild(script);
      const img = document.createElement('img');
      img.src = 'http://127.0.0.2:9/x.png';
      document.body.appendChild(img);
      await new Promise((r) => setTimeout(r, 300));
      return w.__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(violations).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src/), expect.stringMatching(/^img-src http:\/\/127\.0\.0\.2/)]));
    await page.context().close();
  });
});
