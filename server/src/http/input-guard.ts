import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const INT4_KEY = /(^id$|Id$|Ids$|^offset$|^limit$|^version$|^days$)/;
const INT4_MAX = 2_147_483_647;

/** The first string or number that PostgreSQL cannot take: NUL, a lone surrogate, a non-finite number, an id past int4. */
function firstBad(value: unknown, path: string, key: string, depth = 0): { field: string; zh: string; en: string } | null {
  if (depth > 64) return null;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path, zh: `字段 ${path} 含有不允许的空字符`, en: `Field ${path} contains a NUL character` };
    if (LONE_SURROGATE.test(value)) return { field: path, zh: `字段 ${path} 含有无效的 Unicode 字符`, en: `Field ${path} contains an invalid Unicode character` };
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
