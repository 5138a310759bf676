import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

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

export function caseNumberOf(db: Db, caseId: number) {
  return db.selectFrom('case_file').select('number').where('id', '=', caseId).executeTakeFirstOrThrow();
}

/** When the service list or a definition last changed: the discovery document's changeset. */
export async function servicesChangedAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('matter_type').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

export interface PublicRequestFilter {
  numbers?: string[] | undefined;
  serviceCodes?: string[] | undefined;
  statusTypes?: Array<'open' | 'closed'> | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  underPath?: string | undefined;
  limit: number;
  offset: number;
}

/** Public requests, newest first, with only the columns the spec publishes: no reporter, no internal notes. */
export function publicRequests(db: Db, f: PublicRequestFilter) {
  let q = db
    .selectFrom('case_file as c')
    .leftJoin('matter_type as m', 'm.code', 'c.matter_type_code')
    .leftJoin('department as d', 'd.id', 'c.department_id')
    .innerJoin('jurisdiction as h', 'h.code', 'c.handling_jurisdiction_code')
    .leftJoin('open311_request as o', 'o.case_id', 'c.id')
    .select([
      'c.number',
      'c.status',
      'c.status_type',
      'c.close_reason',
      'c.close_note',
      'c.responsible_elsewhere',
      'c.description',
      'c.matter_type_code',
      'm.name as matter_name',
      'm.time_limit_days',
      'm.priority',
      'd.name as department_name',
      'h.name as handling_name',
      'c.created_at',
      'c.updated_at',
      'c.deadline',
      'c.address',
      'c.lat',
      'c.lng',
      'o.media_url',
    ])
    .where('c.channel', 'in', PUBLIC_CHANNELS);
  if (f.numbers) {
    // the spec: given ids, every other filter is ignored
    q = q.where('c.number', 'in', f.numbers.length ? f.numbers : ['']);
  } else {
    if (f.serviceCodes?.length) q = q.where('c.matter_type_code', 'in', f.serviceCodes);
    if (f.statusTypes?.length) q = q.where('c.status_type', 'in', f.statusTypes);
    if (f.from) q = q.where('c.created_at', '>=', f.from);
    if (f.to) q = q.where('c.created_at', '<=', f.to);
    if (f.underPath) q = q.where('c.jurisdiction_path', 'like', `${f.underPath}%`);
  }
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit).offset(f.offset).execute();
}
export type PublicRequestRow = Awaited<ReturnType<typeof publicRequests>>[number];

/**
 * Timeline entries of public cases in a time window. With a start the earliest come first (a client pages on
 * by moving its start); without one, the latest `limit` entries, still oldest first.
 */
export async function publicTimeline(db: Db, f: { from: Date; to: Date; fromStart: boolean; underPath?: string | undefined; limit: number }) {
  let q = db
    .selectFrom('case_event as e')
    .innerJoin('case_file as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.at', 'e.action', 'e.to_status', 'e.note', 'e.detail', 'c.number'])
    .where('c.channel', 'in', PUBLIC_CHANNELS)
    .where('e.at', '>=', f.from)
    .where('e.at', '<=', f.to);
  if (f.underPath) q = q.where('c.jurisdiction_path', 'like', `${f.underPath}%`);
  const rows = await q.orderBy('e.id', f.fromStart ? 'asc' : 'desc').limit(f.limit).execute();
  return f.fromStart ? rows : rows.reverse();
}


/** Health of the feed for admins: how many requests each client sent. */
export async function requestCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db.selectFrom('open311_request').select(['client_id', sql<number>`count(*)::int`.as('n')]).groupBy('client_id').execute();
  return new Map(rows.map((r) => [r.client_id, Number(r.n)]));
}
