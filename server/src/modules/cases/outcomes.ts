import type { Kysely } from 'kysely';
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
