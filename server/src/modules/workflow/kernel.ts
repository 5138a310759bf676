import { AppError, badRequest, conflict, notFound, type Text } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SessionUser } from '../auth/index.js';
import { optionalText } from './input.js';
import type { Db, Refusal, Workflow, WorkflowTypes } from './types.js';

export interface ActionRequest<W extends WorkflowTypes> {
  id: number;
  action: W['action'];
  actor: SessionUser;
  body: W['body'];
  /** the version the actor saw; another version is a 409 and nothing is written */
  expectedVersion?: number | undefined;
  ip?: string | null | undefined;
}

export interface ActionAnswer<W extends WorkflowTypes> {
  /** the record after the step, or null when it has left the actor's view (the step still happened) */
  record: W['row'] | null;
  allowedActions: W['action'][];
}

/** A refusal as the HTTP answer: a missing input 400 naming its field, forbidden 403, a wrong state 409. */
export function refusalError(r: Refusal): AppError {
  if (r.code === 'required') return badRequest(r.field, r.zh, r.en, 'required');
  return new AppError(r.code === 'forbidden' ? 403 : 409, r.code, { zh: r.zh, en: r.en });
}

export const staleVersion = (noun: Text, version: number) =>
  conflict('expectedVersion', `${noun.zh}已被他人处理（当前版本 ${version}），请刷新后重试`, `Someone else acted on this ${noun.en} meanwhile (now version ${version}); reload and retry`);

/** What this user may do with this record now, by the same table that decides the actions. */
export async function nextActions<W extends WorkflowTypes>(db: Db, wf: Workflow<W>, row: W['row'], user: SessionUser): Promise<W['action'][]> {
  const state = await wf.state(db, row);
  return wf.lifecycle.allowed(state, await wf.actor(db, row, user));
}

/**
 * Takes one action on one record, all in one transaction: lock the row (404 when the actor cannot see it), check
 * the expected version (409), decide, apply, bump the version, and write the timeline entry, the audit entry, the
 * inbox notices and the outbox. Any failure rolls all of it back.
 */
export async function runAction<W extends WorkflowTypes>(db: Db, wf: Workflow<W>, req: ActionRequest<W>): Promise<ActionAnswer<W>> {
  const { lifecycle } = wf;
  const { action, actor: user, body } = req;
  return db.transaction().execute(async (trx) => {
    const row = await wf.load(trx, req.id, user, { lock: true });
    if (!row) throw notFound(wf.notFound.zh, wf.notFound.en);
    if (req.expectedVersion !== undefined && req.expectedVersion !== row.version) throw staleVersion(lifecycle.noun, row.version);
    await wf.check?.(trx, row, body);
    const state = await wf.state(trx, row);
    const decision = lifecycle.decide(state, action, await wf.actor(trx, row, user), wf.facts(action, body));
    if ('refusal' in decision) throw refusalError(decision.refusal);

    const now = new Date();
    const from = row.status as W['status'];
    const to = decision.effects.to;
    const applied = await wf.apply(trx, { row, action, body, user, from, to, now });
    const saved = await wf.save(trx, row, applied.patch, { status: to, status_type: lifecycle.statuses[to].type, version: row.version + 1, updated_at: now });
    const note = applied.note ?? optionalText(body.note, 'note');
    await wf.timeline(trx, { row, user, action, from, to, note, detail: applied.detail, body });
    await recordAudit(trx, { actorId: user.id, action: `${lifecycle.kind}.${action}`, entity: lifecycle.kind, entityId: String(row.id), detail: applied.detail, ip: req.ip ?? null });
    if (applied.notices?.length) await wf.notify(trx, saved, applied.notices);
    await wf.settle?.(trx, row, saved, now);

    const visible = await wf.load(trx, row.id, user, { lock: false });
    return { record: visible ?? null, allowedActions: visible ? await nextActions(trx, wf, visible, user) : [] };
  });
}
