import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Text } from '../../http/errors.js';
import type { SessionUser } from '../auth/index.js';

export type Db = Kysely<Database>;

/** Code asks about a status's type, never its name, so statuses and their labels can change freely. */
export type StatusType = 'open' | 'resolved' | 'closed';
export type StatusTable<S extends string> = Record<S, Text & { type: StatusType }>;

/** Why a step is refused: not this actor's to take (403), not in this state (409), or an input it needs is missing (400). */
export type Refusal = (Text & { code: 'forbidden' | 'invalid_state' }) | (Text & { code: 'required'; field: string });

/** What a decision leads to: the status the record moves to (it may stay where it is). */
export interface Effects<S extends string> {
  to: S;
}

export type Decision<S extends string> = { effects: Effects<S> } | { refusal: Refusal };

/** The types one lifecycle speaks about. */
export interface LifecycleTypes {
  status: string;
  action: string;
  /** what the lifecycle needs to know about the record */
  state: { status: string };
  /** who the actor is in relation to the record */
  actor: unknown;
  /** the parts of an action's input that change whether and where it leads */
  facts: unknown;
}

/** The pure part of a workflow: statuses, actions with their labels, and the table that decides. */
export interface Lifecycle<L extends LifecycleTypes> {
  /** names the record in audit actions (`case.dispatch`) */
  kind: string;
  noun: Text;
  statuses: StatusTable<L['status']>;
  actions: readonly L['action'][];
  labels: Record<L['action'], Text>;
  decide(state: L['state'], action: L['action'], actor: L['actor'], facts: L['facts']): Decision<L['status']>;
  /** the actions this actor may take now: sent with each record so the web shows only those buttons */
  allowed(state: L['state'], actor: L['actor']): L['action'][];
}

/** The types one workflow speaks about, beyond its lifecycle's. */
export interface WorkflowTypes extends LifecycleTypes {
  row: { id: number; version: number; status: string };
  body: { note?: string | undefined };
  /** the record's own columns an action changes */
  patch: object;
  /** an inbox notice, in the kind's own terms; the definition's `notify` delivers it */
  notice: unknown;
}

/** One action as `apply` sees it: the locked record, the input, and where the lifecycle said it leads. */
export interface Step<W extends WorkflowTypes> {
  row: W['row'];
  action: W['action'];
  body: W['body'];
  user: SessionUser;
  from: W['status'];
  to: W['status'];
  now: Date;
}

/** What applying an action changed beyond the status. */
export interface Applied<W extends WorkflowTypes> {
  patch: W['patch'];
  /** goes to the timeline entry and the audit entry */
  detail: Record<string, unknown>;
  /** the timeline note; without one, the body's note */
  note?: string | null | undefined;
  notices?: readonly W['notice'][];
}

/** The columns every workflow record has, set by the kernel on each step. */
export interface Transition<S extends string> {
  status: S;
  status_type: StatusType;
  version: number;
  updated_at: Date;
}

export interface TimelineEntry<W extends WorkflowTypes> {
  row: W['row'];
  user: SessionUser;
  action: W['action'];
  from: W['status'];
  to: W['status'];
  note: string | null;
  detail: Record<string, unknown>;
  body: W['body'];
}

/**
 * A record kind on the kernel. Every function takes the transaction first; none commits. The kernel runs them in
 * this order: load (locked), check, state + actor + facts, decide, apply, save, timeline, audit, notify, settle.
 */
export interface Workflow<W extends WorkflowTypes> {
  lifecycle: Lifecycle<W>;
  /** the 404 answer when `load` finds nothing (missing or outside the user's view) */
  notFound: Text;
  load(db: Db, id: number, user: SessionUser, opts: { lock: boolean }): Promise<W['row'] | undefined>;
  state(db: Db, row: W['row']): Promise<W['state']>;
  actor(db: Db, row: W['row'], user: SessionUser): Promise<W['actor']>;
  facts(action: W['action'], body: W['body']): W['facts'];
  /** input checks that come before the lifecycle's decision */
  check?(db: Db, row: W['row'], body: W['body']): Promise<void>;
  apply(db: Db, step: Step<W>): Promise<Applied<W>>;
  save(db: Db, row: W['row'], patch: W['patch'], transition: Transition<W['status']>): Promise<W['row']>;
  timeline(db: Db, entry: TimelineEntry<W>): Promise<void>;
  notify(db: Db, row: W['row'], notices: readonly W['notice'][]): Promise<void>;
  /** outbox and other records' changes that follow the transition itself (e.g. telling the reporter on closing) */
  settle?(db: Db, before: W['row'], after: W['row'], now: Date): Promise<void>;
}
