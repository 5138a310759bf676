import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Viewer, visible } from '../access/index.js';
import { caseRule } from './access.js';

type Db = Kysely<Database>;

/** The state of cases by id, figures only (a grid worker's assessment counts outcomes, shows no case). */
export function caseOutcomes(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('case_file').select(['id', 'status', 'close_reason']).where('id', 'in', [...new Set(ids)]).execute();
}

/** Of cases by id, those the viewer may open, with number and title. */
export function visibleCaseHeads(db: Db, viewer: Viewer, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('case_file as c').select(['c.id', 'c.number', 'c.title', 'c.status', 'c.close_reason']).where('c.id', 'in', [...new Set(ids)]).where(visible(caseRule, viewer, 'c')).execute();
}

/** Number and title of cases by id, whoever asks (a dispute shows its case's; the dispute's rule covers the case). */
export function caseHeads(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('case_file').select(['id', 'number', 'title']).where('id', 'in', [...new Set(ids)]).execute();
}

/** A case by id as stored, whoever asks: for a module writing beside a case in the transaction that created it. */
export function caseById(db: Db, id: number) {
  return db.selectFrom('case_file').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The number or title of the case whose id is in `column`, as a sub-query to select. */
export function caseField<F extends 'number' | 'title'>(column: string, field: F) {
  return sql<string>`(SELECT ${sql.ref(field)} FROM case_file WHERE id = ${sql.ref(column)})`;
}
