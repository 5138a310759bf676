#!/usr/bin/env node
// Runs every check and test: lint and unused code, unit, integration on PGlite and on a throwaway PostgreSQL,
// and browser end-to-end.
// Installs what a fresh machine lacks (Debian's chromium, PostgreSQL binaries) and ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall, sh as run, startPostgres } from './lib/postgres.mjs';

const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-test-run-'));
fs.chmodSync(tmp, 0o755);
const log = (msg) => console.log(`\n▶ ${msg}`);
const sh = (cmd, args, opts = {}) => run(cmd, args, { cwd: root, ...opts });

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

/** ESLint over the repository: each file without a problem passes, each with one (a warning too) fails. */
function lint() {
  log('lint (ESLint)');
  const out = path.join(tmp, 'eslint.json');
  const status = sh('npx', ['eslint', '.', '--format', 'json', '--output-file', out], { allowFail: true });
  const files = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : [];
  let passed = 0, failed = 0;
  for (const f of files) {
    if (f.messages.length === 0) passed++;
    else failed++;
    for (const m of f.messages) console.log(`  ${path.relative(root, f.filePath)}:${m.line}:${m.column}  ${m.message}  ${m.ruleId ?? ''}`);
  }
  if (status !== 0 && failed === 0) failed = 1;
  console.log(`  ${passed} files clean, ${failed} with problems`);
  results.push({ name: 'lint (ESLint)', passed, failed, skipped: 0 });
}

/** A static check: counted by its own "N passed, N failed" line when it prints one, else as one check by its exit status. */
function check(name, cmd, args) {
  log(name);
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(text);
  const counts = /^(\d+) passed, (\d+) failed/m.exec(text);
  const ok = r.status === 0;
  const passed = counts ? Number(counts[1]) : ok ? 1 : 0;
  const failed = counts ? Math.max(Number(counts[2]), ok ? 0 : 1) : ok ? 0 : 1;
  results.push({ name, passed, failed, skipped: 0 });
}

let pg;
const cleanup = () => {
  try {
    pg?.stop();
  } catch (err) {
    console.error(`stopping PostgreSQL: ${err.message}`);
  }
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
  lint();
  check('unused code (knip)', 'npx', ['knip']);
  check('module walls (imports)', 'npx', ['depcruise', 'server/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);
  check('module walls (run-time cycles)', 'npx', ['depcruise', 'server/src', '--config', '.dependency-cruiser-runtime.cjs', '--output-type', 'err']);
  check('module walls (tables, routes)', 'node', ['scripts/check-tables.mjs']);
  log('type-checking server and web');
  sh('npm', ['run', 'typecheck']);
  log('building the web console');
  sh('npm', ['run', 'build', '-w', 'web']);
  log('starting a throwaway PostgreSQL');
  pg = await startPostgres({ dir: path.join(tmp, 'pg'), durable: false });

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
