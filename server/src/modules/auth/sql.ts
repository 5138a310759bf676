import { type Expression, sql } from 'kysely';

/** The display name of the account whose id is in `column` (a reference or an SQL expression), as a sub-query. */
export const userName = (column: string | Expression<unknown>) => sql<string | null>`(SELECT display_name FROM app_user WHERE id = ${typeof column === 'string' ? sql.ref(column) : column})`;
