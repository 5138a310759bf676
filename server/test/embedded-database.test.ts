import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, openPglite } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';

// The embedded database on disk: its own data directory per test, whatever ZHILI_TEST_DB says.
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-embedded-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const serverDir = path.resolve(import.meta.dirname, '..');

describe.runIf((process.env.ZHILI_TEST_DB ?? 'pglite') === 'pglite')('the embedded database', () => {
  it('refuses a second opener of the same data directory, and keeps data across a clean close', async () => {
    const dir = tempDir();
    const first = await openPglite(dir);
    await migrateToLatest(first.db);
    await first.db.insertInto('setting').values({ key: 'probe', value: JSON.stringify({ n: 1 }) }).execute();
    await expect(openPglite(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();
    const again = await openPglite(dir);
    const row = await again.db.selectFrom('setting').select('value').where('key', '=', 'probe').executeTakeFirst();
    expect(row?.value).toEqual({ n: 1 });
    await again.close();
  }, 60_000);

  it('starts with the CLI, refuses a second server on the same directory, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const env = { ...process.env, ZHILI_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'warn', ZHILI_WEB_DIST: '/nonexistent' };
    const tsx = path.join(serverDir, '..', 'node_modules', '.bin', 'tsx');
    const first = spawn(tsx, ['src/cli.ts', 'start'], { cwd: serverDir, env });
    let out = '';
    first.stdout.on('data', (d) => (out += d));
    await expect.poll(() => out, { timeout: 150_000, interval: 200 }).toContain('Zhili 治理 is running at');

    const second = spawn(tsx, ['src/cli.ts', 'start'], { cwd: serverDir, env });
    let err = '';
    second.stderr.on('data', (d) => (err += d));
    const secondCode = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(secondCode).toBe(1);
    expect(err).toContain('正被另一个 Zhili 进程使用');

    const url = /running at (http:\/\/\S+)/.exec(out)![1]!;
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: 'ok', db: 'pglite' });
    first.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => first.on('exit', resolve));
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.zhili.lock'))).toBe(false);
  }, 300_000);

  it('takes over the lock of a server killed with SIGKILL at once, not after it goes stale', async () => {
    const dir = tempDir();
    const env = { ...process.env, ZHILI_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'warn', ZHILI_WEB_DIST: '/nonexistent' };
    // node itself, not the tsx wrapper, so the signal reaches the server
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], { cwd: serverDir, env });
    let out = '';
    server.stdout.on('data', (d) => (out += d));
    await expect.poll(() => out, { timeout: 150_000, interval: 200 }).toContain('Zhili 治理 is running at');
    server.kill('SIGKILL');
    await new Promise((resolve) => server.on('exit', resolve));
    expect(fs.existsSync(path.join(dir, '.zhili.lock'))).toBe(true);
    const t = Date.now();
    const again = await openPglite(dir);
    expect(Date.now() - t).toBeLessThan(10_000);
    await expect(openPglite(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await again.close();
  }, 300_000);
});
