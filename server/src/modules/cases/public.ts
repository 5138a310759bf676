import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { departmentName } from '../departments/index.js';
import { placeName } from '../jurisdictions/index.js';
import { matterField } from '../matters/index.js';

type Db = Kysely<Database>;

export interface PublicCaseFilter {
  numbers?: string[] | undefined;
  serviceCodes?: string[] | undefined;
  statusTypes?: Array<'open' | 'closed'> | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  underPath?: string | undefined;
  limit: number;
  offset: number;
}

/** Cases of public channels, newest first, with only columns fit to publish: no reporter, no internal notes. */
export function publicCases(db: Db, channels: readonly string[], f: PublicCaseFilter) {
  let q = db
    .selectFrom('case_file as c')
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.status_type',
      'c.close_reason',
      'c.close_note',
      'c.responsible_elsewhere',
      'c.description',
      'c.matter_type_code',
      'c.created_at',
      'c.updated_at',
      'c.deadline',
      'c.address',
      'c.lat',
      'c.lng',
    ])
    .select([
      matterField('c.matter_type_code', 'name').as('matter_name'),
      matterField('c.matter_type_code', 'time_limit_days').as('time_limit_days'),
      matterField('c.matter_type_code', 'priority').as('priority'),
      departmentName('c.department_id').as('department_name'),
      placeName('c.handling_jurisdiction_code').as('handling_name'),
    ])
    .where('c.channel', 'in', channels);
  if (f.numbers) {
    // given numbers, every other filter is ignored
    q = q.where('c.number', 'in', f.numbers.length ? f.numbers : ['']);
  } else {
    if (f.serviceCodes?.length) q = q.where('c.matter_type_code', 'in', f.serviceCodes);
    if (f.statusTypes?.length) q = q.where('c.status_type', 'in', f.statusTypes);
    if (f.from) q = q.where('c.created_at', '>=', f.from);
    if (f.to) q = q.where('c.created_at', '<=', f.to);
    if (f.underPath) q = q.where('c.jurisdiction_path', 'like', `${f.underPath}%`);
  }
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(f.limit).offset(f.offset).execute();
}

/**
 * Timeline entries of public cases in a time window. With a start the earliest come first (a client pages on
 * by moving its start); without one, the latest `limit` entries, still oldest first.
 */
export async function publicCaseEvents(db: Db, channels: readonly string[], f: { from: Date; to: Date; fromStart: boolean; underPath?: string | undefined; limit: number }) {
  let q = db
    .selectFrom('case_event as e')
    .innerJoin('case_file as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.at', 'e.action', 'e.to_status', 'e.note', 'e.detail', 'c.number'])
    .where('c.channel', 'in', channels)
    .where('e.at', '>=', f.from)
    .where('e.at', '<=', f.to);
  if (f.underPath) q = q.where('c.jurisdiction_path', 'like', `${f.underPath}%`);
  const rows = await q.orderBy('e.id', f.fromStart ? 'asc' : 'desc').limit(f.limit).execute();
  return f.fromStart ? rows : rows.reverse();
}

export async function caseNumberOf(db: Db, caseId: number): Promise<string> {
  return (await db.selectFrom('case_file').select('number').where('id', '=', caseId).executeTakeFirstOrThrow()).number;
}
