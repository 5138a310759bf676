import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Calendar dates are kept as YYYY-MM-DD text: both drivers then answer the same value in any time zone.
const up_statements = [
  `CREATE TABLE mediation_org (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL CONSTRAINT mediation_org_code_uq UNIQUE,
    name text NOT NULL,
    kind text NOT NULL,
    level text NOT NULL,
    jurisdiction_code text NOT NULL CONSTRAINT mediation_org_jurisdiction_fk REFERENCES jurisdiction (code),
    jurisdiction_path text NOT NULL,
    specialties jsonb NOT NULL DEFAULT '[]',
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT mediation_org_kind_ck CHECK (kind IN ('people_committee', 'administrative', 'professional', 'personal_studio', 'court_entrusted')),
    CONSTRAINT mediation_org_level_ck CHECK (level IN ('city', 'district', 'street', 'community'))
  )`,
  `CREATE INDEX mediation_org_path_idx ON mediation_org (jurisdiction_path text_pattern_ops)`,
  `CREATE TABLE mediator (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer CONSTRAINT mediator_user_fk REFERENCES app_user (id) CONSTRAINT mediator_user_uq UNIQUE,
    display_name text NOT NULL,
    org_id integer NOT NULL CONSTRAINT mediator_org_fk REFERENCES mediation_org (id),
    jurisdiction_code text NOT NULL CONSTRAINT mediator_jurisdiction_fk REFERENCES jurisdiction (code),
    jurisdiction_path text NOT NULL,
    specialties jsonb NOT NULL DEFAULT '[]',
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX mediator_org_idx ON mediator (org_id)`,
  `CREATE TABLE dispute (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id integer NOT NULL CONSTRAINT dispute_case_fk REFERENCES case_file (id) CONSTRAINT dispute_case_uq UNIQUE,
    dispute_type text NOT NULL,
    facts text NOT NULL,
    amount numeric(14, 2),
    people_count integer NOT NULL DEFAULT 2,
    risk_level text NOT NULL DEFAULT 'low',
    group_dispute boolean NOT NULL DEFAULT false,
    extreme_risk boolean NOT NULL DEFAULT false,
    status text NOT NULL,
    status_type text NOT NULL,
    path text,
    receiving_body text,
    org_id integer CONSTRAINT dispute_org_fk REFERENCES mediation_org (id),
    mediator_id integer CONSTRAINT dispute_mediator_fk REFERENCES mediator (id),
    outcome text,
    terms text,
    performance_method text,
    performance_deadline text CONSTRAINT dispute_performance_deadline_ck CHECK (performance_deadline ~ '^\\d{4}-\\d{2}-\\d{2}$'),
    concluded_at timestamptz,
    court text,
    confirmation_applied_at text CONSTRAINT dispute_confirmation_applied_at_ck CHECK (confirmation_applied_at ~ '^\\d{4}-\\d{2}-\\d{2}$'),
    confirmation_decision text,
    confirmation_decided_at text CONSTRAINT dispute_confirmation_decided_at_ck CHECK (confirmation_decided_at ~ '^\\d{4}-\\d{2}-\\d{2}$'),
    jurisdiction_code text NOT NULL,
    jurisdiction_path text NOT NULL,
    other_path text,
    organiser_code text NOT NULL,
    organiser_path text NOT NULL,
    lead_department_id integer CONSTRAINT dispute_lead_fk REFERENCES department (id),
    version integer NOT NULL DEFAULT 1,
    created_by integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dispute_status_type_ck CHECK (status_type IN ('open', 'resolved', 'closed')),
    CONSTRAINT dispute_risk_ck CHECK (risk_level IN ('low', 'medium', 'high')),
    CONSTRAINT dispute_outcome_ck CHECK (outcome IS NULL OR outcome IN ('agreement', 'partial', 'failed', 'withdrawn')),
    CONSTRAINT dispute_confirmation_ck CHECK (confirmation_decision IS NULL OR confirmation_decision IN ('confirmed', 'rejected'))
  )`,
  `CREATE INDEX dispute_path_idx ON dispute (jurisdiction_path text_pattern_ops, created_at DESC)`,
  `CREATE INDEX dispute_organiser_idx ON dispute (organiser_path text_pattern_ops)`,
  `CREATE INDEX dispute_mediator_idx ON dispute (mediator_id, status_type)`,
  `CREATE TABLE dispute_party (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id integer NOT NULL CONSTRAINT dispute_party_dispute_fk REFERENCES dispute (id),
    position integer NOT NULL,
    kind text NOT NULL,
    role text NOT NULL,
    name text NOT NULL,
    phone text,
    id_number text,
    id_number_hash text,
    CONSTRAINT dispute_party_kind_ck CHECK (kind IN ('person', 'organisation')),
    CONSTRAINT dispute_party_role_ck CHECK (role IN ('applicant', 'respondent', 'third_party')),
    CONSTRAINT dispute_party_name_sealed_ck CHECK (name LIKE 'v1:%'),
    CONSTRAINT dispute_party_phone_sealed_ck CHECK (phone IS NULL OR phone LIKE 'v1:%'),
    CONSTRAINT dispute_party_id_number_sealed_ck CHECK (id_number IS NULL OR id_number LIKE 'v1:%')
  )`,
  `CREATE INDEX dispute_party_dispute_idx ON dispute_party (dispute_id, position)`,
  `CREATE INDEX dispute_party_id_number_hash_idx ON dispute_party (id_number_hash) WHERE id_number_hash IS NOT NULL`,
  `CREATE TABLE dispute_diversion (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id integer NOT NULL CONSTRAINT dispute_diversion_dispute_fk REFERENCES dispute (id),
    path text NOT NULL,
    reason text NOT NULL,
    receiving_body text NOT NULL,
    org_id integer CONSTRAINT dispute_diversion_org_fk REFERENCES mediation_org (id),
    diverted_by integer,
    diverted_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX dispute_diversion_dispute_idx ON dispute_diversion (dispute_id, id)`,
  `CREATE TABLE mediation_session (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id integer NOT NULL CONSTRAINT mediation_session_dispute_fk REFERENCES dispute (id),
    held_at timestamptz NOT NULL,
    place text NOT NULL,
    participants text NOT NULL,
    minutes text NOT NULL,
    mediator_id integer CONSTRAINT mediation_session_mediator_fk REFERENCES mediator (id),
    created_by integer,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX mediation_session_dispute_idx ON mediation_session (dispute_id, held_at)`,
  `CREATE TABLE dispute_follow_up (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id integer NOT NULL CONSTRAINT dispute_follow_up_dispute_fk REFERENCES dispute (id),
    due_on text NOT NULL CONSTRAINT dispute_follow_up_due_ck CHECK (due_on ~ '^\\d{4}-\\d{2}-\\d{2}$'),
    done_at timestamptz,
    result text,
    reminded_at timestamptz,
    created_by integer,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX dispute_follow_up_due_idx ON dispute_follow_up (due_on) WHERE done_at IS NULL AND reminded_at IS NULL`,
  `CREATE TABLE dispute_joint_meeting (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id integer NOT NULL CONSTRAINT dispute_joint_meeting_dispute_fk REFERENCES dispute (id),
    held_at timestamptz NOT NULL,
    department_ids jsonb NOT NULL DEFAULT '[]',
    lead_department_id integer NOT NULL CONSTRAINT dispute_joint_meeting_lead_fk REFERENCES department (id),
    organiser_code text NOT NULL,
    minutes text NOT NULL,
    created_by integer,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX dispute_joint_meeting_dispute_idx ON dispute_joint_meeting (dispute_id)`,
  `CREATE TABLE dispute_event (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id integer NOT NULL CONSTRAINT dispute_event_dispute_fk REFERENCES dispute (id),
    at timestamptz NOT NULL DEFAULT now(),
    actor_id integer,
    actor_name text NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text,
    note text,
    detail jsonb NOT NULL DEFAULT '{}'
  )`,
  `CREATE INDEX dispute_event_dispute_idx ON dispute_event (dispute_id, id)`,
  `CREATE TABLE admin_mediation_list (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version integer NOT NULL CONSTRAINT admin_mediation_list_version_uq UNIQUE,
    effective_from text NOT NULL CONSTRAINT admin_mediation_list_effective_ck CHECK (effective_from ~ '^\\d{4}-\\d{2}-\\d{2}$'),
    note text,
    published_by integer,
    published_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE admin_mediation_list_item (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_id integer NOT NULL CONSTRAINT admin_mediation_list_item_list_fk REFERENCES admin_mediation_list (id),
    position integer NOT NULL,
    matter text NOT NULL,
    handling_level text NOT NULL,
    body text NOT NULL,
    remedy text NOT NULL,
    CONSTRAINT admin_mediation_list_item_level_ck CHECK (handling_level IN ('city', 'district', 'street', 'community'))
  )`,
  `CREATE INDEX admin_mediation_list_item_list_idx ON admin_mediation_list_item (list_id, position)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of up_statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['admin_mediation_list_item', 'admin_mediation_list', 'dispute_event', 'dispute_joint_meeting', 'dispute_follow_up', 'mediation_session', 'dispute_diversion', 'dispute_party', 'dispute', 'mediator', 'mediation_org']) {
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  }
}
