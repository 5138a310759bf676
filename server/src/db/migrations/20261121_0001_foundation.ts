import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
const up_statements = [
  `CREATE TABLE setting (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE jurisdiction (
    code text PRIMARY KEY,
    name text NOT NULL,
    level text NOT NULL,
    parent_code text CONSTRAINT jurisdiction_parent_fk REFERENCES jurisdiction (code),
    path text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT jurisdiction_level_ck CHECK (level IN ('city', 'district', 'street', 'community')),
    CONSTRAINT jurisdiction_code_ck CHECK (code ~ '^([0-9]{6}|[0-9]{12})$')
  )`,
  `CREATE INDEX jurisdiction_parent_idx ON jurisdiction (parent_code)`,
  `CREATE INDEX jurisdiction_path_idx ON jurisdiction (path text_pattern_ops)`,
  `CREATE TABLE department (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL CONSTRAINT department_code_uq UNIQUE,
    name text NOT NULL,
    kind text NOT NULL,
    level text NOT NULL,
    jurisdiction_code text NOT NULL CONSTRAINT department_jurisdiction_fk REFERENCES jurisdiction (code),
    phone text,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT department_level_ck CHECK (level IN ('city', 'district')),
    CONSTRAINT department_kind_jurisdiction_uq UNIQUE (kind, jurisdiction_code)
  )`,
  `CREATE INDEX department_jurisdiction_idx ON department (jurisdiction_code)`,
  `CREATE TABLE matter_type (
    code text PRIMARY KEY,
    name text NOT NULL,
    category text NOT NULL,
    description text NOT NULL DEFAULT '',
    keywords jsonb NOT NULL DEFAULT '[]',
    time_limit_days integer NOT NULL,
    priority text NOT NULL,
    handling_level text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT matter_type_time_limit_ck CHECK (time_limit_days BETWEEN 1 AND 365),
    CONSTRAINT matter_type_priority_ck CHECK (priority IN ('normal', 'urgent', 'critical')),
    CONSTRAINT matter_type_level_ck CHECK (handling_level IN ('city', 'district', 'street', 'community'))
  )`,
  `CREATE TABLE responsibility (
    matter_type_code text NOT NULL CONSTRAINT responsibility_matter_fk REFERENCES matter_type (code),
    level text NOT NULL,
    department_kind text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by integer,
    CONSTRAINT responsibility_pk PRIMARY KEY (matter_type_code, level),
    CONSTRAINT responsibility_level_ck CHECK (level IN ('city', 'district', 'street', 'community'))
  )`,
  `CREATE TABLE responsibility_history (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    matter_type_code text NOT NULL,
    level text NOT NULL,
    old_department_kind text,
    new_department_kind text,
    reason text NOT NULL,
    changed_by integer,
    changed_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE app_user (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL CONSTRAINT app_user_username_uq UNIQUE,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    roles text[] NOT NULL,
    jurisdiction_code text NOT NULL CONSTRAINT app_user_jurisdiction_fk REFERENCES jurisdiction (code),
    department_id integer CONSTRAINT app_user_department_fk REFERENCES department (id),
    active boolean NOT NULL DEFAULT true,
    must_change_password boolean NOT NULL DEFAULT false,
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE user_session (
    id text PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT user_session_user_fk REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ip text,
    user_agent text
  )`,
  `CREATE INDEX user_session_user_idx ON user_session (user_id)`,
  `CREATE TABLE grid (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL CONSTRAINT grid_code_uq UNIQUE,
    name text NOT NULL,
    kind text NOT NULL,
    category text,
    community_code text NOT NULL CONSTRAINT grid_community_fk REFERENCES jurisdiction (code),
    geometry jsonb NOT NULL,
    min_lng double precision NOT NULL,
    min_lat double precision NOT NULL,
    max_lng double precision NOT NULL,
    max_lat double precision NOT NULL,
    status text NOT NULL DEFAULT 'active',
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT grid_kind_ck CHECK (kind IN ('base', 'dedicated')),
    CONSTRAINT grid_status_ck CHECK (status IN ('active', 'retired'))
  )`,
  `CREATE INDEX grid_community_idx ON grid (community_code)`,
  `CREATE TABLE grid_version (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grid_id integer NOT NULL CONSTRAINT grid_version_grid_fk REFERENCES grid (id),
    version integer NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    category text,
    community_code text NOT NULL,
    geometry jsonb NOT NULL,
    status text NOT NULL,
    reason text NOT NULL,
    filing_number text,
    filed_by integer CONSTRAINT grid_version_filed_by_fk REFERENCES app_user (id),
    filed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT grid_version_uq UNIQUE (grid_id, version)
  )`,
  `CREATE TABLE audit_event (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_id integer,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text,
    detail jsonb NOT NULL DEFAULT '{}',
    ip text
  )`,
  `CREATE INDEX audit_event_at_idx ON audit_event (at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_event', 'grid_version', 'grid', 'user_session', 'app_user', 'responsibility_history', 'responsibility', 'matter_type', 'department', 'jurisdiction', 'setting']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
}
