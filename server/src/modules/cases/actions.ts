import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit/repository.js';
import type { SessionUser } from '../auth/session-user.js';
import { calendarCache } from '../calendar/service.js';
import { findByCodes } from '../jurisdictions/repository.js';
import { enqueue, notify } from '../notifications/repository.js';
import { commonAncestor } from './classify.js';
import { type ActorFacts, type CaseAction, type CaseFacts, type CaseStatus, CLOSE_REASONS, type CloseReason, decide, statusType } from './lifecycle.js';
import { type CaseRow, centreStaff, departmentHandlers, findCase, insertEvent } from './repository.js';
import { routeCase } from './routing.js';
import type { CaseFileTable } from './tables.js';

type Db = Kysely<Database>;

/** Everything any action may carry; each action reads its own fields. */
export interface ActionBody {
  note?: string | undefined;
  expectedVersion?: number | undefined;
  attachmentIds?: number[] | undefined;
  matterTypeCode?: string | undefined;
  departmentId?: number | undefined;
  departmentIds?: number[] | undefined;
  jurisdictionCode?: string | undefined;
  reason?: string | undefined;
  days?: number | undefined;
  result?: string | undefined;
  pass?: boolean | undefined;
  closeReason?: CloseReason | undefined;
  responsibleBody?: string | undefined;
  duplicateOfCaseId?: number | undefined;
  intoCaseId?: number | undefined;
  rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | undefined;
  comment?: string | undefined;
}

/** The lifecycle's view of a case, given how many co-handlers have not fed back. */
export function caseFactsOf(c: CaseRow, coPending: number): CaseFacts {
  return {
    status: c.status as CaseStatus,
    designated: c.designated,
    pendingExtension: c.pending_extension_days !== null,
    rated: c.rating !== null,
    coPending,
    hasDepartment: c.department_id !== null,
    handlingLevel: c.handling_level,
  };
}

const isHandlerOf = (c: CaseRow, user: SessionUser) => user.roles.includes('handler') && user.departmentId !== null && c.dispatched_at !== null;

/** The actor's relation to a case, given whether the actor is a co-handler yet to feed back. */
export function actorFactsOf(c: CaseRow, user: SessionUser, pendingCoHandler: boolean): ActorFacts {
  return {
    roles: user.roles,
    atHandlingCentre: c.handling_path.startsWith(user.jurisdictionPath),
    leadHandler: isHandlerOf(c, user) && c.department_id === user.departmentId,
    pendingCoHandler,
  };
}

export async function caseFacts(db: Db, c: CaseRow): Promise<CaseFacts> {
  const co = await db
    .selectFrom('case_assignment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', c.id)
    .where('role', '=', 'co')
    .where('fed_back_at', 'is', null)
    .executeTakeFirstOrThrow();
  return caseFactsOf(c, Number(co.n));
}

export async function actorFacts(db: Db, c: CaseRow, user: SessionUser): Promise<ActorFacts> {
  let pendingCoHandler = false;
  if (isHandlerOf(c, user)) {
    const a = await db
      .selectFrom('case_assignment')
      .select('fed_back_at')
      .where('case_id', '=', c.id)
      .where('department_id', '=', user.departmentId!)
      .where('role', '=', 'co')
      .executeTakeFirst();
    pendingCoHandler = a !== undefined && a.fed_back_at === null;
  }
  return actorFactsOf(c, user, pendingCoHandler);
}

const need = <T>(value: T | undefined, field: string, zh: string, en: string): T => {
  if (value === undefined || value === null || value === '') throw badRequest(field, zh, en, 'required');
  return value;
};

async function checkDepartment(db: Db, c: CaseRow, departmentId: number, field: string) {
  const d = await db.selectFrom('department').select(['id', 'name', 'jurisdiction_code', 'active']).where('id', '=', departmentId).executeTakeFirst();
  const chain = c.jurisdiction_path.split('/');
  if (!d || !d.active || !chain.includes(d.jurisdiction_code)) {
    throw badRequest(field, `部门 ${departmentId} 不存在、已停用或不属于该案件所在辖区`, `Department ${departmentId} does not exist, is inactive or is not on this case's jurisdictions`, 'unknown_code');
  }
  return d;
}

async function setLead(db: Db, caseId: number, departmentId: number) {
  await db.deleteFrom('case_assignment').where('case_id', '=', caseId).where('role', '=', 'lead').where('department_id', '!=', departmentId).execute();
  await db
    .insertInto('case_assignment')
    .values({ case_id: caseId, department_id: departmentId, role: 'lead' })
    .onConflict((oc) => oc.columns(['case_id', 'department_id']).doUpdateSet({ role: 'lead', feedback: null, fed_back_at: null }))
    .execute();
}

interface Effect {
  patch: Updateable<CaseFileTable>;
  detail: Record<string, unknown>;
  note: string | null;
  after?: () => Promise<void>;
}

/** Takes one lifecycle action on a case: lock, check scope and state, apply, record, notify — in one transaction. */
export async function performAction(db: Db, user: SessionUser, caseId: number, action: CaseAction, body: ActionBody, ip: string | null): Promise<CaseRow> {
  return db.transaction().execute(async (trx) => {
    const c = await findCase(trx, caseId, user, true);
    if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
    if (body.expectedVersion !== undefined && body.expectedVersion !== c.version) {
      throw conflict('expectedVersion', `案件已被他人处理（当前版本 ${c.version}），请刷新后重试`, `Someone else acted on this case meanwhile (now version ${c.version}); reload and retry`);
    }
    if (body.attachmentIds?.length) {
      const found = await trx.selectFrom('case_attachment').select('id').where('case_id', '=', c.id).where('id', 'in', body.attachmentIds).execute();
      if (found.length !== new Set(body.attachmentIds).size) throw badRequest('attachmentIds', '附件不属于该案件', 'An attachment does not belong to this case', 'unknown_code');
    }
    const facts = await caseFacts(trx, c);
    const actor = await actorFacts(trx, c, user);
    const toLowerLevel = action === 'dispatch' && body.jurisdictionCode !== undefined;
    const decision = decide(facts, action, actor, { pass: body.pass, toLowerLevel });
    if (!decision.ok) throw new AppError(decision.code === 'forbidden' ? 403 : 409, decision.code, { zh: decision.zh, en: decision.en });
    const now = new Date();
    const effect = await applyEffect(trx, user, c, action, body, now);
    const next = decision.next;
    const patch: Updateable<CaseFileTable> = { ...effect.patch, status: next, status_type: statusType(next), version: c.version + 1, updated_at: now };
    const updated = await trx.updateTable('case_file').set(patch).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, {
      caseId: c.id,
      actorId: user.id,
      actorName: user.displayName,
      action,
      from: c.status,
      to: next,
      note: effect.note ?? body.note ?? null,
      detail: effect.detail,
      attachmentIds: body.attachmentIds ?? [],
    });
    await recordAudit(trx, { actorId: user.id, action: `case.${action}`, entity: 'case', entityId: String(c.id), detail: effect.detail, ip });
    await effect.after?.();
    if (next === 'closed' && c.status !== 'closed') {
      await tellOnClose(trx, updated);
      await trx.updateTable('supervision_item').set({ status: 'closed', closed_at: now }).where('case_id', '=', c.id).where('status', '=', 'open').execute();
    }
    return updated;
  });
}

async function applyEffect(db: Db, user: SessionUser, c: CaseRow, action: CaseAction, b: ActionBody, now: Date): Promise<Effect> {
  const none: Effect = { patch: {}, detail: {}, note: null };
  switch (action) {
    case 'accept':
      return none;
    case 'register': {
      const code = b.matterTypeCode ?? c.matter_type_code ?? undefined;
      need(code, 'matterTypeCode', '立案需确定事项类型', 'Registering needs a matter type');
      const matter = await db.selectFrom('matter_type').selectAll().where('code', '=', code!).where('active', '=', true).executeTakeFirst();
      if (!matter) throw badRequest('matterTypeCode', `事项 ${code} 不存在或已停用`, `Matter type ${code} does not exist or is inactive`, 'unknown_code');
      const chain = await chainOf(db, c);
      const route = await routeCase(db, { matter, chain, fallback: c.handling_jurisdiction_code });
      const calendar = await calendarCache.current(db);
      const deadline = matter.priority === 'critical' ? calendar.deadlineInHours(now, matter.time_limit_days * 24) : calendar.deadline(now, matter.time_limit_days);
      return {
        patch: {
          matter_type_code: matter.code,
          priority: matter.priority,
          time_limit_days: matter.time_limit_days,
          deadline,
          registered_at: now,
          handling_level: route.level,
          handling_jurisdiction_code: route.jurisdictionCode,
          handling_path: route.path,
          department_id: route.departmentId,
        },
        detail: { matterTypeCode: matter.code, deadline: deadline.toISOString(), handlingJurisdictionCode: route.jurisdictionCode, departmentId: route.departmentId },
        note: route.note,
        after: () => notifyCentre(db, route.jurisdictionCode, c, '待交办案件'),
      };
    }
    case 'dispatch': {
      if (b.jurisdictionCode !== undefined) {
        const [target] = await findByCodes(db, [b.jurisdictionCode]);
        if (!target || !target.path.startsWith(`${c.handling_path}/`) || !c.jurisdiction_path.startsWith(target.path)) {
          throw badRequest('jurisdictionCode', `${b.jurisdictionCode} 不是该案件所在的下级辖区`, `${b.jurisdictionCode} is not a lower jurisdiction on this case's chain`, 'unknown_code');
        }
        return {
          patch: { handling_level: target.level, handling_jurisdiction_code: target.code, handling_path: target.path, department_id: null, designated: false },
          detail: { toJurisdictionCode: target.code },
          note: null,
          after: () => notifyCentre(db, target.code, c, '上级交办案件'),
        };
      }
      const departmentId = need(b.departmentId ?? c.department_id ?? undefined, 'departmentId', '请选择承办部门', 'Choose the handling department');
      const d = await checkDepartment(db, c, departmentId, 'departmentId');
      await setLead(db, c.id, d.id);
      return {
        patch: { department_id: d.id, dispatched_at: now, ...(await ensureDeadline(db, c, now)) },
        detail: { departmentId: d.id, departmentName: d.name },
        note: null,
        after: () => notifyDepartment(db, d.id, c, '新交办案件'),
      };
    }
    case 'sign':
      return { patch: { signed_at: c.signed_at ?? now }, detail: {}, note: null };
    case 'return': {
      const reason = need(b.reason, 'reason', '退回须说明理由', 'A return needs a reason');
      return { patch: {}, detail: { reason }, note: reason, after: () => notifyCentre(db, c.handling_jurisdiction_code, c, '部门退回案件') };
    }
    case 'designate-lead': {
      const departmentId = need(b.departmentId, 'departmentId', '请指定牵头部门', 'Name the lead department');
      const d = await checkDepartment(db, c, departmentId, 'departmentId');
      await setLead(db, c.id, d.id);
      return {
        patch: { department_id: d.id, designated: true, dispatched_at: now, signed_at: null, ...(await ensureDeadline(db, c, now)) },
        detail: { departmentId: d.id, departmentName: d.name },
        note: b.reason ?? null,
        after: () => notifyDepartment(db, d.id, c, '被指定为牵头部门'),
      };
    }
    case 'co-handle': {
      const ids = need(b.departmentIds?.length ? b.departmentIds : undefined, 'departmentIds', '请选择协办部门', 'Choose co-handling departments');
      const names: string[] = [];
      for (const id of ids) {
        if (id === c.department_id) throw badRequest('departmentIds', '牵头部门不能同时协办', 'The lead department cannot also co-handle', 'invalid');
        const d = await checkDepartment(db, c, id, 'departmentIds');
        names.push(d.name);
        await db.insertInto('case_assignment').values({ case_id: c.id, department_id: id, role: 'co' }).onConflict((oc) => oc.columns(['case_id', 'department_id']).doNothing()).execute();
      }
      return { patch: {}, detail: { departmentIds: ids, departmentNames: names }, note: null, after: async () => { for (const id of ids) await notifyDepartment(db, id, c, '协办案件'); } };
    }
    case 'request-extension': {
      const days = need(b.days, 'days', '请填写延期天数', 'Give the number of days');
      const reason = need(b.reason, 'reason', '请说明延期理由', 'Give a reason');
      return { patch: { pending_extension_days: days, pending_extension_reason: reason }, detail: { days, reason }, note: reason, after: () => notifyCentre(db, c.handling_jurisdiction_code, c, '延期申请待审批') };
    }
    case 'approve-extension': {
      const calendar = await calendarCache.current(db);
      const days = c.pending_extension_days!;
      const deadline = calendar.deadline(c.deadline ?? now, days);
      return {
        patch: { deadline, pending_extension_days: null, pending_extension_reason: null, extension_count: c.extension_count + 1, warning_level: 'none' },
        detail: { days, deadline: deadline.toISOString() },
        note: null,
        after: () => (c.department_id ? notifyDepartment(db, c.department_id, c, '延期申请已批准') : Promise.resolve()),
      };
    }
    case 'reject-extension':
      return {
        patch: { pending_extension_days: null, pending_extension_reason: null },
        detail: { days: c.pending_extension_days },
        note: b.reason ?? null,
        after: () => (c.department_id ? notifyDepartment(db, c.department_id, c, '延期申请被驳回') : Promise.resolve()),
      };
    case 'escalate': {
      const reason = need(b.reason, 'reason', '上报须说明理由', 'Escalation needs a reason');
      const targetCode = await escalationTarget(db, c, b.jurisdictionCode);
      const [target] = await findByCodes(db, [targetCode]);
      return {
        patch: { handling_level: target!.level, handling_jurisdiction_code: target!.code, handling_path: target!.path, department_id: null, designated: false },
        detail: { toJurisdictionCode: target!.code, reason },
        note: reason,
        after: () => notifyCentre(db, target!.code, c, '下级上报案件'),
      };
    }
    case 'feed-back': {
      const result = need(b.result, 'result', '请填写办理结果', 'Describe the result');
      const lead = c.department_id === user.departmentId;
      const co = await db.selectFrom('case_assignment').select('role').where('case_id', '=', c.id).where('department_id', '=', user.departmentId!).executeTakeFirst();
      const asCo = co?.role === 'co';
      await db.updateTable('case_assignment').set({ feedback: result, fed_back_at: now }).where('case_id', '=', c.id).where('department_id', '=', user.departmentId!).execute();
      return {
        patch: lead && !asCo ? { fed_back_at: now } : {},
        detail: { result, as: asCo ? 'co' : 'lead' },
        note: result,
        after: () => (lead && !asCo ? notifyCentre(db, c.handling_jurisdiction_code, c, '案件已反馈待核查') : Promise.resolve()),
      };
    }
    case 'verify': {
      if (b.pass === undefined) throw badRequest('pass', '请给出核查结论', 'Say whether the verification passed', 'required');
      if (!b.pass) {
        return { patch: { rework_count: c.rework_count + 1, fed_back_at: null }, detail: { pass: false }, note: b.note ?? null, after: () => notifyDepartment(db, c.department_id!, c, '核查未通过，请重新办理') };
      }
      const reason = b.closeReason ?? 'resolved';
      if (reason !== 'resolved' && reason !== 'unresolvable') throw badRequest('closeReason', '核查通过时结案方式只能是已解决或已解释', 'After verification a case closes as resolved or unresolvable', 'invalid');
      return { patch: { close_reason: reason, close_note: b.note ?? null, closed_at: now }, detail: { pass: true, closeReason: reason }, note: b.note ?? null };
    }
    case 'close':
      return closeEffect(db, c, b, now);
    case 'reopen': {
      const reason = need(b.reason, 'reason', '重新办理须说明理由', 'Reopening needs a reason');
      await db.updateTable('case_assignment').set({ feedback: null, fed_back_at: null }).where('case_id', '=', c.id).execute();
      return {
        patch: { close_reason: null, close_note: null, closed_at: null, fed_back_at: null, signed_at: null, rating: null, rating_comment: null, rated_at: null, rework_count: c.rework_count + 1, dispatched_at: c.department_id ? now : c.dispatched_at },
        detail: { reason },
        note: reason,
        after: () => (c.department_id ? notifyDepartment(db, c.department_id, c, '案件重新办理') : Promise.resolve()),
      };
    }
    case 'rate': {
      const rating = need(b.rating, 'rating', '请选择满意度', 'Choose a rating');
      return { patch: { rating, rating_comment: b.comment ?? null, rated_at: now }, detail: { rating, comment: b.comment ?? null }, note: b.comment ?? null };
    }
    case 'merge': {
      const intoId = need(b.intoCaseId, 'intoCaseId', '请选择合并到的案件', 'Choose the case to merge into');
      if (intoId === c.id) throw badRequest('intoCaseId', '不能合并到自身', 'A case cannot be merged into itself', 'invalid');
      const parent = await findCase(db, intoId, user, true);
      if (!parent || parent.status_type !== 'open' || parent.parent_case_id !== null) {
        throw badRequest('intoCaseId', `案件 ${intoId} 不存在、已办结或本身已被合并`, `Case ${intoId} does not exist, is closed or is itself merged`, 'unknown_code');
      }
      await db.updateTable('case_file').set({ supporter_count: parent.supporter_count + 1 + c.supporter_count, version: parent.version + 1, updated_at: now }).where('id', '=', parent.id).execute();
      await db.updateTable('case_file').set({ parent_case_id: parent.id }).where('parent_case_id', '=', c.id).execute();
      await insertEvent(db, { caseId: parent.id, actorId: user.id, actorName: user.displayName, action: 'merge', from: parent.status, to: parent.status, note: `并入 ${c.number}`, detail: { mergedCaseId: c.id, mergedNumber: c.number } });
      return { patch: { parent_case_id: parent.id, close_reason: 'duplicate', closed_at: now, close_note: `并入 ${parent.number}` }, detail: { intoCaseId: parent.id, intoNumber: parent.number }, note: null };
    }
  }
}

async function closeEffect(db: Db, c: CaseRow, b: ActionBody, now: Date): Promise<Effect> {
  const reason = need(b.closeReason, 'closeReason', '请选择结案方式', 'Choose how the case closes');
  if (!(reason in CLOSE_REASONS)) throw badRequest('closeReason', `未知的结案方式 ${reason}`, `Unknown close reason ${reason}`, 'invalid');
  const patch: Updateable<CaseFileTable> = { close_reason: reason, close_note: b.note ?? null, closed_at: now };
  if (reason === 'unresolvable' && !b.note) throw badRequest('note', '请说明无法解决的原因', 'Explain why it cannot be resolved', 'required');
  if (reason === 'not_responsible') patch.responsible_elsewhere = need(b.responsibleBody, 'responsibleBody', '请注明责任单位', 'Name the responsible body');
  if (reason === 'duplicate') {
    const into = need(b.duplicateOfCaseId, 'duplicateOfCaseId', '请注明重复的案件', 'Name the case this duplicates');
    const other = await db.selectFrom('case_file').select(['id', 'number']).where('id', '=', into).executeTakeFirst();
    if (!other || other.id === c.id) throw badRequest('duplicateOfCaseId', `案件 ${into} 不存在`, `Case ${into} does not exist`, 'unknown_code');
    patch.parent_case_id = other.id;
  }
  return { patch, detail: { closeReason: reason, responsibleBody: patch.responsible_elsewhere ?? null, duplicateOfCaseId: patch.parent_case_id ?? null }, note: b.note ?? null };
}

/** The level above, or for a matter spanning two jurisdictions their common upper level (HH43). */
async function escalationTarget(db: Db, c: CaseRow, otherCode: string | undefined): Promise<string> {
  if (otherCode) {
    const [other] = await findByCodes(db, [otherCode]);
    if (!other) throw badRequest('jurisdictionCode', `辖区 ${otherCode} 不存在`, `Jurisdiction ${otherCode} does not exist`, 'unknown_code');
    const common = commonAncestor(c.handling_path, other.path);
    if (!common || common === c.handling_jurisdiction_code) throw badRequest('jurisdictionCode', '跨辖区上报须指向另一个辖区', 'A cross-region escalation must name another jurisdiction', 'invalid');
    return common;
  }
  const parts = c.handling_path.split('/');
  return parts[parts.length - 2]!;
}

async function chainOf(db: Db, c: CaseRow) {
  const chain: Partial<Record<'city' | 'district' | 'street' | 'community', string>> = {};
  for (const j of await findByCodes(db, c.jurisdiction_path.split('/'))) chain[j.level] = j.code;
  return chain;
}

async function ensureDeadline(db: Db, c: CaseRow, now: Date): Promise<Updateable<CaseFileTable>> {
  if (c.deadline || !c.time_limit_days) return {};
  const calendar = await calendarCache.current(db);
  return { deadline: c.priority === 'critical' ? calendar.deadlineInHours(now, c.time_limit_days * 24) : calendar.deadline(now, c.time_limit_days) };
}

async function notifyCentre(db: Db, jurisdictionCode: string, c: CaseRow, what: string) {
  const ids = await centreStaff(db, jurisdictionCode);
  await notify(db, { audience: ids, about: { kind: 'case', id: c.id }, kind: 'case.centre', title: `${what} ${c.number}`, body: c.title });
}

async function notifyDepartment(db: Db, departmentId: number, c: CaseRow, what: string) {
  const ids = await departmentHandlers(db, departmentId);
  await notify(db, { audience: ids, about: { kind: 'case', id: c.id }, kind: 'case.department', title: `${what} ${c.number}`, body: c.title });
}

/**
 * Closing tells the reporter, and the reporters of the cases merged into this one, by SMS through the outbox.
 * The recipient is the case's sealed phone as it is: the outbox holds no plain phone, and the SMS delivery
 * adapter unseals it at the moment of sending (privacy/outbox.ts).
 */
async function tellOnClose(db: Db, c: CaseRow) {
  const label = CLOSE_REASONS[(c.close_reason ?? 'resolved') as CloseReason].zh;
  const merged = await db.selectFrom('case_file').select(['number', 'reporter_phone']).where('parent_case_id', '=', c.id).execute();
  const targets = [{ number: c.number, phone: c.reporter_phone }, ...merged.map((m) => ({ number: m.number, phone: m.reporter_phone }))];
  for (const t of targets) {
    if (!t.phone) continue;
    const via = t.number === c.number ? '' : `（已并入案件 ${c.number} 一并办理）`;
    await enqueue(db, { channel: 'sms', recipient: t.phone, payload: { template: 'case_closed', text: `您反映的问题（编号 ${t.number}）${via}已办结：${label}。${c.close_note ?? ''}`, caseId: c.id } });
  }
}
