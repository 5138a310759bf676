import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Role } from '../auth/permissions.js';
import { rankOf, type SecurityLabel } from '../privacy/labels.js';

export type Level = 'city' | 'district' | 'street' | 'community';

/** The part of a user that decides what it may see: place, relations, clearance. */
export interface Viewer {
  id: number;
  roles: readonly Role[];
  jurisdictionPath: string;
  jurisdictionLevel: Level;
  departmentId: number | null;
  clearance: SecurityLabel;
}

// Rules compile against tables of every module; the builder is typed by the caller's query, not here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEb = ExpressionBuilder<any, any>;
type Cond = Expression<SqlBool>;

/** What the in-memory check of a rule needs to know about one record. */
export interface RecordFacts {
  /** the record's places (jurisdiction paths; null where a place column is empty) */
  paths: readonly (string | null)[];
  rank: number;
  /** per relation name: what that relation's `holds` reads */
  rel: Readonly<Record<string, unknown>>;
  /** parent records that must be visible too, by kind */
  parents?: readonly { kind: string; id: number }[];
}

/**
 * A relation between a viewer and a record (assigned department, mediator, owner …): one condition in SQL and the
 * same condition over a record's facts, for choosing who is notified.
 */
export interface Relation {
  name: string;
  roles: readonly Role[] | 'any';
  sql: (eb: AnyEb, ref: (column: string) => string, viewer: Viewer) => Cond;
  holds: (fact: unknown, viewer: Viewer) => boolean;
}

/**
 * Who may see one kind of record. Visible = clearance dominates the record's rank AND (a place grant OR a relation
 * holds) AND every parent is visible. Deny by default: a viewer with no matching grant sees nothing.
 */
export interface AccessRule {
  kind: string;
  /** the table the rule reads, with the alias a query gives it (`ref` prefixes columns with it) */
  table: keyof Database;
  /** columns holding the record's places; a viewer reads records at or below its own jurisdiction */
  place: readonly string[];
  /** roles that read by place, and at which levels of jurisdiction (all when absent) */
  placeRoles: readonly Role[];
  placeLevels?: readonly Level[];
  relations: readonly Relation[];
  /** the record's security rank: a column, a subquery, or none (records of this kind carry no label) */
  rank: ((eb: AnyEb, ref: (column: string) => string) => Expression<number>) | null;
  /** other records that must be visible too (a visit about a person needs the person) */
  parents?: readonly { rule: () => AccessRule; column: string; required?: boolean }[];
  /** one record's facts for the in-memory check (who is notified); undefined when it does not exist */
  facts: (db: Kysely<Database>, id: number) => Promise<RecordFacts | undefined>;
}

const like = (viewer: Viewer) => `${viewer.jurisdictionPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const readsByPlace = (rule: AccessRule, viewer: Viewer) =>
  viewer.roles.some((r) => rule.placeRoles.includes(r)) && (!rule.placeLevels || rule.placeLevels.includes(viewer.jurisdictionLevel));

const relationApplies = (r: Relation, viewer: Viewer) => r.roles === 'any' || viewer.roles.some((role) => (r.roles as readonly Role[]).includes(role));

/** The rule as one SQL condition over `alias` (the table's name when the query gives it none). */
export function sqlCondition(rule: AccessRule, viewer: Viewer, alias: string = rule.table): (eb: AnyEb) => Cond {
  const ref = (column: string) => `${alias}.${column}`;
  return (eb) => {
    const grants: Cond[] = [];
    if (readsByPlace(rule, viewer)) for (const column of rule.place) grants.push(eb(ref(column), 'like', like(viewer)));
    for (const r of rule.relations) if (relationApplies(r, viewer)) grants.push(r.sql(eb, ref, viewer));
    if (grants.length === 0) return sql<SqlBool>`false`;
    const all: Cond[] = [grants.length === 1 ? grants[0]! : eb.or(grants)];
    if (rule.rank) all.push(eb(rule.rank(eb, ref), '<=', rankOf(viewer.clearance)));
    for (const p of rule.parents ?? []) {
      const parent = p.rule();
      const pAlias = `${alias}_${parent.kind.replace(/\W/g, '_')}`;
      const visible = eb.exists(
        eb
          .selectFrom(`${parent.table} as ${pAlias}`)
          .select(sql`1`.as('one'))
          .whereRef(`${pAlias}.id`, '=', ref(p.column))
          .where(sqlCondition(parent, viewer, pAlias)),
      );
      all.push(p.required ? visible : eb.or([eb(ref(p.column), 'is', null), visible]));
    }
    return all.length === 1 ? all[0]! : eb.and(all);
  };
}

/** The rule over one record's facts (parents are checked by the caller, which can load them). */
export function holds(rule: AccessRule, facts: RecordFacts, viewer: Viewer): boolean {
  if (rule.rank && facts.rank > rankOf(viewer.clearance)) return false;
  if (readsByPlace(rule, viewer) && facts.paths.some((p) => p !== null && p.startsWith(viewer.jurisdictionPath))) return true;
  return rule.relations.some((r) => relationApplies(r, viewer) && r.holds(facts.rel[r.name], viewer));
}
