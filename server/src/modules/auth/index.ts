// Accounts, sessions, roles and the plugin that enforces each route's policy. What other modules may use; everything else here is internal.
export { may } from './permissions.js';
export type { Role } from './permissions.js';
export { authPlugin, currentUser } from './plugin.js';
export type { SessionUser } from './session-user.js';
export { needsSecondFactor } from './totp.js';
export { createUser, DUTY_ROLES, issueTemporaryPassword } from './users.js';
export { userName } from './sql.js';
export { deleteEndedSessions } from './retention.js';
export { accountsOfDepartment, activeAccounts, activeStaff, findAccount, findAccountByUsername } from './accounts.js';
