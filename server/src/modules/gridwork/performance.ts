/**
 * A grid worker's monthly figures and score, pure (R4.1, HH50 绩效考核). The figures come from the data; the
 * weights are a setting (`gridwork.performanceWeights`) that a city may change.
 */

export interface MonthlyFigures {
  patrols: number;
  patrolKm: number;
  visitsDone: number;
  visitsMissed: number;
  /** visits to people served made by their due day */
  visitsOnTime: number;
  scheduledVisits: number;
  reports: number;
  reportsConfirmed: number;
  reportsDuplicate: number;
  reportsRejected: number;
  /** reports made the day the problem was found */
  reportsSameDay: number;
}

export interface ScoreWeights {
  patrols: number;
  visits: number;
  reports: number;
  quality: number;
  timeliness: number;
}

/** What counts as a full month: at these figures a component scores its whole weight. */
export interface Targets {
  patrols: number;
  reports: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = { patrols: 20, visits: 30, reports: 25, quality: 15, timeliness: 10 };
export const DEFAULT_TARGETS: Targets = { patrols: 20, reports: 10 };

export interface Score {
  total: number;
  parts: Record<keyof ScoreWeights, number>;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Each component is a share in [0, 1] times its weight; the total is scaled to 100 whatever the weights add up to.
 * Visits: the share of scheduled visits done (all done when none were due). Quality: confirmed reports over
 * reports judged (duplicates and rejections count against). Timeliness: visits on time and same-day reports.
 */
export function monthlyScore(f: MonthlyFigures, weights: ScoreWeights = DEFAULT_WEIGHTS, targets: Targets = DEFAULT_TARGETS): Score {
  const judged = f.reportsConfirmed + f.reportsDuplicate + f.reportsRejected;
  const timelyBase = f.scheduledVisits + f.reports;
  const share: Record<keyof ScoreWeights, number> = {
    patrols: clamp01(f.patrols / Math.max(1, targets.patrols)),
    visits: f.scheduledVisits === 0 ? (f.visitsMissed === 0 ? 1 : 0) : clamp01((f.scheduledVisits - f.visitsMissed) / f.scheduledVisits),
    reports: clamp01(f.reports / Math.max(1, targets.reports)),
    quality: judged === 0 ? 1 : clamp01(f.reportsConfirmed / judged),
    timeliness: timelyBase === 0 ? 1 : clamp01((f.visitsOnTime + f.reportsSameDay) / timelyBase),
  };
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const parts = { patrols: 0, visits: 0, reports: 0, quality: 0, timeliness: 0 };
  let total = 0;
  for (const k of Object.keys(parts) as Array<keyof ScoreWeights>) {
    const points = sum > 0 ? (share[k] * weights[k] * 100) / sum : 0;
    parts[k] = round1(points);
    total += points;
  }
  return { total: round1(total), parts };
}

/** Ranks by score, ties sharing a rank (1, 2, 2, 4). */
export function rank<T extends { score: number }>(rows: readonly T[]): Array<T & { rank: number }> {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  return sorted.map((r, i) => ({ ...r, rank: sorted.findIndex((x) => x.score === r.score) + 1 || i + 1 }));
}

/** Validates weights read from the setting; falls back to the defaults. */
export function weightsFrom(value: unknown): ScoreWeights {
  if (!value || typeof value !== 'object') return DEFAULT_WEIGHTS;
  const v = value as Record<string, unknown>;
  const out = { ...DEFAULT_WEIGHTS };
  for (const k of Object.keys(out) as Array<keyof ScoreWeights>) {
    const n = v[k];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1000) out[k] = n;
  }
  return out;
}
