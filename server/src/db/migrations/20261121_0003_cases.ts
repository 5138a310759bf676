import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
const up_statements = [
  `CREATE SEQUENCE case_number_seq`,
  `CREATE TABLE case_file (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL CONSTRAINT case_file_number_uq UNIQUE,
    channel text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    matter_type_code text CONSTRAINT case_file_matter_fk REFERENCES matter_type (code),
    suggested_matter_type_code text,
    priority text NOT NULL DEFAULT 'normal',
    status text NOT NULL,
    status_type text NOT NULL,
    close_reason text,
    close_note text,
    responsible_elsewhere text,
    lng double precision,
    lat double precision,
    address text,
    grid_id integer CONSTRAINT case_file_grid_fk REFERENCES grid (id),
    community_code text NOT NULL CONSTRAINT case_file_community_fk REFERENCES jurisdiction (code),
    street_code text NOT NULL,
    district_code text NOT NULL,
    jurisdiction_path text NOT NULL,
    handling_level text NOT NULL,
    handling_jurisdiction_code text NOT NULL CONSTRAINT case_file_handling_fk REFERENCES jurisdiction (code),
    handling_path text NOT NULL,
    department_id integer CONSTRAINT case_file_department_fk REFERENCES department (id),
    designated boolean NOT NULL DEFAULT false,
    reporter_name text,
    reporter_phone text,
    time_limit_days integer,
    deadline timestamptz,
    warning_level text NOT NULL DEFAULT 'none',
    pending_extension_days integer,
    pending_extension_reason text,
    registered_at timestamptz,
    dispatched_at timestamptz,
    signed_at timestamptz,
    fed_back_at timestamptz,
    closed_at timestamptz,
    rework_count integer NOT NULL DEFAULT 0,
    extension_count integer NOT NULL DEFAULT 0,
    rating text,
    rating_comment text,
    rated_at timestamptz,
    parent_case_id integer CONSTRAINT case_file_parent_fk REFERENCES case_file (id),
    supporter_count integer NOT NULL DEFAULT 0,
    version integer NOT NULL DEFAULT 1,
    created_by integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT case_file_status_type_ck CHECK (status_type IN ('open', 'closed')),
    CONSTRAINT case_file_warning_ck CHECK (warning_level IN ('none', 'yellow', 'red')),
    CONSTRAINT case_file_rating_ck CHECK (rating IS NULL OR rating IN ('satisfied', 'basically_satisfied', 'unsatisfied'))
  )`,
  `CREATE INDEX case_file_path_idx ON case_file (jurisdiction_path text_pattern_ops, created_at DESC)`,
  `CREATE INDEX case_file_handling_idx ON case_file (handling_path text_pattern_ops) WHERE status_type = 'open'`,
  `CREATE INDEX case_file_department_idx ON case_file (department_id, status_type)`,
  `CREATE INDEX case_file_deadline_idx ON case_file (deadline) WHERE status_type = 'open'`,
  `CREATE INDEX case_file_created_idx ON case_file (created_at)`,
  `CREATE INDEX case_file_matter_idx ON case_file (matter_type_code, created_at)`,
  `CREATE INDEX case_file_parent_idx ON case_file (parent_case_id) WHERE parent_case_id IS NOT NULL`,
  `CREATE TABLE case_event (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id integer NOT NULL CONSTRAINT case_event_case_fk REFERENCES case_file (id),
    at timestamptz NOT NULL DEFAULT now(),
    actor_id integer,
    actor_name text NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text,
    note text,
    detail jsonb NOT NULL DEFAULT '{}',
    attachment_ids jsonb NOT NULL DEFAULT '[]'
  )`,
  `CREATE INDEX case_event_case_idx ON case_event (case_id, id)`,
  `CREATE TABLE case_assignment (
    case_id integer NOT NULL CONSTRAINT case_assignment_case_fk REFERENCES case_file (id),
    department_id integer NOT NULL CONSTRAINT case_assignment_department_fk REFERENCES department (id),
    role text NOT NULL,
    feedback text,
    fed_back_at timestamptz,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT case_assignment_pk PRIMARY KEY (case_id, department_id),
    CONSTRAINT case_assignment_role_ck CHECK (role IN ('lead', 'co'))
  )`,
  `CREATE INDEX case_assignment_department_idx ON case_assignment (department_id)`,
  `CREATE TABLE case_attachment (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id integer NOT NULL CONSTRAINT case_attachment_case_fk REFERENCES case_file (id),
    file_name text NOT NULL,
    mime_type text NOT NULL,
    size_bytes integer NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    uploaded_by integer,
    uploaded_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX case_attachment_case_idx ON case_attachment (case_id)`,
  `CREATE TABLE case_supporter (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id integer NOT NULL CONSTRAINT case_supporter_case_fk REFERENCES case_file (id),
    user_id integer,
    name text,
    phone text,
    channel text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX case_supporter_user_uq ON case_supporter (case_id, user_id) WHERE user_id IS NOT NULL`,
  `CREATE TABLE idempotency_key (
    actor text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    case_id integer NOT NULL CONSTRAINT idempotency_key_case_fk REFERENCES case_file (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_key_pk PRIMARY KEY (actor, key)
  )`,
  `CREATE TABLE supervision_item (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id integer NOT NULL CONSTRAINT supervision_item_case_fk REFERENCES case_file (id),
    kind text NOT NULL,
    status text NOT NULL DEFAULT 'open',
    jurisdiction_code text NOT NULL,
    note text NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz,
    CONSTRAINT supervision_item_status_ck CHECK (status IN ('open', 'closed'))
  )`,
  `CREATE UNIQUE INDEX supervision_item_open_uq ON supervision_item (case_id, kind) WHERE status = 'open'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['supervision_item', 'idempotency_key', 'case_supporter', 'case_attachment', 'case_assignment', 'case_event', 'case_file']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
  await sql.raw('DROP SEQUENCE IF EXISTS case_number_seq').execute(db);
}
