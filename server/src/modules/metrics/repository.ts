import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { atLocalTime } from '../calendar/index.js';
import { departmentName } from '../departments/index.js';
import { placeName } from '../jurisdictions/index.js';
import { matterField } from '../matters/index.js';
import { COUNT_FIELDS, type CountField, type Counts, RESPONSE_LIMIT_HOURS } from './definitions.js';
import type { Period } from './periods.js';

type Db = Kysely<Database>;

export const GROUP_BYS = ['district', 'street', 'community', 'department', 'matter', 'channel', 'period'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface MetricsQuery {
  groupBy: GroupBy;
  /** used when groupBy is 'period' */
  period: Period;
  /** the jurisdiction path the cases must lie under */
  underPath: string;
  /** created_at in [start, end) */
  start: Date;
  end: Date;
  /** the instant "overdue" and "past the response limit" are judged at */
  now: Date;
}

export interface GroupCounts {
  /** the group's code, id or period start; null for cases without a department or matter type */
  key: string | null;
  /** the name joined from the jurisdiction, department or matter table, when there is one */
  name: string | null;
  counts: Counts;
}

/** How a grouping groups: the column (or expression of columns and literals), its key as text, its name (a sub-query of the owning module). */
export function grouping(groupBy: GroupBy, period: Period): { column: RawBuilder<unknown>; key: RawBuilder<unknown>; name: RawBuilder<unknown> } {
  const named = (column: RawBuilder<unknown>, name: RawBuilder<unknown>) => ({ column, key: sql`${column}::text`, name });
  const plain = (column: RawBuilder<unknown>) => ({ column, key: column, name: sql`NULL::text` });
  switch (groupBy) {
    case 'district':
    case 'street':
    case 'community': {
      const column = sql.ref(`c.${groupBy}_code`);
      return named(column, placeName(column));
    }
    case 'department':
      return named(sql`c.department_id`, departmentName(sql`c.department_id`));
    case 'matter':
      return named(sql`c.matter_type_code`, matterField(sql`c.matter_type_code`, 'name'));
    case 'channel':
      return plain(sql`c.channel`);
    case 'period':
      // the local calendar, whatever the session's time zone; ISO weeks start on Monday
      return plain(sql`to_char(date_trunc(${sql.lit(period)}, ${atLocalTime(sql`c.created_at`)}), 'YYYY-MM-DD')`);
  }
}

/** The column of each count in the rollup tables (migration 20261122_0011). */
export const COUNT_COLUMNS: Record<CountField, string> = {
  registered: 'registered',
  dispatched: 'dispatched',
  dueForResponse: 'due_for_response',
  responded: 'responded',
  closed: 'closed',
  resolved: 'resolved',
  rated: 'rated',
  satisfied: 'satisfied',
  basicallySatisfied: 'basically_satisfied',
  unsatisfied: 'unsatisfied',
  closedWithDeadline: 'closed_with_deadline',
  onTime: 'on_time',
  openOverdue: 'open_overdue',
  reworked: 'reworked',
  extended: 'extended',
};

/** When a dispatched case of alias `c` must be signed for. */
export function responseBy(): RawBuilder<unknown> {
  const limit = sql.raw(`interval '${RESPONSE_LIMIT_HOURS} hours'`);
  return sql`LEAST(c.dispatched_at + ${limit}, COALESCE(c.deadline, c.dispatched_at + ${limit}))`;
}

/** Cases of alias `c` counted at all: duplicates (merged or closed as such) are left out. */
export const inCohort = sql`c.parent_case_id IS NULL AND c.close_reason IS DISTINCT FROM 'duplicate'`;

/** The set each count counts, within the cohort; docs/METRICS.md says the same in words. */
export function conditions(now: Date): Record<CountField, RawBuilder<unknown>> {
  const responseByAt = responseBy();
  const dispatched = sql`c.dispatched_at IS NOT NULL`;
  const closed = sql`c.status_type = 'closed'`;
  return {
    registered: sql`TRUE`,
    dispatched,
    dueForResponse: sql`${dispatched} AND (c.signed_at IS NOT NULL OR ${responseByAt} < ${now})`,
    responded: sql`${dispatched} AND c.signed_at <= ${responseByAt}`,
    closed,
    resolved: sql`${closed} AND c.close_reason = 'resolved'`,
    rated: sql`c.rating IS NOT NULL`,
    satisfied: sql`c.rating = 'satisfied'`,
    basicallySatisfied: sql`c.rating = 'basically_satisfied'`,
    unsatisfied: sql`c.rating = 'unsatisfied'`,
    closedWithDeadline: sql`${closed} AND c.deadline IS NOT NULL`,
    onTime: sql`${closed} AND c.closed_at <= c.deadline`,
    openOverdue: sql`c.status_type = 'open' AND c.deadline < ${now}`,
    reworked: sql`${closed} AND c.rework_count > 0`,
    extended: sql`${dispatched} AND c.extension_count > 0`,
  };
}

/**
 * One query: the cohort (cases created in the window under the path, duplicates left out) counted per group
 * with conditional aggregates.
 */
export function caseCountsQuery(q: MetricsQuery) {
  const g = grouping(q.groupBy, q.period);
  const when = conditions(q.now);
  const counts = sql.join(COUNT_FIELDS.map((f) => sql`(count(*) FILTER (WHERE ${when[f]}))::int AS ${sql.ref(f)}`));
  return sql<{ group_key: string | null; group_name: string | null } & Counts>`
    SELECT ${g.key} AS group_key, ${g.name} AS group_name, ${counts}
    FROM case_file c
    WHERE c.jurisdiction_path LIKE ${`${q.underPath}%`}
      AND c.created_at >= ${q.start} AND c.created_at < ${q.end}
      AND ${inCohort}
    GROUP BY ${g.column}
    ORDER BY ${g.column} NULLS LAST`;
}

/** Rows of group_key, group_name and the counts, as groups. */
export function toGroupCounts(rows: ReadonlyArray<{ group_key: string | null; group_name: string | null } & Counts>): GroupCounts[] {
  return rows.map((r) => {
    const counts = {} as Counts;
    for (const f of COUNT_FIELDS) counts[f] = Number(r[f]);
    return { key: r.group_key, name: r.group_name, counts };
  });
}

/** The live count, straight from case_file. */
export async function countCases(db: Db, q: MetricsQuery): Promise<GroupCounts[]> {
  const { rows } = await caseCountsQuery(q).execute(db);
  return toGroupCounts(rows);
}
