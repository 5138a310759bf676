// Two server processes, one PostgreSQL: the same dispatch (交办) and the same sign-for (签收) of each case sent
// through both processes at once must succeed exactly once, the loser getting a 409, never a 500; and with both
// processes scanning deadlines every second, each case is warned, marked overdue and put under supervision once.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { durablePostgres, postgresServerEnv, printTable, quick, round, type ServerProcess, signInHeaders, startServerProcess, writeResults } from './lib/harness.js';

const CASES = quick ? 50 : 200;
/** cases raced at a time (each race is two requests) */
const WAVE = 20;
const SCAN_WAIT_MS = 6000;

type Headers = { cookie: string; 'x-csrf-token': string };

async function call(url: string, headers: Headers, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const db = await durablePostgres('concurrency');
const env = { ...postgresServerEnv(db.url), ZHILI_JOB_INTERVAL_MS: '1000' };
// one after the other: the first migrates and seeds
const a: ServerProcess = await startServerProcess(env);
const b: ServerProcess = await startServerProcess(env);
const sql = new pg.Pool({ connectionString: db.url, max: 4 });

/** The server process owning each connection to PostgreSQL, by its client port. */
function processOfPort(): Map<number, 'first' | 'second'> {
  const out = spawnSync('ss', ['-tnpH', 'state', 'established', `( dport = :${db.port} )`], { encoding: 'utf8' }).stdout;
  const map = new Map<number, 'first' | 'second'>();
  for (const m of out.matchAll(/127\.0\.0\.1:(\d+)\s+\S+\s+users:\(\("[^"]*",pid=(\d+)/g)) {
    const pid = Number(m[2]);
    if (pid === a.child.pid) map.set(Number(m[1]), 'first');
    if (pid === b.child.pid) map.set(Number(m[1]), 'second');
  }
  return map;
}

/** Evidence that the two processes scan at the same time: which of them is inside a scan transaction, sampled. */
function sampleScans() {
  const seen = { first: 0, second: 0, both: 0, samples: 0 };
  let ports = processOfPort();
  let running = true;
  const loop = (async () => {
    while (running) {
      const busy = await sql.query<{ client_port: number }>(
        `SELECT client_port FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')
           AND (query ILIKE '%warning_level%' OR query ILIKE '%supervision_item%' OR query ILIKE '%case_event%' OR query ILIKE '%notification%')`,
      );
      if (busy.rows.some((r) => !ports.has(r.client_port))) ports = processOfPort();
      const who = new Set(busy.rows.map((r) => ports.get(r.client_port)));
      seen.samples++;
      if (who.has('first')) seen.first++;
      if (who.has('second')) seen.second++;
      if (who.has('first') && who.has('second')) seen.both++;
      await sleep(20);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

try {
  const hotline = await signInHeaders(a.url, 'demo-hotline');
  // two dispatchers and the department's handler twice, each on its own process
  const dispatchers = [await signInHeaders(a.url, 'demo-district'), await signInHeaders(b.url, 'demo-city')] as const;
  const handlers = [await signInHeaders(a.url, 'demo-dept'), await signInHeaders(b.url, 'demo-dept')] as const;
  const me = (await (await fetch(`${a.url}/api/me`, { headers: { cookie: handlers[0].cookie } })).json()) as { user: { departmentId: number } };

  // street lights out across 青河区: routed to the district, its urban-management department
  const ids: number[] = [];
  for (let i = 0; i < CASES; i++) {
    const location = { lng: round(111.552 + ((i * 37) % 93) / 1000, 6), lat: round(40.762 + ((i * 53) % 75) / 1000, 6) };
    const r = await call(a.url, hotline, '/api/cases', {
      channel: 'hotline',
      title: `路灯不亮（第${i + 1}处）`,
      description: '小区门口的路灯连续三天晚上不亮，行人看不清路。',
      matterTypeCode: 'CG-005',
      location,
      reporter: { name: '张伟', phone: `138${String(10_000_000 + i).padStart(8, '0')}` },
    });
    if (r.status !== 201 || r.json.departmentId !== me.user.departmentId) throw new Error(`intake: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    ids.push(r.json.id as number);
  }

  /** races one action on every case through both processes; half the races send the version they saw */
  const race = async (action: 'dispatch' | 'sign', sessions: readonly [Headers, Headers]) => {
    const out = { attempts: 0, oneSuccess: 0, doubleSuccesses: 0, noSuccess: 0, status5xx: 0, loserStatuses: {} as Record<string, number> };
    for (let w = 0; w < ids.length; w += WAVE) {
      await Promise.all(
        ids.slice(w, w + WAVE).map(async (id, i) => {
          const version = (await sql.query<{ version: number }>('SELECT version FROM case_file WHERE id = $1', [id])).rows[0]!.version;
          const body = i % 2 === 0 ? { expectedVersion: version } : {};
          const results = await Promise.all([call(a.url, sessions[0], `/api/cases/${id}/actions/${action}`, body), call(b.url, sessions[1], `/api/cases/${id}/actions/${action}`, body)]);
          out.attempts++;
          const wins = results.filter((r) => r.status === 200).length;
          if (wins === 1) out.oneSuccess++;
          else if (wins === 2) out.doubleSuccesses++;
          else out.noSuccess++;
          for (const r of results) {
            if (r.status >= 500) out.status5xx++;
            if (r.status !== 200) {
              const code = `${r.status} ${(r.json.error as { code?: string } | undefined)?.code ?? ''}`.trim();
              out.loserStatuses[code] = (out.loserStatuses[code] ?? 0) + 1;
            }
          }
        }),
      );
    }
    // the timeline must agree: one event of the action per case
    const events = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT case_id FROM case_event WHERE case_id = ANY($1) AND action = $2 GROUP BY case_id HAVING count(*) > 1) t`,
      [ids, action],
    );
    return { ...out, casesWithTwoEvents: events.rows[0]!.n };
  };
  const dispatch = await race('dispatch', dispatchers);
  const sign = await race('sign', handlers);

  // deadlines: half the cases near their deadline (most of the working time used), half past it; both
  // processes scan every second; then the near ones pass their deadline too
  const sampler = sampleScans();
  const half = ids.slice(0, ids.length / 2);
  const rest = ids.slice(ids.length / 2);
  await sql.query(`UPDATE case_file SET dispatched_at = now() - interval '20 days', deadline = now() + interval '1 day' WHERE id = ANY($1)`, [half]);
  await sql.query(`UPDATE case_file SET deadline = now() - interval '1 hour' WHERE id = ANY($1)`, [rest]);
  await sleep(SCAN_WAIT_MS);
  await sql.query(`UPDATE case_file SET deadline = now() - interval '1 minute' WHERE id = ANY($1)`, [half]);
  await sleep(SCAN_WAIT_MS);
  const overlap = await sampler.stop();

  const perCase = await sql.query<{ id: number; warnings: number; overdue: number; supervision: number; notices: number }>(
    `SELECT c.id,
       (SELECT count(*)::int FROM case_event e WHERE e.case_id = c.id AND e.action = 'deadline-warning') AS warnings,
       (SELECT count(*)::int FROM case_event e WHERE e.case_id = c.id AND e.action = 'overdue') AS overdue,
       (SELECT count(*)::int FROM supervision_item s WHERE s.case_id = c.id AND s.kind = 'overdue') AS supervision,
       (SELECT coalesce(max(n), 0)::int FROM (SELECT count(*) AS n FROM notification n WHERE n.case_id = c.id AND n.kind IN ('case.warning', 'case.overdue') GROUP BY n.user_id, n.kind) t) AS notices
     FROM case_file c WHERE c.id = ANY($1)`,
    [ids],
  );
  const rows = perCase.rows;
  const nearIds = new Set(half);
  const scan = {
    cases: rows.length,
    warnedOnce: rows.filter((r) => nearIds.has(r.id) && r.warnings === 1).length,
    overdueOnce: rows.filter((r) => r.overdue === 1).length,
    supervisionOnce: rows.filter((r) => r.supervision === 1).length,
    doubleWarnings: rows.filter((r) => r.warnings > 1).length,
    doubleOverdue: rows.filter((r) => r.overdue > 1).length,
    doubleSupervision: rows.filter((r) => r.supervision > 1).length,
    doubleNotices: rows.filter((r) => r.notices > 1).length,
    neverMarkedOverdue: rows.filter((r) => r.overdue === 0).length,
    /** samples of pg_stat_activity (every 20 ms) with a scan transaction of the first, the second, both processes */
    samplesInScan: overlap,
  };
  const result = {
    processes: 2,
    cases: CASES,
    attempts: dispatch.attempts + sign.attempts,
    doubleSuccesses: dispatch.doubleSuccesses + sign.doubleSuccesses + dispatch.casesWithTwoEvents + sign.casesWithTwoEvents,
    doubleWarnings: rows.filter((r) => r.warnings > 1 || r.overdue > 1 || r.supervision > 1).length,
    status5xx: dispatch.status5xx + sign.status5xx,
    dispatch,
    sign,
    scan,
    jobIntervalMs: Number(env.ZHILI_JOB_INTERVAL_MS),
  };
  printTable('Two server processes, one PostgreSQL', [
    { race: 'dispatch 交办', attempts: dispatch.attempts, 'one success': dispatch.oneSuccess, 'double successes': dispatch.doubleSuccesses, 'no success': dispatch.noSuccess, '5xx': dispatch.status5xx, losers: JSON.stringify(dispatch.loserStatuses) },
    { race: 'sign 签收', attempts: sign.attempts, 'one success': sign.oneSuccess, 'double successes': sign.doubleSuccesses, 'no success': sign.noSuccess, '5xx': sign.status5xx, losers: JSON.stringify(sign.loserStatuses) },
  ]);
  printTable('Deadline scan in both processes (every second)', [
    { mark: 'deadline-warning (yellow)', cases: half.length, once: scan.warnedOnce, 'more than once': scan.doubleWarnings },
    { mark: 'overdue (red)', cases: rows.length, once: scan.overdueOnce, 'more than once': scan.doubleOverdue },
    { mark: 'supervision item', cases: rows.length, once: scan.supervisionOnce, 'more than once': scan.doubleSupervision },
    { mark: 'inbox notice per user', cases: rows.length, once: null, 'more than once': scan.doubleNotices },
  ]);
  console.log(`  scan transactions seen in pg_stat_activity: first process ${overlap.first}, second ${overlap.second}, both at once ${overlap.both} samples`);
  writeResults('concurrency', result);
} finally {
  await sql.end();
  await Promise.all([a.stop(), b.stop()]);
}
