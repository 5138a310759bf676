import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskNumbersIn, maskPhone } from './mask.js';

describe('masking', () => {
  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });

  it('keeps the family name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });

  it('keeps the region code and the last four of an ID number', () => {
    expect(maskIdNumber('110105194912311234')).toBe('110105********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber(null)).toBeNull();
  });

  it.each([
    ['青河区东关街道幸福路12号3栋502', '青河区东关街道***'],
    ['青河区幸福路12号', '青河区幸福路***'],
    ['城关镇团结村5组', '城关镇***'],
    ['红旗乡政府对面', '红旗乡***'],
    ['解放街', '解放街'],
    ['安居社区幸福小区3栋', '安居社区幸福***'],
  ])('cuts %s below street level', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  it('masks phone and ID numbers inside text', () => {
    expect(maskNumbersIn('/api/cases?reporterPhone=13812345678&page=2')).toBe('/api/cases?reporterPhone=138****5678&page=2');
    expect(maskNumbersIn('身份证11010519491231002X，电话 0471-1234567')).toBe('身份证110105********002X，电话 0471-***4567');
    expect(maskNumbersIn('case 20261121-000123')).toBe('case 20261121-000123');
  });
});
