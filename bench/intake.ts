// Intake throughput: cases taken in per second over HTTP (autocannon, 64 connections) with the full intake
// (place → grid, routing through the matrix, deadline, timeline, audit, inbox and outbox, the case detail in the
// answer), against a bare Fastify route doing one INSERT of a case-sized row through the same database layer.
// On a durable PostgreSQL (fsync on) and on the embedded PGlite.
import autocannon from 'autocannon';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { intakeBodies } from './lib/intake-bodies.js';
import { durablePostgres, postgresServerEnv, printTable, quick, root, round, type ServerProcess, signIn, signInHeaders, startServerProcess, tempDir, writeResults } from './lib/harness.js';

const CONNECTIONS = 64;
const DURATION_S = quick ? 5 : 15;
const WARMUP_S = quick ? 1 : 3;

interface Run {
  /** CPU time of the server process per answered request (user + system), ms */
  serverCpuMsPerRequest: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  errors: number;
  /** answers other than 2xx by status, connection errors and timeouts, told apart */
  failures: Record<string, number>;
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function load(url: string, pathName: string, headers: Record<string, string>, body: () => unknown, seconds: number, idempotent: boolean, pid: number): Promise<Run> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: pathName,
        setupRequest: (req) => ({
          ...req,
          headers: { ...headers, 'content-type': 'application/json', ...(idempotent ? { 'idempotency-key': crypto.randomUUID() } : {}) },
          body: JSON.stringify(body()),
        }),
      },
    ],
  });
  const ok = result['2xx'];
  const requests = ok + result.non2xx;
  const failures: Record<string, number> = {};
  for (const [code, stat] of Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) {
    if (!code.startsWith('2')) failures[code] = stat.count;
  }
  if (result.errors) failures.connectionErrors = result.errors;
  if (result.timeouts) failures.timeouts = result.timeouts;
  return { serverCpuMsPerRequest: round((cpuMs(pid) - cpuBefore) / Math.max(1, requests), 3), perSec: round(ok / seconds, 0), p50Ms: result.latency.p50, p99Ms: result.latency.p99, ok, errors: result.non2xx + result.errors + result.timeouts, failures };
}

async function measure(server: ServerProcess, pathName: string, headers: Record<string, string>, body: () => unknown, idempotent: boolean): Promise<Run> {
  // one request first: a wrong body must fail loudly, not be counted as throughput
  const first = await fetch(`${server.url}${pathName}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body()) });
  if (first.status !== 201) throw new Error(`${pathName}: ${first.status} ${await first.text()}`);
  await load(server.url, pathName, headers, body, WARMUP_S, idempotent, server.child.pid!);
  return load(server.url, pathName, headers, body, DURATION_S, idempotent, server.child.pid!);
}

async function intakeRun(env: Record<string, string>): Promise<Run> {
  const server = await startServerProcess(env);
  try {
    const headers = await signInHeaders(server.url, 'demo-city');
    const next = await intakeBodies(server.url, headers.cookie);
    return await measure(server, '/api/cases', headers, next, true);
  } finally {
    await server.stop();
  }
}

async function baselineRun(env: Record<string, string>, bodiesFrom: { url: string; cookie: string }): Promise<Run> {
  const next = await intakeBodies(bodiesFrom.url, bodiesFrom.cookie);
  const server = await startServerProcess(env, { args: [path.join(root, 'bench', 'lib', 'baseline-server.ts')], healthPath: '/health' });
  try {
    return await measure(server, '/insert', {}, next, false);
  } finally {
    await server.stop();
  }
}

/** Bodies come from a demo-city server: the baseline inserts rows of the same size. */
async function withBodySource<T>(env: Record<string, string>, fn: (src: { url: string; cookie: string }) => Promise<T>): Promise<T> {
  const server = await startServerProcess(env);
  try {
    return await fn({ url: server.url, cookie: await signIn(server.url, 'demo-city') });
  } finally {
    await server.stop();
  }
}

const out: Record<string, unknown> = {};
const rows: Array<Record<string, string | number>> = [];
function report(db: 'pg' | 'pglite', intake: Run, baseline: Run) {
  const ratio = round(intake.perSec / baseline.perSec, 2);
  out[db] = {
    casesPerSec: intake.perSec,
    baselinePerSec: baseline.perSec,
    ratio,
    p50Ms: intake.p50Ms,
    p99Ms: intake.p99Ms,
    baselineP50Ms: baseline.p50Ms,
    baselineP99Ms: baseline.p99Ms,
    serverCpuMsPerCase: intake.serverCpuMsPerRequest,
    baselineServerCpuMsPerInsert: baseline.serverCpuMsPerRequest,
    created: intake.ok,
    errors: intake.errors,
    failures: intake.failures,
    connections: CONNECTIONS,
    seconds: DURATION_S,
  };
  rows.push({ database: db, 'cases/s': intake.perSec, 'p50 ms': intake.p50Ms, 'p99 ms': intake.p99Ms, 'one-INSERT/s': baseline.perSec, 'INSERT p99 ms': baseline.p99Ms, ratio, 'server CPU ms/case': intake.serverCpuMsPerRequest, 'ms/INSERT': baseline.serverCpuMsPerRequest, errors: intake.errors + baseline.errors });
}

{
  const pg = await durablePostgres('intake');
  const env = postgresServerEnv(pg.url);
  const baseline = await withBodySource(env, (src) => baselineRun({ DATABASE_URL: pg.url }, src));
  const intake = await intakeRun(env);
  report('pg', intake, baseline);
  pg.stop();
}
{
  const dir = tempDir('intake-pglite');
  const env = { ZHILI_DATA_DIR: path.join(dir, 'zhili'), ZHILI_DEMO: 'true' };
  const baseline = await withBodySource(env, (src) => baselineRun({ ZHILI_DATA_DIR: path.join(dir, 'baseline') }, src));
  const intake = await intakeRun(env);
  report('pglite', intake, baseline);
}

printTable(`Intake over HTTP: ${CONNECTIONS} connections, ${DURATION_S} s (after ${WARMUP_S} s warm-up)`, rows);
writeResults('intake', out);
