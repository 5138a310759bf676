import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recipientsFor, type Viewer, visibleRecord } from '../access/index.js';
import type { NoticeKind } from './kinds.js';

type Db = Kysely<Database>;

export type Channel = 'sms' | 'webhook';

export interface NewNotification {
  /** who the change would tell: account ids, or viewers already in hand */
  audience: readonly number[] | readonly Viewer[];
  /** the record the notice is about; only those of the audience who may see it are told */
  about: { kind: string; id: number } | null;
  kind: NoticeKind;
  title: string;
  body: string;
}

export interface InboxItem {
  id: number;
  kind: string;
  title: string;
  body: string;
  caseId: number | null;
  readAt: Date | null;
  createdAt: Date;
}

/** One outbox message as a delivery adapter sees it. */
export interface OutboxDelivery {
  id: number;
  channel: Channel;
  recipient: string;
  payload: Record<string, unknown>;
  /** failed attempts before this one */
  attempts: number;
}

// ---- inbox ----

/**
 * Puts one message into the inbox of each of the audience who may see the record it is about (the access layer's
 * rule, as for every read); pass the transaction so it commits with the change it reports.
 */
export async function notify(db: Db, n: NewNotification): Promise<number[]> {
  const userIds = n.about
    ? await recipientsFor(db, n.about, n.audience)
    : [...new Set(n.audience.map((a) => (typeof a === 'number' ? a : a.id)))];
  if (userIds.length === 0) return [];
  const about = n.about;
  const rows = await db
    .insertInto('notification')
    .values(
      userIds.map((userId) => ({
        user_id: userId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        case_id: about?.kind === 'case' ? about.id : null,
        record_kind: about?.kind ?? null,
        record_id: about?.id ?? null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A viewer's notices about records it may still see (a relabelled case takes its notices' titles with it). */
const inboxOf = (db: Db, viewer: Viewer) => db.selectFrom('notification').where('user_id', '=', viewer.id).where(visibleRecord(viewer, 'notification.record_kind', 'notification.record_id'));

export async function listInbox(
  db: Db,
  viewer: Viewer,
  filter: { unreadOnly?: boolean | undefined; limit: number; offset: number },
): Promise<{ items: InboxItem[]; total: number; unread: number }> {
  let query = inboxOf(db, viewer);
  if (filter.unreadOnly) query = query.where('read_at', 'is', null);
  const [rows, counts] = await Promise.all([
    query
      .select(['id', 'kind', 'title', 'body', 'case_id', 'read_at', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    inboxOf(db, viewer)
      .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.countAll<number>().filterWhere('read_at', 'is', null).as('unread')])
      .executeTakeFirstOrThrow(),
  ]);
  const unread = Number(counts.unread);
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, caseId: r.case_id, readAt: r.read_at, createdAt: r.created_at })),
    total: filter.unreadOnly ? unread : Number(counts.total),
    unread,
  };
}

export async function countUnread(db: Db, viewer: Viewer): Promise<number> {
  const row = await inboxOf(db, viewer)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the user's own messages read; ids of other users' messages match nothing. Returns how many changed. */
export async function markRead(db: Db, userId: number, ids: readonly number[] | 'all', at: Date = new Date()): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let query = db.updateTable('notification').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', [...new Set(ids)]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---- outbox ----

/** Queues a side effect; pass the transaction so it is sent only if the change commits. */
export async function enqueue(db: Db, m: { channel: Channel; recipient: string; payload: Record<string, unknown>; notBefore?: Date }): Promise<number> {
  const row = await db
    .insertInto('outbox_message')
    .values({ channel: m.channel, recipient: m.recipient, payload: JSON.stringify(m.payload), ...(m.notBefore ? { next_attempt_at: m.notBefore } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Claims up to `limit` due messages of the given channels by moving their next_attempt_at to `leaseUntil`,
 * in one short transaction: SKIP LOCKED lets concurrent claimers take disjoint rows, and once committed
 * the rows are no longer due for anyone else until the lease runs out.
 */
export async function claimDue(db: Db, o: { now: Date; leaseUntil: Date; channels: readonly Channel[]; limit: number }): Promise<OutboxDelivery[]> {
  if (o.channels.length === 0 || o.limit <= 0) return [];
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('outbox_message')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', o.now)
      .where('channel', 'in', [...o.channels])
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(o.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const rows = await trx
      .updateTable('outbox_message')
      .set({ next_attempt_at: o.leaseUntil })
      .where('id', 'in', due.map((d) => d.id))
      .returning(['id', 'channel', 'recipient', 'payload', 'attempts'])
      .execute();
    return rows.sort((a, b) => a.id - b.id).map((r) => ({ id: r.id, channel: r.channel, recipient: r.recipient, payload: r.payload, attempts: r.attempts }));
  });
}

// The lease value is the fencing token: a claimer whose lease was taken over changes nothing.
const leased = (db: Db, id: number, leaseUntil: Date) =>
  db.updateTable('outbox_message').where('id', '=', id).where('status', '=', 'pending').where('next_attempt_at', '=', leaseUntil);

export async function markSent(db: Db, id: number, leaseUntil: Date, at: Date): Promise<boolean> {
  const r = await leased(db, id, leaseUntil).set({ status: 'sent', sent_at: at, last_error: null }).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a failed attempt: retried at `retryAt`, or given up on when `retryAt` is null. */
export async function markAttemptFailed(db: Db, id: number, leaseUntil: Date, o: { attempts: number; error: string; retryAt: Date | null }): Promise<boolean> {
  const r = await leased(db, id, leaseUntil)
    .set({
      attempts: o.attempts,
      last_error: o.error.slice(0, 2000),
      ...(o.retryAt ? { next_attempt_at: o.retryAt } : { status: 'failed' as const }),
    })
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives back claimed messages that were not attempted, due again at `at`. */
export async function releaseClaims(db: Db, ids: readonly number[], leaseUntil: Date, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox_message')
    .set({ next_attempt_at: at })
    .where('id', 'in', [...ids])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', leaseUntil)
    .execute();
}
