import { type Expression, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

/** A user's scope: their jurisdiction's path; everything whose path starts with it is theirs. */
export interface Scope {
  jurisdictionPath: string;
}

export const scopePattern = (scope: Scope) => `${scope.jurisdictionPath}%`;

/** `column IN (codes in scope)`: put it in every query over jurisdiction-owned rows. */
export function inScope<DB extends Database, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, scope: Scope) {
  const e = eb as unknown as ExpressionBuilder<Database, 'jurisdiction'>;
  return e(
    column as 'jurisdiction.code',
    'in',
    e.selectFrom('jurisdiction as scope_j').select('scope_j.code').where('scope_j.path', 'like', scopePattern(scope)),
  );
}

export async function isCodeInScope(db: Kysely<Database>, code: string, scope: Scope): Promise<boolean> {
  const row = await db
    .selectFrom('jurisdiction')
    .select('code')
    .where('code', '=', code)
    .where('path', 'like', scopePattern(scope))
    .executeTakeFirst();
  return row !== undefined;
}

/** The name of the place whose code is in `column` (a reference or an SQL expression), as a sub-query. */
export const placeName = (column: string | Expression<unknown>) => sql<string | null>`(SELECT name FROM jurisdiction WHERE code = ${typeof column === 'string' ? sql.ref(column) : column})`;

/** `column IN (codes of the places under path)`; `path` itself included. */
export function under<DB extends Database, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, path: string) {
  return inScope(eb, column, { jurisdictionPath: path });
}
