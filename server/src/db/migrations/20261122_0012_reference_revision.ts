import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// Each server process caches reference data (jurisdictions, departments, matter types, the responsibility matrix,
// the centres' staff, the calendar) and asks one small table per request whether it changed: statement triggers
// bump a named revision on every write to the tables behind each cache, in the writer's own transaction.
const SOURCES: Array<[table: string, revision: string, columns?: string]> = [
  ['jurisdiction', 'jurisdiction'],
  ['department', 'department'],
  ['matter_type', 'matter_type'],
  ['responsibility', 'responsibility'],
  ['calendar_day', 'calendar'],
  // sign-ins and password changes update other columns and must not empty every cache
  ['app_user', 'staff', 'roles, active, jurisdiction_code, department_id, clearance'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE reference_revision (name text PRIMARY KEY, revision bigint NOT NULL DEFAULT 1)`.execute(db);
  await sql`CREATE FUNCTION bump_reference_revision() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE reference_revision SET revision = revision + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END
$fn$`.execute(db);
  for (const [table, revision, columns] of SOURCES) {
    await sql`INSERT INTO reference_revision (name) VALUES (${revision}) ON CONFLICT (name) DO NOTHING`.execute(db);
    const events = columns ? `INSERT OR DELETE OR TRUNCATE OR UPDATE OF ${columns}` : 'INSERT OR UPDATE OR DELETE OR TRUNCATE';
    await sql
      .raw(`CREATE TRIGGER ${table}_reference_revision AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision('${revision}')`)
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table] of SOURCES) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_reference_revision ON ${table}`).execute(db);
  await sql`DROP FUNCTION IF EXISTS bump_reference_revision()`.execute(db);
  await sql`DROP TABLE IF EXISTS reference_revision`.execute(db);
}
