import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Security labels of cases and clearances of accounts (public < internal < confidential < secret, ranked 0 to 3;
// the rank sits beside the label so a scope filter compares integers), and the retention of personal data.
const up_statements = [
  `ALTER TABLE case_file
    ADD COLUMN security_label text NOT NULL DEFAULT 'internal',
    ADD COLUMN security_rank smallint NOT NULL DEFAULT 1,
    ADD COLUMN pii_anonymised_at timestamptz`,
  `ALTER TABLE case_file ADD CONSTRAINT case_file_security_label_ck CHECK (
    (security_label = 'public' AND security_rank = 0) OR (security_label = 'internal' AND security_rank = 1)
    OR (security_label = 'confidential' AND security_rank = 2) OR (security_label = 'secret' AND security_rank = 3))`,
  // petitions and police referrals taken in before labels existed get the label they get at intake now
  `UPDATE case_file SET security_label = 'confidential', security_rank = 2 WHERE channel IN ('petition', 'police')`,
  `CREATE INDEX case_file_retention_idx ON case_file (closed_at) WHERE status_type = 'closed' AND pii_anonymised_at IS NULL`,
  `ALTER TABLE app_user ADD COLUMN clearance text NOT NULL DEFAULT 'internal'`,
  `ALTER TABLE app_user ADD CONSTRAINT app_user_clearance_ck CHECK (clearance IN ('public', 'internal', 'confidential', 'secret'))`,
  `CREATE INDEX user_session_expires_idx ON user_session (expires_at)`,
  `CREATE INDEX notification_read_idx ON notification (read_at) WHERE read_at IS NOT NULL`,
  `COMMENT ON COLUMN case_file.security_label IS 'security label (安全标记): public, internal, confidential or secret'`,
  `COMMENT ON COLUMN case_file.security_rank IS 'rank of security_label (0 to 3), compared with the reader''s clearance'`,
  `COMMENT ON COLUMN case_file.pii_anonymised_at IS 'when retention erased the reporter''s and supporters'' personal data'`,
  `COMMENT ON COLUMN app_user.clearance IS 'clearance of the account: the highest security label it may read'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP INDEX IF EXISTS notification_read_idx',
    'DROP INDEX IF EXISTS user_session_expires_idx',
    'ALTER TABLE app_user DROP COLUMN IF EXISTS clearance',
    'DROP INDEX IF EXISTS case_file_retention_idx',
    'ALTER TABLE case_file DROP CONSTRAINT IF EXISTS case_file_security_label_ck',
    'ALTER TABLE case_file DROP COLUMN IF EXISTS pii_anonymised_at',
    'ALTER TABLE case_file DROP COLUMN IF EXISTS security_rank',
    'ALTER TABLE case_file DROP COLUMN IF EXISTS security_label',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
