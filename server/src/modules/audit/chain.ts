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
