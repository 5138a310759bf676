/**
 * The case metrics (R2.6, R7.1) as pure functions of counts. docs/METRICS.md defines each one; the SQL in
 * repository.ts counts exactly the sets named here. Every count is over the same cohort: the cases created
 * in the window and in scope, duplicates left out.
 */

/** A dispatched case must be signed for within this many hours, and never after its deadline. */
export const RESPONSE_LIMIT_HOURS = 24;

/** Rates are fractions rounded to 4 decimals: 0.6667 is 66.67 %. */
export const RATE_DECIMALS = 4;

export const COUNT_FIELDS = [
  'registered',
  'dispatched',
  'dueForResponse',
  'responded',
  'closed',
  'resolved',
  'rated',
  'satisfied',
  'basicallySatisfied',
  'unsatisfied',
  'closedWithDeadline',
  'onTime',
  'openOverdue',
  'reworked',
  'extended',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];
export type Counts = Record<CountField, number>;

interface RateDefinition {
  zh: string;
  en: string;
  numerator: (c: Counts) => number;
  denominator: (c: Counts) => number;
}

export const RATES = {
  responseRate: { zh: '响应率', en: 'Response rate', numerator: (c) => c.responded, denominator: (c) => c.dueForResponse },
  resolutionRate: { zh: '解决率', en: 'Resolution rate', numerator: (c) => c.resolved, denominator: (c) => c.closed },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate', numerator: (c) => c.satisfied + c.basicallySatisfied, denominator: (c) => c.rated },
  closureRate: { zh: '结案率', en: 'Closure rate', numerator: (c) => c.closed, denominator: (c) => c.registered },
  // open overdue cases stay in the denominator: not closing a late case must never look better than closing it late
  onTimeRate: { zh: '按期结案率', en: 'On-time rate', numerator: (c) => c.onTime, denominator: (c) => c.closedWithDeadline + c.openOverdue },
  reworkRate: { zh: '返工率', en: 'Rework rate', numerator: (c) => c.reworked, denominator: (c) => c.closed },
  extensionRate: { zh: '延期率', en: 'Extension rate', numerator: (c) => c.extended, denominator: (c) => c.dispatched },
} as const satisfies Record<string, RateDefinition>;
export type RateField = keyof typeof RATES;
export type Rates = Record<RateField, number | null>;
export const RATE_FIELDS = Object.keys(RATES) as RateField[];

/** numerator ÷ denominator rounded to RATE_DECIMALS, or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const scale = 10 ** RATE_DECIMALS;
  return Math.round((numerator / denominator) * scale) / scale;
}

export function ratesOf(c: Counts): Rates {
  const out = {} as Rates;
  for (const f of RATE_FIELDS) out[f] = ratio(RATES[f].numerator(c), RATES[f].denominator(c));
  return out;
}

export function zeroCounts(): Counts {
  const out = {} as Counts;
  for (const f of COUNT_FIELDS) out[f] = 0;
  return out;
}

/** Sums counts; the groups of a report partition its cases, so their sum is the report's total. */
export function sumCounts(all: readonly Counts[]): Counts {
  const out = zeroCounts();
  for (const c of all) for (const f of COUNT_FIELDS) out[f] += c[f];
  return out;
}

export const withRates = (c: Counts): Counts & Rates => ({ ...c, ...ratesOf(c) });
