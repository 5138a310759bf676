import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SessionUser } from '../auth/index.js';
import { intakeCase } from '../cases/index.js';
import type { GridLocator } from '../grids/index.js';
import type { FieldCipher } from '../privacy/index.js';
import { viewerOf } from '../access/index.js';
import { recordPersonVisit } from '../people/index.js';
import { localDateOf } from '../calendar/index.js';
import { currentGridIds, findPatrol, workerPlace } from './repository.js';
import type { TrackPoint } from './tables.js';
import { mergeTrack, trackLength } from './track.js';

type Db = Kysely<Database>;
export interface Ctx {
  db: Db;
  config: Config;
  grids: GridLocator;
  pii: FieldCipher;
  ip: string | null;
}

/** A write from the phone is keyed by the phone: the same key twice is the same record (offline queue retries). */
async function once<T extends { id: number }>(insert: () => Promise<T | undefined>, existing: () => Promise<T | undefined>): Promise<{ row: T; created: boolean }> {
  const row = await insert();
  if (row) return { row, created: true };
  const prior = await existing();
  if (!prior) throw conflict('clientKey', '提交冲突，请重试', 'Conflicting submission; try again');
  return { row: prior, created: false };
}

export async function startPatrol(ctx: Ctx, user: SessionUser, p: { clientKey: string; startedAt?: string | undefined; gridId?: number | undefined; point?: TrackPoint | undefined; note?: string | undefined }) {
  const place = await workerPlace(ctx.db, user);
  const mine = await currentGridIds(ctx.db, user.id);
  if (p.gridId !== undefined && !mine.includes(p.gridId)) throw badRequest('gridId', '不是您负责的网格', 'Not one of your grids', 'invalid');
  const startedAt = p.startedAt ? new Date(p.startedAt) : new Date();
  if (startedAt.getTime() > Date.now() + 5 * 60_000) throw badRequest('startedAt', '开始时间不能在将来', 'The start cannot be in the future');
  return ctx.db.transaction().execute(async (trx) => {
    const r = await once(
      () =>
        trx
          .insertInto('patrol')
          .values({ user_id: user.id, client_key: p.clientKey, grid_id: p.gridId ?? mine[0] ?? null, community_code: place.communityCode, jurisdiction_path: place.path, started_at: startedAt, track: JSON.stringify(p.point ? [p.point] : []), note: p.note ?? null })
          .onConflict((oc) => oc.columns(['user_id', 'client_key']).doNothing())
          .returning('id')
          .executeTakeFirst(),
      () => trx.selectFrom('patrol').select('id').where('user_id', '=', user.id).where('client_key', '=', p.clientKey).executeTakeFirst(),
    );
    if (r.created) await recordAudit(trx, { actorId: user.id, action: 'gridwork.patrol_start', entity: 'patrol', entityId: String(r.row.id), detail: {}, ip: ctx.ip });
    return r;
  });
}

/** Adds track points (resent points merge) and, with `end`, ends the patrol; an ended patrol ends once. */
export async function trackPatrol(ctx: Ctx, user: SessionUser, id: number, p: { points: TrackPoint[]; end?: { endedAt?: string | undefined; note?: string | undefined } | undefined }) {
  return ctx.db.transaction().execute(async (trx) => {
    const patrol = await findPatrol(trx, id, user.id, true);
    if (!patrol) throw notFound('巡查不存在', 'Patrol not found');
    const track = mergeTrack(patrol.track, p.points);
    const endedAt = p.end && !patrol.ended_at ? (p.end.endedAt ? new Date(p.end.endedAt) : new Date()) : null;
    if (endedAt && endedAt < patrol.started_at) throw badRequest('endedAt', '结束时间早于开始时间', 'The end is before the start');
    await trx
      .updateTable('patrol')
      .set({ track: JSON.stringify(track), distance_m: trackLength(track), ...(endedAt ? { ended_at: endedAt, note: p.end?.note ?? patrol.note } : {}) })
      .where('id', '=', id)
      .execute();
    if (endedAt) await recordAudit(trx, { actorId: user.id, action: 'gridwork.patrol_end', entity: 'patrol', entityId: String(id), detail: { points: track.length, distanceM: trackLength(track) }, ip: ctx.ip });
    return findPatrol(trx, id, user.id);
  });
}

export interface VisitInput {
  clientKey: string;
  personId?: number | undefined;
  patrolId?: number | undefined;
  whom?: string | undefined;
  place?: string | undefined;
  findings: string;
  location?: { lng: number; lat: number } | undefined;
  visitedAt?: string | undefined;
}

export async function recordVisit(ctx: Ctx, user: SessionUser, v: VisitInput) {
  const visitedAt = v.visitedAt ? new Date(v.visitedAt) : new Date();
  if (visitedAt.getTime() > Date.now() + 5 * 60_000) throw badRequest('visitedAt', '走访时间不能在将来', 'The visit cannot be in the future');
  const place = await workerPlace(ctx.db, user);
  return ctx.db.transaction().execute(async (trx) => {
    const prior = await trx.selectFrom('visit').select('id').where('user_id', '=', user.id).where('client_key', '=', v.clientKey).executeTakeFirst();
    if (prior) return { row: prior, created: false };
    if (v.patrolId !== undefined && !(await findPatrol(trx, v.patrolId, user.id))) throw badRequest('patrolId', '巡查不存在', 'No such patrol of yours', 'invalid');
    let onTime: boolean | null = null;
    let path = place.path;
    let communityCode = place.communityCode;
    if (v.personId !== undefined) {
      const kept = await recordPersonVisit(trx, v.personId, viewerOf(user), visitedAt);
      if (!kept) throw badRequest('personId', '服务对象不存在或不在您的管辖范围内', 'Person not found or outside your scope', 'invalid');
      ({ onTime, path, communityCode } = kept);
    }
    const r = await once(
      () =>
        trx
          .insertInto('visit')
          .values({ user_id: user.id, client_key: v.clientKey, person_id: v.personId ?? null, patrol_id: v.patrolId ?? null, whom: ctx.pii.encryptField(v.whom?.trim() || null), place: v.place ?? null, findings: v.findings, lng: v.location?.lng ?? null, lat: v.location?.lat ?? null, community_code: communityCode, jurisdiction_path: path, visited_at: visitedAt, visited_on: localDateOf(visitedAt), on_time: onTime })
          .onConflict((oc) => oc.columns(['user_id', 'client_key']).doNothing())
          .returning('id')
          .executeTakeFirst(),
      () => trx.selectFrom('visit').select('id').where('user_id', '=', user.id).where('client_key', '=', v.clientKey).executeTakeFirst(),
    );
    await recordAudit(trx, { actorId: user.id, action: 'gridwork.visit', entity: 'visit', entityId: String(r.row.id), detail: { personId: v.personId, onTime }, ip: ctx.ip });
    return r;
  });
}

export async function addLogEntry(ctx: Ctx, user: SessionUser, e: { clientKey: string; content: string; at?: string | undefined }) {
  const at = e.at ? new Date(e.at) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw badRequest('at', '时间不能在将来', 'The time cannot be in the future');
  const place = await workerPlace(ctx.db, user);
  return once(
    () =>
      ctx.db
        .insertInto('daily_log_entry')
        .values({ user_id: user.id, client_key: e.clientKey, log_on: localDateOf(at), at, content: e.content, jurisdiction_path: place.path })
        .onConflict((oc) => oc.columns(['user_id', 'client_key']).doNothing())
        .returning('id')
        .executeTakeFirst(),
    () => ctx.db.selectFrom('daily_log_entry').select('id').where('user_id', '=', user.id).where('client_key', '=', e.clientKey).executeTakeFirst(),
  );
}

export interface ReportInput {
  title: string;
  description: string;
  matterTypeCode?: string | undefined;
  location: { lng: number; lat: number };
  address?: string | undefined;
  foundAt?: string | undefined;
  patrolId?: number | undefined;
}

/** A grid worker's report goes through the one window (channel 'grid'), located where the worker stands. */
export async function reportCase(ctx: Ctx, user: SessionUser, r: ReportInput, idempotencyKey: string | undefined) {
  if (r.patrolId !== undefined && !(await findPatrol(ctx.db, r.patrolId, user.id))) throw badRequest('patrolId', '巡查不存在', 'No such patrol of yours', 'invalid');
  const now = new Date();
  const foundAt = r.foundAt ? new Date(r.foundAt) : now;
  if (foundAt.getTime() > now.getTime() + 5 * 60_000) throw badRequest('foundAt', '发现时间不能在将来', 'The time found cannot be in the future');
  return intakeCase(
    { db: ctx.db, config: ctx.config, grids: ctx.grids, ip: ctx.ip, now },
    { kind: 'user', id: user.id, name: user.displayName, jurisdictionPath: user.jurisdictionPath, jurisdictionCode: user.jurisdictionCode },
    { channel: 'grid', title: r.title, description: r.description, matterTypeCode: r.matterTypeCode, location: r.location, address: r.address },
    idempotencyKey,
    async (trx, caseId) => {
      await trx.insertInto('grid_report').values({ case_id: caseId, user_id: user.id, patrol_id: r.patrolId ?? null, found_at: foundAt, reported_at: now }).execute();
    },
  );
}
