/**
 * The access layer: who may see which record (docs/SECURITY.md, "Who sees what"). Each module declares the rule of
 * its records in its `access.ts` (place, relation, clearance, parents); this module compiles a rule into the SQL of
 * every read and applies the same rule to whoever a change would notify. A record a viewer fails is 404 everywhere.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../auth/session-user.js';
import { recipientsFor as recipientsWith, viewersById } from './recipients.js';
import { RULES, ruleOf } from './registry.js';
import { type AccessRule, type AnyEb, holds, type RecordFacts, sqlCondition, type Viewer } from './rule.js';

export type { AccessRule, Level, RecordFacts, Relation, Viewer } from './rule.js';
export { RULES, ruleOf, viewersById };

type Db = Kysely<Database>;

export const viewerOf = (u: Pick<SessionUser, 'id' | 'roles' | 'jurisdictionPath' | 'jurisdictionLevel' | 'departmentId' | 'clearance'>): Viewer => ({
  id: u.id,
  roles: u.roles,
  jurisdictionPath: u.jurisdictionPath,
  jurisdictionLevel: u.jurisdictionLevel,
  departmentId: u.departmentId,
  clearance: u.clearance,
});

/**
 * `.where(visible(caseRule, viewer))`: the rule as a condition over the rule's table, or over `alias` when the query
 * names it so. Put it in every query that reads records of the kind: single records, lists, counts, exports.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function visible(rule: AccessRule, viewer: Viewer, alias?: string): (eb: any) => Expression<SqlBool> {
  return sqlCondition(rule, viewer, alias);
}

/** Of a set of record ids, those the viewer may see (bulk actions and exports answer with this subset). */
export async function allowedIds(db: Db, rule: AccessRule | string, ids: readonly number[], viewer: Viewer): Promise<number[]> {
  const r = typeof rule === 'string' ? ruleOf(rule) : rule;
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await (db as unknown as Kysely<Record<string, { id: number }>>)
    .selectFrom(`${r.table} as acc_t`)
    .select('acc_t.id')
    .where('acc_t.id', 'in', unique)
    .where(sqlCondition(r, viewer, 'acc_t'))
    .execute();
  return rows.map((row) => row.id);
}

/**
 * A reference to a record of any kind (`kindColumn` names the kind, `idColumn` the id) is visible when that record
 * is, or when it refers to nothing. For tables that point at several kinds: notices, audit targets.
 */
export function visibleRecord(viewer: Viewer, kindColumn: string, idColumn: string) {
  return (eb: AnyEb): Expression<SqlBool> => {
    const branches: Expression<SqlBool>[] = [eb(kindColumn, 'is', null)];
    for (const rule of RULES.values()) {
      if (rule.kind === 'notice' || rule.kind === 'case-label') continue;
      const alias = `ref_${rule.kind.replace(/\W/g, '_')}`;
      branches.push(
        eb.and([
          eb(kindColumn, '=', rule.kind),
          eb.exists(eb.selectFrom(`${rule.table} as ${alias}`).select(sql`1`.as('one')).whereRef(`${alias}.id`, '=', idColumn).where(sqlCondition(rule, viewer, alias))),
        ]),
      );
    }
    return eb.or(branches);
  };
}

/** Of viewers in hand, those who may see a record whose facts are in hand and that has no parents (a new case). */
export function recipientsAmong(kind: string, facts: RecordFacts, viewers: readonly Viewer[]): number[] {
  if (facts.parents?.length) throw new Error('recipientsAmong needs a record without parents: use recipientsFor');
  const rule = ruleOf(kind);
  return viewers.filter((v) => holds(rule, facts, v)).map((v) => v.id);
}

/** Of the accounts a change would tell, those who may see the record (ids, or viewers already in hand). */
export function recipientsFor(db: Db, record: { kind: string; id: number } | { kind: string; facts: RecordFacts }, candidates: readonly number[] | readonly Viewer[]): Promise<number[]> {
  const rule = ruleOf(record.kind);
  return recipientsWith(db, RULES, 'facts' in record ? { rule, facts: record.facts } : { rule, id: record.id }, candidates);
}
