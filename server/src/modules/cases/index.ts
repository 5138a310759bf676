// The case (事件) loop: intake, routing, reads, the deadline scan, exports. What other modules may use; everything else here is internal.
export { commonAncestor } from './classify.js';
export { scanDeadlines } from './deadline-scan.js';
export { CHANNEL_LABELS, STAFF_CHANNELS, intakeCase } from './intake.js';
export type { Channel, IntakeContext, IntakeInput } from './intake.js';
export { CASE_STATUSES, CLOSE_REASONS } from './lifecycle.js';
export type { CaseStatus, CloseReason } from './lifecycle.js';
export { centreStaff, departmentHandlers, findCase } from './repository.js';
export type { CaseRow } from './repository.js';
export { caseNumberOf, publicCaseEvents, publicCases } from './public.js';
export type { PublicCaseFilter } from './public.js';
export { anonymiseClosedCases } from './retention.js';
export { caseById, caseField, caseHeads, caseOutcomes, visibleCaseHeads } from './outcomes.js';
