// Loads millions of cases into a migrated, seeded database in set-based SQL (generate_series): spread over the
// demo city's communities, matter types, departments and channels, with deadlines from the working-day calendar,
// the timeline of each step, ratings, and the warnings the deadline scan had already set at its last run.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../server/src/db/schema.js';
import { calendarCache, LOCAL_ZONE } from '../../server/src/modules/calendar/index.js';
import { warningBasis } from '../../server/src/modules/cases/deadline-scan.js';
import { NowhereToRouteError, resolveResponsible } from '../../server/src/modules/matters/routing.js';
import { mulberry32 } from '../../server/src/demo/random.js';

export interface GenerateOptions {
  cases: number;
  /** roughly this many stay open */
  openCases: number;
  /** the data's present: the newest case is taken in just before it */
  now: Date;
  /** the deadline scan's previous run: warnings due by then are set, cases taken in since have no next-warning instant yet */
  lastScanAt: Date;
  warningShare: number;
  days?: number;
}

export interface GenerateResult {
  cases: number;
  openCases: number;
  red: number;
  yellow: number;
  supervisionItems: number;
  seconds: { load: number; indexes: number; vacuum: number };
}

const SLOTS = 1000;
const OPEN_DECAY_DAYS = 45;
const OPEN_RECENT = 0.97;


/** SLOTS indices drawn in proportion to the weights, for `slots[1 + floor(random() * SLOTS)]`. */
function slots(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  const out: number[] = [];
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    while (out.length < Math.round((acc / total) * SLOTS)) out.push(i);
  });
  while (out.length < SLOTS) out.push(weights.length - 1);
  return out;
}

const array = (xs: readonly number[]) => `ARRAY[${xs.join(",")}]::int[]`;

/**
 * The floor share of old cases still open so that about `open` of `cases` are open: ages as generated below, and
 * a case whose closing would come after the present stays open too (its handling time from its time limit).
 */
function openFloor(cases: number, open: number, days: number, timeLimits: readonly number[]): number {
  const rand = mulberry32(42);
  const samples = Array.from({ length: 20_000 }, () => {
    const age = days * rand() ** 1.15;
    const limit = timeLimits[Math.floor(rand() * timeLimits.length)]! * 1.4 + 0.3;
    const u = rand();
    const handling = rand() > 0.88 ? (0.5 + 30 * rand()) / 24 : u < 0.9 ? 0.1 + (0.1 + (0.85 * u) / 0.9) * limit : limit + (2 + 200 * (u - 0.9)) / 24;
    return { age, late: handling > age };
  });
  const share = (b: number) => samples.reduce((s, x) => s + (x.late ? 1 : Math.min(1, OPEN_RECENT * Math.exp(-x.age / OPEN_DECAY_DAYS) + b)), 0) / samples.length;
  let [lo, hi] = [0, 1];
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (share(mid) < open / cases) lo = mid;
    else hi = mid;
  }
  return lo;
}

export async function generateCases(db: Kysely<Database>, o: GenerateOptions): Promise<GenerateResult> {
  const days = o.days ?? 730;
  const rand = mulberry32(20261122);
  const T = o.now.toISOString();
  const S = o.lastScanAt.toISOString();

  const communities = await db
    .selectFrom('jurisdiction as c')
    .innerJoin('jurisdiction as s', 's.code', 'c.parent_code')
    .innerJoin('jurisdiction as d', 'd.code', 's.parent_code')
    .select(['c.code', 'c.name', 'c.path', 's.code as street', 'd.code as district', 'd.parent_code as city'])
    .where('c.level', '=', 'community')
    .orderBy('c.code')
    .execute();
  const matters = await db.selectFrom('matter_type').select(['code', 'name', 'time_limit_days', 'priority', 'handling_level']).where('active', '=', true).orderBy('code').execute();
  const matrix = await db.selectFrom('responsibility').select(['matter_type_code', 'level', 'department_kind']).execute();
  const departments = await db.selectFrom('department').select(['id', 'kind', 'jurisdiction_code', 'active']).execute();
  const paths = new Map((await db.selectFrom('jurisdiction').select(['code', 'path']).execute()).map((j) => [j.code, j.path]));

  // busier and quieter communities; a long tail of matter types (shuffled, so the busiest are not all one category)
  const communityWeights = communities.map(() => 0.4 + rand() * 1.6);
  const order = matters.map((_, i) => i).sort(() => rand() - 0.5);
  const matterWeights = matters.map((_, i) => 1 / (order.indexOf(i) + 1) ** 0.9);
  const CHANNELS = ['hotline', 'grid', 'portal', 'inspection', 'petition', 'police', 'api', 'open311'];
  const channelWeights = [55, 20, 8, 5, 4, 2, 3, 3];

  const routes: string[] = [];
  for (const [mi, m] of matters.entries()) {
    for (const [ci, c] of communities.entries()) {
      const chain = { city: c.city!, district: c.district, street: c.street, community: c.code };
      let jurisdictionCode = chain[m.handling_level] ?? c.district;
      let departmentId: number | null = null;
      try {
        const r = resolveResponsible({
          matterTypeCode: m.code,
          level: m.handling_level,
          chain,
          matrix: matrix.filter((x) => x.matter_type_code === m.code).map((x) => ({ level: x.level, departmentKind: x.department_kind })),
          departments: departments.map((d) => ({ id: d.id, kind: d.kind, jurisdictionCode: d.jurisdiction_code, active: d.active })),
        });
        jurisdictionCode = r.jurisdictionCode;
        departmentId = r.departmentId;
      } catch (err) {
        if (!(err instanceof NowhereToRouteError)) throw err;
      }
      routes.push(`(${mi}, ${ci}, '${m.handling_level}', '${jurisdictionCode}', '${paths.get(jurisdictionCode)}', ${departmentId ?? 'NULL'})`);
    }
  }

  const floor = openFloor(o.cases, o.openCases, days, slots(matterWeights).map((i) => matters[i]!.time_limit_days));
  const started = Date.now();
  let loadSec = 0;
  let indexSec = 0;
  await db.connection().execute(async (conn) => {
    const run = (q: string) => sql.raw(q).execute(conn);
    await run(`SET work_mem = '512MB'`);
    await run(`SET maintenance_work_mem = '1GB'`);
    // OFFSET 0 keeps each level a subquery: evaluated once per row, its random draws read by the next level as they are
    // the rows are generated consistent with their foreign keys; checking 5 keys per row would double the load
    await run(`SET session_replication_role = replica`);
    await run(`SELECT setseed(0.20261122)`);

    await sql`CREATE TEMP TABLE gen_comm AS SELECT * FROM (VALUES ${sql.join(
      communities.map((c, i) => sql`(${sql.lit(i)}, ${c.code}, ${c.name}, ${c.path}, ${c.street}, ${c.district})`),
    )}) AS t(i, code, name, path, street, district)`.execute(conn);
    await sql`CREATE TEMP TABLE gen_matter AS SELECT * FROM (VALUES ${sql.join(
      matters.map((m, i) => sql`(${sql.lit(i)}, ${m.code}, ${m.name}, ${sql.lit(m.time_limit_days)}, ${m.priority})`),
    )}) AS t(i, code, name, time_limit, priority)`.execute(conn);
    await run(`CREATE TEMP TABLE gen_route (matter_i int, comm_i int, level text, jcode text, jpath text, department_id int, PRIMARY KEY (matter_i, comm_i))`);
    for (let i = 0; i < routes.length; i += 2000) await run(`INSERT INTO gen_route VALUES ${routes.slice(i, i + 2000).join(',')}`);
    await run(`CREATE TEMP TABLE gen_grid AS
      SELECT c.i AS comm_i, (row_number() OVER (PARTITION BY c.i ORDER BY g.id) - 1)::int AS k, g.id, (g.min_lng + g.max_lng) / 2 AS lng, (g.min_lat + g.max_lat) / 2 AS lat,
        count(*) OVER (PARTITION BY c.i) AS n
      FROM grid g JOIN gen_comm c ON c.code = g.community_code WHERE g.kind = 'base'`);
    // working days around the data: the same rule as WorkingCalendar (Mon–Fri unless a holiday; make-up days)
    await run(`CREATE TEMP TABLE gen_cal AS
      SELECT d::date AS d, w AS working,
        (count(*) FILTER (WHERE w) OVER (ORDER BY d))::int AS upto,
        (count(*) FILTER (WHERE w) OVER (ORDER BY d))::int - w::int AS before
      FROM (SELECT d, COALESCE(o.kind = 'workday', extract(isodow FROM d) < 6) AS w
            FROM generate_series(('${T}'::timestamptz - interval '${days + 60} days')::date, ('${T}'::timestamptz + interval '400 days')::date, interval '1 day') d
            LEFT JOIN calendar_day o ON o.day = d::date) x`);
    await run(`CREATE UNIQUE INDEX ON gen_cal (d)`);
    await run(`CREATE TEMP TABLE gen_work AS SELECT upto, before, d FROM gen_cal WHERE working`);
    await run(`CREATE UNIQUE INDEX ON gen_work (upto)`);
    await run(`CREATE UNIQUE INDEX ON gen_work (before)`);
    await run(`ANALYZE gen_comm, gen_matter, gen_route, gen_grid, gen_cal, gen_work`);

    // secondary indexes are built once after the load instead of row by row
    const { rows: indexes } = await sql<{ name: string; def: string }>`
      SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.tablename = 'case_file' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`.execute(conn);
    for (const i of indexes) await run(`DROP INDEX ${i.name}`);

    const zone = `'${LOCAL_ZONE}'`;
    const local = (x: string) => `(${x} AT TIME ZONE ${zone})`;
    const endOfDay = (d: string) => `((${d} + 1)::timestamp AT TIME ZONE ${zone} - interval '1 millisecond')`;
    const workingTime = (t: string, cal: string) => `(${cal}.before + CASE WHEN ${cal}.working THEN extract(epoch FROM ${local(t)} - ${local(t)}::date)::float8 / 86400 ELSE 0 END)`;
    const NOW1 = `('${T}'::timestamptz - interval '1 minute')`;
    const t0 = Date.now();
    await run(`
      INSERT INTO case_file (number, channel, title, description, matter_type_code, suggested_matter_type_code, priority, status, status_type,
        close_reason, close_note, lng, lat, address, grid_id, community_code, street_code, district_code, jurisdiction_path,
        handling_level, handling_jurisdiction_code, handling_path, department_id, security_label, security_rank, time_limit_days, deadline,
        warning_level, warning_next_at, registered_at, dispatched_at, signed_at, fed_back_at, closed_at, rework_count, extension_count,
        rating, rated_at, supporter_count, version, created_at, updated_at)
      SELECT to_char(${local('created')}, 'YYYYMMDD') || '-' || lpad(i::text, 7, '0'),
        channel, title, description, CASE WHEN classified THEN matter_code END, CASE WHEN NOT classified THEN matter_code END,
        CASE WHEN classified THEN priority ELSE 'normal' END, status, CASE WHEN status = 'closed' THEN 'closed' ELSE 'open' END,
        close_reason, CASE WHEN close_reason IS NOT NULL AND close_reason <> 'resolved' THEN '已向诉求人说明' END, lng, lat, address, grid_id,
        comm_code, street, district, path, level, jcode, jpath, CASE WHEN classified THEN department_id END,
        CASE WHEN channel IN ('petition', 'police') THEN 'confidential' ELSE 'internal' END, CASE WHEN channel IN ('petition', 'police') THEN 2 ELSE 1 END,
        CASE WHEN classified THEN time_limit END, deadline, warning_level,
        CASE WHEN warning_level = 'yellow' THEN deadline
             WHEN status <> 'closed' AND warning_level = 'none' AND deadline IS NOT NULL AND start <= '${S}' THEN next_at END,
        registered, dispatched, signed, fed_back, closed, rework, extension, rating, rated,
        CASE WHEN u_sup < 0.03 THEN 1 + floor(u_sup * 150)::int ELSE 0 END,
        1 + (registered IS NOT NULL)::int + (dispatched IS NOT NULL)::int + (signed IS NOT NULL)::int + (fed_back IS NOT NULL)::int + (closed IS NOT NULL)::int + (rating IS NOT NULL)::int + rework + extension,
        created, GREATEST(created, registered, dispatched, signed, fed_back, closed, rated)
      FROM (
        SELECT w.*,
          CASE WHEN status = 'closed' THEN CASE WHEN closed > deadline THEN 'red' ELSE 'none' END
               WHEN deadline IS NULL THEN 'none'
               WHEN deadline < '${S}' THEN 'red'
               WHEN next_at <= '${S}' AND start <= '${S}' THEN 'yellow' ELSE 'none' END AS warning_level
        FROM (
          SELECT v.*,
            -- no later than the yellow warning: the share of working time between start and deadline, or the deadline
            date_trunc('milliseconds', LEAST(v.deadline, CASE
              WHEN v.allowed > 0 THEN (wk.d::timestamp AT TIME ZONE ${zone}) + (v.target - wk.before) * interval '1 day'
              ELSE v.start + ${o.warningShare} * GREATEST(v.deadline - v.start, interval '0') END)) - interval '1 second' AS next_at
          FROM (
            SELECT s.*, ${workingTime('s.deadline', 'cd')} - ${workingTime('s.start', 'cs')} AS allowed,
              ${workingTime('s.start', 'cs')} + ${o.warningShare} * (${workingTime('s.deadline', 'cd')} - ${workingTime('s.start', 'cs')}) AS target
            FROM (
              SELECT q.*, COALESCE(q.dispatched, q.registered, q.created) AS start
              FROM (
                SELECT p.*,
                  CASE WHEN p.status IN ('received', 'accepted') THEN NULL ELSE p.due END AS deadline,
                  CASE WHEN p.status IN ('received', 'accepted') THEN NULL ELSE LEAST(p.reg_at, GREATEST(p.created, ${NOW1})) END AS registered,
                  CASE WHEN p.status IN ('received', 'accepted', 'registered') OR (p.status = 'closed' AND p.direct) THEN NULL
                       ELSE LEAST(p.disp_at, GREATEST(p.created, ${NOW1})) END AS dispatched,
                  CASE WHEN p.status IN ('signed', 'fed_back') OR (p.status = 'closed' AND NOT p.direct AND p.sign_at IS NOT NULL)
                       THEN LEAST(p.sign_at, GREATEST(p.created, ${NOW1})) END AS signed,
                  CASE WHEN p.status = 'fed_back' OR (p.status = 'closed' AND NOT p.direct AND p.sign_at IS NOT NULL)
                       THEN LEAST(GREATEST(p.sign_at, p.close_at - (0.5 + 10 * p.u_fb) * interval '1 hour'), GREATEST(p.created, ${NOW1})) END AS fed_back,
                  CASE WHEN p.status = 'closed' THEN p.close_at END AS closed,
                  CASE WHEN p.rated_ok THEN CASE WHEN p.u_rate < 0.532 THEN 'satisfied' WHEN p.u_rate < 0.637 THEN 'basically_satisfied' ELSE 'unsatisfied' END END AS rating,
                  CASE WHEN p.rated_ok THEN LEAST(p.close_at + (2 + 70 * p.u_fb) * interval '1 hour', ${NOW1}) END AS rated,
                  CASE WHEN p.status = 'closed' AND NOT p.direct AND p.u_rework < 0.05 THEN 1 ELSE 0 END AS rework,
                  CASE WHEN p.status NOT IN ('received', 'accepted', 'registered') AND p.ext AND NOT p.direct THEN 1 ELSE 0 END AS extension
                FROM (
                  SELECT d.*,
                    d.status = 'closed' AND d.close_at + interval '1 day' < '${T}' AND d.close_reason <> 'duplicate' AND d.u_rate < 0.7 AS rated_ok
                  FROM (
                    SELECT c.*,
                      CASE WHEN c.open THEN
                        CASE WHEN c.channel IN ('api', 'open311') AND c.u_status < 0.3 THEN 'received'
                             WHEN NOT c.classified THEN 'accepted'
                             WHEN c.u_status < 0.12 THEN 'registered'
                             WHEN c.u_status < 0.30 OR c.sign_at IS NULL OR c.sign_at >= '${T}' THEN 'dispatched'
                             WHEN c.u_status < 0.33 THEN 'returned'
                             WHEN c.u_status < 0.88 THEN 'signed' ELSE 'fed_back' END
                      ELSE 'closed' END AS status,
                      CASE WHEN NOT c.open THEN
                        CASE WHEN c.u_reason < 0.85 THEN 'resolved' WHEN c.u_reason < 0.91 THEN 'unresolvable' WHEN c.u_reason < 0.95 THEN 'not_responsible'
                             WHEN c.u_reason < 0.98 THEN 'duplicate' ELSE 'withdrawn' END END AS close_reason
                    FROM (
                      SELECT b.*,
                        (b.u_open < LEAST(1, ${OPEN_RECENT}::float8 * exp(-b.age_days / ${OPEN_DECAY_DAYS}) + ${floor}::float8) OR NOT b.classified OR b.close_at >= '${T}') AS open
                      FROM (
                        SELECT a.*,
                          -- closed: on time nine times in ten, between signing and the deadline; else after it; by the centre at once when direct
                          CASE WHEN a.direct THEN a.reg_at + (0.5 + 30 * a.u_close) * interval '1 hour'
                               WHEN a.u_close < 0.9 THEN COALESCE(a.sign_at, a.disp_at) + (0.1 + 0.85 * a.u_close / 0.9) * GREATEST(a.due - COALESCE(a.sign_at, a.disp_at), interval '2 hours')
                               ELSE a.due + (2 + 200 * (a.u_close - 0.9)) * interval '1 hour' END AS close_at
                        FROM (
                          SELECT r.*,
                            CASE WHEN r.priority = 'critical' THEN r.reg_at + (r.time_limit + CASE WHEN r.ext THEN 3 ELSE 0 END) * interval '1 day'
                                 ELSE ${endOfDay('wd.d')} END AS due
                          FROM (
                            SELECT g.*, m.code AS matter_code, m.time_limit, m.priority,
                              cm.code AS comm_code, cm.path, cm.street, cm.district,
                              rt.level, rt.jcode, rt.jpath, rt.department_id,
                              extract(epoch FROM '${T}'::timestamptz - g.created)::float8 / 86400 AS age_days,
                              NOT (g.u_class < 0.04 AND g.created > '${T}'::timestamptz - interval '5 days') AS classified,
                              g.u_class > 0.88 AS direct,
                              g.u_ext < 0.04 AS ext,
                              g.created + CASE WHEN g.channel IN ('api', 'open311') THEN (1 + 5 * g.u_reg) * interval '1 hour' ELSE (2 + 28 * g.u_reg) * interval '1 minute' END AS reg_at,
                              g.created + CASE WHEN g.channel IN ('api', 'open311') THEN (1 + 5 * g.u_reg) * interval '1 hour' ELSE (2 + 28 * g.u_reg) * interval '1 minute' END
                                + (0.2 + 6 * g.u_disp * g.u_disp) * interval '1 hour' AS disp_at,
                              g.created + CASE WHEN g.channel IN ('api', 'open311') THEN (1 + 5 * g.u_reg) * interval '1 hour' ELSE (2 + 28 * g.u_reg) * interval '1 minute' END
                                + (0.2 + 6 * g.u_disp * g.u_disp) * interval '1 hour'
                                + CASE WHEN g.u_sign < 0.03 THEN NULL WHEN g.u_sign < 0.11 THEN 24 + 36 * g.u_sign ELSE 0.1 + 20 * g.u_sign * g.u_sign END * interval '1 hour' AS sign_at,
                              m.name || '：' || cm.name || '附近' AS title,
                              '市民反映' || cm.name || '一带' || m.name || '，请尽快核实处理。' AS description,
                              cm.name || (1 + floor(g.u_grid * 120))::int || '号' AS address,
                              gr.id AS grid_id, gr.lng + (g.u_grid - 0.5) * 0.004 AS lng, gr.lat + (g.u_sup - 0.5) * 0.003 AS lat
                            FROM (
                              SELECT i,
                                -- ids follow time: the i-th case's day, denser towards now; its hour mostly in office hours
                                least('${T}'::timestamptz - interval '1 second',
                                  (date_trunc('day', ('${T}'::timestamptz - ${days} * power(1 - (i - 0.5::float8) / ${o.cases}, 1.15::float8) * interval '1 day') AT TIME ZONE ${zone}) AT TIME ZONE ${zone})
                                  + CASE WHEN random() < 0.85 THEN (7.5 + 13 * random()) ELSE 24 * random() END * interval '1 hour') AS created,
                                (${array(slots(communityWeights))})[1 + floor(random() * ${SLOTS})::int] AS comm_i,
                                (${array(slots(matterWeights))})[1 + floor(random() * ${SLOTS})::int] AS matter_i,
                                (ARRAY[${CHANNELS.map((c) => `'${c}'`).join(',')}])[1 + (${array(slots(channelWeights))})[1 + floor(random() * ${SLOTS})::int]] AS channel,
                                random() AS u_open, random() AS u_status, random() AS u_reg, random() AS u_disp, random() AS u_sign, random() AS u_close,
                                random() AS u_fb, random() AS u_rate, random() AS u_reason, random() AS u_ext, random() AS u_rework, random() AS u_grid,
                                random() AS u_sup, random() AS u_class
                              FROM generate_series(1, ${o.cases}) i
                              OFFSET 0
                            ) g
                            JOIN gen_comm cm ON cm.i = g.comm_i
                            JOIN gen_matter m ON m.i = g.matter_i
                            JOIN gen_route rt ON rt.matter_i = g.matter_i AND rt.comm_i = g.comm_i
                            LEFT JOIN gen_grid gr ON gr.comm_i = g.comm_i AND gr.k = floor(g.u_grid * gr.n)::int
                            OFFSET 0
                          ) r
                          JOIN gen_cal cr ON cr.d = ${local('r.reg_at')}::date
                          LEFT JOIN gen_work wd ON wd.upto = cr.upto + r.time_limit + CASE WHEN r.ext THEN 5 ELSE 0 END + CASE WHEN r.time_limit = 0 AND NOT cr.working THEN 1 ELSE 0 END
                          OFFSET 0
                        ) a
                        OFFSET 0
                      ) b
                      OFFSET 0
                    ) c
                    OFFSET 0
                  ) d
                  OFFSET 0
                ) p
                OFFSET 0
              ) q
              OFFSET 0
            ) s
            LEFT JOIN gen_cal cs ON cs.d = ${local('s.start')}::date
            LEFT JOIN gen_cal cd ON cd.d = ${local('s.deadline')}::date
            OFFSET 0
          ) v
          LEFT JOIN gen_work wk ON wk.before = ceil(v.target)::int - 1
          OFFSET 0
        ) w
        OFFSET 0
      ) z`);
    loadSec = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    for (const i of indexes) await run(i.def);
    indexSec = (Date.now() - t1) / 1000;
    await run(`INSERT INTO supervision_item (case_id, kind, jurisdiction_code, note, opened_at)
      SELECT id, 'overdue', handling_jurisdiction_code, '案件 ' || number || ' 已超期', deadline + interval '1 minute' FROM case_file WHERE status_type = 'open' AND warning_level = 'red'`);
    // generated numbers carry seven digits and never meet the server's (six while its sequence is below a million)
    // the instants above were computed with this share and this calendar, as the scan would have
    const basis = warningBasis(o.warningShare, await calendarCache.current(conn));
    await sql`INSERT INTO deadline_warning_basis (basis) VALUES (${basis}) ON CONFLICT (id) DO UPDATE SET basis = EXCLUDED.basis`.execute(conn);
    await run(`RESET session_replication_role`);
    for (const t of ['gen_comm', 'gen_matter', 'gen_route', 'gen_grid', 'gen_cal', 'gen_work']) await run(`DROP TABLE ${t}`);
  });
  const t2 = Date.now();
  await sql`VACUUM (ANALYZE) case_file`.execute(db);
  await sql`ANALYZE supervision_item`.execute(db);
  const vacuumSec = (Date.now() - t2) / 1000;
  void started;
  const { rows } = await sql<{ n: number; open: number; red: number; yellow: number; items: number }>`
    SELECT count(*)::int AS n, count(*) FILTER (WHERE status_type = 'open')::int AS open,
      count(*) FILTER (WHERE status_type = 'open' AND warning_level = 'red')::int AS red,
      count(*) FILTER (WHERE status_type = 'open' AND warning_level = 'yellow')::int AS yellow,
      (SELECT count(*)::int FROM supervision_item) AS items
    FROM case_file`.execute(db);
  const r = rows[0]!;
  return { cases: r.n, openCases: r.open, red: r.red, yellow: r.yellow, supervisionItems: r.items, seconds: { load: loadSec, indexes: indexSec, vacuum: vacuumSec } };
}
