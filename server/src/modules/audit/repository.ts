import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AuditResult, type ChainBreakReason, ChainChecker, defaultResult, type SealedEntry, sealEntries } from './chain.js';

/*
 * The audit log (docs/SECURITY.md, "Audit log").
 *
 * Writers never contend: `recordAudit` inserts a row inside the caller's transaction with seq, prev_hash and hash
 * NULL. The sealer (`sealAuditLog`, a job every few seconds, and the first step of verification and of the
 * auditor's routes) then chains the committed rows: under one advisory lock it reads the last sealed row, takes
 * the unsealed rows in id order and gives each the next seq, the previous hash and its own hash. Rows of
 * transactions still open are invisible to it and get sealed in a later run, so the chain's order is the order
 * of sealing, and a row that commits late is never lost. A trigger (migration 20261121_0005) refuses every
 * UPDATE and DELETE except the sealer's filling of the chain columns.
 */

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
  /** the stated purpose, for reveals and exports of personal data */
  purpose?: string | null;
  /** default: 'failed' for actions named *_failed or *.locked, 'denied' for *_refused / *_denied, else 'ok' */
  result?: AuditResult;
}

/** Writes one audit entry; pass the transaction so the entry commits with the change it describes. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
      purpose: entry.purpose ?? null,
      result: entry.result ?? defaultResult(entry.action),
    })
    .execute();
}

/** Key of the advisory lock that makes sealers take turns (any number of processes on one PostgreSQL). */
const SEAL_LOCK = 7_264_105_108; // "zhili" audit seal; any constant no other code uses

/** The hashed fields, in the exact text form the hash is computed from: time in UTC to the microsecond, jsonb's own text. */
function chainRows(db: Kysely<Database>) {
  return db
    .selectFrom('audit_event')
    .select([
      'id',
      'seq',
      'prev_hash',
      'hash',
      sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_text'),
      'actor_id',
      'action',
      'entity',
      'entity_id',
      sql<string>`detail::text`.as('detail_text'),
      'ip',
      'purpose',
      'result',
    ]);
}
type ChainRow = Awaited<ReturnType<ReturnType<typeof chainRows>['execute']>>[number];

const content = (r: ChainRow) => ({
  id: r.id,
  at: r.at_text,
  actorId: r.actor_id,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  detail: r.detail_text,
  ip: r.ip,
  purpose: r.purpose,
  result: r.result,
});

export interface SealResult {
  sealed: number;
  lastSeq: number;
  lastHash: string | null;
}

/** Chains every committed unsealed entry; safe to run from several processes at once (they take turns). */
export async function sealAuditLog(db: Kysely<Database>, options: { batchSize?: number; maxBatches?: number } = {}): Promise<SealResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 200;
  const result: SealResult = { sealed: 0, lastSeq: 0, lastHash: null };
  for (let batch = 0; batch < maxBatches; batch++) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(SEAL_LOCK)})`.execute(trx);
      // read after taking the lock: a sealer that held it before us has committed, and this statement sees it
      const last = await trx.selectFrom('audit_event').select(['seq', 'hash']).where('seq', 'is not', null).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const rows = await chainRows(trx).where('seq', 'is', null).orderBy('id').limit(batchSize).execute();
      const sealed = sealEntries(last ? { seq: last.seq!, hash: last.hash! } : null, rows.map(content));
      if (sealed.length > 0) {
        const values = sql.join(sealed.map((s) => sql`(${s.id}::integer, ${s.seq}::bigint, ${s.prevHash}::text, ${s.hash}::text)`));
        const updated = await sql`
          UPDATE audit_event AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          FROM (VALUES ${values}) AS v (id, seq, prev_hash, hash)
          WHERE a.id = v.id AND a.hash IS NULL`.execute(trx);
        if (Number(updated.numAffectedRows ?? 0) !== sealed.length) throw new Error('audit sealing raced with another sealer; the lock was not held');
      }
      const head = sealed.at(-1) ?? (last ? { seq: last.seq!, hash: last.hash! } : null);
      result.sealed += sealed.length;
      result.lastSeq = head?.seq ?? 0;
      result.lastHash = head?.hash ?? null;
      return rows.length < batchSize;
    });
    if (done) break;
  }
  return result;
}

export interface BrokenEntry {
  seq: number;
  id: number;
  at: string;
  action: string;
}

export type ChainVerification =
  | { ok: true; count: number; lastSeq: number; lastHash: string | null }
  | { ok: false; reason: ChainBreakReason; brokenAt: BrokenEntry; missingSeq?: number; count: number };

const sealedEntry = (r: ChainRow): SealedEntry => ({ ...content(r), seq: r.seq!, prevHash: r.prev_hash!, hash: r.hash! });

/**
 * Recomputes every hash in seq order and names the first entry that does not follow: a deleted entry shows as a
 * gap (missing_entry, at the entry after it), an altered one as hash_mismatch, an altered and re-hashed one as
 * prev_hash_mismatch at its successor. Seals pending entries first unless told not to.
 */
export async function verifyAuditChain(db: Kysely<Database>, options: { seal?: boolean; pageSize?: number } = {}): Promise<ChainVerification> {
  if (options.seal !== false) await sealAuditLog(db);
  const pageSize = options.pageSize ?? 2000;
  const checker = new ChainChecker();
  let after = 0;
  for (;;) {
    const rows = await chainRows(db).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      const broken = checker.check(sealedEntry(row));
      if (broken) {
        const e = broken.entry;
        return {
          ok: false,
          reason: broken.reason,
          brokenAt: { seq: e.seq, id: e.id, at: e.at, action: e.action },
          ...(broken.missingSeq === undefined ? {} : { missingSeq: broken.missingSeq }),
          count: checker.count,
        };
      }
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)!.seq!;
  }
  return { ok: true, count: checker.count, lastSeq: checker.lastSeq, lastHash: checker.lastHash };
}

/** One line for people: what verification found, naming the entry. */
export function describeVerification(v: ChainVerification): string {
  if (v.ok) return `audit chain intact: ${v.count} entries, last seq ${v.lastSeq}, head hash ${v.lastHash ?? '(none)'}`;
  const e = `entry seq ${v.brokenAt.seq} (id ${v.brokenAt.id}, at ${v.brokenAt.at}, action ${v.brokenAt.action})`;
  switch (v.reason) {
    case 'missing_entry':
      return `audit chain BROKEN: seq ${v.missingSeq} is missing (deleted?) before ${e}`;
    case 'prev_hash_mismatch':
      return `audit chain BROKEN: ${e} does not link to the entry before it (that entry was altered and re-hashed)`;
    case 'hash_mismatch':
      return `audit chain BROKEN: ${e} was altered (its hash does not match its content)`;
  }
}

export interface AuditFilter {
  actorId?: number | undefined;
  /** exact, or a prefix when it ends with '*' (`case.*`) */
  action?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  /** inclusive */
  from?: Date | undefined;
  /** exclusive */
  to?: Date | undefined;
  result?: AuditResult | undefined;
}

export interface AuditItem {
  id: number;
  seq: number | null;
  at: Date;
  actorId: number | null;
  actorName: string | null;
  actorUsername: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  purpose: string | null;
  result: AuditResult;
  ip: string | null;
  detail: Record<string, unknown>;
  hash: string | null;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(db: Kysely<Database>, f: AuditFilter) {
  let q = db.selectFrom('audit_event as a').leftJoin('app_user as u', 'u.id', 'a.actor_id');
  if (f.actorId !== undefined) q = q.where('a.actor_id', '=', f.actorId);
  if (f.action) q = f.action.endsWith('*') ? q.where('a.action', 'like', likePrefix(f.action.slice(0, -1))) : q.where('a.action', '=', f.action);
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
  if (f.from) q = q.where('a.at', '>=', f.from);
  if (f.to) q = q.where('a.at', '<', f.to);
  if (f.result) q = q.where('a.result', '=', f.result);
  return q;
}

function withColumns(q: ReturnType<typeof filtered>) {
  return q.select([
    'a.id',
    'a.seq',
    'a.at',
    'a.actor_id',
    'u.display_name as actor_name',
    'u.username as actor_username',
    'a.action',
    'a.entity',
    'a.entity_id',
    'a.purpose',
    'a.result',
    'a.ip',
    'a.detail',
    'a.hash',
  ]);
}
type ItemRow = Awaited<ReturnType<ReturnType<typeof withColumns>['execute']>>[number];

const toItem = (r: ItemRow): AuditItem => ({
  id: r.id,
  seq: r.seq,
  at: r.at,
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorUsername: r.actor_username,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  purpose: r.purpose,
  result: r.result,
  ip: r.ip,
  detail: r.detail,
  hash: r.hash,
});

export async function countAudit(db: Kysely<Database>, f: AuditFilter): Promise<number> {
  const { n } = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** The auditor's search: newest first. */
export async function listAudit(db: Kysely<Database>, f: AuditFilter, page: { limit: number; offset: number }): Promise<{ items: AuditItem[]; total: number }> {
  const [rows, total] = await Promise.all([
    withColumns(filtered(db, f)).orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    countAudit(db, f),
  ]);
  return { items: rows.map(toItem), total };
}

/** Every matching entry up to the newest at the start, oldest first, a page at a time (exports of any size). */
export async function* exportAudit(db: Kysely<Database>, f: AuditFilter, pageSize = 1000): AsyncGenerator<AuditItem[]> {
  const { max } = await db.selectFrom('audit_event').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow();
  let after = 0;
  while (max !== null) {
    const rows = await withColumns(filtered(db, f)).where('a.id', '>', after).where('a.id', '<=', max).orderBy('a.id').limit(pageSize).execute();
    if (rows.length > 0) yield rows.map(toItem);
    if (rows.length < pageSize) break;
    after = rows.at(-1)!.id;
  }
}
