import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Dashboards at scale (docs/PERFORMANCE.md): the instant of a case's next deadline warning with its index and
// the trigger that forgets it when its inputs change; the board's index of open cases by deadline; the case
// metrics ledger and its daily rollups, kept by a job from the case timeline.
const COUNTS = [
  'registered',
  'dispatched',
  'due_for_response',
  'responded',
  'closed',
  'resolved',
  'rated',
  'satisfied',
  'basically_satisfied',
  'unsatisfied',
  'closed_with_deadline',
  'on_time',
  'open_overdue',
  'reworked',
  'extended',
];
const countColumns = COUNTS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n    ');

const up_statements = [
  `ALTER TABLE case_file ADD COLUMN warning_next_at timestamptz`,
  `COMMENT ON COLUMN case_file.warning_next_at IS 'no later than the next deadline warning of an open case (yellow share of working time, or the deadline); NULL: not computed yet'`,
  `UPDATE case_file SET warning_next_at = deadline WHERE status_type = 'open' AND warning_level = 'yellow'`,
  `CREATE INDEX case_file_warning_next_idx ON case_file (warning_next_at) WHERE status_type = 'open' AND warning_level <> 'red' AND deadline IS NOT NULL`,
  // a yellow case's next warning is its deadline; any other change of its inputs (or closing, reopening) leaves it
  // for the scan to compute
  `CREATE FUNCTION case_file_warning_next_reset() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.warning_next_at := CASE WHEN NEW.warning_level = 'yellow' THEN NEW.deadline END;
  RETURN NEW;
END
$fn$`,
  `CREATE TRIGGER case_file_warning_next_reset BEFORE UPDATE OF deadline, dispatched_at, registered_at, warning_level, status_type ON case_file
    FOR EACH ROW WHEN (OLD.deadline IS DISTINCT FROM NEW.deadline OR OLD.dispatched_at IS DISTINCT FROM NEW.dispatched_at
      OR OLD.registered_at IS DISTINCT FROM NEW.registered_at OR OLD.warning_level IS DISTINCT FROM NEW.warning_level
      OR OLD.status_type IS DISTINCT FROM NEW.status_type)
    EXECUTE FUNCTION case_file_warning_next_reset()`,
  `CREATE TABLE deadline_warning_basis (
    id boolean PRIMARY KEY DEFAULT true CONSTRAINT deadline_warning_basis_one_ck CHECK (id),
    basis text NOT NULL
  )`,
  `COMMENT ON TABLE deadline_warning_basis IS 'the warning share and calendar revision the stored warning_next_at instants were computed with'`,
  // the board's open cases in deadline order (sort=deadline, overdue=true, a status); replaces the plain deadline
  // index. The board's other filters and the scope ride along, so its capped count is an index-only scan.
  `DROP INDEX case_file_deadline_idx`,
  `CREATE INDEX case_file_open_deadline_idx ON case_file (deadline, id)
    INCLUDE (status, security_rank, jurisdiction_path, matter_type_code, department_id, channel, warning_level) WHERE status_type = 'open'`,
  `CREATE INDEX case_file_open_status_idx ON case_file (status, deadline, id)
    INCLUDE (security_rank, jurisdiction_path, matter_type_code, department_id, channel, warning_level) WHERE status_type = 'open'`,
  // a status names its type: without this the planner multiplies the two and takes an open status for a rare one
  `CREATE STATISTICS case_file_status_stats (dependencies, mcv) ON status, status_type FROM case_file`,
  `CREATE TABLE case_metrics_ledger (
    case_id integer PRIMARY KEY,
    day date NOT NULL,
    jurisdiction_path text NOT NULL,
    community_code text NOT NULL,
    street_code text NOT NULL,
    district_code text NOT NULL,
    district_path text NOT NULL,
    department_id integer,
    matter_type_code text,
    channel text NOT NULL,
    flags integer NOT NULL,
    response_at timestamptz,
    overdue_at timestamptz
  )`,
  `COMMENT ON TABLE case_metrics_ledger IS 'each counted case as the metrics rollups last counted it (modules/metrics/rollup.ts)'`,
  `CREATE INDEX case_metrics_ledger_response_idx ON case_metrics_ledger (response_at) WHERE response_at IS NOT NULL`,
  `CREATE INDEX case_metrics_ledger_overdue_idx ON case_metrics_ledger (overdue_at) WHERE overdue_at IS NOT NULL`,
  // rows of a day (of a place) stay together: built in key order, updated in place (fillfactor)
  `CREATE TABLE case_metrics_place (
    day date NOT NULL,
    jurisdiction_path text NOT NULL,
    community_code text NOT NULL,
    street_code text NOT NULL,
    district_code text NOT NULL,
    ${countColumns},
    CONSTRAINT case_metrics_place_pk PRIMARY KEY (day, jurisdiction_path, community_code, street_code, district_code)
  ) WITH (fillfactor = 80)`,
  // per district for a city's or a district's view, per community for a street's or a community's
  `CREATE TABLE case_metrics_dim (
    dim text NOT NULL CONSTRAINT case_metrics_dim_ck CHECK (dim IN ('department', 'matter', 'channel')),
    level text NOT NULL CONSTRAINT case_metrics_dim_level_ck CHECK (level IN ('district', 'community')),
    day date NOT NULL,
    path text NOT NULL,
    key text,
    ${countColumns}
  ) WITH (fillfactor = 80)`,
  `CREATE UNIQUE INDEX case_metrics_dim_uq ON case_metrics_dim (dim, level, path, day, key) NULLS NOT DISTINCT`,
  `CREATE TABLE case_metrics_state (
    id boolean PRIMARY KEY DEFAULT true CONSTRAINT case_metrics_state_one_ck CHECK (id),
    event_watermark bigint NOT NULL,
    as_of timestamptz NOT NULL,
    built_at timestamptz NOT NULL,
    refreshed_at timestamptz NOT NULL
  )`,
  `COMMENT ON TABLE case_metrics_state IS 'the rollups count every case as of event_watermark (case_event.id), time-dependent counts judged at as_of'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP TABLE IF EXISTS case_metrics_state',
    'DROP TABLE IF EXISTS case_metrics_dim',
    'DROP TABLE IF EXISTS case_metrics_place',
    'DROP TABLE IF EXISTS case_metrics_ledger',
    'DROP STATISTICS IF EXISTS case_file_status_stats',
    'DROP INDEX IF EXISTS case_file_open_status_idx',
    'DROP INDEX IF EXISTS case_file_open_deadline_idx',
    `CREATE INDEX IF NOT EXISTS case_file_deadline_idx ON case_file (deadline) WHERE status_type = 'open'`,
    'DROP TABLE IF EXISTS deadline_warning_basis',
    'DROP TRIGGER IF EXISTS case_file_warning_next_reset ON case_file',
    'DROP FUNCTION IF EXISTS case_file_warning_next_reset()',
    'DROP INDEX IF EXISTS case_file_warning_next_idx',
    'ALTER TABLE case_file DROP COLUMN IF EXISTS warning_next_at',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
