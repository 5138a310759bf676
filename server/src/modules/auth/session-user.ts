import type { SecurityLabel } from '../privacy/labels.js';
import type { Role } from './permissions.js';

/** The signed-in user as every route sees it. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
  jurisdictionCode: string;
  /** the jurisdiction's path: records whose path starts with it are in scope */
  jurisdictionPath: string;
  jurisdictionLevel: 'city' | 'district' | 'street' | 'community';
  departmentId: number | null;
  /** the highest security label this user may read: records labelled above it are out of scope (privacy/labels.ts) */
  clearance: SecurityLabel;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  /** a privileged account without a second factor yet: it may only enrol */
  needsTotpEnrolment: boolean;
  /** a second factor is enrolled: sign-in and security changes ask for a code */
  totpEnabled: boolean;
}
