import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { publicCaseEvents, publicCases, type PublicCaseFilter } from '../cases/index.js';
import { mattersChangedAt } from '../matters/index.js';

type Db = Kysely<Database>;

/**
 * Channels whose cases the public GET methods show. Staff-entered channels stay out: hotline and grid
 * descriptions often name the caller, and petitions (信访) and police referrals are confidential by law.
 */
export const PUBLIC_CHANNELS: readonly string[] = ['open311'];

const CLIENT_COLUMNS = ['id', 'name', 'active', 'created_at'] as const;

export function findActiveClientByKeyHash(db: Db, hash: string) {
  return db.selectFrom('open311_client').select(['id', 'name']).where('api_key_hash', '=', hash).where('active', '=', true).executeTakeFirst();
}

export function listClients(db: Db) {
  return db.selectFrom('open311_client').select(CLIENT_COLUMNS).orderBy('id').execute();
}

export function insertClient(db: Db, name: string, hash: string) {
  return db.insertInto('open311_client').values({ name, api_key_hash: hash }).returning(CLIENT_COLUMNS).executeTakeFirstOrThrow();
}

export async function insertClientIfAbsent(db: Db, name: string, hash: string): Promise<boolean> {
  const row = await db.insertInto('open311_client').values({ name, api_key_hash: hash }).onConflict((oc) => oc.column('api_key_hash').doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}

export function updateClient(db: Db, id: number, patch: { name?: string | undefined; active?: boolean | undefined }) {
  const set: { name?: string; active?: boolean } = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.active !== undefined) set.active = patch.active;
  if (Object.keys(set).length === 0) return db.selectFrom('open311_client').select(CLIENT_COLUMNS).where('id', '=', id).executeTakeFirst();
  return db.updateTable('open311_client').set(set).where('id', '=', id).returning(CLIENT_COLUMNS).executeTakeFirst();
}

export async function recordRequest(db: Db, r: { caseId: number; clientId: number; accountId: string | null; mediaUrl: string | null }) {
  await db
    .insertInto('open311_request')
    .values({ case_id: r.caseId, client_id: r.clientId, account_id: r.accountId, media_url: r.mediaUrl })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
}

/** When the service list or a definition last changed: the discovery document's changeset. */
export const servicesChangedAt = mattersChangedAt;

/** Public requests, newest first, with only the columns the spec publishes, and the media URL a client sent. */
export async function publicRequests(db: Db, f: PublicCaseFilter) {
  const rows = await publicCases(db, PUBLIC_CHANNELS, f);
  const media = rows.length
    ? await db.selectFrom('open311_request').select(['case_id', 'media_url']).where('case_id', 'in', rows.map((r) => r.id)).execute()
    : [];
  const byCase = new Map(media.map((m) => [m.case_id, m.media_url]));
  return rows.map((r) => ({ ...r, media_url: byCase.get(r.id) ?? null }));
}
export type PublicRequestRow = Awaited<ReturnType<typeof publicRequests>>[number];

export function publicTimeline(db: Db, f: { from: Date; to: Date; fromStart: boolean; underPath?: string | undefined; limit: number }) {
  return publicCaseEvents(db, PUBLIC_CHANNELS, f);
}

/** Health of the feed for admins: how many requests each client sent. */
export async function requestCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db.selectFrom('open311_request').select(['client_id', sql<number>`count(*)::int`.as('n')]).groupBy('client_id').execute();
  return new Map(rows.map((r) => [r.client_id, Number(r.n)]));
}
