/** Suggesting mediators for a dispute (R3.3): pure, so the weights are tested without a database. */

export interface MediatorCandidate {
  id: number;
  displayName: string;
  orgId: number;
  /** the mediator's jurisdiction path (where they work) */
  jurisdictionPath: string;
  specialties: readonly string[];
  /** disputes now being mediated by them */
  activeCases: number;
}

export interface DisputeForAssignment {
  disputeType: string;
  jurisdictionPath: string;
  /** the receiving organisation chosen at diversion, if any */
  orgId: number | null;
}

export interface MediatorSuggestion {
  id: number;
  displayName: string;
  score: number;
  reasons: string[];
}

export const WEIGHTS = { specialty: 40, sameOrg: 25, area: 30, perLevelAway: 8, perActiveCase: 5, maxWorkloadPenalty: 40 } as const;

const depth = (path: string) => path.split('/').filter(Boolean).length;

/**
 * Scores one mediator: specialty match, working area (their jurisdiction contains the dispute's place; nearer is
 * better), the receiving organisation, minus a penalty per case already on their desk. Outside the area: null.
 */
export function scoreMediator(m: MediatorCandidate, d: DisputeForAssignment): MediatorSuggestion | null {
  if (!d.jurisdictionPath.startsWith(m.jurisdictionPath)) return null;
  const reasons: string[] = [];
  let score = 0;
  if (m.specialties.includes(d.disputeType)) {
    score += WEIGHTS.specialty;
    reasons.push('specialty');
  }
  const away = depth(d.jurisdictionPath) - depth(m.jurisdictionPath);
  score += Math.max(0, WEIGHTS.area - away * WEIGHTS.perLevelAway);
  reasons.push(away === 0 ? 'same-area' : 'covers-area');
  if (d.orgId !== null && m.orgId === d.orgId) {
    score += WEIGHTS.sameOrg;
    reasons.push('receiving-org');
  }
  const penalty = Math.min(WEIGHTS.maxWorkloadPenalty, m.activeCases * WEIGHTS.perActiveCase);
  score -= penalty;
  if (m.activeCases > 0) reasons.push(`workload:${m.activeCases}`);
  return { id: m.id, displayName: m.displayName, score, reasons };
}

/** Candidates best first; ties go to the lighter workload, then the lower id (stable). */
export function suggestMediators(candidates: readonly MediatorCandidate[], d: DisputeForAssignment, limit = 10): MediatorSuggestion[] {
  const load = new Map(candidates.map((c) => [c.id, c.activeCases]));
  return candidates
    .map((c) => scoreMediator(c, d))
    .filter((s): s is MediatorSuggestion => s !== null)
    .sort((a, b) => b.score - a.score || load.get(a.id)! - load.get(b.id)! || a.id - b.id)
    .slice(0, limit);
}
