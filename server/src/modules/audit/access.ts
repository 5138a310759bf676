import type { AccessRule } from '../access/rule.js';

/** The audit log is the auditor's (安全审计员), all of it: an auditor's jurisdiction is the deployment. */
export const auditEntryRule: AccessRule = {
  kind: 'audit-entry',
  table: 'audit_event',
  place: [],
  placeRoles: [],
  rank: null,
  relations: [{ name: 'auditor', roles: ['auditor'], sql: (eb) => eb.val(true), holds: () => true }],
  facts: async (db, id) => ((await db.selectFrom('audit_event').select('id').where('id', '=', id).executeTakeFirst()) ? { paths: [], rank: 0, rel: {} } : undefined),
};
