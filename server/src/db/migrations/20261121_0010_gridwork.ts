import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Grid work (R4.1) and people served (R4.2, R4.3). Days are ISO text (YYYY-MM-DD, China Standard Time) so both
// databases return the same value; personal fields of people served are sealed values ('v1:…') only.
const up_statements = [
  `CREATE TABLE grid_worker (
    user_id integer PRIMARY KEY CONSTRAINT grid_worker_user_fk REFERENCES app_user (id),
    employment text NOT NULL,
    community_code text NOT NULL CONSTRAINT grid_worker_community_fk REFERENCES jurisdiction (code),
    jurisdiction_path text NOT NULL,
    started_on text NOT NULL,
    ended_on text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT grid_worker_employment_ck CHECK (employment IN ('full_time', 'part_time')),
    CONSTRAINT grid_worker_dates_ck CHECK (ended_on IS NULL OR ended_on >= started_on)
  )`,
  `CREATE INDEX grid_worker_path_idx ON grid_worker (jurisdiction_path text_pattern_ops)`,
  `CREATE TABLE grid_worker_assignment (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT grid_worker_assignment_worker_fk REFERENCES grid_worker (user_id),
    grid_id integer NOT NULL CONSTRAINT grid_worker_assignment_grid_fk REFERENCES grid (id),
    from_on text NOT NULL,
    to_on text,
    reason text NOT NULL,
    assigned_by integer,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX grid_worker_assignment_open_uq ON grid_worker_assignment (user_id, grid_id) WHERE to_on IS NULL`,
  `CREATE INDEX grid_worker_assignment_grid_idx ON grid_worker_assignment (grid_id)`,
  `CREATE TABLE grid_worker_training (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT grid_worker_training_worker_fk REFERENCES grid_worker (user_id),
    title text NOT NULL,
    hours numeric NOT NULL,
    completed_on text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE patrol (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT patrol_user_fk REFERENCES app_user (id),
    client_key text NOT NULL,
    grid_id integer CONSTRAINT patrol_grid_fk REFERENCES grid (id),
    community_code text NOT NULL,
    jurisdiction_path text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    track jsonb NOT NULL DEFAULT '[]',
    distance_m integer NOT NULL DEFAULT 0,
    note text,
    CONSTRAINT patrol_client_key_uq UNIQUE (user_id, client_key)
  )`,
  `CREATE INDEX patrol_user_idx ON patrol (user_id, started_at DESC)`,
  `CREATE TABLE person_served (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    care_group text NOT NULL,
    risk_level text NOT NULL,
    risk_grade integer,
    name text NOT NULL,
    id_number text,
    id_number_hash text,
    phone text,
    address text,
    community_code text NOT NULL CONSTRAINT person_served_community_fk REFERENCES jurisdiction (code),
    grid_id integer CONSTRAINT person_served_grid_fk REFERENCES grid (id),
    jurisdiction_path text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    security_label text NOT NULL DEFAULT 'confidential',
    security_rank integer NOT NULL DEFAULT 2,
    registered_on text NOT NULL,
    last_visit_on text,
    next_visit_due text NOT NULL,
    government_measures text,
    social_measures text,
    family_measures text,
    version integer NOT NULL DEFAULT 1,
    created_by integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT person_served_status_ck CHECK (status IN ('active', 'closed')),
    CONSTRAINT person_served_label_ck CHECK (security_label IN ('public', 'internal', 'confidential', 'secret') AND security_rank BETWEEN 0 AND 3),
    CONSTRAINT person_served_risk_ck CHECK (risk_level IN ('low', 'medium', 'high')),
    CONSTRAINT person_served_grade_ck CHECK (risk_grade IS NULL OR risk_grade BETWEEN 0 AND 5),
    CONSTRAINT person_served_name_sealed_ck CHECK (name LIKE 'v1:%'),
    CONSTRAINT person_served_id_number_sealed_ck CHECK (id_number IS NULL OR id_number LIKE 'v1:%'),
    CONSTRAINT person_served_phone_sealed_ck CHECK (phone IS NULL OR phone LIKE 'v1:%'),
    CONSTRAINT person_served_address_sealed_ck CHECK (address IS NULL OR address LIKE 'v1:%'),
    CONSTRAINT person_served_id_number_hash_ck CHECK (id_number_hash IS NULL OR id_number_hash ~ '^[0-9a-f]{64}$')
  )`,
  `CREATE INDEX person_served_path_idx ON person_served (jurisdiction_path text_pattern_ops)`,
  `CREATE INDEX person_served_due_idx ON person_served (next_visit_due) WHERE status = 'active'`,
  `CREATE UNIQUE INDEX person_served_id_number_hash_uq ON person_served (id_number_hash) WHERE id_number_hash IS NOT NULL AND status = 'active'`,
  `CREATE TABLE person_responsible (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id integer NOT NULL CONSTRAINT person_responsible_person_fk REFERENCES person_served (id),
    side text NOT NULL,
    user_id integer CONSTRAINT person_responsible_user_fk REFERENCES app_user (id),
    name text,
    phone text,
    CONSTRAINT person_responsible_side_ck CHECK (side IN ('government', 'social', 'family')),
    CONSTRAINT person_responsible_name_sealed_ck CHECK (name IS NULL OR name LIKE 'v1:%'),
    CONSTRAINT person_responsible_phone_sealed_ck CHECK (phone IS NULL OR phone LIKE 'v1:%'),
    CONSTRAINT person_responsible_who_ck CHECK (user_id IS NOT NULL OR name IS NOT NULL)
  )`,
  `CREATE INDEX person_responsible_person_idx ON person_responsible (person_id)`,
  `CREATE INDEX person_responsible_user_idx ON person_responsible (user_id) WHERE user_id IS NOT NULL`,
  `CREATE TABLE visit (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT visit_user_fk REFERENCES app_user (id),
    client_key text NOT NULL,
    person_id integer CONSTRAINT visit_person_fk REFERENCES person_served (id),
    patrol_id integer CONSTRAINT visit_patrol_fk REFERENCES patrol (id),
    whom text,
    place text,
    findings text NOT NULL,
    lng double precision,
    lat double precision,
    community_code text NOT NULL,
    jurisdiction_path text NOT NULL,
    visited_at timestamptz NOT NULL,
    visited_on text NOT NULL,
    on_time boolean,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT visit_client_key_uq UNIQUE (user_id, client_key),
    CONSTRAINT visit_whom_sealed_ck CHECK (whom IS NULL OR whom LIKE 'v1:%')
  )`,
  `CREATE INDEX visit_user_idx ON visit (user_id, visited_at DESC)`,
  `CREATE INDEX visit_person_idx ON visit (person_id, visited_at DESC) WHERE person_id IS NOT NULL`,
  `CREATE TABLE daily_log_entry (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT daily_log_entry_user_fk REFERENCES app_user (id),
    client_key text NOT NULL,
    log_on text NOT NULL,
    at timestamptz NOT NULL,
    content text NOT NULL,
    jurisdiction_path text NOT NULL,
    CONSTRAINT daily_log_entry_client_key_uq UNIQUE (user_id, client_key)
  )`,
  `CREATE INDEX daily_log_entry_day_idx ON daily_log_entry (user_id, log_on)`,
  `CREATE TABLE grid_report (
    case_id integer PRIMARY KEY CONSTRAINT grid_report_case_fk REFERENCES case_file (id),
    user_id integer NOT NULL CONSTRAINT grid_report_user_fk REFERENCES app_user (id),
    patrol_id integer CONSTRAINT grid_report_patrol_fk REFERENCES patrol (id),
    found_at timestamptz NOT NULL,
    reported_at timestamptz NOT NULL
  )`,
  `CREATE INDEX grid_report_user_idx ON grid_report (user_id, reported_at)`,
  `CREATE TABLE care_visit_warning (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id integer NOT NULL CONSTRAINT care_visit_warning_person_fk REFERENCES person_served (id),
    due_on text NOT NULL,
    jurisdiction_path text NOT NULL,
    raised_at timestamptz NOT NULL,
    resolved_at timestamptz,
    CONSTRAINT care_visit_warning_uq UNIQUE (person_id, due_on)
  )`,
  `CREATE INDEX care_visit_warning_open_idx ON care_visit_warning (jurisdiction_path text_pattern_ops) WHERE resolved_at IS NULL`,
  `CREATE TABLE psych_referral (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id integer CONSTRAINT psych_referral_person_fk REFERENCES person_served (id),
    case_id integer CONSTRAINT psych_referral_case_fk REFERENCES case_file (id),
    station text NOT NULL,
    reason text NOT NULL,
    status text NOT NULL DEFAULT 'referred',
    jurisdiction_path text NOT NULL,
    referred_by integer NOT NULL,
    referred_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT psych_referral_subject_ck CHECK (person_id IS NOT NULL OR case_id IS NOT NULL),
    CONSTRAINT psych_referral_status_ck CHECK (status IN ('referred', 'accepted', 'closed')),
    CONSTRAINT psych_referral_reason_sealed_ck CHECK (reason LIKE 'v1:%')
  )`,
  `CREATE TABLE crisis_intervention (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id integer CONSTRAINT crisis_intervention_person_fk REFERENCES person_served (id),
    case_id integer CONSTRAINT crisis_intervention_case_fk REFERENCES case_file (id),
    severity text NOT NULL,
    measures text NOT NULL,
    outcome text,
    jurisdiction_path text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_by integer NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT crisis_intervention_subject_ck CHECK (person_id IS NOT NULL OR case_id IS NOT NULL),
    CONSTRAINT crisis_intervention_severity_ck CHECK (severity IN ('low', 'medium', 'high', 'imminent')),
    CONSTRAINT crisis_intervention_measures_sealed_ck CHECK (measures LIKE 'v1:%'),
    CONSTRAINT crisis_intervention_outcome_sealed_ck CHECK (outcome IS NULL OR outcome LIKE 'v1:%')
  )`,
  `INSERT INTO setting (key, value, updated_at) VALUES ('gridwork.performanceWeights', '{"patrols": 20, "visits": 30, "reports": 25, "quality": 15, "timeliness": 10}', now()) ON CONFLICT (key) DO NOTHING`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['crisis_intervention', 'psych_referral', 'care_visit_warning', 'grid_report', 'daily_log_entry', 'visit', 'person_responsible', 'person_served', 'patrol', 'grid_worker_training', 'grid_worker_assignment', 'grid_worker']) {
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  }
  await sql.raw(`DELETE FROM setting WHERE key = 'gridwork.performanceWeights'`).execute(db);
}
