// npm run bench [-- --quick] [-- --only intake,routing]: every benchmark, each in its own process, then a summary.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { printTable, quick, resultsDir, root } from './lib/harness.js';

const BENCHMARKS = ['routing', 'intake', 'dashboards', 'durability', 'concurrency', 'console'] as const;

const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? onlyArg.split(',') : [...BENCHMARKS];
const unknown = only.filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (known: ${BENCHMARKS.join(', ')})`);
  process.exit(2);
}

const latest = path.join(resultsDir, 'latest.json');
if (only.length === BENCHMARKS.length) fs.rmSync(latest, { force: true });

const started = Date.now();
const failed: string[] = [];
const times: Record<string, number> = {};
for (const name of only) {
  console.log(`\n━━ ${name}${quick ? ' (quick)' : ''} ━━`);
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`), ...(quick ? ['--quick'] : [])], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, TZ: 'Asia/Shanghai' },
  });
  times[name] = Math.round((Date.now() - t) / 1000);
  if (r.status !== 0) failed.push(name);
}

type PerDatabase<T> = Partial<Record<'pg' | 'pglite', T>>;
/** The figures each benchmark wrote into results/latest.json (only those the summary reads). */
interface Results {
  machine?: { cpu?: string; cores?: number };
  intake?: PerDatabase<{ casesPerSec: number; ratio: number }>;
  routing?: { grids: number; lookupsPerSec: number };
  dashboards?: { queries?: Record<string, { p95Ms: number }>; openCases?: number; deadlineScanMs: number };
  durability?: PerDatabase<{ acknowledged: number; kills: number; missing: number; duplicated: number }>;
  concurrency?: { attempts: number; doubleSuccesses: number; doubleWarnings: number };
  console?: { firstRouteKbGzip: number; loadMs: number };
}
const res: Results = fs.existsSync(latest) ? (JSON.parse(fs.readFileSync(latest, 'utf8')) as Results) : {};
const rows: Array<Record<string, string | number | null>> = [];
const row = (benchmark: string, figure: string, value: unknown, target: string, met: boolean | null) =>
  rows.push({ benchmark, figure, value: typeof value === 'number' ? value : value == null ? null : String(value), target, met: met === null ? '' : met ? 'yes' : 'NO' });
for (const db of ['pg', 'pglite'] as const) {
  const i = res.intake?.[db];
  if (i) row(`intake (${db})`, 'cases/s · ratio to one-INSERT', `${i.casesPerSec} · ${i.ratio}`, 'ratio ≥ 0.6', i.ratio >= 0.6);
}
if (res.routing) row('routing', `lookups/s over ${res.routing.grids} grids`, res.routing.lookupsPerSec, '≥ 1,000,000', res.routing.lookupsPerSec >= 1_000_000);
if (res.dashboards) {
  for (const [name, q] of Object.entries(res.dashboards.queries ?? {})) row('dashboards', `${name} p95 ms`, q.p95Ms, '≤ 50', q.p95Ms <= 50);
  row('dashboards', `deadline scan ms (${res.dashboards.openCases ?? '?'} open)`, res.dashboards.deadlineScanMs, '≤ 1000', res.dashboards.deadlineScanMs <= 1000);
}
for (const db of ['pg', 'pglite'] as const) {
  const d = res.durability?.[db];
  if (d) row(`durability (${db})`, `missing · duplicated of ${d.acknowledged} over ${d.kills} kills`, `${d.missing} · ${d.duplicated}`, '0 · 0', d.missing === 0 && d.duplicated === 0);
}
if (res.concurrency) {
  const c = res.concurrency;
  row('concurrency', `double successes · double warnings of ${c.attempts}`, `${c.doubleSuccesses} · ${c.doubleWarnings}`, '0 · 0', c.doubleSuccesses === 0 && c.doubleWarnings === 0);
}
if (res.console) {
  row('console', 'first route KB gzip', res.console.firstRouteKbGzip, '≤ 600', res.console.firstRouteKbGzip <= 600);
  row('console', 'load to usable board ms', res.console.loadMs, '≤ 1500', res.console.loadMs <= 1500);
}
printTable(`Zhili benchmarks — ${res.machine?.cpu ?? ''}, ${res.machine?.cores ?? '?'} cores, ${Math.round((Date.now() - started) / 1000)} s`, rows);
console.log(`\n  time per benchmark (s): ${Object.entries(times).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`  figures: ${path.relative(root, latest)}`);
if (failed.length) {
  console.error(`\n  failed to run: ${failed.join(', ')}`);
  process.exit(1);
}
