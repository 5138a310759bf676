// What every benchmark shares: the machine's description, the --quick flag, the results file, percentiles,
// a table printer, a throwaway durable PostgreSQL and a Zhili server run as its own process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startPostgres } from '../../scripts/lib/postgres.mjs';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const quick = process.argv.includes('--quick');
export const resultsDir = path.join(root, 'bench', 'results');

export function machine() {
  const cpus = os.cpus();
  const pg = spawnSync('bash', ['-c', 'ls /usr/lib/postgresql 2>/dev/null | sort | tail -1'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgresql: pg || null,
    date: new Date().toISOString(),
    quick,
  };
}

/** Merges one benchmark's section into bench/results/latest.json and a dated copy. */
export function writeResults(section: string, value: unknown): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  const latest = path.join(resultsDir, 'latest.json');
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(latest, 'utf8')) as Record<string, unknown>;
  } catch {
    // first benchmark of the run
  }
  all.machine = machine();
  all[section] = value;
  const text = `${JSON.stringify(all, null, 2)}\n`;
  fs.writeFileSync(latest, text);
  fs.writeFileSync(path.join(resultsDir, `${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`), text);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** p50/p95 (ms) of `runs` calls of fn after `warmup` calls. */
export async function timeRepeated(fn: () => Promise<unknown>, runs: number, warmup = 3): Promise<{ p50Ms: number; p95Ms: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)) };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function printTable(title: string, rows: Array<Record<string, string | number | null>>): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v ?? '—'));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => `  ${vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')}`;
  console.log(line(cols));
  console.log(line(widths.map((w) => '─'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

export function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zhili-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export interface Postgres {
  url: string;
  port: number;
  dataDir: string;
  restart(): void;
  stop(): void;
}

/** A throwaway PostgreSQL with fsync on (the durable default), stopped when the process exits. */
export async function durablePostgres(name: string, settings: Record<string, string | number> = {}): Promise<Postgres> {
  const dir = tempDir(`${name}-pg`);
  const pg = (await startPostgres({ dir, durable: true, settings, quiet: true })) as Postgres;
  const stop = pg.stop;
  const cleanup = () => {
    try {
      stop();
    } catch {
      // already stopped
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => process.exit(130));
  return { ...pg, stop: cleanup };
}

/** The environment of a server on PostgreSQL with the demo city and throwaway keys for personal data. */
export function postgresServerEnv(databaseUrl: string): Record<string, string> {
  const key = () => crypto.randomBytes(32).toString('base64');
  return { DATABASE_URL: databaseUrl, ZHILI_DEMO: 'true', ZHILI_PII_KEYS: `kbench:${key()}`, ZHILI_PII_HMAC_KEY: key() };
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM and wait (a clean stop) */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash */
  kill(): Promise<void>;
}

/**
 * Starts `zhili start` as its own Node process (not in the benchmark's process, so a kill -9 is a real crash)
 * and waits for /api/health. `env` adds DATABASE_URL or ZHILI_DATA_DIR, ZHILI_DEMO and so on.
 */
export async function startServerProcess(
  env: Record<string, string>,
  opts: { port?: number; timeoutMs?: number; /** another program than `zhili start`, e.g. the baseline */ args?: string[]; healthPath?: string; /** e.g. --cpu-prof */ nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? ((await freePort()) as number);
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', ...(opts.args ?? [path.join(root, 'server', 'src', 'cli.ts'), 'start'])], {
    cwd: path.join(root, 'server'),
    env: { ...process.env, LOG_LEVEL: 'warn', ZHILI_LOGIN_RATE_LIMIT: '100000', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // the server's own output (the demo banner on every start) is shown only when it fails to start
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (output.length < 100_000) output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const res = await fetch(`${url}${opts.healthPath ?? '/api/health'}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not become ready in time');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    url,
    port,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      process.off('exit', killOnExit);
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      process.off('exit', killOnExit);
    },
  };
}

/** Signs a demo account in over HTTP and returns its session cookie (demo dispatchers need no second factor). */
export async function signIn(url: string, username: string, password = 'demo12345'): Promise<string> {
  return (await signInHeaders(url, username, password)).cookie;
}

/** Headers a signed-in client sends on writes: the session cookie and its CSRF token. */
export async function signInHeaders(url: string, username: string, password = 'demo12345'): Promise<{ cookie: string; 'x-csrf-token': string }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zhili_session='));
  if (!cookie) throw new Error(`sign-in of ${username} set no session cookie`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0]!, 'x-csrf-token': csrfToken };
}
