import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Lang, notFound } from '../../http/errors.js';
import type { SessionUser } from '../auth/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { type Counts, type Rates, sumCounts, withRates, zeroCounts } from './definitions.js';
import { groupLabel } from './labels.js';
import { metricsWindow, type Period, periodKeys } from './periods.js';
import { countCases, type GroupBy, type GroupCounts, type MetricsQuery } from './repository.js';
import { rollupCounts } from './rollup.js';

export interface MetricsRequest {
  groupBy: GroupBy;
  from?: string | undefined;
  to?: string | undefined;
  period?: Period | undefined;
  jurisdictionCode?: string | undefined;
}

export type MetricsRow = { key: string | null; label: string } & Counts & Rates;

export interface MetricsReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  period?: Period;
  jurisdictionCode: string;
  items: MetricsRow[];
  total: Counts & Rates;
}

/** The case metrics of a jurisdiction in the caller's scope (their own by default), grouped as asked. */
export async function caseMetricsReport(db: Kysely<Database>, user: SessionUser, req: MetricsRequest, now: Date, lang: Lang): Promise<MetricsReport> {
  const window = metricsWindow(req, now);
  let under = { code: user.jurisdictionCode, path: user.jurisdictionPath };
  if (req.jurisdictionCode !== undefined && req.jurisdictionCode !== user.jurisdictionCode) {
    const j = await findInScope(db, req.jurisdictionCode, user);
    if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
    under = { code: j.code, path: j.path };
  }
  const period = req.period ?? 'day';
  const query: MetricsQuery = { groupBy: req.groupBy, period, underPath: under.path, start: window.start, end: window.end, now };
  const groups = (await rollupCounts(db, query)) ?? (await countCases(db, query));
  const filled = req.groupBy === 'period' ? fillPeriods(groups, periodKeys(window.from, window.to, period)) : groups;
  return {
    from: window.from,
    to: window.to,
    groupBy: req.groupBy,
    ...(req.groupBy === 'period' ? { period } : {}),
    jurisdictionCode: under.code,
    items: filled.map((g) => ({ key: g.key, label: groupLabel(req.groupBy, period, g.key, g.name, lang), ...withRates(g.counts) })),
    total: withRates(sumCounts(groups.map((g) => g.counts))),
  };
}

/** Every period of the window, in order, with zeros where no case was created. */
function fillPeriods(groups: readonly GroupCounts[], keys: readonly string[]): GroupCounts[] {
  const byKey = new Map(groups.map((g) => [g.key, g]));
  return keys.map((key) => byKey.get(key) ?? { key, name: null, counts: zeroCounts() });
}
