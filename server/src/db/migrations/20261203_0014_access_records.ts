import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Notices point at the record they are about, of any kind, so the inbox shows a notice only while its reader may
// still see that record. A person served is unique per place and label, not city-wide: a city-wide unique ID number
// told any community whether someone elsewhere is on record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notification ADD COLUMN record_kind text, ADD COLUMN record_id integer`.execute(db);
  await sql`UPDATE notification SET record_kind = 'case', record_id = case_id WHERE case_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE notification ADD CONSTRAINT notification_record_ck CHECK ((record_kind IS NULL) = (record_id IS NULL))`.execute(db);
  await sql`DROP INDEX person_served_id_number_hash_uq`.execute(db);
  await sql`CREATE UNIQUE INDEX person_served_id_number_place_uq ON person_served (id_number_hash, jurisdiction_path, security_rank) WHERE id_number_hash IS NOT NULL AND status = 'active'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX person_served_id_number_place_uq`.execute(db);
  await sql`CREATE UNIQUE INDEX person_served_id_number_hash_uq ON person_served (id_number_hash) WHERE id_number_hash IS NOT NULL AND status = 'active'`.execute(db);
  await sql`ALTER TABLE notification DROP CONSTRAINT notification_record_ck, DROP COLUMN record_kind, DROP COLUMN record_id`.execute(db);
}
