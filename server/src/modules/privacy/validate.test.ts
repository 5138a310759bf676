import { describe, expect, it } from 'vitest';
import { checkIdNumber, checkPhone, idCheckCharacter, isMobilePhone, isPhone, isValidIdNumber } from './validate.js';

const NOW = new Date('2026-11-21T04:00:00Z');

// valid numbers made up for the tests: the check character is computed (ISO 7064 MOD 11-2)
const VALID = ['11010519491231002X', '44030419900307123X', '150102200002290011', '320106201201015559', '650102198506157319', '810000198001011236'];

describe('national ID numbers (GB 11643-1999)', () => {
  it('computes the check character, X for 10', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('15010220000229001')).toBe('1');
    expect(() => idCheckCharacter('1101051949123100')).toThrow();
  });

  it('accepts valid numbers, a lower-case x and surrounding spaces', () => {
    for (const id of VALID) expect(checkIdNumber(id, { now: NOW }), id).toMatchObject({ ok: true, value: id, regionCode: id.slice(0, 6) });
    expect(checkIdNumber(' 11010519491231002x ', { now: NOW })).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it.each([
    ['11010519491231002', 'format'],
    ['1101051949123100221', 'format'],
    ['11010519491231002Y', 'format'],
    ['110105194912310023', 'check_digit'],
    ['11010519491231002 ', 'format'],
    ['990102198001011234', 'region'],
    ['110000198001011234', 'region'],
    ['110105190002290014', 'birth_date'],
    ['110105199002300014', 'birth_date'],
    ['110105189912310014', 'birth_date'],
    ['110105202711210014', 'birth_date'],
  ])('refuses %s: %s', (id, problem) => {
    expect(checkIdNumber(id, { now: NOW })).toEqual({ ok: false, problem });
  });

  it('takes 29 February only in leap years and no birth date after today', () => {
    expect(isValidIdNumber('150102200002290011', { now: NOW })).toBe(true);
    const id = (ymd: string) => `110105${ymd}001` + idCheckCharacter(`110105${ymd}001`);
    expect(isValidIdNumber(id('19000229'), { now: NOW })).toBe(false);
    expect(isValidIdNumber(id('20261121'), { now: NOW })).toBe(true);
    expect(isValidIdNumber(id('20261122'), { now: NOW })).toBe(false);
  });

  it('checks the region against a lookup when given one (e.g. the jurisdiction table)', () => {
    const known = new Set(['110105']);
    const isKnownRegion = (code: string) => known.has(code);
    expect(isValidIdNumber('11010519491231002X', { now: NOW, isKnownRegion })).toBe(true);
    expect(checkIdNumber('44030419900307123X', { now: NOW, isKnownRegion })).toEqual({ ok: false, problem: 'region' });
  });
});

describe('phone numbers', () => {
  it.each([
    ['13812345678', 'mobile', '13812345678'],
    ['+86 138 1234 5678', 'mobile', '13812345678'],
    ['0086-19912345678', 'mobile', '19912345678'],
    ['010-12345678', 'landline', '010-12345678'],
    ['01012345678', 'landline', '010-12345678'],
    ['0471-1234567', 'landline', '0471-1234567'],
    ['04711234567', 'landline', '0471-1234567'],
    ['(0755) 8765 4321', 'landline', '0755-87654321'],
  ])('accepts %s as a %s', (input, kind, value) => {
    expect(checkPhone(input)).toEqual({ ok: true, kind, value });
  });

  it.each(['12345678901', '1381234567', '138123456789', '12345', '555-0100', '010-1234567', '0012-1234567', 'abc', '0471-123456'])('refuses %s', (input) => {
    expect(checkPhone(input)).toEqual({ ok: false });
    expect(isPhone(input)).toBe(false);
  });

  it('tells mobiles from fixed lines', () => {
    expect(isMobilePhone('13812345678')).toBe(true);
    expect(isMobilePhone('0471-1234567')).toBe(false);
  });
});
