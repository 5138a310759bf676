import { describe, expect, it } from 'vitest';
import { BOM, csvCell, csvLine, watermark } from './csv.js';

describe('audit CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3])).toBe('a,"b,c","say ""hi""","two\nlines",,3\r\n');
  });

  it('writes objects as JSON and dates as ISO time', () => {
    expect(csvCell({ reason: '校区迁址' })).toBe('"{""reason"":""校区迁址""}"');
    expect(csvCell(new Date('2026-11-21T00:00:00Z'))).toBe('2026-11-21T00:00:00.000Z');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe('-1');
  });

  it('starts with a watermark naming who exported and when, after the BOM Excel needs', () => {
    expect(BOM).toBe('\uFEFF');
    expect(watermark('demo-auditor', new Date('2026-11-21T01:02:03Z'))).toBe('# exported by demo-auditor at 2026-11-21T01:02:03.000Z\r\n');
    expect(watermark('a\nb', new Date(0))).not.toContain('\n# ');
  });
});
