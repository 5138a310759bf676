import { caseRule } from '../cases/access.js';
import type { AccessRule } from '../access/rule.js';

/**
 * Who sees a dispute (矛盾纠纷): only those who see the case it came in as (place, relation and the case's label),
 * and of them: staff by place (the dispute's place or, spanning two, its other place), the assigned mediator, and
 * the handlers of a department the case or the joint meeting gave it to.
 */
export const disputeRule: AccessRule = {
  kind: 'dispute',
  table: 'dispute',
  place: ['jurisdiction_path', 'other_path'],
  placeRoles: ['intake_clerk', 'dispatcher', 'supervisor', 'leader', 'grid_worker', 'mediator', 'hotline_operator'],
  rank: null,
  relations: [
    {
      name: 'mediator',
      roles: ['mediator'],
      sql: (eb, ref, v) => eb(ref('mediator_id'), 'in', eb.selectFrom('mediator as acc_dm').select('acc_dm.id').where('acc_dm.user_id', '=', v.id)),
      holds: (f, v) => f === v.id,
    },
    // the case decides for handlers: dispatched to their department, or their department leads the joint meeting
    { name: 'handler', roles: ['handler'], sql: (eb) => eb.val(true), holds: () => true },
  ],
  parents: [{ rule: () => caseRule, column: 'case_id', required: true }],
  facts: async (db, id) => {
    const d = await db
      .selectFrom('dispute as d')
      .leftJoin('mediator as m', 'm.id', 'd.mediator_id')
      .select(['d.case_id', 'd.jurisdiction_path', 'd.other_path', 'm.user_id'])
      .where('d.id', '=', id)
      .executeTakeFirst();
    return d && { paths: [d.jurisdiction_path, d.other_path], rank: 0, rel: { mediator: d.user_id, handler: true }, parents: [{ kind: 'case', id: d.case_id }] };
  },
};
