import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.js';
import { type Running, startServer } from '../../server/src/server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
export const DEMO_PASSWORD = 'demo12345';

export interface World {
  server: Running;
  browser: Browser;
  close(): Promise<void>;
}

/** A server on its own embedded database with the demo city, and a headless Chromium. */
export async function startWorld(): Promise<World> {
  const webDist = path.join(root, 'web', 'dist');
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('build the web console first: npm run build -w web');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-e2e-'));
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, webDist, logLevel: 'warn', demoPassword: DEMO_PASSWORD };
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
