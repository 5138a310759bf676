import { attachmentRule, caseLabelRule, caseRule, supervisionRule } from '../cases/access.js';
import { dailyLogRule, patrolRule, visitRule } from '../gridwork/access.js';
import { disputeRule } from '../mediation/access.js';
import { noticeRule } from '../notifications/access.js';
import { crisisRule, personRule, psychReferralRule, visitWarningRule } from '../people/access.js';
import { auditEntryRule } from '../audit/access.js';
import type { AccessRule } from './rule.js';

/**
 * Every kind of record and its rule, each declared in its module's `access.ts`. A new kind is added here; the access
 * matrix test (server/test/access-matrix.test.ts) then checks it with every other.
 */
export const RULES: ReadonlyMap<string, AccessRule> = new Map(
  [caseRule, caseLabelRule, attachmentRule, supervisionRule, disputeRule, personRule, visitWarningRule, psychReferralRule, crisisRule, patrolRule, visitRule, dailyLogRule, noticeRule, auditEntryRule].map(
    (r) => [r.kind, r],
  ),
);

export function ruleOf(kind: string): AccessRule {
  const rule = RULES.get(kind);
  if (!rule) throw new Error(`no access rule for record kind ${kind}`);
  return rule;
}
