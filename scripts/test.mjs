#!/usr/bin/env node
// Runs every test: unit, integration on PGlite and on a throwaway PostgreSQL, and browser end-to-end.
// Installs what a fresh machine lacks (Debian's chromium, PostgreSQL binaries) and ends with "N passed, N failed".
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-test-run-'));
fs.chmodSync(tmp, 0o755);
const isRoot = process.getuid?.() === 0;
const log = (msg) => console.log(`\n▶ ${msg}`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r.status ?? 1;
}

function aptInstall(...packages) {
  if (!isRoot) throw new Error(`please install: ${packages.join(' ')}`);
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function pgBin() {
  const base = '/usr/lib/postgresql';
  const find = () =>
    fs.existsSync(base)
      ? fs.readdirSync(base).map((v) => path.join(base, v, 'bin')).filter((d) => fs.existsSync(path.join(d, 'initdb'))).sort().pop()
      : undefined;
  let bin = find();
  if (!bin) {
    aptInstall('postgresql');
    bin = find();
  }
  if (!bin) throw new Error('no PostgreSQL binaries found');
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A throwaway PostgreSQL on a loopback port, run as a non-root user (the server refuses root). */
async function startPostgres() {
  const bin = pgBin();
  const dir = path.join(tmp, 'pg');
  fs.mkdirSync(dir);
  let asUser = [];
  if (isRoot) {
    const user = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'zhili-pg';
    if (user === 'zhili-pg' && spawnSync('id', ['-u', user]).status !== 0) sh('useradd', ['--system', '--no-create-home', user]);
    execFileSync('chown', ['-R', `${user}:`, dir]);
    asUser = ['runuser', '-u', user, '--'];
  }
  const run = (cmd, args) => (asUser.length ? sh(asUser[0], [...asUser.slice(1), path.join(bin, cmd), ...args]) : sh(path.join(bin, cmd), args));
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'zhili', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  return { url: `postgres://zhili@127.0.0.1:${port}/postgres`, stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']) };
}

const results = [];
function vitest(name, workspace, env) {
  log(name);
  const out = path.join(tmp, `${results.length}.json`);
  const status = sh('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    cwd: path.join(root, workspace),
    env: { ...process.env, TZ: 'Asia/Shanghai', ...env },
    allowFail: true,
  });
  let passed = 0, failed = 0, skipped = 0;
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed = r.numPassedTests;
    failed = r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
    skipped = r.numPendingTests + r.numTodoTests;
  } else if (status !== 0) failed = 1;
  results.push({ name, passed, failed, skipped });
}

let pg;
const cleanup = () => {
  try {
    pg?.stop();
  } catch {}
  pg = undefined;
  fs.rmSync(tmp, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  if (!fs.existsSync('/usr/bin/chromium')) {
    log('installing Debian chromium for the browser tests');
    aptInstall('chromium', 'fonts-noto-cjk');
  }
  log('type-checking server and web');
  sh('npm', ['run', 'typecheck']);
  log('building the web console');
  sh('npm', ['run', 'build', '-w', 'web']);
  log('starting a throwaway PostgreSQL');
  pg = await startPostgres();

  vitest('unit', 'server', { ZHILI_TEST_SCOPE: 'unit' });
  vitest('integration (PGlite)', 'server', { ZHILI_TEST_SCOPE: 'integration', ZHILI_TEST_DB: 'pglite' });
  vitest('integration (PostgreSQL)', 'server', { ZHILI_TEST_SCOPE: 'integration', ZHILI_TEST_DB: 'postgres', ZHILI_TEST_PG_URL: pg.url });
  vitest('end-to-end (Chromium)', 'e2e', {});
} catch (err) {
  console.error(err);
  results.push({ name: 'setup', passed: 0, failed: 1, skipped: 0 });
} finally {
  cleanup();
}

console.log('\n── Zhili test summary ──');
for (const r of results) console.log(`  ${r.name.padEnd(28)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
