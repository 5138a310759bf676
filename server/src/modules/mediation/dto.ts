import { type Static, Type } from '@sinclair/typebox';
import { type FieldCipher, maskIdNumber, maskName, maskPhone } from '../privacy/index.js';
import { DISPUTE_ACTION_LABELS, DISPUTE_ACTIONS, DISPUTE_STATUSES, DISPUTE_TYPES, type DisputeAction, OUTCOMES, PATHS } from './lifecycle.js';
import type { DisputeRow } from './repository.js';
import type { DisputePartyTable } from './tables.js';
import type { Selectable } from 'kysely';

const lit = (keys: readonly string[]) => Type.Union(keys.map((k) => Type.Literal(k)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const DisputeTypeSchema = lit(Object.keys(DISPUTE_TYPES));
export const PathSchema = lit(Object.keys(PATHS));
export const OutcomeSchema = lit(Object.keys(OUTCOMES));
export const DisputeStatusSchema = lit(Object.keys(DISPUTE_STATUSES));
export const DisputeActionSchema = lit(DISPUTE_ACTIONS);
export const DateText = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description: 'YYYY-MM-DD' });
export const Risk = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
export const Level = Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]);
export const OrgKind = lit(['people_committee', 'administrative', 'professional', 'personal_studio', 'court_entrusted']);

export const Party = Type.Object({
  id: Type.Integer(),
  kind: lit(['person', 'organisation']),
  role: lit(['applicant', 'respondent', 'third_party']),
  name: Type.String(),
  phone: Nullable(Type.String()),
  idNumber: Nullable(Type.String()),
});

export const DisputeSummary = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  caseNumber: Type.String(),
  caseTitle: Type.String(),
  disputeType: Type.String(),
  status: Type.String(),
  statusType: Type.String(),
  path: Nullable(Type.String()),
  receivingBody: Nullable(Type.String()),
  orgId: Nullable(Type.Integer()),
  mediatorId: Nullable(Type.Integer()),
  riskLevel: Type.String(),
  groupDispute: Type.Boolean(),
  extremeRisk: Type.Boolean(),
  amount: Nullable(Type.Number()),
  peopleCount: Type.Integer(),
  outcome: Nullable(Type.String()),
  jurisdictionCode: Type.String(),
  organiserCode: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

const Event = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorName: Type.String(),
  action: Type.String(),
  actionLabel: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  note: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const DisputeDetail = Type.Intersect([
  DisputeSummary,
  Type.Object({
    facts: Type.String(),
    parties: Type.Array(Party),
    mediatorName: Nullable(Type.String()),
    orgName: Nullable(Type.String()),
    terms: Nullable(Type.String()),
    performanceMethod: Nullable(Type.String()),
    performanceDeadline: Nullable(Type.String()),
    concludedAt: Nullable(Type.String()),
    confirmation: Type.Object({ court: Nullable(Type.String()), appliedOn: Nullable(Type.String()), decision: Nullable(Type.String()), decidedOn: Nullable(Type.String()) }),
    leadDepartmentId: Nullable(Type.Integer()),
    otherPath: Nullable(Type.String()),
    actions: Type.Array(Type.String()),
    canGenerateAgreement: Type.Boolean(),
    diversions: Type.Array(Type.Object({ id: Type.Integer(), path: Type.String(), reason: Type.String(), receivingBody: Type.String(), orgId: Nullable(Type.Integer()), orgName: Nullable(Type.String()), at: Type.String() })),
    sessions: Type.Array(Type.Object({ id: Type.Integer(), heldAt: Type.String(), place: Type.String(), participants: Type.String(), minutes: Type.String(), mediatorName: Nullable(Type.String()) })),
    followUps: Type.Array(Type.Object({ id: Type.Integer(), dueOn: Type.String(), doneAt: Nullable(Type.String()), result: Nullable(Type.String()), remindedAt: Nullable(Type.String()) })),
    meetings: Type.Array(Type.Object({ id: Type.Integer(), heldAt: Type.String(), departmentIds: Type.Array(Type.Integer()), leadDepartmentId: Type.Integer(), organiserCode: Type.String(), minutes: Type.String() })),
    timeline: Type.Array(Event),
  }),
]);
export type DisputeDetailDto = Static<typeof DisputeDetail>;

export function toSummary(d: DisputeRow & { case_number: string; case_title: string }): Static<typeof DisputeSummary> {
  return {
    id: d.id,
    caseId: d.case_id,
    caseNumber: d.case_number,
    caseTitle: d.case_title,
    disputeType: d.dispute_type,
    status: d.status,
    statusType: d.status_type,
    path: d.path,
    receivingBody: d.receiving_body,
    orgId: d.org_id,
    mediatorId: d.mediator_id,
    riskLevel: d.risk_level,
    groupDispute: d.group_dispute,
    extremeRisk: d.extreme_risk,
    amount: d.amount === null ? null : Number(d.amount),
    peopleCount: d.people_count,
    outcome: d.outcome,
    jurisdictionCode: d.jurisdiction_code,
    organiserCode: d.organiser_code,
    createdAt: d.created_at.toISOString(),
    version: d.version,
  };
}

/** Parties decrypted, then masked: staff see 张*, 138****5678; full values only in the agreement (a reveal). */
export function maskedParty(pii: FieldCipher, p: Selectable<DisputePartyTable>): Static<typeof Party> {
  const name = pii.readStored(p.name) ?? '';
  return {
    id: p.id,
    kind: p.kind,
    role: p.role,
    // an organisation's name is not personal: it stays whole
    name: p.kind === 'organisation' ? name : maskName(name)!,
    phone: maskPhone(pii.readStored(p.phone)),
    idNumber: maskIdNumber(pii.readStored(p.id_number)),
  };
}

export const eventLabel = (action: string, lang: 'zh' | 'en') => DISPUTE_ACTION_LABELS[action as DisputeAction]?.[lang] ?? action;
