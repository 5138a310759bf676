import { type Expression, sql } from 'kysely';

// For a statement that writes several records at once (INSERT … WITH): bodies of CTEs over each row of `from`, a CTE
// named in the same statement; the expressions are SQL over that row.

/** One inbox notice per row of `from` and account of `users` (which must not be empty). */
export function noticeInsertSql(n: { from: string; users: readonly number[]; kind: string; title: Expression<unknown>; body: string; caseId: Expression<unknown> | null; record: { kind: string; id: Expression<unknown> } }) {
  if (!n.users.length) throw new Error('noticeInsertSql needs at least one account');
  const users = sql.join(n.users.map((id) => sql`(${id}::int)`));
  return sql`INSERT INTO notification (user_id, kind, title, body, case_id, record_kind, record_id)
      SELECT u.id, ${n.kind}::text, ${n.title}, ${n.body}::text, ${n.caseId ?? sql`NULL`}, ${n.record.kind}::text, ${n.record.id} FROM ${sql.table(n.from)} CROSS JOIN (VALUES ${users}) AS u (id)`;
}

/** One outbox message per row of `from`, delivered later by the outbox worker. */
export function outboxInsertSql(m: { from: string; channel: string; recipient: string; payload: Expression<unknown> }) {
  return sql`INSERT INTO outbox_message (channel, recipient, payload)
      SELECT ${m.channel}::text, ${m.recipient}::text, ${m.payload} FROM ${sql.table(m.from)}`;
}
