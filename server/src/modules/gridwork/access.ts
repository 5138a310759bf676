import type { AccessRule, Relation } from '../access/rule.js';
import type { Role } from '../auth/permissions.js';
import { personRule } from '../people/access.js';

/** The centres that manage grid workers read their work by place; a worker reads their own. */
const GRIDWORK_READERS: readonly Role[] = ['dispatcher', 'supervisor', 'leader'];

const owner: Relation = {
  name: 'owner',
  roles: 'any',
  sql: (eb, ref, v) => eb(ref('user_id'), '=', v.id),
  holds: (f, v) => f === v.id,
};

function workRecord(kind: string, table: 'patrol' | 'visit' | 'daily_log_entry', aboutPerson: boolean): AccessRule {
  return {
    kind,
    table,
    place: ['jurisdiction_path'],
    placeRoles: GRIDWORK_READERS,
    rank: null,
    relations: [owner],
    // a visit to a person served is seen only by those who see the person: its findings are about them
    ...(aboutPerson ? { parents: [{ rule: () => personRule, column: 'person_id' }] } : {}),
    facts: async (db, id) => {
      const r = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      const personId = 'person_id' in r ? r.person_id : null;
      return { paths: [r.jurisdiction_path], rank: 0, rel: { owner: r.user_id }, parents: personId !== null ? [{ kind: 'person', id: personId }] : [] };
    },
  };
}

export const patrolRule = workRecord('patrol', 'patrol', false);
export const visitRule = workRecord('visit', 'visit', true);
export const dailyLogRule = workRecord('daily-log', 'daily_log_entry', false);
