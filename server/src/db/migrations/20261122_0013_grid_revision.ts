import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
// The grid index of each process (grids/locator.ts) follows a reference revision bumped under a row lock by
// every write to the grids, instead of the newest grid_version id, which two edits committing out of order
// may leave unmoved.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`INSERT INTO reference_revision (name) VALUES ('grid') ON CONFLICT (name) DO NOTHING`.execute(db);
  for (const table of ['grid', 'grid_version']) {
    await sql
      .raw(`CREATE TRIGGER ${table}_reference_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision('grid')`)
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['grid', 'grid_version']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_reference_revision ON ${table}`).execute(db);
  await sql`DELETE FROM reference_revision WHERE name = 'grid'`.execute(db);
}
