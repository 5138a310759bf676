/*
 * The official public-holiday arrangements (放假调休) shipped with Zhili; an admin edits them per deployment.
 *
 * Sources:
 * - 2024: 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）; it applies the
 *   《全国年节及纪念日放假办法》 as revised in November 2024 (春节 and 劳动节 one day more each, from 2025 on)
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布；
 *   https://www.gov.cn/zhengce/content/202511/content_7047090.htm）
 * - 2027: no notice yet; statutory days from the revised 放假办法 (元旦 1-1; 春节 除夕 to 初三; 清明 on the solar
 *   term; 劳动节 5-1 and 5-2; 端午 5/5 and 中秋 8/15 lunar; 国庆 10-1 to 10-3) with 补假 on the next weekdays for
 *   statutory days on a weekend (its art. 6). Lunar dates: 除夕 2027-02-05, 清明 2027-04-05, 端午 2027-06-09,
 *   中秋 2027-09-15. Make-up working days cannot be derived; the notice will bring them.
 *
 * Each block lists every day off, the weekend days inside it included, its make-up working days, and which
 * of its days are statutory (法定假日) rather than moved weekend days.
 */

export type DayKind = 'holiday' | 'workday';
export const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'] as const;
export type HolidayName = (typeof HOLIDAY_NAMES)[number];

export const PROVISIONAL_SOURCE = '按《全国年节及纪念日放假办法》推算，待国务院办公厅通知';

/** One day that differs from the weekday rule, as shipped. */
export interface ShippedDay {
  day: string;
  kind: DayKind;
  name: HolidayName;
  source: string;
  /** a statutory holiday day of 《全国年节及纪念日放假办法》, not a moved weekend day */
  statutory?: true;
  /** derived from the rules, not yet from a State Council notice */
  provisional?: true;
}

interface Block {
  name: HolidayName;
  /** first and last day off, both included */
  off: [string, string];
  /** make-up working days (调休上班) */
  workdays?: string[];
  statutory: string[];
  /** days of the block named after another festival, e.g. 中秋节 inside the 2025 国庆 block */
  rename?: Record<string, HolidayName>;
}

export interface Notice {
  year: number;
  source: string;
  provisional?: true;
  blocks: Block[];
}

export const NOTICES: readonly Notice[] = [
  {
    year: 2024,
    source: '国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）',
    blocks: [
      // 与周末连休: the weekend before, 2023-12-30/31, lies outside the years shipped here
      { name: '元旦', off: ['2024-01-01', '2024-01-01'], statutory: ['2024-01-01'] },
      // 除夕 (2-9) was only encouraged as a day off, not a holiday
      { name: '春节', off: ['2024-02-10', '2024-02-17'], workdays: ['2024-02-04', '2024-02-18'], statutory: ['2024-02-10', '2024-02-11', '2024-02-12'] },
      { name: '清明节', off: ['2024-04-04', '2024-04-06'], workdays: ['2024-04-07'], statutory: ['2024-04-04'] },
      { name: '劳动节', off: ['2024-05-01', '2024-05-05'], workdays: ['2024-04-28', '2024-05-11'], statutory: ['2024-05-01'] },
      { name: '端午节', off: ['2024-06-08', '2024-06-10'], statutory: ['2024-06-10'] },
      { name: '中秋节', off: ['2024-09-15', '2024-09-17'], workdays: ['2024-09-14'], statutory: ['2024-09-17'] },
      { name: '国庆节', off: ['2024-10-01', '2024-10-07'], workdays: ['2024-09-29', '2024-10-12'], statutory: ['2024-10-01', '2024-10-02', '2024-10-03'] },
    ],
  },
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    blocks: [
      { name: '元旦', off: ['2025-01-01', '2025-01-01'], statutory: ['2025-01-01'] },
      { name: '春节', off: ['2025-01-28', '2025-02-04'], workdays: ['2025-01-26', '2025-02-08'], statutory: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'] },
      { name: '清明节', off: ['2025-04-04', '2025-04-06'], statutory: ['2025-04-04'] },
      { name: '劳动节', off: ['2025-05-01', '2025-05-05'], workdays: ['2025-04-27'], statutory: ['2025-05-01', '2025-05-02'] },
      { name: '端午节', off: ['2025-05-31', '2025-06-02'], statutory: ['2025-05-31'] },
      {
        name: '国庆节',
        off: ['2025-10-01', '2025-10-08'],
        workdays: ['2025-09-28', '2025-10-11'],
        statutory: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06'],
        rename: { '2025-10-06': '中秋节' },
      },
    ],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    blocks: [
      { name: '元旦', off: ['2026-01-01', '2026-01-03'], workdays: ['2026-01-04'], statutory: ['2026-01-01'] },
      { name: '春节', off: ['2026-02-15', '2026-02-23'], workdays: ['2026-02-14', '2026-02-28'], statutory: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'] },
      { name: '清明节', off: ['2026-04-04', '2026-04-06'], statutory: ['2026-04-05'] },
      { name: '劳动节', off: ['2026-05-01', '2026-05-05'], workdays: ['2026-05-09'], statutory: ['2026-05-01', '2026-05-02'] },
      { name: '端午节', off: ['2026-06-19', '2026-06-21'], statutory: ['2026-06-19'] },
      { name: '中秋节', off: ['2026-09-25', '2026-09-27'], statutory: ['2026-09-25'] },
      { name: '国庆节', off: ['2026-10-01', '2026-10-07'], workdays: ['2026-09-20', '2026-10-10'], statutory: ['2026-10-01', '2026-10-02', '2026-10-03'] },
    ],
  },
  {
    year: 2027,
    source: PROVISIONAL_SOURCE,
    provisional: true,
    blocks: [
      { name: '元旦', off: ['2027-01-01', '2027-01-01'], statutory: ['2027-01-01'] },
      // 除夕 Fri 2-5 to 初三 Mon 2-8; 初一 and 初二 fall on the weekend: 补假 Tue 2-9 and Wed 2-10
      { name: '春节', off: ['2027-02-05', '2027-02-10'], statutory: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'] },
      { name: '清明节', off: ['2027-04-05', '2027-04-05'], statutory: ['2027-04-05'] },
      // Sat 5-1 and Sun 5-2: 补假 Mon 5-3 and Tue 5-4
      { name: '劳动节', off: ['2027-05-01', '2027-05-04'], statutory: ['2027-05-01', '2027-05-02'] },
      { name: '端午节', off: ['2027-06-09', '2027-06-09'], statutory: ['2027-06-09'] },
      { name: '中秋节', off: ['2027-09-15', '2027-09-15'], statutory: ['2027-09-15'] },
      // Fri 10-1, Sat 10-2, Sun 10-3: 补假 Mon 10-4 and Tue 10-5
      { name: '国庆节', off: ['2027-10-01', '2027-10-05'], statutory: ['2027-10-01', '2027-10-02', '2027-10-03'] },
    ],
  },
];

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The days of one notice, ordered by day. */
export function noticeDays(notice: Notice): ShippedDay[] {
  const out: ShippedDay[] = [];
  const extra = notice.provisional ? { provisional: true as const } : {};
  for (const b of notice.blocks) {
    for (let t = ms(b.off[0]); t <= ms(b.off[1]); t += DAY_MS) {
      const day = iso(t);
      out.push({ day, kind: 'holiday', name: b.rename?.[day] ?? b.name, source: notice.source, ...(b.statutory.includes(day) ? { statutory: true as const } : {}), ...extra });
    }
    for (const day of b.workdays ?? []) out.push({ day, kind: 'workday', name: b.name, source: notice.source, ...extra });
  }
  return out.sort((a, b) => a.day.localeCompare(b.day));
}

/** Every shipped day, ordered by day. */
export const SHIPPED_DAYS: readonly ShippedDay[] = NOTICES.flatMap(noticeDays);
