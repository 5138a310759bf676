import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Role } from '../auth/permissions.js';
import type { SecurityLabel } from '../privacy/labels.js';
import { type AccessRule, holds, type RecordFacts, type Viewer } from './rule.js';

type Db = Kysely<Database>;

/** Viewers of accounts by id (active ones only): who a notice could reach. */
export async function viewersById(db: Db, ids: readonly number[]): Promise<Viewer[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('jurisdiction as j', 'j.code', 'u.jurisdiction_code')
    .select(['u.id', 'u.roles', 'u.department_id', 'u.clearance', 'j.path', 'j.level'])
    .where('u.id', 'in', [...new Set(ids)])
    .where('u.active', '=', true)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    roles: r.roles as Role[],
    jurisdictionPath: r.path,
    jurisdictionLevel: r.level as Viewer['jurisdictionLevel'],
    departmentId: r.department_id,
    clearance: r.clearance as SecurityLabel,
  }));
}

/**
 * Of the people a change would tell, those who may see the record: the same rule as every read, applied to each
 * candidate (parents included). Anyone else is not told, so a notice never carries a title its reader could not open.
 */
export async function recipientsFor(
  db: Db,
  rules: ReadonlyMap<string, AccessRule>,
  record: { rule: AccessRule; id: number } | { rule: AccessRule; facts: RecordFacts },
  candidates: readonly number[] | readonly Viewer[],
): Promise<number[]> {
  if (candidates.length === 0) return [];
  const viewers = typeof candidates[0] === 'number' ? await viewersById(db, candidates as number[]) : (candidates as Viewer[]);
  const facts = 'facts' in record ? record.facts : await record.rule.facts(db, record.id);
  if (!facts) return [];
  let allowed = viewers.filter((v) => holds(record.rule, facts, v));
  for (const p of facts.parents ?? []) {
    const parent = rules.get(p.kind);
    if (!parent) throw new Error(`no access rule for parent kind ${p.kind}`);
    const ok = new Set(await recipientsFor(db, rules, { rule: parent, id: p.id }, allowed));
    allowed = allowed.filter((v) => ok.has(v.id));
  }
  return [...new Set(allowed.map((v) => v.id))];
}
