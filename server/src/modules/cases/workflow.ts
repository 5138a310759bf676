import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest } from '../../http/errors.js';
import type { SessionUser } from '../auth/index.js';
import { enqueue, notify } from '../notifications/index.js';
import type { Workflow } from '../workflow/index.js';
import { type ActionBody, applyCaseAction } from './actions.js';
import { type ActionParams, type ActorFacts, type CaseFacts, caseLifecycle, type CaseLifecycleTypes, type CaseStatus, CLOSE_REASONS, type CloseReason, statusType } from './lifecycle.js';
import { type CaseRow, centreStaff, departmentHandlers, findCase, insertEvent } from './repository.js';
import type { CaseFileTable } from './tables.js';

type Db = Kysely<Database>;

/** Who an action tells in the inbox: a centre's dispatchers and supervisors, or a department's handlers. */
export type CaseNotice = { to: 'centre'; jurisdictionCode: string; what: string } | { to: 'department'; departmentId: number; what: string };

export interface CaseWorkflowTypes extends CaseLifecycleTypes {
  row: CaseRow;
  body: ActionBody;
  patch: Updateable<CaseFileTable>;
  notice: CaseNotice;
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

const paramsOf = (action: CaseWorkflowTypes['action'], b: ActionBody): ActionParams => ({ pass: b.pass, toLowerLevel: action === 'dispatch' && b.jurisdictionCode !== undefined });

async function checkAttachments(db: Db, c: CaseRow, body: ActionBody) {
  if (!body.attachmentIds?.length) return;
  const found = await db.selectFrom('case_attachment').select('id').where('case_id', '=', c.id).where('id', 'in', body.attachmentIds).execute();
  if (found.length !== new Set(body.attachmentIds).size) throw badRequest('attachmentIds', '附件不属于该案件', 'An attachment does not belong to this case', 'unknown_code');
}

/** The one place a case action writes inbox notices. */
async function tellStaff(db: Db, c: CaseRow, notices: readonly CaseNotice[]) {
  for (const n of notices) {
    const audience = n.to === 'centre' ? await centreStaff(db, n.jurisdictionCode) : await departmentHandlers(db, n.departmentId);
    await notify(db, { audience, about: { kind: 'case', id: c.id }, kind: `case.${n.to}`, title: `${n.what} ${c.number}`, body: c.title });
  }
}

/**
 * Closing tells the reporter, and the reporters of the cases merged into this one, by SMS through the outbox.
 * The recipient is the case's sealed phone as it is: the outbox holds no plain phone, and the SMS delivery
 * adapter unseals it at the moment of sending (privacy/outbox.ts). Its open supervision items close with it.
 */
async function settleClosing(db: Db, before: CaseRow, c: CaseRow, now: Date) {
  if (c.status !== 'closed' || before.status === 'closed') return;
  const label = CLOSE_REASONS[(c.close_reason ?? 'resolved') as CloseReason].zh;
  const merged = await db.selectFrom('case_file').select(['number', 'reporter_phone']).where('parent_case_id', '=', c.id).execute();
  const targets = [{ number: c.number, phone: c.reporter_phone }, ...merged.map((m) => ({ number: m.number, phone: m.reporter_phone }))];
  for (const t of targets) {
    if (!t.phone) continue;
    const via = t.number === c.number ? '' : `（已并入案件 ${c.number} 一并办理）`;
    await enqueue(db, { channel: 'sms', recipient: t.phone, payload: { template: 'case_closed', text: `您反映的问题（编号 ${t.number}）${via}已办结：${label}。${c.close_note ?? ''}`, caseId: c.id } });
  }
  await db.updateTable('supervision_item').set({ status: 'closed', closed_at: now }).where('case_id', '=', c.id).where('status', '=', 'open').execute();
}

/** Cases on the workflow kernel. */
export const caseWorkflow: Workflow<CaseWorkflowTypes> = {
  lifecycle: caseLifecycle,
  notFound: { zh: '案件不存在或不在您的管辖范围内', en: 'Case not found or outside your scope' },
  load: (db, id, user, { lock }) => findCase(db, id, user, lock),
  state: caseFacts,
  actor: actorFacts,
  facts: paramsOf,
  check: checkAttachments,
  apply: applyCaseAction,
  save: (db, c, patch, transition) => db.updateTable('case_file').set({ ...patch, ...transition, status_type: statusType(transition.status) }).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow(),
  timeline: (db, e) =>
    insertEvent(db, { caseId: e.row.id, actorId: e.user.id, actorName: e.user.displayName, action: e.action, from: e.from, to: e.to, note: e.note, detail: e.detail, attachmentIds: e.body.attachmentIds ?? [] }),
  notify: tellStaff,
  settle: settleClosing,
};
