import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Config, loadConfig } from '../../server/src/config.js';
import { type Running, startServer } from '../../server/src/server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
export const DEMO_PASSWORD = 'demo12345';

export interface World {
  server: Running;
  browser: Browser;
  close(): Promise<void>;
}

/** A server on its own embedded database with the demo city, and a headless Chromium. */
export async function startWorld(overrides: Partial<Config> = {}): Promise<World> {
  const webDist = path.join(root, 'web', 'dist');
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('build the web console first: npm run build -w web');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-e2e-'));
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, webDist, logLevel: 'warn', demoPassword: DEMO_PASSWORD, loginRateLimit: 500, ...overrides };
  const server = await startServer(config, { demo: true });
  // playwright gives every launch a fresh, empty profile directory (the --user-data-dir the closed network needs)
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(world: World, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await world.browser.newContext({ viewport, locale: 'zh-CN', baseURL: world.server.url });
  return context.newPage();
}

export async function logIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** A page in its own browser context, signed in as `username`, past the login page. */
export async function pageAs(world: World, username: string): Promise<Page> {
  const page = await newPage(world);
  await logIn(page, username);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

/**
 * Clicks a Leaflet map of the console at a WGS84 coordinate (tiles in WGS84, as in the tests): the map's container
 * carries its view as `data-bounds="west,south,east,north"`; latitude is projected with Web Mercator like Leaflet does.
 */
export async function clickMapAt(page: Page, testId: string, lng: number, lat: number): Promise<void> {
  const map = page.getByTestId(testId);
  await map.waitFor();
  const bounds = await map.getAttribute('data-bounds');
  if (!bounds) throw new Error(`${testId} has no data-bounds`);
  const [west, south, east, north] = bounds.split(',').map(Number) as [number, number, number, number];
  const box = await map.boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  const mercator = (deg: number) => Math.log(Math.tan(Math.PI / 4 + (deg * Math.PI) / 360));
  const x = box.x + ((lng - west) / (east - west)) * box.width;
  const y = box.y + ((mercator(north) - mercator(lat)) / (mercator(north) - mercator(south))) * box.height;
  await page.mouse.click(x, y);
}

/** Calls the API as the page's signed-in user (with its CSRF token), e.g. to set up data a test does not exercise. */
export async function callApi<T = unknown>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await fetch('/api/me').then((r) => r.json());
      const res = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, data: await res.json() };
    },
    { method, path, body },
  ) as Promise<{ status: number; data: T }>;
}

export const screenshotDir = process.env.ZHILI_SCREENSHOTS ?? '/tmp';
