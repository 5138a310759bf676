import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const INT4_KEY = /(^id$|Id$|Ids$|^offset$|^limit$|^version$|^days$)/;
const INT4_MAX = 2_147_483_647;
const DATE_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date the platform can hold: a real calendar day between 1900 and 2999 (both databases agree on those). */
function badDate(value: string): boolean {
  const m = DATE_LIKE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return true;
  return day > new Date(Date.UTC(year, month, 0)).getUTCDate() || Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

/** The first string or number that PostgreSQL cannot take: NUL, a lone surrogate, a non-finite number, an id past int4. */
function firstBad(value: unknown, path: string, key: string, depth = 0): { field: string; zh: string; en: string } | null {
  if (depth > 64) return null;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path, zh: `字段 ${path} 含有不允许的空字符`, en: `Field ${path} contains a NUL character` };
    if (LONE_SURROGATE.test(value)) return { field: path, zh: `字段 ${path} 含有无效的 Unicode 字符`, en: `Field ${path} contains an invalid Unicode character` };
    if (badDate(value)) return { field: path, zh: `字段 ${path} 不是 1900–2999 年间的有效日期`, en: `Field ${path} is not a valid date between 1900 and 2999` };
    return null;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { field: path, zh: `字段 ${path} 不是有限的数字`, en: `Field ${path} is not a finite number` };
    if (INT4_KEY.test(key) && Math.abs(value) > INT4_MAX) return { field: path, zh: `字段 ${path} 超出范围`, en: `Field ${path} is out of range` };
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = firstBad(value[i], `${path}[${i}]`, key, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000') || LONE_SURROGATE.test(k)) return { field: path || k, zh: '字段名无效', en: 'Invalid field name' };
      const bad = firstBad(v, path ? `${path}.${k}` : k, k, depth + 1);
      if (bad) return bad;
    }
  }
  return null;
}

/**
 * Runs after validation (so coerced numbers are seen as numbers): refuses what the database would choke on,
 * with a 400 naming the field, instead of letting it become a 500.
 */
export async function guardInput(request: FastifyRequest): Promise<void> {
  for (const part of [request.params, request.query, request.body]) {
    const bad = firstBad(part, '', '');
    if (bad) throw badRequest(bad.field, bad.zh, bad.en, 'invalid');
  }
}
