import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Personal fields become sealed values (`v1:<alg>:<keyId>:<base64>`, written by the application, which holds the
// keys). The checks are NOT VALID: rows written before this migration may hold plaintext until `zhili pii-rotate`
// seals them; every new write must be sealed.
const up_statements = [
  `ALTER TABLE case_file ADD COLUMN reporter_phone_hash text`,
  `ALTER TABLE case_file ADD CONSTRAINT case_file_reporter_phone_hash_ck CHECK (reporter_phone_hash IS NULL OR reporter_phone_hash ~ '^[0-9a-f]{64}$')`,
  `CREATE INDEX case_file_reporter_phone_hash_idx ON case_file (reporter_phone_hash) WHERE reporter_phone_hash IS NOT NULL`,
  `ALTER TABLE case_file ADD CONSTRAINT case_file_reporter_name_sealed_ck CHECK (reporter_name IS NULL OR reporter_name LIKE 'v1:%') NOT VALID`,
  `ALTER TABLE case_file ADD CONSTRAINT case_file_reporter_phone_sealed_ck CHECK (reporter_phone IS NULL OR reporter_phone LIKE 'v1:%') NOT VALID`,
  `ALTER TABLE case_supporter ADD CONSTRAINT case_supporter_name_sealed_ck CHECK (name IS NULL OR name LIKE 'v1:%') NOT VALID`,
  `ALTER TABLE case_supporter ADD CONSTRAINT case_supporter_phone_sealed_ck CHECK (phone IS NULL OR phone LIKE 'v1:%') NOT VALID`,
  `COMMENT ON COLUMN case_file.reporter_name IS 'personal: field-encrypted (modules/privacy/catalogue.ts)'`,
  `COMMENT ON COLUMN case_file.reporter_phone IS 'personal: field-encrypted (modules/privacy/catalogue.ts)'`,
  `COMMENT ON COLUMN case_file.reporter_phone_hash IS 'personal: keyed hash (HMAC) of the normalised phone, for exact-match search'`,
  `COMMENT ON COLUMN case_supporter.name IS 'personal: field-encrypted (modules/privacy/catalogue.ts)'`,
  `COMMENT ON COLUMN case_supporter.phone IS 'personal: field-encrypted (modules/privacy/catalogue.ts)'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, constraint] of [
    ['case_supporter', 'case_supporter_phone_sealed_ck'],
    ['case_supporter', 'case_supporter_name_sealed_ck'],
    ['case_file', 'case_file_reporter_phone_sealed_ck'],
    ['case_file', 'case_file_reporter_name_sealed_ck'],
  ]) {
    await sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`).execute(db);
  }
  await sql.raw('ALTER TABLE case_file DROP COLUMN IF EXISTS reporter_phone_hash').execute(db);
}
