import { AppError } from '../../http/errors.js';
import type { AccessRule, Level } from '../access/rule.js';
import { caseRule } from '../cases/access.js';
import type { SessionUser } from '../auth/session-user.js';
import type { Role } from '../auth/permissions.js';
import type { SecurityLabel } from '../privacy/labels.js';
import type { CareGroup } from './schedule.js';

/** Groups under criminal-justice or medical supervision start 敏感 (confidential); care groups start internal. */
const CONFIDENTIAL_GROUPS: ReadonlySet<CareGroup> = new Set(['community_correction', 'released_person', 'drug_rehab', 'severe_mental']);

export function labelForGroup(group: CareGroup): SecurityLabel {
  return CONFIDENTIAL_GROUPS.has(group) ? 'confidential' : 'internal';
}

/** People served are read where the care happens: the community and the street; city and district centres do not. */
const CARE_LEVELS: readonly Level[] = ['community', 'street'];
const CARE_ROLES: readonly Role[] = ['grid_worker', 'dispatcher', 'supervisor'];

export function assertCareLevel(user: Pick<SessionUser, 'jurisdictionLevel'>): void {
  if (!CARE_LEVELS.includes(user.jurisdictionLevel)) {
    throw new AppError(403, 'level_not_permitted', { zh: '重点人群信息仅限社区和街道查看', en: 'People served are visible at community and street level only' });
  }
}

/**
 * Who sees a person served (重点人群): community and street staff and grid workers by place, a staff member named
 * responsible for the person, each up to their clearance (the group sets the label: labelForGroup).
 */
export const personRule: AccessRule = {
  kind: 'person',
  table: 'person_served',
  place: ['jurisdiction_path'],
  placeRoles: CARE_ROLES,
  placeLevels: CARE_LEVELS,
  rank: (eb, ref) => eb.ref(ref('security_rank')),
  relations: [
    {
      name: 'responsible',
      roles: CARE_ROLES,
      sql: (eb, ref, v) => eb.exists(eb.selectFrom('person_responsible as acc_pr').select('acc_pr.id').whereRef('acc_pr.person_id', '=', ref('id')).where('acc_pr.user_id', '=', v.id)),
      holds: (f, v) => ((f as number[] | undefined) ?? []).includes(v.id),
    },
  ],
  facts: async (db, id) => {
    const p = await db.selectFrom('person_served').select(['jurisdiction_path', 'security_rank']).where('id', '=', id).executeTakeFirst();
    if (!p) return undefined;
    const responsible = await db.selectFrom('person_responsible').select('user_id').where('person_id', '=', id).where('user_id', 'is not', null).execute();
    return { paths: [p.jurisdiction_path], rank: p.security_rank, rel: { responsible: responsible.map((r) => r.user_id!) } };
  },
};

/** Records about a person served (a missed-visit warning, a psychological referral, a crisis): seen with the person. */
function aboutPerson(kind: string, table: 'care_visit_warning' | 'psych_referral' | 'crisis_intervention', withCase: boolean): AccessRule {
  return {
    kind,
    table,
    place: ['jurisdiction_path'],
    placeRoles: CARE_ROLES,
    placeLevels: CARE_LEVELS,
    rank: null,
    relations: [],
    parents: [{ rule: () => personRule, column: 'person_id', required: !withCase }, ...(withCase ? [{ rule: () => caseRule, column: 'case_id' }] : [])],
    facts: async (db, id) => {
      const r = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      const parents = [];
      if (r.person_id !== null) parents.push({ kind: 'person', id: r.person_id });
      if ('case_id' in r && r.case_id !== null) parents.push({ kind: 'case', id: r.case_id });
      return { paths: [r.jurisdiction_path], rank: 0, rel: {}, parents };
    },
  };
}

export const visitWarningRule = aboutPerson('visit-warning', 'care_visit_warning', false);
export const psychReferralRule = aboutPerson('psych-referral', 'psych_referral', true);
export const crisisRule = aboutPerson('crisis', 'crisis_intervention', true);
