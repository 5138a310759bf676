/**
 * The case metrics from daily rollups, with the same answers as the live query (repository.ts) at any instant.
 *
 * The ledger holds each counted case as the rollups last counted it: its day, place, department, matter type,
 * channel, one bit per count that depends on the case alone, and the two instants after which it counts as due
 * for a response or as open and overdue. The rollups are the ledger summed per day and community, and per day,
 * district (or community) and department / matter type / channel, the two time-dependent counts judged at `as_of`.
 *
 * Every change of a case writes its timeline (case_event) in the same transaction, so the events after the
 * watermark name every case the ledger may not know as it is. A query adds up the rollup rows of the window,
 * the ledger's instants crossed between `as_of` and now, and for each of those changed cases takes its ledger
 * row out and its live row in. A job folds the changes into the ledger and rollups (refreshCaseMetrics).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { atLocalTime, localDateOf, startOfLocalDay } from '../calendar/index.js';
import { departmentName } from '../departments/index.js';
import { placeName } from '../jurisdictions/index.js';
import { matterField } from '../matters/index.js';
import { COUNT_FIELDS, type CountField } from './definitions.js';
import { conditions, COUNT_COLUMNS, type GroupBy, type GroupCounts, grouping, inCohort, type MetricsQuery, responseBy, toGroupCounts } from './repository.js';

type Db = Kysely<Database>;
type Sql = RawBuilder<unknown>;

/** Beyond this many timeline entries since the last refresh, a query counts live instead. */
export const MAX_PENDING_EVENTS = 20_000;
/** Only one process refreshes at a time (pg_try_advisory_xact_lock). */
const REFRESH_LOCK = 7_271_011;

const STATE_FIELDS = COUNT_FIELDS.filter((f) => f !== 'registered' && f !== 'dueForResponse' && f !== 'openOverdue');
const BIT = Object.fromEntries(STATE_FIELDS.map((f, i) => [f, 1 << i])) as Record<CountField, number>;
/** dispatched and signed for: due for a response whatever the time */
const SIGNED_BIT = 1 << STATE_FIELDS.length;

const col = (f: CountField) => sql.ref(COUNT_COLUMNS[f]);
const lit = (n: number) => sql.lit(n);

/** The path of the district a case's place (`path`, `district_code`) lies in. */
const districtPath = (path: Sql, district: Sql) =>
  sql`CASE WHEN strpos(${path}, ${district}) > 0 THEN substr(${path}, 1, strpos(${path}, ${district}) + length(${district}) - 1) ELSE ${path} END`;

/** The ledger row of each case of alias `c`. */
function ledgerSelect(where: Sql): Sql {
  const when = conditions(new Date(0)); // the state counts do not read the instant
  const flags = sql.join(
    [...STATE_FIELDS.map((f) => sql`(CASE WHEN ${when[f]} THEN ${lit(BIT[f])} ELSE 0 END)`), sql`(CASE WHEN c.dispatched_at IS NOT NULL AND c.signed_at IS NOT NULL THEN ${lit(SIGNED_BIT)} ELSE 0 END)`],
    sql` | `,
  );
  return sql`
    SELECT c.id, (${atLocalTime(sql`c.created_at`)})::date, c.jurisdiction_path, c.community_code, c.street_code, c.district_code,
      ${districtPath(sql`c.jurisdiction_path`, sql`c.district_code`)},
      c.department_id, c.matter_type_code, c.channel, ${flags},
      CASE WHEN c.dispatched_at IS NOT NULL AND c.signed_at IS NULL THEN ${responseBy()} END,
      CASE WHEN c.status_type = 'open' THEN c.deadline END
    FROM case_file c
    WHERE ${inCohort} AND ${where}`;
}

const LEDGER_COLUMNS = sql`(case_id, day, jurisdiction_path, community_code, street_code, district_code, district_path, department_id, matter_type_code, channel, flags, response_at, overdue_at)`;

/** Whether a ledger row (alias `l`) counts for a field at an instant. */
function ledgerCounts(f: CountField, at: Date): Sql {
  if (f === 'registered') return sql`TRUE`;
  if (f === 'dueForResponse') return sql`((l.flags & ${lit(SIGNED_BIT)}) <> 0 OR l.response_at < ${at})`;
  if (f === 'openOverdue') return sql`l.overdue_at < ${at}`;
  return sql`(l.flags & ${lit(BIT[f])}) <> 0`;
}

/** Whether a ledger row's time-dependent count starts in [from, to). */
function crossing(f: CountField, from: Date, to: Date): Sql | null {
  if (f === 'dueForResponse') return sql`(l.response_at >= ${from} AND l.response_at < ${to})`;
  if (f === 'openOverdue') return sql`(l.overdue_at >= ${from} AND l.overdue_at < ${to})`;
  return null;
}

type PerField = (f: CountField) => Sql;
const aggregatesAt = (at: Date, sign: 1 | -1): PerField => (f) => sql`(${lit(sign)} * count(*) FILTER (WHERE ${ledgerCounts(f, at)}))::int`;
const aggregatesCrossed = (from: Date, to: Date): PerField => (f) => {
  const c = crossing(f, from, to);
  return c ? sql`(count(*) FILTER (WHERE ${c}))::int` : sql`0`;
};

/** Adds per-group sums of the ledger rows (alias `l`) matching `where` to both rollups. */
async function addToRollups(db: Db, where: Sql, value: PerField): Promise<void> {
  const names = sql.join(COUNT_FIELDS.map(col));
  const values = sql.join(COUNT_FIELDS.map(value));
  const add = sql.join(COUNT_FIELDS.map((f) => sql`${col(f)} = r.${col(f)} + EXCLUDED.${col(f)}`));
  await sql`
    INSERT INTO case_metrics_place AS r (day, jurisdiction_path, community_code, street_code, district_code, ${names})
    SELECT l.day, l.jurisdiction_path, l.community_code, l.street_code, l.district_code, ${values}
    FROM case_metrics_ledger l
    WHERE ${where}
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT case_metrics_place_pk DO UPDATE SET ${add}`.execute(db);
  await sql`
    INSERT INTO case_metrics_dim AS r (dim, level, day, path, key, ${names})
    SELECT d.dim, v.level, l.day, v.path, d.key, ${values}
    FROM case_metrics_ledger l
    CROSS JOIN LATERAL (VALUES ('department', l.department_id::text), ('matter', l.matter_type_code), ('channel', l.channel)) AS d(dim, key)
    CROSS JOIN LATERAL (VALUES ('district', l.district_path), ('community', l.jurisdiction_path)) AS v(level, path)
    WHERE ${where}
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 4, 3, 5
    ON CONFLICT (dim, level, path, day, key) DO UPDATE SET ${add}`.execute(db);
}

/**
 * The newest timeline entry such that every entry up to it is committed and none is still being written: taken
 * under a brief SHARE lock on case_event, which waits for the writing transactions (at most `lockTimeoutMs`,
 * then null: try again later).
 */
async function eventWatermark(db: Db, lockTimeoutMs: number): Promise<number | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql.raw(`SET LOCAL lock_timeout = '${Math.max(1, Math.round(lockTimeoutMs))}ms'`).execute(trx);
      await sql`LOCK TABLE case_event IN SHARE MODE`.execute(trx);
      const { rows } = await sql<{ m: string | null }>`SELECT max(id)::text AS m FROM case_event`.execute(trx);
      return Number(rows[0]?.m ?? 0);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') return null; // lock_not_available
    throw err;
  }
}

export interface RefreshResult {
  mode: 'full' | 'incremental' | 'skipped';
  /** cases whose ledger rows were written */
  cases: number;
  eventWatermark: number | null;
}

/**
 * Folds the changes since the last refresh into the ledger and the rollups, or builds them from scratch (the
 * first time, or with `full`). Safe with several processes: one refreshes, the others skip; the work runs in one
 * REPEATABLE READ transaction, so queries see the rollups before or after it, never half of it.
 */
export async function refreshCaseMetrics(db: Db, opts: { now?: Date; full?: boolean; lockTimeoutMs?: number } = {}): Promise<RefreshResult> {
  const now = opts.now ?? new Date();
  if (opts.full) await sql`DELETE FROM case_metrics_state`.execute(db); // queries count live meanwhile
  const watermark = await eventWatermark(db, opts.lockTimeoutMs ?? 200);
  if (watermark === null) return { mode: 'skipped', cases: 0, eventWatermark: null };
  try {
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const { rows: lock } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${lit(REFRESH_LOCK)}) AS ok`.execute(trx);
        if (!lock[0]?.ok) return { mode: 'skipped' as const, cases: 0, eventWatermark: null };
        const { rows } = await sql<{ event_watermark: string; as_of: Date }>`SELECT event_watermark::text, as_of FROM case_metrics_state`.execute(trx);
        const state = rows[0];
        if (!state) return { mode: 'full' as const, cases: await build(trx, watermark, now), eventWatermark: watermark };
        const previous = Number(state.event_watermark);
        const asOf = new Date(Math.max(now.getTime(), state.as_of.getTime()));
        if (previous >= watermark && asOf.getTime() === state.as_of.getTime()) return { mode: 'incremental' as const, cases: 0, eventWatermark: previous };
        const cases = await fold(trx, { from: previous, to: Math.max(previous, watermark) }, { from: state.as_of, to: asOf });
        await sql`UPDATE case_metrics_state SET event_watermark = ${Math.max(previous, watermark)}, as_of = ${asOf}, refreshed_at = now()`.execute(trx);
        return { mode: 'incremental' as const, cases, eventWatermark: Math.max(previous, watermark) };
      });
  } catch (err) {
    // another refresh committed first
    if ((err as { code?: string }).code === '40001') return { mode: 'skipped', cases: 0, eventWatermark: null };
    throw err;
  }
}

async function build(db: Db, watermark: number, asOf: Date): Promise<number> {
  await sql`TRUNCATE case_metrics_ledger, case_metrics_place, case_metrics_dim`.execute(db);
  const inserted = await sql`INSERT INTO case_metrics_ledger ${LEDGER_COLUMNS} ${ledgerSelect(sql`TRUE`)}`.execute(db);
  await addToRollups(db, sql`TRUE`, aggregatesAt(asOf, 1));
  await sql`INSERT INTO case_metrics_state (event_watermark, as_of, built_at, refreshed_at) VALUES (${watermark}, ${asOf}, now(), now())`.execute(db);
  return Number(inserted.numAffectedRows ?? 0);
}

/** Moves the rollups from one instant to the next and from one watermark to the next. */
async function fold(db: Db, events: { from: number; to: number }, time: { from: Date; to: Date }): Promise<number> {
  if (time.to > time.from) {
    const crossed = sql.join(
      COUNT_FIELDS.map((f) => crossing(f, time.from, time.to)).filter((c): c is Sql => c !== null),
      sql` OR `,
    );
    await addToRollups(db, crossed, aggregatesCrossed(time.from, time.to));
  }
  if (events.to <= events.from) return 0;
  const changed = sql`(SELECT DISTINCT case_id FROM case_event WHERE id > ${events.from} AND id <= ${events.to})`;
  await addToRollups(db, sql`l.case_id IN ${changed}`, aggregatesAt(time.to, -1));
  await sql`DELETE FROM case_metrics_ledger WHERE case_id IN ${changed}`.execute(db);
  const inserted = await sql`INSERT INTO case_metrics_ledger ${LEDGER_COLUMNS} ${ledgerSelect(sql`c.id IN ${changed}`)}`.execute(db);
  await addToRollups(db, sql`l.case_id IN ${changed}`, aggregatesAt(time.to, 1));
  return Number(inserted.numAffectedRows ?? 0);
}

const PLACE_GROUPS: readonly GroupBy[] = ['district', 'street', 'community', 'period'];

/** The group key of a ledger row (alias `l`) or a place rollup row (alias `r`), as text. */
function keyOf(alias: 'l' | 'r', q: MetricsQuery): Sql {
  switch (q.groupBy) {
    case 'district':
    case 'street':
    case 'community':
      return sql.ref(`${alias}.${q.groupBy}_code`);
    case 'period':
      return sql`to_char(date_trunc(${sql.lit(q.period)}, ${sql.ref(`${alias}.day`)}::timestamp), 'YYYY-MM-DD')`;
    case 'department':
      return sql`l.department_id::text`;
    case 'matter':
      return sql`l.matter_type_code`;
    case 'channel':
      return sql`l.channel`;
  }
}

/** The group's name, looked up after summing, as the live query looks it up. */
function nameOf(groupBy: GroupBy): { name: Sql; order: Sql } {
  switch (groupBy) {
    case 'district':
    case 'street':
    case 'community':
      return { name: placeName(sql`p.k`), order: sql`p.k` };
    case 'department':
      return { name: departmentName(sql`p.k::int`), order: sql`p.k::int` };
    case 'matter':
      return { name: matterField(sql`p.k`, 'name'), order: sql`p.k` };
    case 'channel':
    case 'period':
      return { name: sql`NULL::text`, order: sql`p.k` };
  }
}

/** Which dimension rows serve a scope: a district's hold whole districts, a community's any place below a district. */
const dimLevel = (underPath: string) => (underPath.split('/').length <= 2 ? 'district' : 'community');

/** The metrics from the rollups, or null when they cannot answer: never built, too far behind, or a window that is not whole local days. */
export async function rollupCounts(db: Db, q: MetricsQuery): Promise<GroupCounts[] | null> {
  const fromDay = localDateOf(q.start);
  const endDay = localDateOf(q.end);
  if (startOfLocalDay(fromDay).getTime() !== q.start.getTime() || startOfLocalDay(endDay).getTime() !== q.end.getTime()) return null;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      // compiling this many expressions costs more (20–40 ms) than running them over a few thousand rollup rows
      await sql`SET LOCAL jit = off`.execute(trx);
      const byPlace = PLACE_GROUPS.includes(q.groupBy);
      const { rows: states } = await sql<{ m: string; as_of: Date; pending: number; places: string[] | null }>`
        SELECT s.event_watermark::text AS m, s.as_of,
          (SELECT count(*)::int FROM (SELECT 1 FROM case_event e WHERE e.id > s.event_watermark LIMIT ${MAX_PENDING_EVENTS + 1}) x) AS pending,
          ${byPlace ? sql`NULL::text[]` : placesOf(q, fromDay, endDay)} AS places
        FROM case_metrics_state s`.execute(trx);
      const state = states[0];
      if (!state || state.pending > MAX_PENDING_EVENTS) return null;
      const { rows } = await rollupQuery(q, { fromDay, endDay, watermark: Number(state.m), asOf: state.as_of, places: state.places ?? [] }).execute(trx);
      return toGroupCounts(rows);
    });
}

/** The places of the dimension rows of a scope and window, from the place rollup (built from the same ledger rows). */
function placesOf(q: MetricsQuery, fromDay: string, endDay: string): Sql {
  const path = dimLevel(q.underPath) === 'district' ? districtPath(sql`p.jurisdiction_path`, sql`p.district_code`) : sql`p.jurisdiction_path`;
  return sql`(SELECT coalesce(array_agg(DISTINCT ${path}), '{}') FROM case_metrics_place p
    WHERE p.day >= ${fromDay}::date AND p.day < ${endDay}::date AND p.jurisdiction_path LIKE ${`${q.underPath}%`})`;
}

/** `places`: with a department, matter or channel grouping, the places whose dimension rows to read (placesOf), each one run of the index. */
export function rollupQuery(q: MetricsQuery, s: { fromDay: string; endDay: string; watermark: number; asOf: Date; places?: string[] }) {
  const under = `${q.underPath}%`;
  const byPlace = PLACE_GROUPS.includes(q.groupBy);
  const names = sql.join(COUNT_FIELDS.map(col));
  const lKey = keyOf('l', q);
  const level = dimLevel(q.underPath);
  const ledgerWhere = sql`l.day >= ${s.fromDay}::date AND l.day < ${s.endDay}::date AND l.jurisdiction_path LIKE ${under}`;
  const rollup = byPlace
    ? sql`SELECT ${keyOf('r', q)}, ${names} FROM case_metrics_place r
        WHERE r.day >= ${s.fromDay}::date AND r.day < ${s.endDay}::date AND r.jurisdiction_path LIKE ${under}`
    : sql`SELECT r.key, ${names} FROM case_metrics_dim r
        WHERE r.dim = ${q.groupBy} AND r.level = ${level} AND r.path = ANY(${s.places ?? []}::text[]) AND r.day >= ${s.fromDay}::date AND r.day < ${s.endDay}::date
          AND r.path LIKE ${under}`;
  // the instants crossed between the rollups' as_of and now: added going forward, taken back going back
  const forward = q.now >= s.asOf;
  const [lo, hi] = forward ? [s.asOf, q.now] : [q.now, s.asOf];
  const crossedAny = sql`((l.response_at >= ${lo} AND l.response_at < ${hi}) OR (l.overdue_at >= ${lo} AND l.overdue_at < ${hi}))`;
  const crossed = sql.join(
    COUNT_FIELDS.map((f) => {
      const c = crossing(f, lo, hi);
      return c ? sql`CASE WHEN ${c} THEN ${lit(forward ? 1 : -1)} ELSE 0 END` : sql`0`;
    }),
  );
  const ledgerNow = sql.join(COUNT_FIELDS.map((f) => sql`CASE WHEN ${ledgerCounts(f, q.now)} THEN -1 ELSE 0 END`));
  const when = conditions(q.now);
  const liveNow = sql.join(COUNT_FIELDS.map((f) => sql`CASE WHEN ${when[f]} THEN 1 ELSE 0 END`));
  const g = grouping(q.groupBy, q.period);
  const n = nameOf(q.groupBy);
  const sums = sql.join(COUNT_FIELDS.map((f) => sql`sum(p.${col(f)})::int AS ${sql.ref(f)}`));
  return sql<{ group_key: string | null; group_name: string | null } & Record<CountField, number>>`
    WITH changed AS (SELECT DISTINCT case_id FROM case_event WHERE id > ${s.watermark}),
    parts (k, ${names}) AS (
      ${rollup}
      UNION ALL
      SELECT ${lKey}, ${crossed} FROM case_metrics_ledger l WHERE ${crossedAny} AND ${ledgerWhere}
      UNION ALL
      SELECT ${lKey}, ${ledgerNow} FROM case_metrics_ledger l WHERE l.case_id IN (SELECT case_id FROM changed) AND ${ledgerWhere}
      UNION ALL
      SELECT ${g.key}, ${liveNow} FROM case_file c
      WHERE c.id IN (SELECT case_id FROM changed) AND c.jurisdiction_path LIKE ${under}
        AND c.created_at >= ${q.start} AND c.created_at < ${q.end} AND ${inCohort}
    )
    SELECT p.k AS group_key, ${n.name} AS group_name, ${sums}
    FROM parts p
    GROUP BY p.k
    HAVING sum(p.registered) > 0
    ORDER BY ${n.order} NULLS LAST`;
}
