import crypto from 'node:crypto';

/*
 * The audit hash chain, pure (no database). Each sealed entry stores
 *   hash = sha256(prev_hash || canonicalJson(content))
 * where content is every field of the entry that states what happened (who, what, on what, why, from where,
 * when, with which result) plus its id and chain position. Changing any of them, or removing an entry, breaks
 * the chain at that point. The first entry's prev_hash is GENESIS_HASH.
 */

export const GENESIS_HASH = '0'.repeat(64);

export type AuditResult = 'ok' | 'denied' | 'failed';

/** The hashed fields of one entry, in the exact form the database gives them (see repository.ts `chainColumns`). */
export interface ChainContent {
  id: number;
  seq: number;
  /** UTC, microseconds: 2026-11-21T08:00:00.123456Z */
  at: string;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  /** jsonb's own text form, which the database normalises (key order, spacing) */
  detail: string;
  ip: string | null;
  purpose: string | null;
  result: string;
}

export interface SealedEntry extends ChainContent {
  prevHash: string;
  hash: string;
}

export type ChainBreakReason = 'hash_mismatch' | 'missing_entry' | 'prev_hash_mismatch';

export interface ChainBreak {
  reason: ChainBreakReason;
  entry: SealedEntry;
  /** for missing_entry: the first seq that is not there */
  missingSeq?: number;
}

/** JSON with object keys sorted at every level, no spacing: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot hash a ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, content: ChainContent): string {
  const c = content;
  const fields = { id: c.id, seq: c.seq, at: c.at, actorId: c.actorId, action: c.action, entity: c.entity, entityId: c.entityId, detail: c.detail, ip: c.ip, purpose: c.purpose, result: c.result };
  return crypto.createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

/** Links unsealed entries (already in sealing order) after the last sealed one. */
export function sealEntries<T extends Omit<ChainContent, 'seq'>>(
  last: { seq: number; hash: string } | null,
  rows: readonly T[],
): Array<T & { seq: number; prevHash: string; hash: string }> {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  return rows.map((row) => {
    seq += 1;
    const hash = entryHash(prevHash, { ...row, seq });
    const sealed = { ...row, seq, prevHash, hash };
    prevHash = hash;
    return sealed;
  });
}

/**
 * Walks the chain in seq order, one entry at a time (so the caller can page through millions), and stops at the
 * first entry that does not follow from the ones before it.
 */
export class ChainChecker {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  count = 0;

  /** The break this entry shows, or null when it continues the chain. */
  check(entry: SealedEntry): ChainBreak | null {
    // a gap: the entries between were deleted (or un-sealed and re-sealed elsewhere)
    if (entry.seq !== this.expectedSeq) return { reason: 'missing_entry', entry, missingSeq: this.expectedSeq };
    // this entry's own fields may be intact, but the one before it was changed and re-hashed
    if (entry.prevHash !== this.prevHash) return { reason: 'prev_hash_mismatch', entry };
    if (entryHash(entry.prevHash, entry) !== entry.hash) return { reason: 'hash_mismatch', entry };
    this.expectedSeq += 1;
    this.prevHash = entry.hash;
    this.count += 1;
    return null;
  }

  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  get lastHash(): string | null {
    return this.count === 0 ? null : this.prevHash;
  }
}

/** What an entry's result is when the caller did not say: failed and refused actions by their name, else ok. */
export function defaultResult(action: string): AuditResult {
  // a lockout is the failed sign-in that caused it
  if (action.endsWith('_failed') || action.endsWith('.locked')) return 'failed';
  if (action.endsWith('_refused') || action.endsWith('_denied')) return 'denied';
  return 'ok';
}

/*
 * Seals: after each sealing run, the head it reached is recorded apart from the log (the audit_seal table, the
 * server log, optionally a file), each seal chained to the one before it:
 *   sealHash = sha256(prevSealHash || canonicalJson(no, at, lastId, lastSeq, count, headHash))
 * The first seal's prevSealHash is GENESIS_HASH.
 */

export interface SealContent {
  /** 1, 2, 3 … without gaps */
  no: number;
  /** ISO time of the seal, to the millisecond */
  at: string;
  /** the newest audit_event id sealed */
  lastId: number;
  lastSeq: number;
  /** entries sealed so far */
  count: number;
  /** the hash of the entry at lastSeq */
  headHash: string;
}

export interface Seal extends SealContent {
  prevSealHash: string;
  sealHash: string;
}

export function sealHashOf(prevSealHash: string, s: SealContent): string {
  const fields = { no: s.no, at: s.at, lastId: s.lastId, lastSeq: s.lastSeq, count: s.count, headHash: s.headHash };
  return crypto.createHash('sha256').update(prevSealHash).update(canonicalJson(fields)).digest('hex');
}

/** The seal after `prev` for a run that sealed `sealed` entries up to `head`. */
export function nextSeal(prev: Seal | null, head: { lastId: number; lastSeq: number; headHash: string; sealed: number }, at: Date): Seal {
  const content: SealContent = {
    no: (prev?.no ?? 0) + 1,
    at: at.toISOString(),
    lastId: head.lastId,
    lastSeq: head.lastSeq,
    // the first seal of a log sealed before seals existed counts what the chain holds
    count: prev ? prev.count + head.sealed : head.lastSeq,
    headHash: head.headHash,
  };
  const prevSealHash = prev?.sealHash ?? GENESIS_HASH;
  return { ...content, prevSealHash, sealHash: sealHashOf(prevSealHash, content) };
}

/** Walks the seals in order: the first one that does not follow from those before it, or null. */
export class SealChecker {
  private expectedNo = 1;
  private prevSealHash = GENESIS_HASH;
  count = 0;

  check(seal: Seal): 'missing_seal' | 'seal_link' | 'seal_altered' | null {
    if (seal.no !== this.expectedNo) return 'missing_seal';
    if (seal.prevSealHash !== this.prevSealHash) return 'seal_link';
    if (sealHashOf(seal.prevSealHash, seal) !== seal.sealHash) return 'seal_altered';
    this.expectedNo += 1;
    this.prevSealHash = seal.sealHash;
    this.count += 1;
    return null;
  }
}
