// Durability: many clients take in cases at full speed while the server is killed with SIGKILL every few seconds
// and restarted; then every case a client was answered 201 for is looked up in the database (exactly once), and
// requests cut off by a kill are retried with their Idempotency-Key. On a durable PostgreSQL (fsync on) and on the
// embedded PGlite. What is tested is a crash of the Zhili process, not of the machine: the operating system and,
// on PostgreSQL, the database server keep running.
import crypto from 'node:crypto';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { type IntakeBody, intakeBodies } from './lib/intake-bodies.js';
import { durablePostgres, postgresServerEnv, printTable, quick, round, type ServerProcess, signInHeaders, startServerProcess, tempDir, writeResults } from './lib/harness.js';

const KILLS = quick ? 2 : 6;
const CLIENTS = 32;
const KILL_AFTER_MS: [number, number] = quick ? [2000, 4000] : [3000, 6000];
const USER = 'demo-city';

type Headers = { cookie: string; 'x-csrf-token': string };
interface Sent {
  key: string;
  body: IntakeBody;
}
interface Answer {
  status: number;
  id?: number;
  number?: string;
  createdAt?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** the key travels in the description too, so duplicates are counted from the cases themselves */
const withKey = (key: string, body: IntakeBody): IntakeBody => ({ ...body, description: `${body.description}（来电流水号 ${key}）` });
const keyOf = (description: string) => /来电流水号 ([0-9a-f-]{36})）$/.exec(description)?.[1];

async function post(url: string, headers: Headers, s: Sent): Promise<Answer> {
  const res = await fetch(`${url}/api/cases`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': s.key },
    body: JSON.stringify(s.body),
  });
  if (res.status !== 201) return { status: res.status };
  const c = (await res.json()) as { id: number; number: string; createdAt: string };
  return { status: 201, id: c.id, number: c.number, createdAt: c.createdAt };
}

interface DbCase {
  id: number;
  number: string;
  description: string;
  keyed: boolean;
}

async function run(kind: 'pg' | 'pglite') {
  let env: Record<string, string>;
  let readCases: () => Promise<DbCase[]>;
  let dataDir = '';
  const caseQuery = `SELECT c.id, c.number, c.description, k.case_id IS NOT NULL AS keyed
    FROM case_file c LEFT JOIN idempotency_key k ON k.case_id = c.id WHERE c.description LIKE '%来电流水号%'`;
  if (kind === 'pg') {
    const db = await durablePostgres('durability');
    env = postgresServerEnv(db.url);
    readCases = async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query<DbCase>(caseQuery)).rows;
      } finally {
        await client.end();
      }
    };
  } else {
    // as a user runs it: the data directory only, keys generated into it
    dataDir = tempDir('durability-pglite');
    env = { ZHILI_DATA_DIR: dataDir, ZHILI_DEMO: 'true' };
    readCases = async () => {
      const db = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
      try {
        return (await db.query<DbCase>(caseQuery)).rows;
      } finally {
        await db.close();
      }
    };
  }

  const restarts: number[] = [];
  let lockRefusals = 0;
  let lockWaitMs = 0;
  /** starts the server; on the embedded database a start right after a kill may meet the dead process's lock */
  const start = async (): Promise<ServerProcess> => {
    const t = performance.now();
    for (;;) {
      try {
        return await startServerProcess(env);
      } catch (err) {
        const lock = { lockfilePath: path.join(dataDir, '.zhili.lock'), stale: 15_000 };
        if (kind !== 'pglite' || !(await lockfile.check(dataDir, lock))) throw err;
        lockRefusals++;
        const w = performance.now();
        while (await lockfile.check(dataDir, lock)) await sleep(200);
        lockWaitMs += performance.now() - w;
        if (performance.now() - t > 120_000) throw err;
      }
    }
  };

  let server = await start();
  let headers = await signInHeaders(server.url, USER);
  const nextBody = await intakeBodies(server.url, headers.cookie, kind === 'pg' ? 7 : 8);

  const acknowledged = new Map<string, { id: number; number: string; body: IntakeBody }>();
  const cutOff: Sent[] = [];
  const stats = { sent: 0, answered201: 0, connectionErrors: 0, refused: 0, status5xx: 0, status4xx: 0 };
  let up: Promise<void> = Promise.resolve();
  let stopping = false;
  const acknowledge = (s: Sent, a: Answer) => {
    const prior = acknowledged.get(s.key);
    if (prior && prior.id !== a.id) throw new Error(`key ${s.key} answered case ${prior.id} and then ${a.id}`);
    acknowledged.set(s.key, { id: a.id!, number: a.number!, body: s.body });
  };

  const client = async () => {
    while (!stopping) {
      await up;
      if (stopping) break;
      const key = crypto.randomUUID();
      const s: Sent = { key, body: withKey(key, nextBody()) };
      stats.sent++;
      try {
        const a = await post(server.url, headers, s);
        if (a.status === 201) {
          stats.answered201++;
          acknowledge(s, a);
        } else if (a.status >= 500) stats.status5xx++;
        else stats.status4xx++;
      } catch (err) {
        // cut off by the kill (reset) or sent while the server was down (refused): the outcome is unknown
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (code === 'ECONNREFUSED') stats.refused++;
        else stats.connectionErrors++;
        cutOff.push(s);
        await sleep(20);
      }
    }
  };

  const retry = { cutOff: 0, replayed: 0, created: 0, failed: 0, acknowledgedReplays: 0, acknowledgedReplayMismatches: 0 };
  let sessionsSurvived = 0;
  const clients = Array.from({ length: CLIENTS }, client);
  for (let k = 0; k < KILLS; k++) {
    await sleep(KILL_AFTER_MS[0] + Math.random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
    let reopen!: () => void;
    up = new Promise((r) => (reopen = r));
    const killedAt = Date.now();
    await server.kill();
    const t = performance.now();
    server = await start();
    restarts.push(round(performance.now() - t, 0));
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie: headers.cookie } });
    if (me.ok) sessionsSurvived++;
    else headers = await signInHeaders(server.url, USER);

    // the requests the kill cut off, with their own keys: each must answer one case, old or new
    await sleep(50);
    for (const s of cutOff.splice(0)) {
      retry.cutOff++;
      const a = await post(server.url, headers, s);
      if (a.status !== 201) {
        retry.failed++;
        continue;
      }
      if (new Date(a.createdAt!).getTime() < killedAt) retry.replayed++;
      else retry.created++;
      acknowledge(s, a);
    }
    // a few acknowledged ones again: the same case must come back
    for (const [key, c] of [...acknowledged].sort(() => Math.random() - 0.5).slice(0, 10)) {
      const a = await post(server.url, headers, { key, body: c.body });
      retry.acknowledgedReplays++;
      if (a.status !== 201 || a.id !== c.id) retry.acknowledgedReplayMismatches++;
    }
    reopen();
  }
  await sleep(2000);
  stopping = true;
  await Promise.all(clients);
  for (const s of cutOff.splice(0)) {
    const a = await post(server.url, headers, s);
    if (a.status === 201) acknowledge(s, a);
  }
  await server.stop();

  const rows = await readCases();
  const byNumber = new Map<string, number>();
  const byKey = new Map<string, number>();
  for (const r of rows) {
    byNumber.set(r.number, (byNumber.get(r.number) ?? 0) + 1);
    const key = keyOf(r.description);
    if (key) byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const ids = new Map(rows.map((r) => [r.id, r.number]));
  let missing = 0;
  for (const c of acknowledged.values()) if (ids.get(c.id) !== c.number) missing++;
  const extra = (m: Map<string, number>) => [...m.values()].reduce((n, v) => n + Math.max(0, v - 1), 0);
  const duplicatedByNumber = extra(byNumber);
  const duplicatedByKey = extra(byKey);
  return {
    kills: KILLS,
    acknowledged: acknowledged.size,
    missing,
    duplicated: Math.max(duplicatedByNumber, duplicatedByKey),
    duplicatedByNumber,
    duplicatedByKey,
    casesInDatabase: rows.length,
    notAcknowledged: [...byKey.keys()].filter((k) => !acknowledged.has(k)).length,
    withoutIdempotencyRow: rows.filter((r) => !r.keyed).length,
    clients: CLIENTS,
    requests: stats,
    retriedAfterRestart: retry,
    restartMs: restarts,
    sessionsSurvivedRestart: sessionsSurvived,
    ...(kind === 'pglite' ? { lockRefusals, lockWaitMs: round(lockWaitMs, 0) } : {}),
  };
}

const pgResult = await run('pg');
const pgliteResult = await run('pglite');
printTable('Durability: kill -9 of the server during intake', [
  ...(
    [
      ['pg', pgResult],
      ['pglite', pgliteResult],
    ] as const
  ).map(([db, r]) => ({
    db,
    kills: r.kills,
    acknowledged: r.acknowledged,
    missing: r.missing,
    duplicated: r.duplicated,
    'not acknowledged': r.notAcknowledged,
    'cut off → replayed/new': `${r.retriedAfterRestart.cutOff} → ${r.retriedAfterRestart.replayed}/${r.retriedAfterRestart.created}`,
    'restart ms (max)': Math.max(...r.restartMs),
  })),
]);
if ('lockRefusals' in pgliteResult) console.log(`  embedded: ${pgliteResult.lockRefusals} starts refused by the dead process's lock; waited ${pgliteResult.lockWaitMs} ms in all`);
writeResults('durability', { pg: pgResult, pglite: pgliteResult });
