import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database, JurisdictionLevel } from '../../db/schema.js';
import { AppError, badRequest } from '../../http/errors.js';
import { recordAudit } from '../audit/repository.js';
import { calendarCache } from '../calendar/service.js';
import type { GridLocator } from '../grids/locator.js';
import { findByCodes } from '../jurisdictions/repository.js';
import { notify } from '../notifications/repository.js';
import type { FieldCipher } from '../privacy/crypto.js';
import { fieldCipherFor } from '../privacy/keys.js';
import { DEFAULT_LABEL, dominates, intakeLabel, LABEL_NAMES, rankOf, type SecurityLabel } from '../privacy/labels.js';
import { suggestMatterTypes } from './classify.js';
import { statusType, type CaseStatus } from './lifecycle.js';
import { centreStaff, insertEvent, nextCaseNumber } from './repository.js';
import { possibleDuplicates, type PossibleDuplicate } from './duplicates.js';
import { routeCase } from './routing.js';

export const STAFF_CHANNELS = ['hotline', 'grid', 'petition', 'police', 'inspection', 'portal', 'api'] as const;
export const CHANNELS = [...STAFF_CHANNELS, 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface IntakeInput {
  channel: Channel;
  title: string;
  description: string;
  matterTypeCode?: string | undefined;
  location?: { lng: number; lat: number } | undefined;
  address?: string | undefined;
  communityCode?: string | undefined;
  reporter?: { name?: string | undefined; phone?: string | undefined } | undefined;
}

/** Who submits: a signed-in staff member, or an outside system (Open311, API client) with no scope of its own. */
export type Submitter =
  | {
      kind: 'user';
      id: number;
      name: string;
      jurisdictionPath: string;
      jurisdictionCode: string;
      /** the taker's clearance: a channel labelled above it is refused; without it only possible duplicates are limited (to 内部) */
      clearance?: SecurityLabel | undefined;
    }
  | { kind: 'client'; id: string; name: string };

export interface IntakeContext {
  db: Kysely<Database>;
  config: Config;
  grids: GridLocator;
  now?: Date;
  ip?: string | null;
}

export interface IntakeResult {
  caseId: number;
  replayed: boolean;
  duplicates: PossibleDuplicate[];
}

// keyed: the body carries the reporter's phone, and a plain hash of a guessable body would give it away
const hashOf = (pii: FieldCipher, input: IntakeInput) => pii.mac(`idempotency:${JSON.stringify(input)}`);

/** The reporter as stored: sealed name and phone, and the keyed hash of the phone for search. */
export function sealReporter(pii: FieldCipher, reporter: IntakeInput['reporter']) {
  const name = reporter?.name?.trim() || null;
  const phone = reporter?.phone?.trim() || null;
  return { reporter_name: pii.encryptField(name), reporter_phone: pii.encryptField(phone), reporter_phone_hash: phone ? pii.searchHash(phone, 'phone') : null };
}

class IdempotencyRace extends Error {}

/**
 * One window for every channel: place → grid → community chain; matter → handling level and department;
 * deadline from the working-day calendar; timeline, audit and the centre's inbox in the same transaction.
 */
export async function intakeCase(
  ctx: IntakeContext,
  submitter: Submitter,
  input: IntakeInput,
  idempotencyKey?: string,
  /** more rows a channel keeps about the case, written in the same transaction */
  alsoWrite?: (trx: Kysely<Database>, caseId: number) => Promise<void>,
): Promise<IntakeResult> {
  const actorKey = submitter.kind === 'user' ? `user:${submitter.id}` : `client:${submitter.id}`;
  const requestHash = hashOf(fieldCipherFor(ctx.config), input);
  const replay = async (): Promise<IntakeResult | null> => {
    if (!idempotencyKey) return null;
    const prior = await ctx.db.selectFrom('idempotency_key').select(['request_hash', 'case_id']).where('actor', '=', actorKey).where('key', '=', idempotencyKey).executeTakeFirst();
    if (!prior) return null;
    if (prior.request_hash !== requestHash) {
      throw new AppError(409, 'idempotency_conflict', { zh: '该 Idempotency-Key 已用于另一份不同的提交', en: 'This Idempotency-Key was used for a different submission' }, 'Idempotency-Key');
    }
    return { caseId: prior.case_id, replayed: true, duplicates: [] };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const result = await createInTransaction({ ...ctx, db: trx }, submitter, input, idempotencyKey ? { actorKey, key: idempotencyKey, requestHash } : null);
      await alsoWrite?.(trx, result.caseId);
      return result;
    });
  } catch (err) {
    if (err instanceof IdempotencyRace) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw err;
  }
}

async function createInTransaction(
  ctx: IntakeContext,
  submitter: Submitter,
  input: IntakeInput,
  idem: { actorKey: string; key: string; requestHash: string } | null,
): Promise<IntakeResult> {
  const { db, config } = ctx;
  const now = ctx.now ?? new Date();
  const label = intakeLabel(input.channel);
  if (submitter.kind === 'user' && submitter.clearance && !dominates(submitter.clearance, label)) {
    // the case would be out of the taker's own sight at once
    throw new AppError(
      403,
      'above_clearance',
      { zh: `该渠道的案件密级为“${LABEL_NAMES[label].zh}”，超出您的许可级别`, en: `Cases of this channel are labelled ${LABEL_NAMES[label].en}, above your clearance` },
      'channel',
    );
  }
  const place = await resolvePlace(ctx, input);
  if (submitter.kind === 'user' && !place.path.startsWith(submitter.jurisdictionPath)) {
    throw badRequest(input.location ? 'location' : 'communityCode', '该位置不在您的管辖范围内', 'This place is outside your jurisdiction', 'out_of_scope');
  }
  const matter = input.matterTypeCode
    ? await db.selectFrom('matter_type').selectAll().where('code', '=', input.matterTypeCode).where('active', '=', true).executeTakeFirst()
    : undefined;
  if (input.matterTypeCode && !matter) throw badRequest('matterTypeCode', `事项 ${input.matterTypeCode} 不存在或已停用`, `Matter type ${input.matterTypeCode} does not exist or is inactive`, 'unknown_code');
  let suggested: string | null = null;
  if (!matter) {
    const catalogue = await db.selectFrom('matter_type').select(['code', 'name', 'keywords']).where('active', '=', true).execute();
    suggested = suggestMatterTypes(`${input.title} ${input.description}`, catalogue)[0]?.code ?? null;
  }
  const route = await routeCase(db, { matter: matter ?? null, chain: place.chain, fallback: submitter.kind === 'user' ? submitter.jurisdictionCode : place.chain.district! });
  const staff = submitter.kind === 'user';
  const status: CaseStatus = !staff ? 'received' : matter ? 'registered' : 'accepted';
  let deadline: Date | null = null;
  if (status === 'registered' && matter) {
    const calendar = await calendarCache.current(db);
    deadline = matter.priority === 'critical' ? calendar.deadlineInHours(now, matter.time_limit_days * 24) : calendar.deadline(now, matter.time_limit_days);
  }
  const number = await nextCaseNumber(db, now);
  const { id } = await db
    .insertInto('case_file')
    .values({
      number,
      channel: input.channel,
      title: input.title,
      description: input.description,
      matter_type_code: matter?.code ?? null,
      suggested_matter_type_code: suggested,
      priority: matter?.priority ?? 'normal',
      status,
      status_type: statusType(status),
      lng: input.location?.lng ?? null,
      lat: input.location?.lat ?? null,
      address: input.address ?? null,
      grid_id: place.gridId,
      community_code: place.chain.community!,
      street_code: place.chain.street!,
      district_code: place.chain.district!,
      jurisdiction_path: place.path,
      handling_level: route.level,
      handling_jurisdiction_code: route.jurisdictionCode,
      handling_path: route.path,
      department_id: route.departmentId,
      ...sealReporter(fieldCipherFor(config), input.reporter),
      security_label: label,
      security_rank: rankOf(label),
      time_limit_days: matter?.time_limit_days ?? null,
      deadline,
      registered_at: status === 'registered' ? now : null,
      created_by: submitter.kind === 'user' ? submitter.id : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (idem) {
    const inserted = await db
      .insertInto('idempotency_key')
      .values({ actor: idem.actorKey, key: idem.key, request_hash: idem.requestHash, case_id: id })
      .onConflict((oc) => oc.columns(['actor', 'key']).doNothing())
      .returning('case_id')
      .executeTakeFirst();
    if (!inserted) throw new IdempotencyRace();
  }
  const actorId = submitter.kind === 'user' ? submitter.id : null;
  await insertEvent(db, {
    caseId: id,
    actorId,
    actorName: submitter.name,
    action: 'intake',
    from: null,
    to: status,
    note: route.note,
    detail: { channel: input.channel, gridId: place.gridId, suggestedMatterTypeCode: suggested, handlingJurisdictionCode: route.jurisdictionCode, departmentId: route.departmentId },
  });
  await recordAudit(db, { actorId, action: 'case.create', entity: 'case', entityId: String(id), detail: { number, channel: input.channel, client: submitter.kind === 'client' ? submitter.id : undefined }, ip: ctx.ip ?? null });
  const recipients = await centreStaff(db, route.jurisdictionCode, label);
  if (recipients.length) await notify(db, { userIds: recipients, kind: 'case.new', title: `新案件 ${number}`, body: input.title, caseId: id });

  const duplicates =
    matter && input.location
      ? await possibleDuplicates(db, {
          matterTypeCode: matter.code,
          point: input.location,
          radiusM: config.duplicateRadiusM,
          windowDays: config.duplicateWindowDays,
          maxRank: rankOf((submitter.kind === 'user' && submitter.clearance) || DEFAULT_LABEL),
          ...(submitter.kind === 'user' ? { scopePath: submitter.jurisdictionPath } : {}),
          excludeId: id,
          now,
        })
      : [];
  return { caseId: id, replayed: false, duplicates };
}

interface Place {
  gridId: number | null;
  path: string;
  chain: Partial<Record<JurisdictionLevel, string>>;
}

async function resolvePlace(ctx: IntakeContext, input: IntakeInput): Promise<Place> {
  let communityCode = input.communityCode;
  let gridId: number | null = null;
  if (input.location) {
    const hit = (await ctx.grids.current(ctx.db)).locate(input.location.lng, input.location.lat);
    if (hit) {
      gridId = hit.id;
      communityCode = hit.communityCode;
    } else if (!communityCode) {
      throw badRequest('location', `坐标 (${input.location.lng}, ${input.location.lat}) 不在任何网格内`, `The point (${input.location.lng}, ${input.location.lat}) lies in no grid`, 'outside');
    }
  }
  if (!communityCode) throw badRequest('location', '请提供位置坐标或所属社区', 'Give a location or a community', 'required');
  const [community] = await findByCodes(ctx.db, [communityCode]);
  if (!community || community.level !== 'community') {
    throw badRequest('communityCode', `社区 ${communityCode} 不存在`, `Community ${communityCode} does not exist`, 'unknown_code');
  }
  const chain: Place['chain'] = {};
  for (const j of await findByCodes(ctx.db, community.path.split('/'))) chain[j.level] = j.code;
  if (!chain.street || !chain.district) throw badRequest('communityCode', `社区 ${communityCode} 缺少上级街道或区县`, `Community ${communityCode} lacks a street or district above it`, 'unknown_code');
  return { gridId, path: community.path, chain };
}

