import type { Lang } from '../../http/errors.js';
import { type Channel, CHANNEL_LABELS } from '../cases/index.js';
import { type Period, periodLabel } from './periods.js';
import type { GroupBy } from './repository.js';

/** What a group without a key is called: cases not routed to any department, or with no matter type yet. */
const NO_KEY: Partial<Record<GroupBy, { zh: string; en: string }>> = {
  department: { zh: '未交办', en: 'Not dispatched' },
  matter: { zh: '未分类', en: 'Unclassified' },
};

/** A group's label: the joined name, the channel's or period's label, or the name of the empty key. */
export function groupLabel(groupBy: GroupBy, period: Period, key: string | null, name: string | null, lang: Lang): string {
  if (key === null) return NO_KEY[groupBy]?.[lang] ?? (lang === 'zh' ? '未知' : 'Unknown');
  if (groupBy === 'channel') return CHANNEL_LABELS[key as Channel]?.[lang] ?? key;
  if (groupBy === 'period') return periodLabel(key, period);
  return name ?? key;
}
