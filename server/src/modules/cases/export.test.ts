import { describe, expect, it } from 'vitest';
import { CASE_EXPORT_COLUMNS, caseExportCsv, type ExportCase, exportFileName, exportWatermark } from './export.js';

const AT = new Date('2026-11-21T07:30:00Z');
const USER = { username: 'demo-city', displayName: '市综治中心调度员' };

const row = (extra: Partial<ExportCase> = {}): ExportCase => ({
  number: '20261121-000001',
  created_at: new Date('2026-11-21T01:02:00Z'),
  channel: 'petition',
  matter_type_code: 'CG-005',
  title: '=HYPERLINK("x")',
  description: '联系我 13987654321',
  status: 'closed',
  close_reason: 'resolved',
  community_code: '990102001001',
  street_code: '990102001',
  district_code: '990102',
  address: '青河区东关街道幸福路12号3栋502',
  department_id: 7,
  deadline: null,
  warning_level: 'none',
  closed_at: new Date('2026-11-21T02:00:00Z'),
  rating: null,
  supporter_count: 2,
  security_label: 'confidential',
  reporter: { name: '屈**', phone: '139****4321' },
  ...extra,
});

describe('the case export', () => {
  it('watermarks the first and the last line with who exported and when', () => {
    expect(exportWatermark(USER, AT)).toBe('# 导出人 demo-city（市综治中心调度员） 导出时间 2026-11-21T07:30:00.000Z 仅限工作使用\r\n');
    expect(exportWatermark({ username: 'a\r\nb', displayName: 'c\nd' }, AT)).toBe('# 导出人 a b（c d） 导出时间 2026-11-21T07:30:00.000Z 仅限工作使用\r\n');
    const csv = caseExportCsv([row()], USER, AT);
    expect(csv.startsWith('\uFEFF# 导出人 demo-city')).toBe(true);
    const lines = csv.slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(lines[3]);
    expect(lines[1]).toBe(CASE_EXPORT_COLUMNS.map((c) => c.header).join(','));
  });

  it('writes masked values only, defuses formulas and uses China Standard Time', () => {
    const csv = caseExportCsv([row()], USER, AT);
    const line = csv.split('\r\n')[2]!;
    expect(line).toContain('屈**');
    expect(line).toContain('139****4321');
    expect(line).toContain('联系我 139****4321');
    expect(line).not.toContain('13987654321');
    expect(line).toContain('青河区东关街道***');
    expect(line).not.toContain('3栋502');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain('2026-11-21 09:02');
    expect(line).toContain('信访');
    expect(line).toContain('已结案');
    expect(line).toContain('敏感');
  });

  it('writes an empty export with its watermarks and header', () => {
    expect(caseExportCsv([], USER, AT).slice(1).split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(caseExportCsv([row({ reporter: null })], USER, AT).split('\r\n')[2]!.endsWith('敏感,,')).toBe(true);
  });

  it('names the file with the date and time of the export', () => {
    expect(exportFileName(AT)).toBe('cases-20261121-153000.csv');
  });
});
