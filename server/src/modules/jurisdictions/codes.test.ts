import { describe, expect, it } from 'vitest';
import { checkCode, impliedParentCode, levelOfCode, normalizeCode } from './codes.js';

describe('levelOfCode', () => {
  it('tells the level of real 呼和浩特市 codes', () => {
    expect(levelOfCode('150100')).toBe('city'); // 呼和浩特市
    expect(levelOfCode('150102')).toBe('district'); // 新城区
    expect(levelOfCode('150121')).toBe('district'); // 土默特左旗
    expect(levelOfCode('150102001000')).toBe('street'); // 海拉尔东路街道
    expect(levelOfCode('150102001001')).toBe('community'); // 公主府社区
    expect(levelOfCode('150102008200')).toBe('community'); // 毫沁营村
  });

  it('gives null for province codes', () => {
    expect(levelOfCode('150000')).toBeNull(); // 内蒙古自治区
    expect(levelOfCode('110000')).toBeNull(); // 北京市 (province level)
  });

  it('gives null for 12-digit codes whose street part is 000', () => {
    expect(levelOfCode('150102000000')).toBeNull();
    expect(levelOfCode('150100000000')).toBeNull();
  });

  it('gives null for malformed strings', () => {
    for (const bad of ['', '15010', '1501000', '15010a', 'abcdef', ' 150100', '150100 ', '150-102', '1501020010001', '１５０１００']) {
      expect(levelOfCode(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('gives null for the 9-digit published form of a street code (it must be normalized first)', () => {
    expect(levelOfCode('150102001')).toBeNull();
    expect(levelOfCode(normalizeCode('150102001'))).toBe('street');
  });
});

describe('impliedParentCode', () => {
  it('walks community → street → district → city', () => {
    expect(impliedParentCode('150102001001')).toBe('150102001000');
    expect(impliedParentCode('150102001000')).toBe('150102');
    expect(impliedParentCode('150102')).toBe('150100');
    expect(impliedParentCode('150100')).toBeNull();
  });

  it('puts a county-level city directly under a province under the province pseudo-city', () => {
    expect(impliedParentCode('429004')).toBe('429000'); // 仙桃市 → 省直辖县级行政区划
  });

  it('gives null for province and malformed codes', () => {
    expect(impliedParentCode('150000')).toBeNull();
    expect(impliedParentCode('150102001')).toBeNull();
    expect(impliedParentCode('x')).toBeNull();
  });
});

describe('normalizeCode', () => {
  it('pads 9-digit street codes to 12 digits', () => {
    expect(normalizeCode('150102001')).toBe('150102001000');
    expect(normalizeCode('150121100')).toBe('150121100000'); // 察素齐镇
  });

  it('trims surrounding whitespace', () => {
    expect(normalizeCode('  150102001 ')).toBe('150102001000');
    expect(normalizeCode('\t150100\n')).toBe('150100');
  });

  it('leaves 6- and 12-digit codes and anything else unchanged', () => {
    expect(normalizeCode('150100')).toBe('150100');
    expect(normalizeCode('150102001001')).toBe('150102001001');
    expect(normalizeCode('15010200')).toBe('15010200');
    expect(normalizeCode('15010200a')).toBe('15010200a');
  });
});

describe('checkCode', () => {
  it('accepts a good chain city → district → street → community', () => {
    expect(checkCode('150100', 'city', null)).toBeNull();
    expect(checkCode('150102', 'district', '150100')).toBeNull();
    expect(checkCode('150102001000', 'street', '150102')).toBeNull();
    expect(checkCode('150102001001', 'community', '150102001000')).toBeNull();
  });

  it('accepts a district under a province-level pseudo-city (省直辖县级)', () => {
    expect(checkCode('429004', 'district', '429000')).toBeNull(); // 仙桃市
    expect(checkCode('429021', 'district', '429000')).toBeNull(); // 神农架林区
  });

  it('refuses a malformed code', () => {
    const p = checkCode('15010', 'city', null);
    expect(p).not.toBeNull();
    expect(p!.en).toContain('malformed');
    expect(p!.zh).toContain('格式不正确');
  });

  it('refuses a code at the wrong level', () => {
    const p = checkCode('150102', 'city', null);
    expect(p).not.toBeNull();
    expect(p!.en).toBe('Code 150102 denotes a district, not a city');
    expect(checkCode('150102001000', 'community', '150102001000')?.en).toBe('Code 150102001000 denotes a street, not a community');
    expect(checkCode('150100', 'district', '150100')?.en).toBe('Code 150100 denotes a city, not a district');
  });

  it('refuses a city with a parent', () => {
    const p = checkCode('150100', 'city', '150000');
    expect(p).not.toBeNull();
    expect(p!.en).toBe('A city has no parent jurisdiction');
  });

  it('refuses a district, street or community without a parent', () => {
    expect(checkCode('150102', 'district', null)?.en).toBe('A district needs a parent');
    expect(checkCode('150102001000', 'street', null)?.en).toBe('A street needs a parent');
    expect(checkCode('150102001001', 'community', null)?.en).toBe('A community needs a parent');
  });

  it('refuses a parent of the wrong level', () => {
    expect(checkCode('150102001000', 'street', '150100')?.en).toBe('Parent 150100 is not a district');
    expect(checkCode('150102001001', 'community', '150102')?.en).toBe('Parent 150102 is not a street');
    expect(checkCode('150102', 'district', '150103')?.en).toBe('Parent 150103 is not a city');
  });

  it('refuses a child that does not belong under its parent', () => {
    // 海拉尔东路街道 (新城区) under 回民区
    expect(checkCode('150102001000', 'street', '150103')?.en).toBe('Code 150102001000 does not belong under 150103');
    // 公主府社区 (海拉尔东路街道) under 锡林北路街道
    expect(checkCode('150102001001', 'community', '150102002000')?.en).toBe('Code 150102001001 does not belong under 150102002000');
    // 新城区 (呼和浩特市) under 太原市, another province
    expect(checkCode('150102', 'district', '140100')?.en).toBe('Code 150102 does not belong under 140100');
  });

  it('refuses a district under another city of the same province', () => {
    expect(checkCode('150102', 'district', '150200')).not.toBeNull();
  });
});
