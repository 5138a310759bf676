import { AppError } from '../../http/errors.js';
import type { SessionUser } from '../auth/session-user.js';
import { rankOf, type SecurityLabel } from '../privacy/labels.js';
import type { CareGroup } from './schedule.js';

/** Groups under criminal-justice or medical supervision start 敏感 (confidential); care groups start internal. */
const CONFIDENTIAL_GROUPS: ReadonlySet<CareGroup> = new Set(['community_correction', 'released_person', 'drug_rehab', 'severe_mental']);

export function labelForGroup(group: CareGroup): SecurityLabel {
  return CONFIDENTIAL_GROUPS.has(group) ? 'confidential' : 'internal';
}

/** Who reads people served: the community and street, where the care happens; city and district centres do not. */
export function assertCareLevel(user: Pick<SessionUser, 'jurisdictionLevel'>): void {
  if (user.jurisdictionLevel !== 'community' && user.jurisdictionLevel !== 'street') {
    throw new AppError(403, 'level_not_permitted', { zh: '重点人群信息仅限社区和街道查看', en: 'People served are visible at community and street level only' });
  }
}

/** The part of a user that decides which people served they see. */
export interface PeopleReader {
  jurisdictionPath: string;
  clearance: SecurityLabel;
}

export const readerOf = (u: SessionUser): PeopleReader => ({ jurisdictionPath: u.jurisdictionPath, clearance: u.clearance });
export const maxRank = (r: PeopleReader) => rankOf(r.clearance);
