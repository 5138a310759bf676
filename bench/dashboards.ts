// Dashboards at scale: millions of cases over two years of the demo city (bench/lib/generate-cases.ts), then the
// metrics endpoint and the dispatcher board's list, p50 and p95 over repeated calls through the real app, and the
// deadline scan over the open cases. The baseline is the live metrics query (no rollups) on the same data.
import { type Kysely, sql } from 'kysely';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig } from '../server/src/config.js';
import { openPostgres } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import type { Database } from '../server/src/db/schema.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { buildApp } from '../server/src/http/app.js';
import { calendarCache, localDateOf, monthStart, seedCalendar, shiftDay, startOfLocalDay, weekStart } from '../server/src/modules/calendar/index.js';
import { scanDeadlines, warningNextAt } from '../server/src/modules/cases/deadline-scan.js';
import { seedDefaultCatalogue } from '../server/src/modules/matters/repository.js';
import { countCases, type GroupBy, type MetricsQuery } from '../server/src/modules/metrics/repository.js';
import { refreshCaseMetrics, rollupCounts } from '../server/src/modules/metrics/rollup.js';
import type { Period } from '../server/src/modules/metrics/periods.js';
import { durablePostgres, printTable, quick, round, timeRepeated, writeResults } from './lib/harness.js';
import { generateCases } from './lib/generate-cases.js';

const CASES = quick ? 200_000 : 5_000_000;
const OPEN = quick ? 50_000 : 1_000_000;
const RUNS = quick ? 20 : 40;
const WARNING_SHARE = 0.8;
const PASSWORD = 'demo12345';

const seconds = (ms: number) => round(ms / 1000, 1);

async function session(app: FastifyInstance, username: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'zhili_session')!.value;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const request = async <T>(opts: InjectOptions) => {
    const r = await app.inject({ ...opts, cookies: { zhili_session: cookie }, headers: { 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
    if (r.statusCode >= 300) throw new Error(`${opts.method} ${opts.url}: ${r.statusCode} ${r.body}`);
    return r.json() as T;
  };
  return { get: <T>(url: string) => request<T>({ method: 'GET', url }), post: (url: string, body: object) => request<unknown>({ method: 'POST', url, payload: body }) };
}

/** A burst of ordinary work after the rollups' last refresh: new cases, dispatches, closes, ratings. */
async function activity(db: Kysely<Database>, app: FastifyInstance, n: number) {
  const [hotline, city] = [await session(app, 'demo-hotline'), await session(app, 'demo-city')];
  const grids = await db.selectFrom('grid').select(['min_lng', 'max_lng', 'min_lat', 'max_lat']).where('kind', '=', 'base').orderBy('id').limit(60).execute();
  const matters = (await db.selectFrom('matter_type').select('code').where('active', '=', true).where('priority', '!=', 'critical').orderBy('code').execute()).map((m) => m.code);
  for (let i = 0; i < n; i++) {
    const g = grids[i % grids.length]!;
    await hotline.post('/api/cases', {
      channel: 'hotline',
      title: '路面破损',
      description: '小区门口路面破损，车辆难行。',
      matterTypeCode: matters[(i * 7) % matters.length],
      location: { lng: (g.min_lng + g.max_lng) / 2, lat: (g.min_lat + g.max_lat) / 2 },
    });
  }
  const pick = (status: string, k: number) =>
    db.selectFrom('case_file').select('id').where('status', '=', status).where('security_rank', '<=', 1).where('department_id', 'is not', null).orderBy('id', 'desc').limit(k).execute();
  for (const c of await pick('registered', 2 * n)) await city.post(`/api/cases/${c.id}/actions/dispatch`, {});
  for (const c of await pick('fed_back', n)) await city.post(`/api/cases/${c.id}/actions/verify`, { pass: true });
  const unrated = await db.selectFrom('case_file').select('id').where('status', '=', 'closed').where('rating', 'is', null).where('close_reason', '=', 'resolved').where('security_rank', '<=', 1).orderBy('id', 'desc').limit(n).execute();
  for (const c of unrated) await hotline.post(`/api/cases/${c.id}/actions/rate`, { rating: 'satisfied' });
  const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_event WHERE id > (SELECT event_watermark FROM case_metrics_state)`.execute(db);
  return events.rows[0]!.n;
}

/** The stored next-warning instants of a sample of open cases beside the server's own computation of them. */
async function checkInstants(db: Kysely<Database>) {
  const calendar = await calendarCache.current(db);
  const rows = await db
    .selectFrom('case_file')
    .select(['deadline', 'dispatched_at', 'registered_at', 'created_at', 'warning_next_at'])
    .where('status_type', '=', 'open')
    .where('warning_level', '=', 'none')
    .where('warning_next_at', 'is not', null)
    .where(sql<boolean>`id % 97 = 0`)
    .limit(3000)
    .execute();
  let later = 0;
  let maxEarlierMs = 0;
  for (const r of rows) {
    const own = warningNextAt(calendar, r.dispatched_at ?? r.registered_at ?? r.created_at, r.deadline!, WARNING_SHARE).getTime();
    const stored = r.warning_next_at!.getTime();
    if (stored > own + 1) later++;
    maxEarlierMs = Math.max(maxEarlierMs, own - stored);
  }
  return { sampled: rows.length, later, maxEarlierMs };
}

async function main() {
  const pg = await durablePostgres('dashboards', { shared_buffers: '1GB', max_wal_size: '8GB', checkpoint_timeout: '30min' });
  const handle = await openPostgres(pg.url, 8);
  const db = handle.db;
  await migrateToLatest(db);
  await seedDefaultCatalogue(db);
  await seedCalendar(db);
  await seedDemo(db, PASSWORD);
  const config = { ...loadConfig({}), webDist: '/nonexistent', loginRateLimit: 100_000, warningShare: WARNING_SHARE };
  const app = await buildApp({ handle, config, logger: false });
  await app.ready();

  // the data's present is a few minutes before the timed scan; the previous scan ran five minutes before that
  const T = new Date(Math.floor(Date.now() / 1000) * 1000);
  const lastScanAt = new Date(T.getTime() - 5 * 60_000);
  console.log(`generating ${CASES.toLocaleString('en-US')} cases (about ${OPEN.toLocaleString('en-US')} open)…`);
  const t0 = performance.now();
  const gen = await generateCases(db, { cases: CASES, openCases: OPEN, now: T, lastScanAt, warningShare: WARNING_SHARE });
  const generateMs = performance.now() - t0;
  console.log(`  ${gen.cases.toLocaleString('en-US')} cases, ${gen.openCases.toLocaleString('en-US')} open (${gen.red} red, ${gen.yellow} yellow) in ${seconds(generateMs)} s ` + `(load ${gen.seconds.load} s, indexes ${gen.seconds.indexes} s, vacuum ${gen.seconds.vacuum} s)`);
  const instants = await checkInstants(db);
  console.log(`  next-warning instants: ${instants.later} of ${instants.sampled} sampled later than the server's, at most ${instants.maxEarlierMs} ms earlier`);

  const b0 = performance.now();
  const built = await refreshCaseMetrics(db, { full: true, lockTimeoutMs: 5000 });
  const rollupBuildMs = performance.now() - b0;
  await sql`ANALYZE case_metrics_ledger`.execute(db);
  await sql`ANALYZE case_metrics_place`.execute(db);
  await sql`ANALYZE case_metrics_dim`.execute(db);
  const { rows: sizes } = await sql<{ ledger: string; place: number; dim: number; table: string }>`
    SELECT pg_size_pretty(pg_total_relation_size('case_metrics_ledger')) AS ledger, (SELECT count(*)::int FROM case_metrics_place) AS place,
      (SELECT count(*)::int FROM case_metrics_dim) AS dim, pg_size_pretty(pg_total_relation_size('case_file')) AS table`.execute(db);
  console.log(`  rollups built in ${seconds(rollupBuildMs)} s: ledger ${sizes[0]!.ledger} (${built.cases} cases), ${sizes[0]!.place} place rows, ${sizes[0]!.dim} dimension rows; case_file ${sizes[0]!.table}`);

  // a burst of work since that build, so queries also take the changed cases out of the ledger and count them live
  const pendingEvents = await activity(db, app, quick ? 20 : 40);
  console.log(`  ${pendingEvents} timeline entries since the rollups' refresh`);

  const city = await session(app, 'demo-city');
  const district = (await db.selectFrom('jurisdiction').select('code').where('level', '=', 'district').orderBy('code').executeTakeFirstOrThrow()).code;
  const street = (await db.selectFrom('jurisdiction').select('code').where('level', '=', 'street').where('parent_code', '=', district).orderBy('code').executeTakeFirstOrThrow()).code;
  const pathOf = async (code: string) => (await db.selectFrom('jurisdiction').select('path').where('code', '=', code).executeTakeFirstOrThrow()).path;
  const busyMatter = (await sql<{ code: string }>`SELECT matter_type_code AS code FROM case_file WHERE status_type = 'open' AND matter_type_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC OFFSET 5 LIMIT 1`.execute(db)).rows[0]!.code;
  const today = localDateOf(new Date());
  const monthEnd = shiftDay(monthStart(today), -1);
  const lastMonthStart = monthStart(monthEnd);
  const lastMonday = shiftDay(weekStart(today), -7);
  const lastSunday = shiftDay(lastMonday, 6);
  const metricsQueries: Array<{ name: string; groupBy: GroupBy; period?: Period; from: string; to: string; jurisdictionCode?: string }> = [
    { name: 'districtByMonth', groupBy: 'district', from: lastMonthStart, to: monthEnd },
    { name: 'streetByMonth', groupBy: 'street', from: lastMonthStart, to: monthEnd },
    { name: 'matterByWeek', groupBy: 'matter', from: lastMonday, to: lastSunday },
    { name: 'weeklyTrend12w', groupBy: 'period', period: 'week', from: shiftDay(lastMonday, -77), to: lastSunday },
    { name: 'departmentByMonth', groupBy: 'department', from: lastMonthStart, to: monthEnd },
    { name: 'matterInDistrictByMonth', groupBy: 'matter', from: lastMonthStart, to: monthEnd, jurisdictionCode: district },
    { name: 'matterInStreetByMonth', groupBy: 'matter', from: lastMonthStart, to: monthEnd, jurisdictionCode: street },
    { name: 'districtByYear', groupBy: 'district', from: shiftDay(today, -364), to: today },
  ];
  const queries: Record<string, { p50Ms: number; p95Ms: number; rows: number; cohort?: number; liveP50Ms?: number; ratio?: number; sameAsLive?: boolean; kind: string }> = {};
  let sameAsLive = true;
  const table: Array<Record<string, string | number | null>> = [];
  for (const q of metricsQueries) {
    const params = new URLSearchParams({ groupBy: q.groupBy, from: q.from, to: q.to, ...(q.period ? { period: q.period } : {}), ...(q.jurisdictionCode ? { jurisdictionCode: q.jurisdictionCode } : {}) });
    const url = `/api/metrics/cases?${params}`;
    const first = await city.get<{ items: unknown[]; total: { registered: number } }>(url);
    const timed = await timeRepeated(() => city.get(url), RUNS);
    // the baseline: the same counts straight from case_file
    const mq: MetricsQuery = {
      groupBy: q.groupBy,
      period: q.period ?? 'day',
      underPath: q.jurisdictionCode ? await pathOf(q.jurisdictionCode) : '990100',
      start: startOfLocalDay(q.from),
      end: startOfLocalDay(shiftDay(q.to, 1)),
      now: new Date(),
    };
    const live = await timeRepeated(() => countCases(db, mq), quick ? 5 : 3, 1);
    // the rollups' answer is the live one, judged at the same instant
    const same = JSON.stringify(await rollupCounts(db, mq)) === JSON.stringify(await countCases(db, mq));
    if (!same) sameAsLive = false;
    queries[q.name] = { kind: 'metrics', rows: first.items.length, cohort: first.total.registered, ...timed, liveP50Ms: live.p50Ms, ratio: round(live.p50Ms / timed.p50Ms, 1), sameAsLive: same };
    table.push({ query: q.name, rows: first.items.length, cases: first.total.registered, p50: timed.p50Ms, p95: timed.p95Ms, 'live p50': live.p50Ms, 'live ÷ rollup': round(live.p50Ms / timed.p50Ms, 1) });
  }

  const boardQueries: Array<{ name: string; query: string }> = [
    { name: 'boardNewest', query: 'limit=20' },
    { name: 'boardOpenByDeadline', query: 'statusType=open&sort=deadline&limit=20' },
    { name: 'boardOverdueInDistrict', query: `overdue=true&jurisdictionCode=${district}&sort=deadline&limit=20` },
    { name: 'boardDispatchedOfMatter', query: `status=dispatched&matterTypeCode=${busyMatter}&limit=20` },
    { name: 'boardOpenOfMatterByDeadline', query: `statusType=open&matterTypeCode=${busyMatter}&sort=deadline&limit=20&offset=40` },
    { name: 'boardSignedInDistrictByDeadline', query: `status=signed&jurisdictionCode=${district}&sort=deadline&limit=20&offset=100` },
  ];
  for (const b of boardQueries) {
    const url = `/api/cases?${b.query}`;
    const first = await city.get<{ items: unknown[]; total: number; totalCapped?: boolean }>(url);
    const timed = await timeRepeated(() => city.get(url), RUNS);
    queries[b.name] = { kind: 'board', rows: first.items.length, cohort: first.total, ...timed };
    table.push({ query: b.name, rows: first.items.length, cases: `${first.total}${first.totalCapped ? '+' : ''}`, p50: timed.p50Ms, p95: timed.p95Ms, 'live p50': null, 'live ÷ rollup': null });
  }
  printTable(`Dashboards over ${gen.cases.toLocaleString('en-US')} cases (ms; live = the same counts straight from case_file)`, table);
  console.log(`  rollup answers equal to the live query: ${sameAsLive ? 'all' : 'NOT ALL'}`);

  const r0 = performance.now();
  const refreshed = await refreshCaseMetrics(db, { lockTimeoutMs: 5000 });
  const refreshMs = performance.now() - r0;
  console.log(`\n  incremental refresh of the rollups: ${round(refreshMs)} ms for ${refreshed.cases} changed cases`);

  // the previous scan, at lastScanAt, finds nothing left to do (the data carries its warnings); the timed one, at the
  // data's present, warns what crossed since, over every open case
  await scanDeadlines(db, { now: lastScanAt, warningShare: WARNING_SHARE });
  const s0 = performance.now();
  const scan = await scanDeadlines(db, { now: T, warningShare: WARNING_SHARE });
  const deadlineScanMs = performance.now() - s0;
  const s1 = performance.now();
  const idle = await scanDeadlines(db, { now: T, warningShare: WARNING_SHARE });
  const idleScanMs = performance.now() - s1;
  // after a calendar edit every open case's instant is computed again: time that for a slice
  const slice = quick ? 20_000 : 100_000;
  await sql`UPDATE case_file SET warning_next_at = NULL WHERE id IN (
    SELECT id FROM case_file WHERE status_type = 'open' AND warning_level = 'none' AND deadline IS NOT NULL AND warning_next_at IS NOT NULL LIMIT ${slice})`.execute(db);
  const f0 = performance.now();
  await scanDeadlines(db, { now: T, warningShare: WARNING_SHARE });
  const fillMs = performance.now() - f0;
  const fillPerSec = Math.round(slice / (fillMs / 1000));
  console.log(`  deadline scan over ${gen.openCases.toLocaleString('en-US')} open cases: ${round(deadlineScanMs)} ms (${scan.yellow} yellow, ${scan.red} red, ${scan.supervision} supervision items); ` +
    `idle ${round(idleScanMs)} ms (${idle.yellow + idle.red} warnings); computing ${slice.toLocaleString('en-US')} instants again ${round(fillMs)} ms (${fillPerSec.toLocaleString('en-US')}/s)`);

  const { rows: indexRows } = await sql<{ name: string; size: string }>`
    SELECT indexrelname AS name, pg_size_pretty(pg_relation_size(indexrelid)) AS size FROM pg_stat_user_indexes
    WHERE indexrelname IN ('case_file_warning_next_idx', 'case_file_open_deadline_idx', 'case_file_open_status_idx', 'case_metrics_ledger_response_idx', 'case_metrics_ledger_overdue_idx', 'case_metrics_dim_uq', 'case_metrics_place_pk')
    ORDER BY 1`.execute(db);

  writeResults('dashboards', {
    cases: gen.cases,
    openCases: gen.openCases,
    generateSec: seconds(generateMs),
    generate: gen.seconds,
    rollupBuildSec: seconds(rollupBuildMs),
    rollup: { ledgerSize: sizes[0]!.ledger, placeRows: sizes[0]!.place, dimensionRows: sizes[0]!.dim, pendingEvents, refreshMs: round(refreshMs), refreshedCases: refreshed.cases },
    caseFileSize: sizes[0]!.table,
    queries,
    rollupSameAsLive: sameAsLive,
    deadlineScanMs: round(deadlineScanMs),
    deadlineScan: { ...scan, idleMs: round(idleScanMs), recomputedInstants: slice, recomputeMs: round(fillMs), instantsPerSec: fillPerSec, instantCheck: instants },
    indexes: Object.fromEntries(indexRows.map((r) => [r.name, r.size])),
    settings: { shared_buffers: '1GB', max_wal_size: '8GB' },
  });
  await app.close();
  await handle.close();
  pg.stop();
}

await main();
