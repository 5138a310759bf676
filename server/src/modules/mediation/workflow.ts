import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../auth/index.js';
import { departmentHandlers } from '../cases/index.js';
import { notify } from '../notifications/index.js';
import type { Workflow } from '../workflow/index.js';
import { applyDisputeAction, type DisputeActionBody } from './actions.js';
import { type DisputeActor, type DisputeFacts, disputeLifecycle, type DisputeLifecycleTypes, type DisputeStatus } from './lifecycle.js';
import { type DisputeRow, findDispute, insertDisputeEvent } from './repository.js';
import type { DisputeTable } from './tables.js';

import type { NoticeKind } from '../notifications/index.js';

type Db = Kysely<Database>;

/** An inbox notice of a dispute step: to named users, or to the handlers of a department. */
export interface DisputeNotice {
  kind: NoticeKind;
  to: { users: readonly number[] } | { department: number };
  title: string;
  body: string;
}

export interface DisputeWorkflowTypes extends DisputeLifecycleTypes {
  row: DisputeRow;
  body: DisputeActionBody;
  patch: Updateable<DisputeTable>;
  notice: DisputeNotice;
}

export function disputeFacts(d: DisputeRow): DisputeFacts {
  return {
    status: d.status as DisputeStatus,
    hasMediator: d.mediator_id !== null,
    confirmation: d.confirmation_decision ? 'decided' : d.confirmation_applied_at ? 'applied' : 'none',
    outcome: d.outcome,
  };
}

export async function disputeActor(db: Db, d: DisputeRow, user: SessionUser): Promise<DisputeActor> {
  let assignedMediator = false;
  if (user.roles.includes('mediator') && d.mediator_id !== null) {
    const m = await db.selectFrom('mediator').select('user_id').where('id', '=', d.mediator_id).executeTakeFirst();
    assignedMediator = m?.user_id === user.id;
  }
  return { roles: user.roles, atCentre: d.organiser_path.startsWith(user.jurisdictionPath), assignedMediator };
}

/** The one place a dispute step writes inbox notices. */
async function tellParticipants(db: Db, d: DisputeRow, notices: readonly DisputeNotice[]) {
  for (const n of notices) {
    const audience = 'users' in n.to ? n.to.users : await departmentHandlers(db, n.to.department);
    await notify(db, { audience, about: { kind: 'dispute', id: d.id }, kind: n.kind, title: n.title, body: n.body });
  }
}

/** Disputes on the workflow kernel. */
export const disputeWorkflow: Workflow<DisputeWorkflowTypes> = {
  lifecycle: disputeLifecycle,
  notFound: { zh: '纠纷不存在或不在您的管辖范围内', en: 'Dispute not found or outside your scope' },
  load: (db, id, user, { lock }) => findDispute(db, id, user, lock),
  state: async (_db, d) => disputeFacts(d),
  actor: disputeActor,
  facts: (_action, b) => ({ path: b.path, outcome: b.outcome }),
  apply: applyDisputeAction,
  save: (db, d, patch, transition) => db.updateTable('dispute').set({ ...patch, ...transition }).where('id', '=', d.id).returningAll().executeTakeFirstOrThrow(),
  timeline: (db, e) => insertDisputeEvent(db, { disputeId: e.row.id, actorId: e.user.id, actorName: e.user.displayName, action: e.action, from: e.from, to: e.to, note: e.note, detail: e.detail }),
  notify: tellParticipants,
};
