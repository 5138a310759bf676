import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The display name of the account whose id is in `column`, as a sub-query to select (`.as('user_name')`). */
export function userName<DB extends Database, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string) {
  const e = eb as unknown as ExpressionBuilder<Database, never>;
  return e.selectFrom('app_user as name_u').select('name_u.display_name').whereRef('name_u.id', '=', column as never);
}
