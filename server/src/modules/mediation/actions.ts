import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest } from '../../http/errors.js';
import { type Applied, required, type Step, text } from '../workflow/index.js';
import { type DiversionPath, type Outcome, PATHS } from './lifecycle.js';
import { findMediator, findOrg } from './repository.js';
import type { DisputeTable } from './tables.js';
import type { DisputeWorkflowTypes } from './workflow.js';

type Db = Kysely<Database>;

/** Everything a dispute action may carry; each action reads its own fields. */
export interface DisputeActionBody {
  note?: string | undefined;
  expectedVersion?: number | undefined;
  path?: DiversionPath | undefined;
  reason?: string | undefined;
  receivingBody?: string | undefined;
  orgId?: number | undefined;
  mediatorId?: number | undefined;
  heldAt?: string | undefined;
  place?: string | undefined;
  participants?: string | undefined;
  minutes?: string | undefined;
  outcome?: Outcome | undefined;
  terms?: string | undefined;
  performanceMethod?: string | undefined;
  performanceDeadline?: string | undefined;
  court?: string | undefined;
  appliedOn?: string | undefined;
  decision?: 'confirmed' | 'rejected' | undefined;
  decidedOn?: string | undefined;
  dueOn?: string | undefined;
  followUpId?: number | undefined;
  result?: string | undefined;
  departmentIds?: number[] | undefined;
  leadDepartmentId?: number | undefined;
}

type Effect = Applied<DisputeWorkflowTypes>;

/** What one step changes on a dispute beyond its status, checking the input it needs (400 naming the field). */
export async function applyDisputeAction(db: Db, { row: d, action, body: b, user, now }: Step<DisputeWorkflowTypes>): Promise<Effect> {
  switch (action) {
    case 'divert': {
      const path = required(b.path, 'path', '请选择分流途径', 'Choose a path');
      const reason = text(b.reason, 'reason', '请说明分流理由', 'Give the reason for the diversion');
      let org: Awaited<ReturnType<typeof findOrg>> | undefined;
      if (b.orgId !== undefined) {
        org = await findOrg(db, b.orgId);
        if (!org || !org.active || !d.jurisdiction_path.startsWith(org.jurisdiction_path)) {
          throw badRequest('orgId', `调解组织 ${b.orgId} 不存在、已停用或不覆盖纠纷所在地`, `Organisation ${b.orgId} does not exist, is inactive or does not cover the dispute's place`, 'unknown_code');
        }
      }
      const receivingBody = text(b.receivingBody?.trim() || org?.name, 'receivingBody', '请填写接收单位或选择调解组织', 'Name the receiving body or choose an organisation', 200);
      await db.insertInto('dispute_diversion').values({ dispute_id: d.id, path, reason, receiving_body: receivingBody, org_id: org?.id ?? null, diverted_by: user.id, diverted_at: now }).execute();
      const mediators = org ? await db.selectFrom('mediator').select('user_id').where('org_id', '=', org.id).where('active', '=', true).where('user_id', 'is not', null).execute() : [];
      return {
        // a new body assigns its own mediator; after a failed mediation the one who tried stays on record (outcomes)
        patch: { path, receiving_body: receivingBody, org_id: org?.id ?? null, mediator_id: d.status === 'failed' ? d.mediator_id : null },
        detail: { path, receivingBody, orgId: org?.id ?? null, previousPath: d.path },
        note: reason,
        notices: [{ kind: 'dispute.diverted', to: { users: mediators.map((m) => m.user_id!) }, title: `新分流纠纷（${PATHS[path].zh}）`, body: receivingBody }],
      };
    }
    case 'assign': {
      const mediatorId = required(b.mediatorId, 'mediatorId', '请选择调解员', 'Choose a mediator');
      const m = await findMediator(db, mediatorId);
      if (!m || !m.active || !d.jurisdiction_path.startsWith(m.jurisdiction_path)) {
        throw badRequest('mediatorId', `调解员 ${mediatorId} 不存在、已停用或不负责纠纷所在地`, `Mediator ${mediatorId} does not exist, is inactive or does not serve the dispute's place`, 'unknown_code');
      }
      return {
        patch: { mediator_id: m.id },
        detail: { mediatorId: m.id, mediatorName: m.display_name, orgName: m.org_name },
        notices: m.user_id ? [{ kind: 'dispute.assigned', to: { users: [m.user_id] }, title: '您有新的调解任务', body: `纠纷 #${d.id}` }] : [],
      };
    }
    case 'record-session': {
      const heldAt = required(b.heldAt, 'heldAt', '请填写调解时间', 'Give the date and time of the session');
      const place = text(b.place, 'place', '请填写调解地点', 'Give the place', 200);
      const participants = text(b.participants, 'participants', '请填写参加人员', 'Name the participants');
      const minutes = text(b.minutes, 'minutes', '请填写调解笔录', 'Write the minutes', 8000);
      const { id } = await db.insertInto('mediation_session').values({ dispute_id: d.id, held_at: heldAt, place, participants, minutes, mediator_id: d.mediator_id, created_by: user.id }).returning('id').executeTakeFirstOrThrow();
      return { patch: {}, detail: { sessionId: id, heldAt, place } };
    }
    case 'conclude': {
      const outcome = required(b.outcome, 'outcome', '请选择调解结果', 'Choose the outcome');
      const agreed = outcome === 'agreement' || outcome === 'partial';
      const patch: Updateable<DisputeTable> = { outcome, concluded_at: now };
      if (agreed) {
        patch.terms = text(b.terms, 'terms', '请填写协议内容', 'Write the agreed terms', 8000);
        patch.performance_method = text(b.performanceMethod, 'performanceMethod', '请填写履行方式', 'Give the performance method');
        patch.performance_deadline = required(b.performanceDeadline, 'performanceDeadline', '请填写履行期限', 'Give the performance deadline');
      }
      return { patch, detail: { outcome, performanceDeadline: patch.performance_deadline ?? null } };
    }
    case 'apply-confirmation': {
      const court = text(b.court, 'court', '请填写受理法院', 'Name the court', 200);
      const appliedOn = required(b.appliedOn, 'appliedOn', '请填写申请日期', 'Give the application date');
      return { patch: { court, confirmation_applied_at: appliedOn }, detail: { court, appliedOn } };
    }
    case 'record-confirmation': {
      const decision = required(b.decision, 'decision', '请选择法院裁定结果', "Give the court's decision");
      const decidedOn = required(b.decidedOn, 'decidedOn', '请填写裁定日期', 'Give the date of the decision');
      if (d.confirmation_applied_at && decidedOn < d.confirmation_applied_at) throw badRequest('decidedOn', '裁定日期早于申请日期', 'The decision cannot precede the application', 'invalid');
      return { patch: { confirmation_decision: decision, confirmation_decided_at: decidedOn }, detail: { decision, decidedOn } };
    }
    case 'schedule-follow-up': {
      const dueOn = required(b.dueOn, 'dueOn', '请填写回访日期', 'Give the follow-up date');
      const { id } = await db.insertInto('dispute_follow_up').values({ dispute_id: d.id, due_on: dueOn, created_by: user.id }).returning('id').executeTakeFirstOrThrow();
      return { patch: {}, detail: { followUpId: id, dueOn } };
    }
    case 'record-follow-up': {
      const result = text(b.result, 'result', '请填写回访情况', 'Write what the follow-up found', 4000);
      let q = db.selectFrom('dispute_follow_up').select('id').where('dispute_id', '=', d.id).where('done_at', 'is', null);
      if (b.followUpId !== undefined) q = q.where('id', '=', b.followUpId);
      const open = await q.orderBy('due_on').orderBy('id').executeTakeFirst();
      if (b.followUpId !== undefined && !open) throw badRequest('followUpId', `回访 ${b.followUpId} 不存在或已完成`, `Follow-up ${b.followUpId} does not exist or is done`, 'unknown_code');
      const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const id = open
        ? (await db.updateTable('dispute_follow_up').set({ done_at: now, result }).where('id', '=', open.id).returning('id').executeTakeFirstOrThrow()).id
        : (await db.insertInto('dispute_follow_up').values({ dispute_id: d.id, due_on: today, done_at: now, result, created_by: user.id }).returning('id').executeTakeFirstOrThrow()).id;
      return { patch: {}, detail: { followUpId: id }, note: result };
    }
    case 'joint-meeting': {
      const ids = required(b.departmentIds, 'departmentIds', '请选择参会部门', 'Choose the departments');
      const lead = required(b.leadDepartmentId, 'leadDepartmentId', '请指定牵头部门', 'Designate the lead department');
      const minutes = text(b.minutes, 'minutes', '请填写会议纪要', 'Write the minutes', 8000);
      const all = [...new Set([...ids, lead])];
      const chain = new Set([...d.jurisdiction_path.split('/'), ...(d.other_path?.split('/') ?? [])]);
      const found = await db.selectFrom('department').select(['id', 'jurisdiction_code', 'active']).where('id', 'in', all).execute();
      const bad = all.find((x) => !found.some((f) => f.id === x && f.active && chain.has(f.jurisdiction_code)));
      if (bad !== undefined) throw badRequest(bad === lead ? 'leadDepartmentId' : 'departmentIds', `部门 ${bad} 不存在、已停用或不属于纠纷所在辖区`, `Department ${bad} does not exist, is inactive or is not on the dispute's jurisdictions`, 'unknown_code');
      const heldAt = b.heldAt ?? now.toISOString();
      const { id } = await db
        .insertInto('dispute_joint_meeting')
        .values({ dispute_id: d.id, held_at: heldAt, department_ids: JSON.stringify(all), lead_department_id: lead, organiser_code: d.organiser_code, minutes, created_by: user.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      return {
        patch: { lead_department_id: lead },
        detail: { meetingId: id, departmentIds: all, leadDepartmentId: lead, organiserCode: d.organiser_code },
        notices: [{ kind: 'dispute.lead', to: { department: lead }, title: '联合调处：贵单位被指定为牵头部门', body: `纠纷 #${d.id}` }],
      };
    }
    case 'close':
      return { patch: {}, detail: {} };
  }
}
