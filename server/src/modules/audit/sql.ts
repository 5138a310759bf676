import { type Expression, sql } from 'kysely';

/**
 * For a statement that writes several records at once (INSERT … WITH): the body of a CTE that appends one audit
 * entry per row of `from`, a CTE named in the same statement. `entityId` and `detail` are SQL over that row.
 * The sealer chains the entry later, like any other.
 */
export function auditInsertSql(e: { from: string; actorId: number | null; action: string; entity: string; entityId: Expression<unknown>; detail: Expression<unknown>; ip: string | null }) {
  return sql`INSERT INTO audit_event (actor_id, action, entity, entity_id, detail, ip, purpose, result)
      SELECT ${e.actorId}::int, ${e.action}::text, ${e.entity}::text, ${e.entityId}, ${e.detail}, ${e.ip}::text, NULL, 'ok' FROM ${sql.table(e.from)}`;
}
