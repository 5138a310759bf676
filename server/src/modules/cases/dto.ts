import { Type } from '@sinclair/typebox';
import { type FieldCipher, maskName, maskPhone, SECURITY_LABELS } from '../privacy/index.js';
import { CASE_ACTIONS, CASE_STATUSES, type CaseAction, type CaseStatus, CLOSE_REASONS } from './lifecycle.js';
import type { CaseRow } from './repository.js';
import { CHANNELS } from './intake.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const NTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const Channel = Type.Union(CHANNELS.map((c) => Type.Literal(c)));
export const Status = Type.Union(Object.keys(CASE_STATUSES).map((s) => Type.Literal(s)));
export const Action = Type.Union(CASE_ACTIONS.map((a) => Type.Literal(a)));
export const CloseReasonSchema = Type.Union(Object.keys(CLOSE_REASONS).map((r) => Type.Literal(r)));

export const CaseSummary = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  channel: Type.String(),
  title: Type.String(),
  description: Type.String(),
  matterTypeCode: NStr,
  suggestedMatterTypeCode: NStr,
  priority: Type.String(),
  status: Type.String(),
  statusType: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  closeReason: NStr,
  closeNote: NStr,
  responsibleElsewhere: NStr,
  location: Type.Union([Type.Object({ lng: Type.Number(), lat: Type.Number() }), Type.Null()]),
  address: NStr,
  gridId: Type.Union([Type.Integer(), Type.Null()]),
  communityCode: Type.String(),
  streetCode: Type.String(),
  districtCode: Type.String(),
  handlingLevel: Type.String(),
  handlingJurisdictionCode: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  designated: Type.Boolean(),
  reporter: Type.Union([Type.Object({ name: NStr, phone: NStr }, { description: 'masked' }), Type.Null()]),
  securityLabel: Type.Union(SECURITY_LABELS.map((l) => Type.Literal(l)), { description: 'security label: public 公开, internal 内部, confidential 敏感, secret 机密' }),
  piiAnonymisedAt: Type.Union([Type.String({ format: 'date-time', description: "when retention erased the reporter's and supporters' personal data" }), Type.Null()]),
  timeLimitDays: Type.Union([Type.Integer(), Type.Null()]),
  deadline: NTime,
  warningLevel: Type.String(),
  overdue: Type.Boolean(),
  pendingExtension: Type.Union([Type.Object({ days: Type.Integer(), reason: Type.String() }), Type.Null()]),
  registeredAt: NTime,
  dispatchedAt: NTime,
  signedAt: NTime,
  fedBackAt: NTime,
  closedAt: NTime,
  reworkCount: Type.Integer(),
  extensionCount: Type.Integer(),
  rating: NStr,
  ratingComment: NStr,
  parentCaseId: Type.Union([Type.Integer(), Type.Null()]),
  supporterCount: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  actions: Type.Array(Type.String(), { description: 'the lifecycle actions the caller may take now' }),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The reporter as every case response shows it: decrypted, then masked (张*, 138****5678); plain only through reveal. */
export function maskedReporter(pii: FieldCipher, r: Pick<CaseRow, 'reporter_name' | 'reporter_phone'>) {
  if (!r.reporter_name && !r.reporter_phone) return null;
  return { name: maskName(pii.readStored(r.reporter_name)), phone: maskPhone(pii.readStored(r.reporter_phone)) };
}

export function toCase(r: CaseRow, actions: readonly CaseAction[], pii: FieldCipher, now = new Date()) {
  return {
    id: r.id,
    number: r.number,
    channel: r.channel,
    title: r.title,
    description: r.description,
    matterTypeCode: r.matter_type_code,
    suggestedMatterTypeCode: r.suggested_matter_type_code,
    priority: r.priority,
    status: r.status as CaseStatus,
    statusType: r.status_type,
    closeReason: r.close_reason,
    closeNote: r.close_note,
    responsibleElsewhere: r.responsible_elsewhere,
    location: r.lng !== null && r.lat !== null ? { lng: r.lng, lat: r.lat } : null,
    address: r.address,
    gridId: r.grid_id,
    communityCode: r.community_code,
    streetCode: r.street_code,
    districtCode: r.district_code,
    handlingLevel: r.handling_level,
    handlingJurisdictionCode: r.handling_jurisdiction_code,
    departmentId: r.department_id,
    designated: r.designated,
    reporter: maskedReporter(pii, r),
    securityLabel: r.security_label,
    piiAnonymisedAt: iso(r.pii_anonymised_at),
    timeLimitDays: r.time_limit_days,
    deadline: iso(r.deadline),
    warningLevel: r.warning_level,
    overdue: r.status_type === 'open' && r.deadline !== null && r.deadline.getTime() < now.getTime(),
    pendingExtension: r.pending_extension_days !== null ? { days: r.pending_extension_days, reason: r.pending_extension_reason ?? '' } : null,
    registeredAt: iso(r.registered_at),
    dispatchedAt: iso(r.dispatched_at),
    signedAt: iso(r.signed_at),
    fedBackAt: iso(r.fed_back_at),
    closedAt: iso(r.closed_at),
    reworkCount: r.rework_count,
    extensionCount: r.extension_count,
    rating: r.rating,
    ratingComment: r.rating_comment,
    parentCaseId: r.parent_case_id,
    supporterCount: r.supporter_count,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    actions: [...actions],
  };
}

/** Everything a lifecycle action may carry; each action reads its own fields. */
export const ActionBodySchema = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 10, uniqueItems: true })),
  jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{6})?$' })),
  reason: Type.Optional(Type.String({ minLength: 2, maxLength: 1000 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  result: Type.Optional(Type.String({ minLength: 2, maxLength: 4000 })),
  pass: Type.Optional(Type.Boolean()),
  closeReason: Type.Optional(CloseReasonSchema),
  responsibleBody: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
  duplicateOfCaseId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  intoCaseId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  rating: Type.Optional(Type.Union([Type.Literal('satisfied'), Type.Literal('basically_satisfied'), Type.Literal('unsatisfied')])),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
});
