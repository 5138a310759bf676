import { describe, expect, it } from 'vitest';
import { scoreMediator, suggestMediators, WEIGHTS, type MediatorCandidate } from './assignment.js';

const CITY = '990100';
const DISTRICT = `${CITY}/990102`;
const STREET = `${DISTRICT}/990102001000`;
const COMMUNITY = `${STREET}/990102001001`;
const m = (id: number, over: Partial<MediatorCandidate> = {}): MediatorCandidate => ({ id, displayName: `M${id}`, orgId: 1, jurisdictionPath: STREET, specialties: [], activeCases: 0, ...over });
const neighbour = { disputeType: 'neighbour', jurisdictionPath: COMMUNITY, orgId: 7 };

describe('mediator suggestions', () => {
  it('refuses mediators whose area does not contain the place', () => {
    expect(scoreMediator(m(1, { jurisdictionPath: `${CITY}/990104/990104001000` }), neighbour)).toBeNull();
  });

  it('adds specialty, nearness and the receiving organisation', () => {
    const s = scoreMediator(m(1, { specialties: ['neighbour'], orgId: 7, jurisdictionPath: COMMUNITY }), neighbour)!;
    expect(s.score).toBe(WEIGHTS.specialty + WEIGHTS.area + WEIGHTS.sameOrg);
    expect(s.reasons).toEqual(['specialty', 'same-area', 'receiving-org']);
    const far = scoreMediator(m(2, { jurisdictionPath: DISTRICT }), neighbour)!;
    expect(far.score).toBe(WEIGHTS.area - 2 * WEIGHTS.perLevelAway);
  });

  it('takes workload off, capped', () => {
    expect(scoreMediator(m(1, { activeCases: 3 }), neighbour)!.score).toBe(WEIGHTS.area - WEIGHTS.perLevelAway - 3 * WEIGHTS.perActiveCase);
    expect(scoreMediator(m(1, { activeCases: 100 }), neighbour)!.score).toBe(WEIGHTS.area - WEIGHTS.perLevelAway - WEIGHTS.maxWorkloadPenalty);
  });

  it('orders best first, a specialist with work before a free generalist, ties by workload', () => {
    const list = suggestMediators([m(1), m(2, { specialties: ['neighbour'], activeCases: 2 }), m(3, { activeCases: 1 }), m(4, { jurisdictionPath: `${CITY}/990104` })], neighbour);
    expect(list.map((s) => s.id)).toEqual([2, 1, 3]);
    const tie = suggestMediators([m(5, { specialties: ['x'] }), m(6)], neighbour);
    expect(tie.map((s) => s.id)).toEqual([5, 6]);
  });
});
