import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest } from '../../http/errors.js';
import type { SessionUser } from '../auth/session-user.js';
import { calendarCache } from '../calendar/service.js';
import { findByCodes } from '../jurisdictions/repository.js';
import { type Applied, optionalText, required, type Step, text } from '../workflow/index.js';
import { commonAncestor } from './classify.js';
import { CLOSE_REASONS, type CloseReason } from './lifecycle.js';
import { type CaseRow, findCase, insertEvent } from './repository.js';
import { routeCase } from './routing.js';
import type { CaseFileTable } from './tables.js';
import type { CaseNotice, CaseWorkflowTypes } from './workflow.js';

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

type Effect = Applied<CaseWorkflowTypes>;
const centre = (jurisdictionCode: string, what: string): CaseNotice => ({ to: 'centre', jurisdictionCode, what });
const department = (departmentId: number | null, what: string): CaseNotice[] => (departmentId ? [{ to: 'department', departmentId, what }] : []);

/** What one action changes on a case beyond its status, checking the input it needs (400 naming the field). */
export async function applyCaseAction(db: Db, { row: c, action, body: b, user, now }: Step<CaseWorkflowTypes>): Promise<Effect> {
  const note = optionalText(b.note, 'note');
  switch (action) {
    case 'accept':
      return { patch: {}, detail: {} };
    case 'register': {
      const code = required(b.matterTypeCode ?? c.matter_type_code, 'matterTypeCode', '立案需确定事项类型', 'Registering needs a matter type');
      const matter = await db.selectFrom('matter_type').selectAll().where('code', '=', code).where('active', '=', true).executeTakeFirst();
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
        notices: [centre(route.jurisdictionCode, '待交办案件')],
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
          notices: [centre(target.code, '上级交办案件')],
        };
      }
      const departmentId = required(b.departmentId ?? c.department_id, 'departmentId', '请选择承办部门', 'Choose the handling department');
      const d = await checkDepartment(db, c, departmentId, 'departmentId');
      await setLead(db, c.id, d.id);
      return {
        patch: { department_id: d.id, dispatched_at: now, ...(await ensureDeadline(db, c, now)) },
        detail: { departmentId: d.id, departmentName: d.name },
        notices: department(d.id, '新交办案件'),
      };
    }
    case 'sign':
      return { patch: { signed_at: c.signed_at ?? now }, detail: {} };
    case 'return': {
      const reason = text(b.reason, 'reason', '退回须说明理由', 'A return needs a reason');
      return { patch: {}, detail: { reason }, note: reason, notices: [centre(c.handling_jurisdiction_code, '部门退回案件')] };
    }
    case 'designate-lead': {
      const departmentId = required(b.departmentId, 'departmentId', '请指定牵头部门', 'Name the lead department');
      const d = await checkDepartment(db, c, departmentId, 'departmentId');
      await setLead(db, c.id, d.id);
      return {
        patch: { department_id: d.id, designated: true, dispatched_at: now, signed_at: null, ...(await ensureDeadline(db, c, now)) },
        detail: { departmentId: d.id, departmentName: d.name },
        note: optionalText(b.reason, 'reason', 1000),
        notices: department(d.id, '被指定为牵头部门'),
      };
    }
    case 'co-handle': {
      const ids = required(b.departmentIds, 'departmentIds', '请选择协办部门', 'Choose co-handling departments');
      const names: string[] = [];
      for (const id of ids) {
        if (id === c.department_id) throw badRequest('departmentIds', '牵头部门不能同时协办', 'The lead department cannot also co-handle', 'invalid');
        const d = await checkDepartment(db, c, id, 'departmentIds');
        names.push(d.name);
        await db.insertInto('case_assignment').values({ case_id: c.id, department_id: id, role: 'co' }).onConflict((oc) => oc.columns(['case_id', 'department_id']).doNothing()).execute();
      }
      return { patch: {}, detail: { departmentIds: ids, departmentNames: names }, notices: ids.flatMap((id) => department(id, '协办案件')) };
    }
    case 'request-extension': {
      const days = required(b.days, 'days', '请填写延期天数', 'Give the number of days');
      const reason = text(b.reason, 'reason', '请说明延期理由', 'Give a reason');
      return { patch: { pending_extension_days: days, pending_extension_reason: reason }, detail: { days, reason }, note: reason, notices: [centre(c.handling_jurisdiction_code, '延期申请待审批')] };
    }
    case 'approve-extension': {
      const calendar = await calendarCache.current(db);
      const days = c.pending_extension_days!;
      const deadline = calendar.deadline(c.deadline ?? now, days);
      return {
        patch: { deadline, pending_extension_days: null, pending_extension_reason: null, extension_count: c.extension_count + 1, warning_level: 'none' },
        detail: { days, deadline: deadline.toISOString() },
        notices: department(c.department_id, '延期申请已批准'),
      };
    }
    case 'reject-extension':
      return {
        patch: { pending_extension_days: null, pending_extension_reason: null },
        detail: { days: c.pending_extension_days },
        note: optionalText(b.reason, 'reason', 1000),
        notices: department(c.department_id, '延期申请被驳回'),
      };
    case 'escalate': {
      const reason = text(b.reason, 'reason', '上报须说明理由', 'Escalation needs a reason');
      const targetCode = await escalationTarget(db, c, b.jurisdictionCode);
      const [target] = await findByCodes(db, [targetCode]);
      return {
        patch: { handling_level: target!.level, handling_jurisdiction_code: target!.code, handling_path: target!.path, department_id: null, designated: false },
        detail: { toJurisdictionCode: target!.code, reason },
        note: reason,
        notices: [centre(target!.code, '下级上报案件')],
      };
    }
    case 'feed-back': {
      const result = text(b.result, 'result', '请填写办理结果', 'Describe the result', 4000);
      const lead = c.department_id === user.departmentId;
      const co = await db.selectFrom('case_assignment').select('role').where('case_id', '=', c.id).where('department_id', '=', user.departmentId!).executeTakeFirst();
      const asCo = co?.role === 'co';
      const asLead = lead && !asCo;
      await db.updateTable('case_assignment').set({ feedback: result, fed_back_at: now }).where('case_id', '=', c.id).where('department_id', '=', user.departmentId!).execute();
      return {
        patch: asLead ? { fed_back_at: now } : {},
        detail: { result, as: asCo ? 'co' : 'lead' },
        note: result,
        notices: asLead ? [centre(c.handling_jurisdiction_code, '案件已反馈待核查')] : [],
      };
    }
    case 'verify': {
      const pass = required(b.pass, 'pass', '请给出核查结论', 'Say whether the verification passed');
      if (!pass) return { patch: { rework_count: c.rework_count + 1, fed_back_at: null }, detail: { pass: false }, notices: department(c.department_id, '核查未通过，请重新办理') };
      const reason = b.closeReason ?? 'resolved';
      if (reason !== 'resolved' && reason !== 'unresolvable') throw badRequest('closeReason', '核查通过时结案方式只能是已解决或已解释', 'After verification a case closes as resolved or unresolvable', 'invalid');
      return { patch: { close_reason: reason, close_note: note, closed_at: now }, detail: { pass: true, closeReason: reason } };
    }
    case 'close':
      return closeEffect(db, c, b, note, now);
    case 'reopen': {
      const reason = text(b.reason, 'reason', '重新办理须说明理由', 'Reopening needs a reason');
      await db.updateTable('case_assignment').set({ feedback: null, fed_back_at: null }).where('case_id', '=', c.id).execute();
      return {
        patch: { close_reason: null, close_note: null, closed_at: null, fed_back_at: null, signed_at: null, rating: null, rating_comment: null, rated_at: null, rework_count: c.rework_count + 1, dispatched_at: c.department_id ? now : c.dispatched_at },
        detail: { reason },
        note: reason,
        notices: department(c.department_id, '案件重新办理'),
      };
    }
    case 'rate': {
      const rating = required(b.rating, 'rating', '请选择满意度', 'Choose a rating');
      const comment = optionalText(b.comment, 'comment', 1000);
      return { patch: { rating, rating_comment: comment, rated_at: now }, detail: { rating, comment }, note: comment };
    }
    case 'merge':
      return mergeEffect(db, c, b, user, now);
  }
}

async function mergeEffect(db: Db, c: CaseRow, b: ActionBody, user: SessionUser, now: Date): Promise<Effect> {
  const intoId = required(b.intoCaseId, 'intoCaseId', '请选择合并到的案件', 'Choose the case to merge into');
  if (intoId === c.id) throw badRequest('intoCaseId', '不能合并到自身', 'A case cannot be merged into itself', 'invalid');
  const parent = await findCase(db, intoId, user, true);
  if (!parent || parent.status_type !== 'open' || parent.parent_case_id !== null) {
    throw badRequest('intoCaseId', `案件 ${intoId} 不存在、已办结或本身已被合并`, `Case ${intoId} does not exist, is closed or is itself merged`, 'unknown_code');
  }
  await db.updateTable('case_file').set({ supporter_count: parent.supporter_count + 1 + c.supporter_count, version: parent.version + 1, updated_at: now }).where('id', '=', parent.id).execute();
  await db.updateTable('case_file').set({ parent_case_id: parent.id }).where('parent_case_id', '=', c.id).execute();
  await insertEvent(db, { caseId: parent.id, actorId: user.id, actorName: user.displayName, action: 'merge', from: parent.status, to: parent.status, note: `并入 ${c.number}`, detail: { mergedCaseId: c.id, mergedNumber: c.number } });
  return { patch: { parent_case_id: parent.id, close_reason: 'duplicate', closed_at: now, close_note: `并入 ${parent.number}` }, detail: { intoCaseId: parent.id, intoNumber: parent.number } };
}

async function closeEffect(db: Db, c: CaseRow, b: ActionBody, note: string | null, now: Date): Promise<Effect> {
  const reason = required(b.closeReason, 'closeReason', '请选择结案方式', 'Choose how the case closes');
  if (!(reason in CLOSE_REASONS)) throw badRequest('closeReason', `未知的结案方式 ${reason}`, `Unknown close reason ${reason}`, 'invalid');
  const patch: Updateable<CaseFileTable> = { close_reason: reason, close_note: note, closed_at: now };
  if (reason === 'unresolvable' && !note) throw badRequest('note', '请说明无法解决的原因', 'Explain why it cannot be resolved', 'required');
  if (reason === 'not_responsible') patch.responsible_elsewhere = text(b.responsibleBody, 'responsibleBody', '请注明责任单位', 'Name the responsible body', 200);
  if (reason === 'duplicate') {
    const into = required(b.duplicateOfCaseId, 'duplicateOfCaseId', '请注明重复的案件', 'Name the case this duplicates');
    const other = await db.selectFrom('case_file').select(['id', 'number']).where('id', '=', into).executeTakeFirst();
    if (!other || other.id === c.id) throw badRequest('duplicateOfCaseId', `案件 ${into} 不存在`, `Case ${into} does not exist`, 'unknown_code');
    patch.parent_case_id = other.id;
  }
  return { patch, detail: { closeReason: reason, responsibleBody: patch.responsible_elsewhere ?? null, duplicateOfCaseId: patch.parent_case_id ?? null } };
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
