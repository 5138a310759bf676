// The console's weight: the JavaScript and CSS (gzip) the browser fetches when the signed-in dispatcher opens the
// case board, the login page's own weight, and the time from navigation to the board being usable in headless
// Chromium on loopback (median of 5, each in a fresh browser context), against a trivial page of the same server.
// `--no-build` measures the current web/dist instead of building it first; ZHILI_WEB_DIST=<dir> measures another build
// (e.g. an older one, for a before and after).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { percentile, printTable, quick, root, round, signIn, startServerProcess, tempDir, writeResults } from './lib/harness.js';

const RUNS = quick ? 2 : 5;
const BOARD = '/cases';
const MIN_CASES = 25;
const webDist = process.env.ZHILI_WEB_DIST ? path.resolve(process.env.ZHILI_WEB_DIST) : path.join(root, 'web', 'dist');

const gzipBytes = (body: Buffer) => zlib.gzipSync(body, { level: 9 }).length;
const kb = (bytes: number) => round(bytes / 1024, 1);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

function build(): void {
  if (process.env.ZHILI_WEB_DIST) {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error(`${webDist} holds no built console`);
    return;
  }
  if (process.argv.includes('--no-build') && fs.existsSync(path.join(webDist, 'index.html'))) return;
  const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build -w web failed');
}

/** Every file of web/dist: bytes, and gzip bytes of its JavaScript and CSS. */
function distSize() {
  let bytes = 0;
  let jsCssGzip = 0;
  let files = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.(gz|br)$/.test(e.name)) {
        const body = fs.readFileSync(p);
        bytes += body.length;
        files++;
        if (/\.(js|css)$/.test(e.name)) jsCssGzip += gzipBytes(body);
      }
    }
  };
  walk(webDist);
  return { distFiles: files, distKb: kb(bytes), distJsCssKbGzip: kb(jsCssGzip) };
}

interface Asset {
  file: string;
  kind: 'js' | 'css';
  bytes: number;
  gzipBytes: number;
  /** bytes on the wire (compressed if the server compressed them) */
  transferBytes: number;
}

/** Records the JavaScript and CSS a page fetches, with their sizes. */
function recordAssets(page: Page): { assets: Asset[]; settled(): Promise<void> } {
  const assets: Asset[] = [];
  const pending: Array<Promise<void>> = [];
  let recording = true;
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (!recording || (type !== 'script' && type !== 'stylesheet')) return;
    if (res.status() !== 200) throw new Error(`${res.url()}: ${res.status()}`);
    pending.push(
      (async () => {
        const body = await res.body();
        const sizes = await res.request().sizes();
        assets.push({ file: new URL(res.url()).pathname, kind: type === 'script' ? 'js' : 'css', bytes: body.length, gzipBytes: gzipBytes(body), transferBytes: sizes.responseBodySize });
      })(),
    );
  });
  return {
    assets,
    async settled() {
      recording = false;
      await Promise.all(pending);
    },
  };
}

const sum = (assets: Asset[], key: 'bytes' | 'gzipBytes' | 'transferBytes') => assets.reduce((n, a) => n + a[key], 0);

/**
 * The board is usable when its first page of rows is rendered, no spinner covers it, the first row's checkbox is
 * enabled and the toolbar's buttons are. Returns the page's own clock (ms since navigation start) at that moment.
 */
async function boardUsable(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const board = document.querySelector('[data-testid=case-board]');
      if (!board || board.querySelector('.ant-spin-spinning, .ant-skeleton')) return false;
      const row = board.querySelector('tr.ant-table-row');
      const box = row?.querySelector<HTMLInputElement>('input.ant-checkbox-input');
      const link = row?.querySelector('a[data-testid^=case-link-]');
      const buttons = [...board.querySelectorAll<HTMLButtonElement>('.ant-pro-table-list-toolbar button, [data-testid=board-toolbar] button')].filter((b) => b.dataset.testid !== 'bulk-dispatch');
      if (!box || box.disabled || !link || buttons.length === 0 || buttons.some((b) => b.disabled)) return false;
      return performance.now();
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function healthShown(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => (document.body?.innerText.includes('"status":"ok"') ? performance.now() : false), undefined, { polling: 'raf', timeout: 60_000 });
  return (await handle.jsonValue()) as number;
}

async function newContext(browser: Browser, url: string, cookie?: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', baseURL: url });
  if (cookie) {
    const eq = cookie.indexOf('=');
    await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url }]);
  }
  return context;
}

/** One navigation in a fresh context: the time to `ready` and the assets fetched until the network is idle. */
async function visit(browser: Browser, url: string, route: string, ready: (page: Page) => Promise<number>, cookie?: string) {
  const context = await newContext(browser, url, cookie);
  try {
    const page = await context.newPage();
    const rec = recordAssets(page);
    await page.goto(route, { waitUntil: 'commit' });
    const ms = await ready(page);
    await page.waitForLoadState('networkidle');
    await rec.settled();
    // the same page again in the same context: what a returning user's cache saves
    await page.goto(route, { waitUntil: 'commit' });
    const repeatMs = await ready(page);
    return { ms, repeatMs, assets: rec.assets };
  } finally {
    await context.close();
  }
}

async function ensureCases(url: string, cookie: string): Promise<number> {
  const headers = { cookie, 'content-type': 'application/json' };
  const list = async () => ((await (await fetch(`${url}/api/cases?limit=1`, { headers })).json()) as { total: number }).total;
  let total = await list();
  if (total >= MIN_CASES) return total;
  const me = (await (await fetch(`${url}/api/me`, { headers })).json()) as { csrfToken: string };
  const communities = ['990102001002', '990102001003', '990102001001'];
  for (let i = total; i < MIN_CASES; i++) {
    const res = await fetch(`${url}/api/cases`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ channel: 'hotline', title: `路灯不亮（第${i + 1}件）`, description: '小区门口路灯连续三晚不亮，老人出行不便。', matterTypeCode: 'CG-005', communityCode: communities[i % communities.length] }),
    });
    if (res.status !== 201) throw new Error(`POST /api/cases: ${res.status} ${await res.text()}`);
  }
  total = await list();
  return total;
}

build();
const dist = distSize();
const server = await startServerProcess({ ZHILI_DATA_DIR: tempDir('console'), ZHILI_DEMO: 'true' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const cookie = await signIn(server.url, 'demo-city');
  const cases = await ensureCases(server.url, cookie);

  const login = await visit(browser, server.url, '/login', async (page) => {
    const h = await page.waitForFunction(() => (document.querySelector<HTMLButtonElement>('[data-testid=login-submit]')?.disabled === false ? performance.now() : false), undefined, { polling: 'raf' });
    return (await h.jsonValue()) as number;
  });

  // the first navigation after the server started is the cold load; then RUNS timed ones, each in a fresh context
  const cold = await visit(browser, server.url, BOARD, boardUsable, cookie);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await visit(browser, server.url, BOARD, boardUsable, cookie));
  await visit(browser, server.url, '/api/health', healthShown);
  const baselines = [];
  for (let i = 0; i < RUNS; i++) baselines.push(await visit(browser, server.url, '/api/health', healthShown));

  const first = runs[0]!.assets;
  const loadsMs = runs.map((r) => round(r.ms, 0));
  const loadMs = round(median(runs.map((r) => r.ms)), 0);
  const baselineMs = round(median(baselines.map((r) => r.ms)), 1);
  const chunks = [...first].sort((a, b) => b.gzipBytes - a.gzipBytes).map((a) => ({ file: a.file.replace(/^\/assets\//, ''), kind: a.kind, kb: kb(a.bytes), kbGzip: kb(a.gzipBytes), kbTransfer: kb(a.transferBytes) }));
  const result = {
    route: BOARD,
    firstRouteKbGzip: kb(sum(first, 'gzipBytes')),
    firstRouteKb: kb(sum(first, 'bytes')),
    firstRouteKbTransfer: kb(sum(first, 'transferBytes')),
    firstRouteJsKbGzip: kb(sum(first.filter((a) => a.kind === 'js'), 'gzipBytes')),
    firstRouteCssKbGzip: kb(sum(first.filter((a) => a.kind === 'css'), 'gzipBytes')),
    firstRouteRequests: first.length,
    firstRouteChunks: chunks,
    loginRouteKbGzip: kb(sum(login.assets, 'gzipBytes')),
    loginRouteRequests: login.assets.length,
    loginUsableMs: round(login.ms, 0),
    loadMs,
    loadsMs,
    coldLoadMs: round(cold.ms, 0),
    repeatLoadMs: round(median(runs.map((r) => r.repeatMs)), 0),
    baselineMs,
    baselinesMs: baselines.map((r) => round(r.ms, 1)),
    ratioToBaseline: round(loadMs / baselineMs, 1),
    casesOnBoard: cases,
    ...dist,
  };

  printTable(`First route ${BOARD}: ${result.firstRouteRequests} files`, chunks.map((c) => ({ file: c.file, kind: c.kind, KB: c.kb, 'KB gzip': c.kbGzip, 'KB sent': c.kbTransfer })));
  printTable('The console', [
    { figure: 'first route KB gzip (JS + CSS)', value: result.firstRouteKbGzip, target: '≤ 600' },
    { figure: 'login route KB gzip', value: result.loginRouteKbGzip, target: '' },
    { figure: `load to usable board ms (median of ${RUNS})`, value: loadMs, target: '≤ 1500' },
    { figure: 'each load ms', value: loadsMs.join(', '), target: '' },
    { figure: 'cold load ms (first after start)', value: result.coldLoadMs, target: '' },
    { figure: 'repeat visit ms (same context)', value: result.repeatLoadMs, target: '' },
    { figure: 'baseline: /api/health shown ms', value: baselineMs, target: '' },
    { figure: 'ratio to baseline', value: result.ratioToBaseline, target: '' },
    { figure: `dist KB (${dist.distFiles} files) · JS+CSS KB gzip`, value: `${dist.distKb} · ${dist.distJsCssKbGzip}`, target: '' },
  ]);
  writeResults('console', result);
} finally {
  await browser.close();
  await server.stop();
}
