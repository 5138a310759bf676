import { describe, expect, it } from 'vitest';
import { canonicalJson, ChainChecker, defaultResult, entryHash, GENESIS_HASH, nextSeal, type SealedEntry, SealChecker, sealEntries, sealHashOf } from './chain.js';

const entry = (id: number, extra: Partial<SealedEntry> = {}) => ({
  id,
  at: `2026-11-21T08:00:0${id}.123456Z`,
  actorId: 7,
  action: 'grid.change',
  entity: 'grid',
  entityId: String(100 + id),
  detail: '{"reason": "校区迁址", "version": 2}',
  ip: '10.0.0.1',
  purpose: null,
  result: 'ok',
  ...extra,
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined, so equal values hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: '是' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"是","z":null}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('the hash chain', () => {
  const chain = sealEntries(null, [entry(1), entry(2), entry(3)]);

  it('starts at seq 1 from the genesis hash and links each entry to the one before', () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(chain[2]!.hash).toBe(entryHash(chain[1]!.hash, chain[2]!));
    expect(chain[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues after the last sealed entry', () => {
    const more = sealEntries({ seq: 3, hash: chain[2]!.hash }, [entry(4)]);
    expect(more[0]).toMatchObject({ seq: 4, prevHash: chain[2]!.hash });
    const checker = new ChainChecker();
    for (const e of [...chain, ...more]) expect(checker.check(e)).toBeNull();
    expect([checker.count, checker.lastSeq, checker.lastHash]).toEqual([4, 4, more[0]!.hash]);
  });

  it('changes the hash when any hashed field changes', () => {
    const base = entryHash(GENESIS_HASH, { ...entry(1), seq: 1 });
    for (const change of [{ action: 'grid.create' }, { actorId: 8 }, { at: '2026-11-21T08:00:01.123457Z' }, { detail: '{"reason": "x"}' }, { ip: null }, { result: 'denied' }, { purpose: '核查' }, { entityId: '999' }]) {
      expect(entryHash(GENESIS_HASH, { ...entry(1), seq: 1, ...change }), JSON.stringify(change)).not.toBe(base);
    }
    expect(entryHash('f'.repeat(64), { ...entry(1), seq: 1 })).not.toBe(base);
  });

  const walk = (entries: SealedEntry[]) => {
    const checker = new ChainChecker();
    for (const e of entries) {
      const broken = checker.check(e);
      if (broken) return broken;
    }
    return null;
  };

  it('finds an altered entry by its hash', () => {
    const broken = walk([chain[0]!, { ...chain[1]!, action: 'grid.create' }, chain[2]!]);
    expect(broken).toMatchObject({ reason: 'hash_mismatch', entry: { seq: 2, id: 2 } });
  });

  it('finds a deleted entry as a gap, at the entry after it', () => {
    expect(walk([chain[0]!, chain[2]!])).toMatchObject({ reason: 'missing_entry', missingSeq: 2, entry: { seq: 3, id: 3 } });
    expect(walk([chain[1]!, chain[2]!])).toMatchObject({ reason: 'missing_entry', missingSeq: 1, entry: { seq: 2 } });
  });

  it('finds an entry altered and re-hashed by its successor, which no longer links to it', () => {
    const forged = { ...chain[1]!, action: 'grid.create' };
    forged.hash = entryHash(forged.prevHash, forged);
    expect(walk([chain[0]!, forged, chain[2]!])).toMatchObject({ reason: 'prev_hash_mismatch', entry: { seq: 3 } });
  });

  it('finds entries renumbered to hide a deletion', () => {
    expect(walk([chain[0]!, { ...chain[2]!, seq: 2 }])).toMatchObject({ reason: 'prev_hash_mismatch', entry: { seq: 2, id: 3 } });
  });

  it('reports an empty chain as intact with no head', () => {
    const checker = new ChainChecker();
    expect([checker.count, checker.lastSeq, checker.lastHash]).toEqual([0, 0, null]);
  });
});

describe('default result', () => {
  it('reads failures and refusals from the action name', () => {
    expect(defaultResult('auth.login_failed')).toBe('failed');
    expect(defaultResult('auth.login_refused')).toBe('denied');
    expect(defaultResult('auth.locked')).toBe('failed');
    expect(defaultResult('auth.login')).toBe('ok');
    expect(defaultResult('case.create')).toBe('ok');
  });
});

describe('seals', () => {
  const at = new Date('2026-11-24T08:00:00.123Z');
  const first = nextSeal(null, { lastId: 12, lastSeq: 10, headHash: 'a'.repeat(64), sealed: 10 }, at);
  const second = nextSeal(first, { lastId: 15, lastSeq: 13, headHash: 'b'.repeat(64), sealed: 3 }, at);
  const third = nextSeal(second, { lastId: 20, lastSeq: 18, headHash: 'c'.repeat(64), sealed: 5 }, at);

  it('number themselves, count the entries sealed and chain to the seal before', () => {
    expect([first.no, second.no, third.no]).toEqual([1, 2, 3]);
    expect([first.count, second.count, third.count]).toEqual([10, 13, 18]);
    expect(first.prevSealHash).toBe(GENESIS_HASH);
    expect(second.prevSealHash).toBe(first.sealHash);
    expect(second.sealHash).toBe(sealHashOf(first.sealHash, second));
    expect(first.at).toBe('2026-11-24T08:00:00.123Z');
  });

  it('count what the chain held when the first seal comes after entries sealed without one', () => {
    expect(nextSeal(null, { lastId: 90, lastSeq: 80, headHash: 'd'.repeat(64), sealed: 2 }, at).count).toBe(80);
  });

  it('are checked in order: a missing, relinked or altered seal is found', () => {
    const walk = (seals: typeof first[]) => {
      const c = new SealChecker();
      for (const s of seals) {
        const r = c.check(s);
        if (r) return r;
      }
      return c.count;
    };
    expect(walk([first, second, third])).toBe(3);
    expect(walk([first, third])).toBe('missing_seal');
    expect(walk([first, { ...second, prevSealHash: GENESIS_HASH }])).toBe('seal_link');
    expect(walk([first, { ...second, headHash: 'e'.repeat(64) }])).toBe('seal_altered');
  });
});
