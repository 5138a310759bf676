import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
const up_statements = [
  `CREATE TABLE calendar_day (
    day date PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    source text NOT NULL,
    updated_by integer,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT calendar_day_kind_ck CHECK (kind IN ('holiday', 'workday'))
  )`,
  `CREATE TABLE notification (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL CONSTRAINT notification_user_fk REFERENCES app_user (id),
    kind text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    case_id integer,
    read_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC)`,
  `CREATE TABLE outbox_message (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel text NOT NULL,
    recipient text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    CONSTRAINT outbox_message_channel_ck CHECK (channel IN ('sms', 'webhook')),
    CONSTRAINT outbox_message_status_ck CHECK (status IN ('pending', 'sent', 'failed'))
  )`,
  `CREATE INDEX outbox_message_due_idx ON outbox_message (next_attempt_at) WHERE status = 'pending'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbox_message', 'notification', 'calendar_day']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
