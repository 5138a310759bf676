/**
 * Validation of Chinese personal identifiers, pure.
 * National ID numbers (公民身份号码) per GB 11643-1999: 6-digit region code, 8-digit birth date, 3-digit sequence,
 * ISO 7064 MOD 11-2 check character (0-9 or X).
 */
import { isValidDay, localDateOf } from '../calendar/index.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/**
 * Province-level prefixes of GB/T 2260, plus 71 台湾, 81 香港, 82 澳门 and 83 (residence permits of Taiwan
 * residents). The new foreigners' permanent-residence ID (first digit 9) is not a GB 11643 number and is refused.
 */
export const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'check_digit';

export type IdNumberCheck = { ok: true; value: string; regionCode: string } | { ok: false; problem: IdNumberProblem };

export interface IdNumberOptions {
  /**
   * Whether a 6-digit region code is a known division, e.g. a lookup in the jurisdiction table or the national
   * division codes. Without it only the province prefix is checked. A lookup of today's divisions refuses people
   * whose county code changed after their number was issued: the number keeps the code of its time.
   */
  isKnownRegion?: ((code: string) => boolean) | undefined;
  now?: Date | undefined;
}

/** A province prefix, and below it a county (xx0000 only for the residence permits of 81, 82, 83). */
function knownProvince(code: string): boolean {
  const prefix = code.slice(0, 2);
  return PROVINCE_PREFIXES.has(prefix) && (code.slice(2) !== '0000' || ['81', '82', '83'].includes(prefix));
}

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('the check character needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function checkIdNumber(input: string, options: IdNumberOptions = {}): IdNumberCheck {
  const value = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'format' };
  const regionCode = value.slice(0, 6);
  const regionOk = options.isKnownRegion ? options.isKnownRegion(regionCode) : knownProvince(regionCode);
  if (!regionOk) return { ok: false, problem: 'region' };
  if (!validBirthDate(value.slice(6, 14), options.now ?? new Date())) return { ok: false, problem: 'birth_date' };
  if (idCheckCharacter(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'check_digit' };
  return { ok: true, value, regionCode };
}

export function isValidIdNumber(input: string, options: IdNumberOptions = {}): boolean {
  return checkIdNumber(input, options).ok;
}

/** A real calendar date (YYYYMMDD) between 1900-01-01 and today (local time). */
function validBirthDate(ymd: string, now: Date): boolean {
  const day = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  return day >= '1900-01-01' && isValidDay(day) && day <= localDateOf(now);
}

export type PhoneCheck = { ok: true; kind: 'mobile' | 'landline'; value: string } | { ok: false };

/**
 * Mainland mobiles 1[3-9] and nine more digits (a +86/0086 prefix, spaces and dashes allowed), and fixed lines:
 * an area code of 0 and two or three digits, then seven or eight digits (010-12345678, 0471-1234567).
 * The value comes back normalised: mobiles as 11 digits, fixed lines as `area-number`.
 */
export function checkPhone(input: string): PhoneCheck {
  const compact = input.trim().replace(/[\s()]/g, '');
  const mobile = /^(?:\+?86|0086)?-?(1[3-9]\d{9})$/.exec(compact);
  if (mobile) return { ok: true, kind: 'mobile', value: mobile[1]! };
  const fixed = /^(?:\+?86-?)?(0\d{2,3})-(\d{7,8})$/.exec(compact) ?? /^(0(?:10|2\d))(\d{8})$/.exec(compact) ?? /^(0[3-9]\d{2})(\d{7,8})$/.exec(compact);
  if (fixed && validAreaCode(fixed[1]!, fixed[2]!)) return { ok: true, kind: 'landline', value: `${fixed[1]}-${fixed[2]}` };
  return { ok: false };
}

export const isMobilePhone = (input: string) => {
  const c = checkPhone(input);
  return c.ok && c.kind === 'mobile';
};

export const isPhone = (input: string) => checkPhone(input).ok;

/** 010 and 02x are the three-digit area codes (with 8-digit numbers); the others have four digits, 03xx to 09xx. */
function validAreaCode(area: string, number: string): boolean {
  if (area.length === 3) return /^0(10|2\d)$/.test(area) && number.length === 8;
  return /^0[3-9]\d{2}$/.test(area);
}
