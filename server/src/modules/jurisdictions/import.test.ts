import { describe, expect, it } from 'vitest';
import { checkCode, levelOfCode } from './codes.js';
import { chinaDivisionCity, communityName, ImportError, parseDivisionCsv, prepareImport } from './import.js';
import type { JurisdictionInput } from './repository.js';

function importErrorOf(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('parseDivisionCsv', () => {
  it('reads code,name and infers level and parent from the code', () => {
    const csv = ['code,name', '150100,呼和浩特市', '150102,新城区', '150102001000,海拉尔东路街道', '150102001001,公主府社区'].join('\n');
    expect(parseDivisionCsv(csv)).toEqual([
      { code: '150100', name: '呼和浩特市', level: 'city', parentCode: null },
      { code: '150102', name: '新城区', level: 'district', parentCode: '150100' },
      { code: '150102001000', name: '海拉尔东路街道', level: 'street', parentCode: '150102' },
      { code: '150102001001', name: '公主府社区', level: 'community', parentCode: '150102001000' },
    ]);
  });

  it('strips a UTF-8 BOM and accepts CRLF line ends', () => {
    const csv = '\uFEFFcode,name\r\n150100,呼和浩特市\r\n150103,回民区\r\n';
    const rows = parseDivisionCsv(csv);
    expect(rows.map((r) => r.code)).toEqual(['150100', '150103']);
    expect(rows[1]).toEqual({ code: '150103', name: '回民区', level: 'district', parentCode: '150100' });
  });

  it('pads 9-digit street codes, in the code and in parent_code', () => {
    const csv = ['code,name,level,parent_code', '150102001,海拉尔东路街道,,', '150102001001,公主府社区,community,150102001'].join('\n');
    expect(parseDivisionCsv(csv)).toEqual([
      { code: '150102001000', name: '海拉尔东路街道', level: 'street', parentCode: '150102' },
      { code: '150102001001', name: '公主府社区', level: 'community', parentCode: '150102001000' },
    ]);
  });

  it('takes explicit level and parent_code columns, header case and spaces ignored', () => {
    const csv = [' Code , NAME , Level , Parent_Code ', '429000,省直辖县级行政区划,city,', '429004, 仙桃市 ,district,429000'].join('\n');
    expect(parseDivisionCsv(csv)).toEqual([
      { code: '429000', name: '省直辖县级行政区划', level: 'city', parentCode: null },
      { code: '429004', name: '仙桃市', level: 'district', parentCode: '429000' },
    ]);
  });

  it('never gives a city a parent, even when parent_code is filled in', () => {
    const rows = parseDivisionCsv('code,name,level,parent_code\n150100,呼和浩特市,city,150000\n');
    expect(rows[0]!.parentCode).toBeNull();
  });

  it('accepts quoted names with commas', () => {
    const rows = parseDivisionCsv('code,name\n150172,"呼和浩特经济技术开发区,金海工业园"\n');
    expect(rows[0]!.name).toBe('呼和浩特经济技术开发区,金海工业园');
  });

  it('reports a missing name with its line number', () => {
    const csv = ['code,name', '150100,呼和浩特市', '150102,新城区', '150103,', '150104,玉泉区'].join('\n');
    const e = importErrorOf(() => parseDivisionCsv(csv));
    expect(e.line).toBe(4);
    expect(e.en).toBe('column name is missing');
    expect(e.zh).toBe('缺少 name 列');
    expect(e.message).toBe('line 4: column name is missing');
    expect(e.name).toBe('ImportError');
  });

  it('reports a missing name when the row has only one column', () => {
    const e = importErrorOf(() => parseDivisionCsv('code,name\n150100\n'));
    expect(e.line).toBe(2);
    expect(e.en).toBe('column name is missing');
  });

  it('reports a missing code with its line number', () => {
    const e = importErrorOf(() => parseDivisionCsv('code,name\n150100,呼和浩特市\n,新城区\n'));
    expect(e.line).toBe(3);
    expect(e.en).toBe('column code is missing');
  });

  it('refuses a province code or an unknown level', () => {
    const province = importErrorOf(() => parseDivisionCsv('code,name\n150000,内蒙古自治区\n'));
    expect(province.line).toBe(2);
    expect(province.en).toBe('cannot tell the level of code 150000');
    const level = importErrorOf(() => parseDivisionCsv('code,name,level\n150100,呼和浩特市,city\n150102,新城区,county\n'));
    expect(level.line).toBe(3);
    expect(level.en).toBe('cannot tell the level of code 150102');
  });

  it('gives an empty list for a header alone', () => {
    expect(parseDivisionCsv('code,name\n')).toEqual([]);
  });

  it('reports the physical line number after a blank line', () => {
    const csv = ['code,name', '150100,呼和浩特市', '', '150102,新城区', '150103,'].join('\n');
    const e = importErrorOf(() => parseDivisionCsv(csv));
    expect(e.line).toBe(5);
  });
});

describe('prepareImport', () => {
  const huhhot: JurisdictionInput[] = [
    { code: '150102001001', name: '公主府社区', level: 'community', parentCode: '150102001000' },
    { code: '150103', name: '回民区', level: 'district', parentCode: '150100' },
    { code: '150102001000', name: '海拉尔东路街道', level: 'street', parentCode: '150102' },
    { code: '150100', name: '呼和浩特市', level: 'city', parentCode: null },
    { code: '150102', name: '新城区', level: 'district', parentCode: '150100' },
  ];

  it('orders parents before children, then by code', () => {
    const sorted = prepareImport(huhhot, new Set());
    expect(sorted.map((r) => r.code)).toEqual(['150100', '150102', '150103', '150102001000', '150102001001']);
    // the input is not reordered in place
    expect(huhhot[0]!.code).toBe('150102001001');
  });

  it('refuses a duplicate code', () => {
    const rows = [...huhhot, { code: '150103', name: '回民区', level: 'district' as const, parentCode: '150100' }];
    const e = importErrorOf(() => prepareImport(rows, new Set()));
    expect(e.en).toBe('code 150103 appears twice');
    expect(e.zh).toBe('代码 150103 重复');
  });

  it('refuses an unknown parent, naming the line of the row', () => {
    const rows: JurisdictionInput[] = [
      { code: '150100', name: '呼和浩特市', level: 'city', parentCode: null },
      { code: '150102001000', name: '海拉尔东路街道', level: 'street', parentCode: '150102' },
    ];
    const e = importErrorOf(() => prepareImport(rows, new Set()));
    expect(e.line).toBe(3);
    expect(e.en).toBe('parent jurisdiction 150102 does not exist');
  });

  it('accepts a parent already in the database', () => {
    const rows: JurisdictionInput[] = [
      { code: '150102001002', name: '赛马场社区', level: 'community', parentCode: '150102001000' },
      { code: '150102001000', name: '海拉尔东路街道', level: 'street', parentCode: '150102' },
    ];
    const sorted = prepareImport(rows, new Set(['150100', '150102']));
    expect(sorted.map((r) => r.code)).toEqual(['150102001000', '150102001002']);
  });

  it('refuses a row whose code does not fit its parent, with the line of the row', () => {
    const rows: JurisdictionInput[] = [
      { code: '150100', name: '呼和浩特市', level: 'city', parentCode: null },
      { code: '150102', name: '新城区', level: 'district', parentCode: '150100' },
      { code: '150103001000', name: '环河街街道', level: 'street', parentCode: '150102' },
    ];
    const e = importErrorOf(() => prepareImport(rows, new Set()));
    expect(e.line).toBe(4);
    expect(e.en).toBe('Code 150103001000 does not belong under 150102');
  });

  it('works on rows parsed from CSV', () => {
    const rows = parseDivisionCsv(['code,name', '150102001001,公主府社区', '150102001,海拉尔东路街道', '150102,新城区', '150100,呼和浩特市'].join('\n'));
    expect(prepareImport(rows, new Set()).map((r) => r.level)).toEqual(['city', 'district', 'street', 'community']);
  });
});

describe('communityName', () => {
  it('strips the committee suffix', () => {
    expect(communityName('公主府社区居委会')).toBe('公主府社区');
    expect(communityName('什拉门更社区居民委员会')).toBe('什拉门更社区');
    expect(communityName('西龙王庙居委会')).toBe('西龙王庙');
    expect(communityName('水岸社区')).toBe('水岸社区');
    expect(communityName('居委会路社区')).toBe('居委会路社区');
    // "XX村村委会" / "XX村村民委员会" keep the village's own 村
    expect(communityName('东坝村村委会')).toBe('东坝村');
    expect(communityName('王四营村村民委员会')).toBe('王四营村');
  });

  it('keeps the 村 of a village written "XX村委会" or "XX村民委员会"', () => {
    expect(communityName('毫沁营村委会')).toBe('毫沁营村');
    expect(communityName('小红门村民委员会')).toBe('小红门村');
  });
});

describe('chinaDivisionCity', () => {
  const rows = chinaDivisionCity('150100');
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const ofLevel = (level: JurisdictionInput['level']) => rows.filter((r) => r.level === level);

  it('starts with the city 呼和浩特市', () => {
    expect(rows[0]).toEqual({ code: '150100', name: '呼和浩特市', level: 'city', parentCode: null });
    expect(ofLevel('city')).toHaveLength(1);
  });

  it('accepts the 4-digit city code too', () => {
    expect(chinaDivisionCity('1501')).toEqual(rows);
  });

  it('lists 新城区 150102 as a district of the city', () => {
    expect(byCode.get('150102')).toEqual({ code: '150102', name: '新城区', level: 'district', parentCode: '150100' });
    expect(byCode.get('150121')?.name).toBe('土默特左旗');
  });

  it('has plausible counts', () => {
    expect(ofLevel('district').length).toBeGreaterThanOrEqual(9);
    expect(ofLevel('street').length).toBeGreaterThanOrEqual(80);
    expect(ofLevel('community').length).toBeGreaterThanOrEqual(1000);
  });

  it('has unique codes whose level agrees with the row', () => {
    expect(byCode.size).toBe(rows.length);
    for (const r of rows) expect(levelOfCode(r.code), r.code).toBe(r.level);
  });

  it('lists the parent of every row, and every row fits its parent', () => {
    for (const r of rows) {
      if (r.level === 'city') continue;
      const parent = byCode.get(r.parentCode!);
      expect(parent, `parent of ${r.code}`).toBeDefined();
      expect(checkCode(r.code, r.level, r.parentCode), r.code).toBeNull();
    }
    for (const c of ofLevel('community')) expect(byCode.get(c.parentCode!)?.level, c.code).toBe('street');
  });

  it('passes prepareImport as a whole', () => {
    expect(prepareImport(rows, new Set())).toHaveLength(rows.length);
  });

  it('strips committee suffixes from community and village names', () => {
    expect(byCode.get('150102001001')?.name).toBe('公主府社区');
    expect(byCode.get('150102008200')?.name).toBe(communityName('毫沁营村委会'));
    expect(byCode.get('150103003001')?.name).toBe('什拉门更社区');
    for (const c of ofLevel('community')) expect(c.name, c.code).not.toMatch(/(居委会|村委会|居民委员会|村民委员会)$/);
  });

  it('pads street codes to 12 digits', () => {
    expect(byCode.get('150102001000')).toEqual({ code: '150102001000', name: '海拉尔东路街道', level: 'street', parentCode: '150102' });
    for (const s of ofLevel('street')) expect(s.code).toMatch(/^\d{9}000$/);
  });

  it('throws ImportError for an unknown or malformed city code', () => {
    expect(importErrorOf(() => chinaDivisionCity('999900')).en).toBe('no city 999900 in the statistical division codes');
    expect(importErrorOf(() => chinaDivisionCity('150000')).en).toBe('no city 150000 in the statistical division codes');
    expect(importErrorOf(() => chinaDivisionCity('15')).en).toBe('city code 15 is malformed');
    expect(importErrorOf(() => chinaDivisionCity('hohhot')).line).toBe(0);
  });

  it('refuses 东莞市 441900, a city without districts, with a clear message', () => {
    const e = importErrorOf(() => chinaDivisionCity('441900'));
    expect(e.zh).toContain('不设区的地级市');
    expect(e.en).toContain('city without districts');
  });

  it('gives an importable list for 泉州市 350500, skipping the placeholder 金门县 entries', () => {
    expect(() => prepareImport(chinaDivisionCity('350500'), new Set())).not.toThrow();
  });
});
