import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readSealFile } from './anchors.js';
import { type AuditResult, type ChainBreakReason, ChainChecker, defaultResult, nextSeal, type Seal, type SealedEntry, SealChecker, sealEntries } from './chain.js';

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
  /** the seals written by this run, one per batch that sealed something */
  seals: Seal[];
}

type SealRow = Awaited<ReturnType<ReturnType<typeof sealRows>['execute']>>[number];
const sealRows = (db: Kysely<Database>) =>
  db
    .selectFrom('audit_seal')
    .select(['audit_seal.no', 'audit_seal.at', 'audit_seal.last_id', 'audit_seal.last_seq', 'audit_seal.entry_count', 'audit_seal.head_hash', 'audit_seal.prev_seal_hash', 'audit_seal.seal_hash']);
const toSeal = (r: SealRow): Seal => ({
  no: r.no,
  at: r.at.toISOString(),
  lastId: r.last_id,
  lastSeq: r.last_seq,
  count: r.entry_count,
  headHash: r.head_hash,
  prevSealHash: r.prev_seal_hash,
  sealHash: r.seal_hash,
});

/**
 * Chains every committed unsealed entry and records each run's head as a seal (audit_seal, in the same
 * transaction; `onSeal` hands it on to the log stream and the seal file after commit). Safe to run from several
 * processes at once (they take turns). When the newest seal is ahead of the newest sealed entry, entries after it
 * were removed: sealing continues after the seal, so the gap stays visible instead of its numbers being reused.
 */
export async function sealAuditLog(db: Kysely<Database>, options: { batchSize?: number; maxBatches?: number; onSeal?: ((seal: Seal) => void) | undefined } = {}): Promise<SealResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 200;
  const result: SealResult = { sealed: 0, lastSeq: 0, lastHash: null, seals: [] };
  for (let batch = 0; batch < maxBatches; batch++) {
    const { done, seal } = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(SEAL_LOCK)})`.execute(trx);
      // read after taking the lock: a sealer that held it before us has committed, and this statement sees it
      const last = await trx.selectFrom('audit_event').select(['seq', 'hash']).where('seq', 'is not', null).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const sealRow = await sealRows(trx).orderBy('audit_seal.no', 'desc').limit(1).executeTakeFirst();
      const prevSeal = sealRow ? toSeal(sealRow) : null;
      const base = prevSeal && (!last || prevSeal.lastSeq > last.seq!) ? { seq: prevSeal.lastSeq, hash: prevSeal.headHash } : last ? { seq: last.seq!, hash: last.hash! } : null;
      const rows = await chainRows(trx).where('seq', 'is', null).orderBy('id').limit(batchSize).execute();
      const sealed = sealEntries(base, rows.map(content));
      let seal: Seal | null = null;
      if (sealed.length > 0) {
        const values = sql.join(sealed.map((s) => sql`(${s.id}::integer, ${s.seq}::bigint, ${s.prevHash}::text, ${s.hash}::text)`));
        const updated = await sql`
          UPDATE audit_event AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          FROM (VALUES ${values}) AS v (id, seq, prev_hash, hash)
          WHERE a.id = v.id AND a.hash IS NULL`.execute(trx);
        if (Number(updated.numAffectedRows ?? 0) !== sealed.length) throw new Error('audit sealing raced with another sealer; the lock was not held');
        const head = sealed.at(-1)!;
        seal = nextSeal(prevSeal, { lastId: head.id, lastSeq: head.seq, headHash: head.hash, sealed: sealed.length }, new Date());
        await trx
          .insertInto('audit_seal')
          .values({ no: seal.no, at: new Date(seal.at), last_id: seal.lastId, last_seq: seal.lastSeq, entry_count: seal.count, head_hash: seal.headHash, prev_seal_hash: seal.prevSealHash, seal_hash: seal.sealHash })
          .execute();
      }
      const head = sealed.at(-1) ?? base;
      result.sealed += sealed.length;
      result.lastSeq = head?.seq ?? 0;
      result.lastHash = head?.hash ?? null;
      return { done: rows.length < batchSize, seal };
    });
    if (seal) {
      result.seals.push(seal);
      options.onSeal?.(seal);
    }
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

/** A seal a finding is about, and where it was found. */
export interface SealRef {
  no: number;
  at: string;
  lastSeq: number;
  headHash: string;
  source: 'table' | 'file';
}

/** What the seals show: the log lost its tail (or everything), was replaced, or the seals themselves were tampered with. */
export type AnchorBreakReason = 'missing_tail' | 'seal_mismatch' | 'seal_missing' | 'seal_chain_broken' | 'seal_file_damaged';

export type ChainVerification =
  | { ok: true; count: number; lastSeq: number; lastHash: string | null; seals: number; fileSeals: number | null }
  | {
      ok: false;
      reason: ChainBreakReason | AnchorBreakReason;
      /** entries verified before the break (the whole chain, for a finding of the seals) */
      count: number;
      brokenAt?: BrokenEntry;
      /** missing_entry: the first seq that is gone */
      missingSeq?: number;
      /** missing_entry, missing_tail, seal_mismatch: the range of seqs gone or replaced */
      missingFrom?: number;
      missingTo?: number;
      seal?: SealRef;
      /** seal_mismatch: the hash the log has at the seal's seq */
      foundHash?: string | null;
      /** seal_file_damaged: what is wrong with the file */
      damage?: string;
    };

const sealedEntry = (r: ChainRow): SealedEntry => ({ ...content(r), seq: r.seq!, prevHash: r.prev_hash!, hash: r.hash! });

export interface VerifyOptions {
  /** seal pending entries first (default true) */
  seal?: boolean;
  pageSize?: number;
  /** the seal file outside the database (ZHILI_AUDIT_SEAL_FILE): its seals are checked like those of the table */
  sealFile?: string | undefined;
  onSeal?: ((seal: Seal) => void) | undefined;
}

/**
 * Recomputes every hash in seq order and names the first entry that does not follow: a deleted entry shows as a
 * gap (missing_entry, at the entry after it), an altered one as hash_mismatch, an altered and re-hashed one as
 * prev_hash_mismatch at its successor. Then checks the log against its seals (table and file): the entry at each
 * seal's seq must be there with the sealed hash, so a deleted tail, a truncated log or a rebuilt chain is named
 * with the seqs gone; and the seals themselves must form a chain, the file's all present in the table.
 */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<ChainVerification> {
  if (options.seal !== false) await sealAuditLog(db, { onSeal: options.onSeal });
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
          ...(broken.missingSeq === undefined ? {} : { missingSeq: broken.missingSeq, missingFrom: broken.missingSeq, missingTo: e.seq - 1 }),
          count: checker.count,
        };
      }
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)!.seq!;
  }
  const file = readSealFile(options.sealFile);
  if (file && 'damaged' in file) return { ok: false, reason: 'seal_file_damaged', count: checker.count, damage: file.damaged };
  const anchors = await checkSeals(db, { count: checker.count, lastSeq: checker.lastSeq }, file?.seals ?? null, pageSize);
  if ('reason' in anchors) return { ok: false, count: checker.count, ...anchors };
  return { ok: true, count: checker.count, lastSeq: checker.lastSeq, lastHash: checker.lastHash, seals: anchors.seals, fileSeals: file ? file.seals.length : null };
}

type AnchorFinding = { reason: AnchorBreakReason; seal: SealRef; missingFrom?: number; missingTo?: number; foundHash?: string | null };

/** The log (already walked: `chain`) against every seal; the most telling finding, or how many seals agreed. */
async function checkSeals(db: Kysely<Database>, chain: { count: number; lastSeq: number }, fileSeals: Seal[] | null, pageSize: number): Promise<AnchorFinding | { seals: number }> {
  const findings: AnchorFinding[] = [];
  const ref = (s: Seal, source: SealRef['source']): SealRef => ({ no: s.no, at: s.at, lastSeq: s.lastSeq, headHash: s.headHash, source });
  // the newest seal whose entry still has its hash: a replaced stretch starts after it
  let lastGood = 0;
  const against = (s: Seal, found: string | null | undefined, source: SealRef['source']) => {
    if (s.lastSeq > chain.lastSeq) findings.push({ reason: 'missing_tail', seal: ref(s, source), missingFrom: chain.lastSeq + 1, missingTo: s.lastSeq });
    else if (found !== s.headHash) findings.push({ reason: 'seal_mismatch', seal: ref(s, source), missingFrom: lastGood + 1, missingTo: s.lastSeq, foundHash: found ?? null });
    else lastGood = Math.max(lastGood, s.lastSeq);
  };
  const sealChecker = new SealChecker();
  const inTable = new Map<number, string>();
  let after = 0;
  for (;;) {
    const rows = await sealRows(db).leftJoin('audit_event as e', 'e.seq', 'audit_seal.last_seq').select('e.hash as entry_hash').where('audit_seal.no', '>', after).orderBy('audit_seal.no').limit(pageSize).execute();
    for (const row of rows) {
      const s = toSeal(row);
      inTable.set(s.no, s.sealHash);
      if (sealChecker.check(s) && !findings.some((f) => f.reason === 'seal_chain_broken')) findings.push({ reason: 'seal_chain_broken', seal: ref(s, 'table') });
      against(s, row.entry_hash, 'table');
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)!.no;
  }
  for (const s of fileSeals ?? []) {
    if (inTable.get(s.no) !== s.sealHash) findings.push({ reason: 'seal_missing', seal: ref(s, 'file') });
    if (s.lastSeq > chain.lastSeq) against(s, null, 'file');
    else {
      const entry = await db.selectFrom('audit_event').select('hash').where('seq', '=', s.lastSeq).executeTakeFirst();
      against(s, entry?.hash, 'file');
    }
  }
  // what the log lost comes first: a replaced stretch (earliest), then a lost tail (the furthest seal), then the seals' own state
  const mismatch = findings.filter((f) => f.reason === 'seal_mismatch').sort((a, b) => a.seal.lastSeq - b.seal.lastSeq)[0];
  const tail = findings.filter((f) => f.reason === 'missing_tail').sort((a, b) => b.seal.lastSeq - a.seal.lastSeq)[0];
  const first = mismatch ?? tail ?? findings.find((f) => f.reason === 'seal_missing') ?? findings[0];
  return first ?? { seals: sealChecker.count };
}

const range = (from: number | undefined, to: number | undefined) => (from === to ? `seq ${from}` : `seq ${from}–${to}`);

/** One line for people: what verification found, naming the entry or the seqs gone. */
export function describeVerification(v: ChainVerification): string {
  if (v.ok) {
    const file = v.fileSeals === null ? '' : ` and ${v.fileSeals} in the seal file`;
    return `audit chain intact: ${v.count} entries, last seq ${v.lastSeq}, head hash ${v.lastHash ?? '(none)'}; agrees with ${v.seals} seals${file}`;
  }
  const e = v.brokenAt && `entry seq ${v.brokenAt.seq} (id ${v.brokenAt.id}, at ${v.brokenAt.at}, action ${v.brokenAt.action})`;
  const seal = v.seal && `seal #${v.seal.no} of ${v.seal.at}${v.seal.source === 'file' ? ' (seal file)' : ''}`;
  switch (v.reason) {
    case 'missing_entry':
      return `audit chain BROKEN: ${v.missingFrom === v.missingTo ? `seq ${v.missingSeq} is` : `${range(v.missingFrom, v.missingTo)} are`} missing (deleted?) before ${e}`;
    case 'prev_hash_mismatch':
      return `audit chain BROKEN: ${e} does not link to the entry before it (that entry was altered and re-hashed)`;
    case 'hash_mismatch':
      return `audit chain BROKEN: ${e} was altered (its hash does not match its content)`;
    case 'missing_tail':
      return `audit log BROKEN: ${range(v.missingFrom, v.missingTo)} missing (deleted or truncated): ${seal} recorded the log up to seq ${v.seal!.lastSeq}, it now ends at seq ${v.missingFrom! - 1}`;
    case 'seal_mismatch':
      return `audit log BROKEN: ${range(v.missingFrom, v.missingTo)} replaced (a rebuilt chain): ${seal} recorded seq ${v.seal!.lastSeq} with hash ${v.seal!.headHash}, the log has ${v.foundHash ?? 'nothing'}`;
    case 'seal_missing':
      return `audit seals BROKEN: ${seal} is not in the audit_seal table as written (seals removed or rewritten)`;
    case 'seal_chain_broken':
      return `audit seals BROKEN: ${seal} does not follow from the seals before it (a seal altered or removed)`;
    case 'seal_file_damaged':
      return `audit seal file BROKEN: ${v.damage}`;
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
