import { BOM, csvLine } from '../audit/index.js';
import type { CaseRow } from './repository.js';
import { CHANNEL_LABELS } from './intake.js';
import { CASE_STATUSES, CLOSE_REASONS } from './lifecycle.js';
import { LABEL_NAMES, maskAddress, maskNumbersIn } from '../privacy/index.js';
import { localDateTime } from '../calendar/index.js';

/**
 * The case export (docs/SECURITY.md, "Exports"), pure: a CSV that leaves the system masked and watermarked. The
 * reporter arrives masked (`maskedReporter`); free text has phone and ID numbers masked and the address is cut
 * below street level, since a file, unlike a screen, is not held within case scope.
 */
export const EXPORT_MAX_ROWS = 10_000;

export type ExportCase = Pick<
  CaseRow,
  | 'number'
  | 'created_at'
  | 'channel'
  | 'matter_type_code'
  | 'title'
  | 'description'
  | 'status'
  | 'close_reason'
  | 'community_code'
  | 'street_code'
  | 'district_code'
  | 'address'
  | 'department_id'
  | 'deadline'
  | 'warning_level'
  | 'closed_at'
  | 'rating'
  | 'supporter_count'
  | 'security_label'
> & { reporter: { name: string | null; phone: string | null } | null };

/** Local time, to the minute: what a spreadsheet reader expects. */
const local = (d: Date | null): string | null => d && localDateTime(d);

const label = <K extends string>(labels: Partial<Record<K, { zh: string }>>, key: string | null) => (key === null ? null : (labels[key as K]?.zh ?? key));

export const CASE_EXPORT_COLUMNS: ReadonlyArray<{ header: string; value: (c: ExportCase) => unknown }> = [
  { header: '编号', value: (c) => c.number },
  { header: '登记时间', value: (c) => local(c.created_at) },
  { header: '渠道', value: (c) => label(CHANNEL_LABELS, c.channel) },
  { header: '事项类型', value: (c) => c.matter_type_code },
  { header: '标题', value: (c) => maskNumbersIn(c.title) },
  { header: '描述', value: (c) => maskNumbersIn(c.description) },
  { header: '状态', value: (c) => label(CASE_STATUSES, c.status) },
  { header: '结案方式', value: (c) => label(CLOSE_REASONS, c.close_reason) },
  { header: '区县', value: (c) => c.district_code },
  { header: '街道', value: (c) => c.street_code },
  { header: '社区', value: (c) => c.community_code },
  { header: '地址', value: (c) => maskAddress(c.address) },
  { header: '承办部门', value: (c) => c.department_id },
  { header: '办理期限', value: (c) => local(c.deadline) },
  { header: '预警', value: (c) => c.warning_level },
  { header: '结案时间', value: (c) => local(c.closed_at) },
  { header: '满意度', value: (c) => c.rating },
  { header: '附议人数', value: (c) => c.supporter_count },
  { header: '密级', value: (c) => LABEL_NAMES[c.security_label].zh },
  { header: '诉求人', value: (c) => c.reporter?.name ?? null },
  { header: '联系电话', value: (c) => c.reporter?.phone ?? null },
];

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** First and last line of the file: who exported it and when, so a copy found elsewhere names its source. */
export function exportWatermark(user: { username: string; displayName: string }, at: Date): string {
  return `# 导出人 ${oneLine(user.username)}（${oneLine(user.displayName)}） 导出时间 ${at.toISOString()} 仅限工作使用\r\n`;
}

/** UTF-8 with a BOM (Excel reads it as UTF-8 only then), watermark, header, rows, watermark again. */
export function caseExportCsv(rows: readonly ExportCase[], user: { username: string; displayName: string }, at: Date): string {
  const mark = exportWatermark(user, at);
  const body = rows.map((c) => csvLine(CASE_EXPORT_COLUMNS.map((col) => col.value(c)))).join('');
  return `${BOM}${mark}${csvLine(CASE_EXPORT_COLUMNS.map((c) => c.header))}${body}${mark}`;
}

/** cases-20261121-153000.csv, in local time. */
export function exportFileName(at: Date): string {
  const stamp = localDateTime(at, 'second').replace(/[-:]/g, '').replace(' ', '-');
  return `cases-${stamp}.csv`;
}
