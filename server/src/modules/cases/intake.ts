import { type Insertable, type Kysely, sql } from 'kysely';
import type { Config } from '../../config.js';
import { referenceRevisions } from '../../db/reference.js';
import type { Database, JurisdictionLevel } from '../../db/schema.js';
import { AppError, badRequest } from '../../http/errors.js';
import { auditInsertSql } from '../audit/index.js';
import { calendarCache, localDateOf } from '../calendar/index.js';
import type { GridIndex, GridLocator } from '../grids/index.js';
import { noticeInsertSql, outboxInsertSql } from '../notifications/index.js';
import { dominates, type FieldCipher, fieldCipherFor, intakeLabel, LABEL_NAMES, rankOf, type SecurityLabel } from '../privacy/index.js';
import { suggestMatterTypes } from './classify.js';
import { possibleDuplicates, type PossibleDuplicate } from './duplicates.js';
import { statusType, type CaseStatus } from './lifecycle.js';
import type { CaseRow } from './repository.js';
import { recipientsAmong, type Viewer } from '../access/index.js';
import { newCaseFacts } from './access.js';
import { centreAudience, type Route, routeWith, routingReference, type RoutingReference } from './routing.js';
import type { CaseFileTable } from './tables.js';

export const STAFF_CHANNELS = ['hotline', 'grid', 'petition', 'police', 'inspection', 'portal', 'api'] as const;
export const CHANNELS = [...STAFF_CHANNELS, 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, { zh: string; en: string }> = {
  hotline: { zh: '12345热线', en: '12345 hotline' },
  grid: { zh: '网格上报', en: 'Grid report' },
  petition: { zh: '信访', en: 'Petition' },
  police: { zh: '110联动', en: 'Police (110) referral' },
  inspection: { zh: '巡查发现', en: 'Inspection' },
  portal: { zh: '网上诉求', en: 'Web portal' },
  api: { zh: '系统对接', en: 'API' },
  open311: { zh: 'Open311', en: 'Open311' },
};

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
      /** who sees the answer: possible duplicates are the cases this viewer may see (none without one) */
      viewer?: Viewer | undefined;
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
  /** a new case as written (absent on a replay) */
  created?: CreatedCase;
}

// keyed: the body carries the reporter's phone, and a plain hash of a guessable body would give it away
const hashOf = (pii: FieldCipher, input: IntakeInput) => pii.mac(`idempotency:${JSON.stringify(input)}`);

/** The reporter as stored: sealed name and phone, and the keyed hash of the phone for search. */
export function sealReporter(pii: FieldCipher, reporter: IntakeInput['reporter']) {
  const name = reporter?.name?.trim() || null;
  const phone = reporter?.phone?.trim() || null;
  return { reporter_name: pii.encryptField(name), reporter_phone: pii.encryptField(phone), reporter_phone_hash: phone ? pii.searchHash(phone, 'phone') : null };
}

/** The case as written and its first timeline entry: the answer needs nothing read back. */
export interface CreatedCase {
  row: CaseRow;
  event: { id: number; at: Date; actor_name: string; action: string; from_status: string | null; to_status: string | null; note: string | null; detail: Record<string, unknown>; attachment_ids: number[] };
}

/**
 * One window for every channel: place → grid → community chain; matter → handling level and department;
 * deadline from the working-day calendar. The case, its timeline entry, the audit entry, the centre's inbox,
 * the reporter's SMS receipt (through the outbox) and the Idempotency-Key are one INSERT statement: atomic on
 * its own and a single round trip. Reference data (places, matters, matrix, departments, staff, calendar) comes
 * from per-process caches checked against one revision query.
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
  const pii = fieldCipherFor(ctx.config);
  const requestHash = hashOf(pii, input);
  const replay = async (): Promise<IntakeResult | null> => {
    if (!idempotencyKey) return null;
    const prior = await ctx.db.selectFrom('idempotency_key').select(['request_hash', 'case_id']).where('actor', '=', actorKey).where('key', '=', idempotencyKey).executeTakeFirst();
    if (!prior) return null;
    if (prior.request_hash !== requestHash) {
      throw new AppError(409, 'idempotency_conflict', { zh: '该 Idempotency-Key 已用于另一份不同的提交', en: 'This Idempotency-Key was used for a different submission' }, 'Idempotency-Key');
    }
    return { caseId: prior.case_id, replayed: true, duplicates: [] };
  };
  const plan = await planCase(ctx, submitter, input);
  const duplicates = plan.duplicates;
  const idem = idempotencyKey ? { actorKey, key: idempotencyKey, requestHash } : null;
  try {
    // a key seen before fails the statement on its primary key: nothing is written, and the first answer is replayed
    const created = alsoWrite
      ? await ctx.db.transaction().execute(async (trx) => {
          const c = await writeCase(trx, plan, idem);
          await alsoWrite(trx, c.row.id);
          return c;
        })
      : await writeCase(ctx.db, plan, idem);
    return { caseId: created.row.id, replayed: false, duplicates: await duplicates, created };
  } catch (err) {
    await duplicates.catch(() => undefined);
    if (idem && isUniqueViolation(err, 'idempotency_key_pk')) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw err;
  }
}

const isUniqueViolation = (err: unknown, constraint: string) =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === constraint;

interface CasePlan {
  values: Insertable<CaseFileTable>;
  label: SecurityLabel;
  submitter: Submitter;
  input: IntakeInput;
  route: Route;
  gridId: number | null;
  suggested: string | null;
  recipients: number[];
  ymd: string;
  ip: string | null;
  /** started at once, beside the write */
  duplicates: Promise<PossibleDuplicate[]>;
}

/** Everything decided before the write: checks, place, matter, route, deadline, recipients. */
async function planCase(ctx: IntakeContext, submitter: Submitter, input: IntakeInput): Promise<CasePlan> {
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
  const revisions = await referenceRevisions(db);
  const [ref, calendar, grids] = await Promise.all([routingReference(db, revisions), calendarCache.current(db, revisions), input.location ? ctx.grids.current(db, revisions) : null]);
  const place = resolvePlace(ref, grids, input);
  if (submitter.kind === 'user' && !place.path.startsWith(submitter.jurisdictionPath)) {
    throw badRequest(input.location ? 'location' : 'communityCode', '该位置不在您的管辖范围内', 'This place is outside your jurisdiction', 'out_of_scope');
  }
  const matter = input.matterTypeCode ? ref.matters.get(input.matterTypeCode) : undefined;
  if (input.matterTypeCode && !matter) throw badRequest('matterTypeCode', `事项 ${input.matterTypeCode} 不存在或已停用`, `Matter type ${input.matterTypeCode} does not exist or is inactive`, 'unknown_code');
  const suggested = matter ? null : (suggestMatterTypes(`${input.title} ${input.description}`, ref.catalogue)[0]?.code ?? null);
  const route = routeWith(ref, { matter: matter ?? null, chain: place.chain, fallback: submitter.kind === 'user' ? submitter.jurisdictionCode : place.chain.district! });
  const staff = submitter.kind === 'user';
  const status: CaseStatus = !staff ? 'received' : matter ? 'registered' : 'accepted';
  const deadline = status === 'registered' && matter ? calendar.deadlineOf(now, matter) : null;
  const duplicates: Promise<PossibleDuplicate[]> =
    matter && input.location && submitter.kind === 'user' && submitter.viewer
      ? possibleDuplicates(db, {
          matterTypeCode: matter.code,
          point: input.location,
          radiusM: config.duplicateRadiusM,
          windowDays: config.duplicateWindowDays,
          viewer: submitter.viewer,
          now,
        })
      : Promise.resolve([]);
  // a failure is seen where it is awaited; until then it must not count as unhandled
  duplicates.catch(() => undefined);
  const values: Insertable<CaseFileTable> = {
    number: '', // numbered in the statement, from the sequence
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
  };
  return {
    values,
    label,
    submitter,
    input,
    route,
    gridId: place.gridId,
    suggested,
    recipients: recipientsAmong('case', newCaseFacts({ jurisdictionPath: place.path, rank: rankOf(label) }), centreAudience(ref, route.jurisdictionCode)),
    // 20261121-000123: the local date of intake and a global sequence, so concurrent intakes never contend
    ymd: localDateOf(now).replaceAll('-', ''),
    ip: ctx.ip ?? null,
    duplicates,
  };
}

const RECEIPT_TEMPLATE = 'case_received';

/** The single INSERT … WITH statement that writes a new case and everything that comes with it. */
async function writeCase(db: Kysely<Database>, plan: CasePlan, idem: { actorKey: string; key: string; requestHash: string } | null): Promise<CreatedCase> {
  const { submitter, input, route, values } = plan;
  const actorId = submitter.kind === 'user' ? submitter.id : null;
  const eventDetail = { channel: input.channel, gridId: plan.gridId, suggestedMatterTypeCode: plan.suggested, handlingJurisdictionCode: route.jurisdictionCode, departmentId: route.departmentId };
  const auditExtra = submitter.kind === 'client' ? { client: submitter.id } : {};
  const insertCase = db
    .insertInto('case_file')
    .values({ ...values, number: sql<string>`(SELECT ${plan.ymd} || '-' || lpad(n::text, greatest(6, length(n::text)), '0') FROM nextval('case_number_seq') AS n)` })
    .returningAll();
  const parts = [
    sql`e AS (
      INSERT INTO case_event (case_id, actor_id, actor_name, action, from_status, to_status, note, detail, attachment_ids)
      SELECT c.id, ${actorId}::int, ${submitter.name}::text, 'intake', NULL, c.status, ${route.note}::text, ${JSON.stringify(eventDetail)}::jsonb, '[]'::jsonb FROM c
      RETURNING id, at)`,
    sql`a AS (${auditInsertSql({
      from: 'c',
      actorId,
      action: 'case.create',
      entity: 'case',
      entityId: sql`c.id::text`,
      detail: sql`jsonb_build_object('number', c.number, 'channel', c.channel) || ${JSON.stringify(auditExtra)}::jsonb`,
      ip: plan.ip,
    })})`,
  ];
  if (plan.recipients.length) {
    const notice = noticeInsertSql({ from: 'c', users: plan.recipients, kind: 'case.new', title: sql`'新案件 ' || c.number`, body: input.title, caseId: sql`c.id`, record: { kind: 'case', id: sql`c.id` } });
    parts.push(sql`n AS (${notice})`);
  }
  if (values.reporter_phone) {
    // the receipt goes to the sealed phone as it is; the SMS adapter unseals it when sending (privacy/outbox.ts)
    const text = sql`'您反映的问题已受理，编号 ' || c.number || '。可凭编号查询办理进度。'`;
    parts.push(sql`o AS (${outboxInsertSql({ from: 'c', channel: 'sms', recipient: values.reporter_phone, payload: sql`jsonb_build_object('template', ${RECEIPT_TEMPLATE}::text, 'caseId', c.id, 'text', ${text})` })})`);
  }
  if (idem) {
    parts.push(sql`k AS (
      INSERT INTO idempotency_key (actor, key, request_hash, case_id) SELECT ${idem.actorKey}::text, ${idem.key}::text, ${idem.requestHash}::text, c.id FROM c)`);
  }
  const { rows } = await sql<CaseRow & { event_id: number; event_at: Date }>`
    WITH c AS (${insertCase}), ${sql.join(parts, sql`, `)}
    SELECT c.*, e.id AS event_id, e.at AS event_at FROM c CROSS JOIN e`.execute(db);
  const { event_id, event_at, ...row } = rows[0]!;
  return {
    row: row as CaseRow,
    event: { id: event_id, at: event_at, actor_name: submitter.name, action: 'intake', from_status: null, to_status: row.status, note: route.note, detail: eventDetail, attachment_ids: [] },
  };
}

interface Place {
  gridId: number | null;
  path: string;
  chain: Partial<Record<JurisdictionLevel, string>>;
}

function resolvePlace(ref: RoutingReference, grids: GridIndex | null, input: IntakeInput): Place {
  let communityCode = input.communityCode;
  let gridId: number | null = null;
  if (input.location && grids) {
    const hit = grids.locate(input.location.lng, input.location.lat);
    if (hit) {
      gridId = hit.id;
      communityCode = hit.communityCode;
    } else if (!communityCode) {
      throw badRequest('location', `坐标 (${input.location.lng}, ${input.location.lat}) 不在任何网格内`, `The point (${input.location.lng}, ${input.location.lat}) lies in no grid`, 'outside');
    }
  }
  if (!communityCode) throw badRequest('location', '请提供位置坐标或所属社区', 'Give a location or a community', 'required');
  const community = ref.jurisdictions.get(communityCode);
  if (!community || community.level !== 'community') {
    throw badRequest('communityCode', `社区 ${communityCode} 不存在`, `Community ${communityCode} does not exist`, 'unknown_code');
  }
  const chain: Place['chain'] = {};
  for (const code of community.path.split('/')) {
    const j = ref.jurisdictions.get(code);
    if (j) chain[j.level] = j.code;
  }
  if (!chain.street || !chain.district) throw badRequest('communityCode', `社区 ${communityCode} 缺少上级街道或区县`, `Community ${communityCode} lacks a street or district above it`, 'unknown_code');
  return { gridId, path: community.path, chain };
}
