import type { Kysely } from 'kysely';
import type { Database, JurisdictionLevel } from '../../db/schema.js';

export type LevelNames = Record<JurisdictionLevel, string>;
export const DEFAULT_LEVEL_NAMES: LevelNames = { city: '市', district: '区县', street: '街道', community: '社区' };

export async function getSetting<T>(db: Kysely<Database>, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as T) : fallback;
}

export async function putSetting(db: Kysely<Database>, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key, value: JSON.stringify(value), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }))
    .execute();
}
