import type { JurisdictionLevel } from '../../db/schema.js';

export const LEVELS: readonly JurisdictionLevel[] = ['city', 'district', 'street', 'community'];

export const LEVEL_LABELS: Record<JurisdictionLevel, { zh: string; en: string }> = {
  city: { zh: '市', en: 'City' },
  district: { zh: '区县', en: 'District' },
  street: { zh: '街道', en: 'Street' },
  community: { zh: '社区', en: 'Community' },
};

/**
 * The level a national division code denotes. City and district codes are the 6-digit GB/T 2260 codes
 * (a city ends in 00); street and community codes are 12-digit statistical codes (a street ends in 000).
 * Province codes (ending 0000) and malformed codes give null.
 */
export function levelOfCode(code: string): JurisdictionLevel | null {
  if (/^\d{6}$/.test(code)) {
    if (code.endsWith('0000')) return null;
    return code.endsWith('00') ? 'city' : 'district';
  }
  if (/^\d{12}$/.test(code)) {
    if (code.slice(6, 9) === '000') return null;
    return code.endsWith('000') ? 'street' : 'community';
  }
  return null;
}

/** The code of the parent a code implies: community → street → district → city. */
export function impliedParentCode(code: string): string | null {
  switch (levelOfCode(code)) {
    case 'community':
      return `${code.slice(0, 9)}000`;
    case 'street':
      return code.slice(0, 6);
    case 'district':
      return `${code.slice(0, 4)}00`;
    default:
      return null;
  }
}

/** Statistical street codes are published with 9 digits; Zhili stores all sub-district codes with 12. */
export function normalizeCode(raw: string): string {
  const code = raw.trim();
  return /^\d{9}$/.test(code) ? `${code}000` : code;
}

export interface CodeProblem {
  zh: string;
  en: string;
}

/** Checks a code against its level and its parent: null when it fits. */
export function checkCode(code: string, level: JurisdictionLevel, parentCode: string | null): CodeProblem | null {
  const implied = levelOfCode(code);
  if (implied === null) {
    return { zh: `行政区划代码 ${code} 格式不正确（市、区县为 6 位，街道、社区为 12 位）`, en: `Division code ${code} is malformed (6 digits for city and district, 12 for street and community)` };
  }
  if (implied !== level) {
    return {
      zh: `代码 ${code} 表示${LEVEL_LABELS[implied].zh}级，与层级 ${LEVEL_LABELS[level].zh} 不符`,
      en: `Code ${code} denotes a ${implied}, not a ${level}`,
    };
  }
  if (level === 'city') {
    if (parentCode !== null) return { zh: '市级不能有上级辖区', en: 'A city has no parent jurisdiction' };
    return null;
  }
  if (parentCode === null) return { zh: `${LEVEL_LABELS[level].zh}级必须有上级辖区`, en: `A ${level} needs a parent` };
  const parentLevel = levelOfCode(parentCode);
  const expectedParentLevel = LEVELS[LEVELS.indexOf(level) - 1];
  if (parentLevel !== expectedParentLevel) {
    return { zh: `上级代码 ${parentCode} 不是${LEVEL_LABELS[expectedParentLevel!].zh}级`, en: `Parent ${parentCode} is not a ${expectedParentLevel}` };
  }
  // districts directly under a province (省直辖县级, e.g. 429004) sit under a pseudo-city with the same 4 digits (429000)
  const prefixOk =
    level === 'district' ? code.slice(0, 4) === parentCode.slice(0, 4) : level === 'street' ? code.startsWith(parentCode) : code.slice(0, 9) === parentCode.slice(0, 9);
  if (!prefixOk) return { zh: `代码 ${code} 不属于上级 ${parentCode}`, en: `Code ${code} does not belong under ${parentCode}` };
  return null;
}
