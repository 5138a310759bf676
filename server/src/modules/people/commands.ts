import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SessionUser } from '../auth/index.js';
import { gridPlace } from '../grids/index.js';
import { codesAtLevel, findByCodes } from '../jurisdictions/index.js';
import { checkIdNumber, checkPhone, dominates, type FieldCipher, LABEL_NAMES, PROVINCE_PREFIXES, rankOf } from '../privacy/index.js';
import { labelForGroup, personRule } from './access.js';
import { viewerOf, visible } from '../access/index.js';
import { findPerson } from './repository.js';
import { localDateOf } from '../calendar/index.js';
import { type CareGroup, nextVisitDue, riskOfGrade, type RiskLevel } from './schedule.js';

type Db = Kysely<Database>;

export interface CarePlan {
  government?: string | undefined;
  social?: string | undefined;
  family?: string | undefined;
}

export interface ResponsibleInput {
  side: 'government' | 'social' | 'family';
  userId?: number | undefined;
  name?: string | undefined;
  phone?: string | undefined;
}

export interface RegisterPersonProps {
  careGroup: CareGroup;
  riskLevel?: RiskLevel | undefined;
  riskGrade?: number | undefined;
  name: string;
  idNumber?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  communityCode: string;
  gridId?: number | undefined;
  registeredOn?: string | undefined;
  carePlan?: CarePlan | undefined;
  responsible?: ResponsibleInput[] | undefined;
}

const planColumns = (pii: FieldCipher, plan: CarePlan) => ({
  government_measures: pii.encryptField(plan.government?.trim() || null),
  social_measures: pii.encryptField(plan.social?.trim() || null),
  family_measures: pii.encryptField(plan.family?.trim() || null),
});

/** Registers a person served in the user's scope, sealed, with care plan and responsible people (scheduleVisit follows). */
export async function registerPerson(db: Db, pii: FieldCipher, user: SessionUser, p: RegisterPersonProps, ip: string | null, now = new Date()): Promise<number> {
  const [community] = await findByCodes(db, [p.communityCode]);
  if (!community || community.level !== 'community') throw badRequest('communityCode', `社区 ${p.communityCode} 不存在`, `Community ${p.communityCode} does not exist`, 'unknown_code');
  if (!community.path.startsWith(user.jurisdictionPath)) throw badRequest('communityCode', '该社区不在您的管辖范围内', 'This community is outside your jurisdiction', 'out_of_scope');
  if (p.gridId !== undefined) {
    const g = await gridPlace(db, p.gridId);
    if (!g || g.community_code !== p.communityCode) throw badRequest('gridId', '网格不属于该社区', 'The grid does not belong to this community', 'invalid');
  }
  let idNumber: string | null = null;
  if (p.idNumber) {
    const known = new Set(await codesAtLevel(db, 'district'));
    const check = checkIdNumber(p.idNumber, { isKnownRegion: (c) => known.has(c) || (PROVINCE_PREFIXES.has(c.slice(0, 2)) && c.slice(2) !== '0000') });
    if (!check.ok) throw badRequest('idNumber', `身份证号无效（${check.problem}）`, `The ID number is not valid (${check.problem})`, 'invalid');
    idNumber = check.value;
  }
  let phone: string | null = null;
  if (p.phone) {
    const c = checkPhone(p.phone);
    if (!c.ok) throw badRequest('phone', '电话号码无效', 'The phone number is not valid', 'invalid');
    phone = c.value;
  }
  for (const [i, r] of (p.responsible ?? []).entries()) {
    if (r.userId === undefined && !r.name?.trim()) throw badRequest(`responsible.${i}.name`, '请填写责任人', 'Name the responsible person', 'required');
    if (r.phone && !checkPhone(r.phone).ok) throw badRequest(`responsible.${i}.phone`, '电话号码无效', 'The phone number is not valid', 'invalid');
  }
  const risk: RiskLevel = p.riskGrade !== undefined && p.careGroup === 'severe_mental' ? riskOfGrade(p.riskGrade) : (p.riskLevel ?? 'low');
  const registeredOn = p.registeredOn ?? localDateOf(now);
  const label = labelForGroup(p.careGroup);
  // registered above the registrar's clearance, the person would be out of their sight at once (404 after 201)
  if (!dominates(user.clearance, label)) {
    throw new AppError(403, 'above_clearance', { zh: `该类人员为「${LABEL_NAMES[label].zh}」信息，超出您的密级`, en: `People of this group are ${LABEL_NAMES[label].en}, above your clearance` }, 'careGroup');
  }
  const hash = idNumber ? pii.searchHash(idNumber, 'idNumber') : null;
  return db.transaction().execute(async (trx) => {
    if (hash) {
      // only a record the registrar may see is a twin: whether someone is on record elsewhere is not theirs to learn
      const twin = await trx.selectFrom('person_served').select('id').where('id_number_hash', '=', hash).where('status', '=', 'active').where(visible(personRule, viewerOf(user))).executeTakeFirst();
      if (twin) throw conflict('idNumber', `此人已在册（编号 ${twin.id}）`, `This person is already registered (no. ${twin.id})`);
    }
    const { id } = await trx
      .insertInto('person_served')
      .values({
        care_group: p.careGroup,
        risk_level: risk,
        risk_grade: p.careGroup === 'severe_mental' ? (p.riskGrade ?? null) : null,
        name: pii.encryptField(p.name.trim())!,
        id_number: pii.encryptField(idNumber),
        id_number_hash: hash,
        phone: pii.encryptField(phone),
        address: pii.encryptField(p.address?.trim() || null),
        community_code: community.code,
        grid_id: p.gridId ?? null,
        jurisdiction_path: community.path,
        security_label: label,
        security_rank: rankOf(label),
        registered_on: registeredOn,
        next_visit_due: nextVisitDue({ group: p.careGroup, risk, grade: p.riskGrade ?? null, registeredOn }),
        ...planColumns(pii, p.carePlan ?? {}),
        created_by: user.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const r of p.responsible ?? []) {
      await trx.insertInto('person_responsible').values({ person_id: id, side: r.side, user_id: r.userId ?? null, name: pii.encryptField(r.name?.trim() || null), phone: pii.encryptField(r.phone ? (checkPhone(r.phone) as { value: string }).value : null) }).execute();
    }
    await recordAudit(trx, { actorId: user.id, action: 'people.register', entity: 'person_served', entityId: String(id), detail: { careGroup: p.careGroup, riskLevel: risk, communityCode: community.code }, ip });
    return id;
  });
}

export interface UpdatePersonProps {
  riskLevel?: RiskLevel | undefined;
  riskGrade?: number | undefined;
  carePlan?: CarePlan | undefined;
  status?: 'active' | 'closed' | undefined;
  reason: string;
  expectedVersion?: number | undefined;
}

/** Changes risk, care plan or status; the visit schedule follows the new risk at once. */
export async function updatePerson(db: Db, pii: FieldCipher, user: SessionUser, id: number, p: UpdatePersonProps, ip: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findPerson(trx, id, viewerOf(user), true);
    if (!row) throw notFound('服务对象不存在或不在您的管辖范围内', 'Person not found or outside your scope');
    if (p.expectedVersion !== undefined && p.expectedVersion !== row.version) throw conflict('expectedVersion', '记录已被他人修改，请刷新', 'The record changed meanwhile; reload it');
    const group = row.care_group as CareGroup;
    const grade = group === 'severe_mental' ? (p.riskGrade ?? row.risk_grade) : null;
    const risk: RiskLevel = p.riskGrade !== undefined && group === 'severe_mental' ? riskOfGrade(p.riskGrade) : (p.riskLevel ?? row.risk_level);
    const due = nextVisitDue({ group, risk, grade, registeredOn: row.registered_on, lastVisitOn: row.last_visit_on });
    await trx
      .updateTable('person_served')
      .set((eb) => ({
        risk_level: risk,
        risk_grade: grade,
        next_visit_due: due,
        ...(p.carePlan ? planColumns(pii, p.carePlan) : {}),
        ...(p.status ? { status: p.status } : {}),
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, { actorId: user.id, action: 'people.update', entity: 'person_served', entityId: String(id), detail: { riskLevel: risk, riskGrade: grade, carePlan: p.carePlan !== undefined, status: p.status, reason: p.reason }, ip });
  });
}
