import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest, conflict, forbidden } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import { may, type SessionUser } from '../auth/index.js';
import { caseById, type CaseRow, commonAncestor, findCase, intakeCase, type IntakeContext, type IntakeInput } from '../cases/index.js';
import { findByCodes } from '../jurisdictions/index.js';
import { checkIdNumber, type FieldCipher } from '../privacy/index.js';
import type { DisputeType } from './lifecycle.js';
import { insertDisputeEvent } from './repository.js';

type Db = Kysely<Database>;

export interface PartyInput {
  kind: 'person' | 'organisation';
  role: 'applicant' | 'respondent' | 'third_party';
  name: string;
  phone?: string | undefined;
  idNumber?: string | undefined;
}

export interface DisputeInput {
  /** an existing case, or `case` to take one in together with the dispute (one window) */
  caseId?: number | undefined;
  case?: IntakeInput | undefined;
  disputeType: DisputeType;
  facts: string;
  amount?: number | undefined;
  peopleCount?: number | undefined;
  riskLevel?: 'low' | 'medium' | 'high' | undefined;
  groupDispute?: boolean | undefined;
  extremeRisk?: boolean | undefined;
  /** a dispute spanning this jurisdiction too is organised by the common upper-level centre (HH43) */
  otherJurisdictionCode?: string | undefined;
  parties: PartyInput[];
}

/** Parties as stored: every name, phone and ID number sealed; the ID number's keyed hash kept for search. */
function sealParties(pii: FieldCipher, parties: PartyInput[]) {
  return parties.map((p, i) => {
    let idNumber: string | null = null;
    if (p.idNumber?.trim()) {
      const checked = checkIdNumber(p.idNumber.trim());
      if (!checked.ok) throw badRequest(`parties/${i}/idNumber`, '身份证号码无效', 'The ID number is not valid', 'invalid');
      idNumber = checked.value;
    }
    return {
      position: i + 1,
      kind: p.kind,
      role: p.role,
      name: pii.encryptField(p.name.trim())!,
      phone: pii.encryptField(p.phone?.trim() || null),
      id_number: pii.encryptField(idNumber),
      id_number_hash: idNumber ? pii.searchHash(idNumber, 'idNumber') : null,
    };
  });
}

async function insertDispute(db: Db, pii: FieldCipher, user: SessionUser, c: CaseRow, input: DisputeInput, ip: string | null): Promise<number> {
  let other: { path: string } | undefined;
  let organiser = { code: c.community_code, path: c.jurisdiction_path };
  if (input.otherJurisdictionCode) {
    [other] = await findByCodes(db, [input.otherJurisdictionCode]);
    if (!other) throw badRequest('otherJurisdictionCode', `辖区 ${input.otherJurisdictionCode} 不存在`, `Jurisdiction ${input.otherJurisdictionCode} does not exist`, 'unknown_code');
    const code = commonAncestor(c.jurisdiction_path, other.path);
    if (!code) throw badRequest('otherJurisdictionCode', '两地没有共同的上级辖区', 'The two places have no common upper jurisdiction', 'invalid');
    const [upper] = await findByCodes(db, [code]);
    organiser = { code, path: upper!.path };
  }
  if (!organiser.path.startsWith(user.jurisdictionPath) && !user.jurisdictionPath.startsWith(organiser.path)) {
    throw badRequest('otherJurisdictionCode', '组织调处的辖区不在您的管辖范围内', "The organising jurisdiction is outside your scope", 'out_of_scope');
  }
  const parties = sealParties(pii, input.parties);
  const { id } = await db
    .insertInto('dispute')
    .values({
      case_id: c.id,
      dispute_type: input.disputeType,
      facts: input.facts,
      amount: input.amount ?? null,
      people_count: input.peopleCount ?? input.parties.length,
      risk_level: input.riskLevel ?? 'low',
      group_dispute: input.groupDispute ?? false,
      extreme_risk: input.extremeRisk ?? false,
      status: 'registered',
      status_type: 'open',
      jurisdiction_code: c.community_code,
      jurisdiction_path: c.jurisdiction_path,
      other_path: other?.path ?? null,
      organiser_code: organiser.code,
      organiser_path: organiser.path,
      created_by: user.id,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .returning('id')
    .executeTakeFirst()
    .then((r) => r ?? Promise.reject(conflict('caseId', `案件 ${c.number} 已登记为纠纷`, `Case ${c.number} already has a dispute`)));
  await db.insertInto('dispute_party').values(parties.map((p) => ({ ...p, dispute_id: id }))).execute();
  const detail = { caseId: c.id, caseNumber: c.number, disputeType: input.disputeType, parties: input.parties.length, organiserCode: organiser.code, groupDispute: input.groupDispute ?? false, extremeRisk: input.extremeRisk ?? false };
  await insertDisputeEvent(db, { disputeId: id, actorId: user.id, actorName: user.displayName, action: 'intake', from: null, to: 'registered', detail });
  await recordAudit(db, { actorId: user.id, action: 'dispute.create', entity: 'dispute', entityId: String(id), detail, ip });
  return id;
}

/** Records a dispute: from a case already taken in, or a new case taken in through the one window with it. */
export async function createDispute(ctx: IntakeContext, pii: FieldCipher, user: SessionUser, input: DisputeInput): Promise<number> {
  const ip = ctx.ip ?? null;
  if (input.caseId !== undefined && input.case) throw badRequest('case', '请只提供 caseId 或 case 之一', 'Give either caseId or case, not both', 'invalid');
  if (input.caseId !== undefined) {
    const caseId = input.caseId;
    return ctx.db.transaction().execute(async (trx) => {
      const c = await findCase(trx, caseId, user, true);
      if (!c) throw badRequest('caseId', `案件 ${caseId} 不存在或不在您的管辖范围内`, `Case ${caseId} does not exist or is outside your scope`, 'unknown_code');
      return insertDispute(trx, pii, user, c, input, ip);
    });
  }
  if (!input.case) throw badRequest('caseId', '请提供已登记案件的 caseId，或同时登记案件（case）', 'Give the caseId of a case, or a case to take in with the dispute', 'required');
  if (!may(user.roles, 'case:create')) throw forbidden();
  let disputeId = 0;
  await intakeCase(ctx, { kind: 'user', id: user.id, name: user.displayName, jurisdictionPath: user.jurisdictionPath, jurisdictionCode: user.jurisdictionCode, clearance: user.clearance }, input.case, undefined, async (trx, caseId) => {
    const c = await caseById(trx, caseId);
    disputeId = await insertDispute(trx, pii, user, c, input, ip);
  });
  return disputeId;
}
