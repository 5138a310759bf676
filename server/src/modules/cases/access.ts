import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AccessRule, RecordFacts } from '../access/rule.js';
import type { Role } from '../auth/permissions.js';

type Db = Kysely<Database>;

/**
 * Who sees a case (事件): centre staff, grid workers, mediators and hotline/intake staff by place (the case's
 * jurisdiction and below); a department's handlers once it is dispatched to them, as lead or co-handler; the other
 * place and the mediator of a dispute the case became. Always only up to the viewer's clearance.
 */
const CASE_PLACE_ROLES: readonly Role[] = ['intake_clerk', 'dispatcher', 'supervisor', 'leader', 'grid_worker', 'mediator', 'hotline_operator'];
interface DisputeLink {
  otherPath: string | null;
  mediatorUserId: number | null;
  leadDepartmentId: number | null;
}

export const caseRule: AccessRule = {
  kind: 'case',
  table: 'case_file',
  place: ['jurisdiction_path'],
  placeRoles: CASE_PLACE_ROLES,
  rank: (eb, ref) => eb.ref(ref('security_rank')),
  relations: [
    {
      name: 'department',
      roles: ['handler'],
      sql: (eb, ref, v) =>
        v.departmentId === null
          ? eb.val(false)
          : eb.and([
              eb(ref('dispatched_at'), 'is not', null),
              eb.or([
                eb(ref('department_id'), '=', v.departmentId),
                eb.exists(eb.selectFrom('case_assignment as acc_a').select('acc_a.case_id').whereRef('acc_a.case_id', '=', ref('id')).where('acc_a.department_id', '=', v.departmentId)),
              ]),
            ]),
      holds: (f, v) => v.departmentId !== null && ((f as number[] | undefined) ?? []).includes(v.departmentId),
    },
    {
      // a dispute spanning two places (HH43) is handled by both; its mediator and its lead department work from the case too
      name: 'dispute',
      roles: 'any',
      sql: (eb, ref, v) =>
        eb.exists(
          eb
            .selectFrom('dispute as acc_d')
            .select('acc_d.id')
            .whereRef('acc_d.case_id', '=', ref('id'))
            .where((e) => {
              const parts = [];
              if (v.roles.some((r) => CASE_PLACE_ROLES.includes(r))) parts.push(e('acc_d.other_path', 'like', `${v.jurisdictionPath}%`));
              if (v.roles.includes('mediator')) parts.push(e('acc_d.mediator_id', 'in', e.selectFrom('mediator as acc_m').select('acc_m.id').where('acc_m.user_id', '=', v.id)));
              if (v.roles.includes('handler') && v.departmentId !== null) parts.push(e('acc_d.lead_department_id', '=', v.departmentId));
              return parts.length ? e.or(parts) : e.val(false);
            }),
        ),
      holds: (f, v) =>
        ((f as DisputeLink[] | undefined) ?? []).some(
          (d) =>
            (d.otherPath !== null && v.roles.some((r) => CASE_PLACE_ROLES.includes(r)) && d.otherPath.startsWith(v.jurisdictionPath)) ||
            (v.roles.includes('mediator') && d.mediatorUserId === v.id) ||
            (v.roles.includes('handler') && v.departmentId !== null && d.leadDepartmentId === v.departmentId),
        ),
    },
  ],
  facts: caseFacts,
};

async function caseFacts(db: Db, id: number): Promise<RecordFacts | undefined> {
  const c = await db.selectFrom('case_file').select(['jurisdiction_path', 'security_rank', 'department_id', 'dispatched_at']).where('id', '=', id).executeTakeFirst();
  if (!c) return undefined;
  const [co, disputes] = await Promise.all([
    db.selectFrom('case_assignment').select('department_id').where('case_id', '=', id).execute(),
    db.selectFrom('dispute as d').leftJoin('mediator as m', 'm.id', 'd.mediator_id').select(['d.other_path', 'm.user_id', 'd.lead_department_id']).where('d.case_id', '=', id).execute(),
  ]);
  const departments = c.dispatched_at === null ? [] : [...(c.department_id !== null ? [c.department_id] : []), ...co.map((a) => a.department_id)];
  return {
    paths: [c.jurisdiction_path],
    rank: c.security_rank,
    rel: { department: departments, dispute: disputes.map((d): DisputeLink => ({ otherPath: d.other_path, mediatorUserId: d.user_id, leadDepartmentId: d.lead_department_id })) },
  };
}

/** The facts of a case in hand (intake, before anything links to it): place and label only. */
export const newCaseFacts = (c: { jurisdictionPath: string; rank: number }): RecordFacts => ({ paths: [c.jurisdictionPath], rank: c.rank, rel: {} });

/**
 * The security admin changes a case's label without reading it (安全管理员 manages labels): it finds cases of its
 * jurisdiction by place alone, whatever their label. No other route uses this rule.
 */
export const caseLabelRule: AccessRule = {
  kind: 'case-label',
  table: 'case_file',
  place: ['jurisdiction_path'],
  placeRoles: ['security_admin'],
  rank: null,
  relations: [],
  facts: async () => undefined,
};

/** Attachments, timeline entries and supervision items are seen with their case. */
const withCase = (kind: string, table: keyof Database): AccessRule => ({
  kind,
  table,
  place: [],
  placeRoles: [],
  rank: null,
  relations: [{ name: 'case', roles: 'any', sql: (eb) => eb.val(true), holds: () => true }],
  parents: [{ rule: () => caseRule, column: 'case_id', required: true }],
  facts: async (db, id) => {
    const row = await db.selectFrom(table as 'case_attachment').select('case_id').where('id', '=', id).executeTakeFirst();
    return row ? { paths: [], rank: 0, rel: { case: true }, parents: [{ kind: 'case', id: row.case_id }] } : undefined;
  },
});

export const attachmentRule = withCase('attachment', 'case_attachment');
export const supervisionRule = withCase('supervision', 'supervision_item');
