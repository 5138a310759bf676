import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
const up_statements = [
  `ALTER TABLE app_user
    ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN totp_secret text,
    ADD COLUMN totp_pending_secret text,
    ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN totp_last_step bigint,
    ADD COLUMN recovery_codes jsonb NOT NULL DEFAULT '[]'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['failed_logins', 'locked_until', 'password_changed_at', 'totp_secret', 'totp_pending_secret', 'totp_enabled', 'totp_last_step', 'recovery_codes']) {
    await sql.raw(`ALTER TABLE app_user DROP COLUMN IF EXISTS ${column}`).execute(db);
  }
}
