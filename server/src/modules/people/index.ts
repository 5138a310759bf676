// People served (重点人群): records, care plans, visit schedules. What other modules may use; everything else here is internal.
export { labelForGroup } from './access.js';
export { dueForWorker, missedVisitsDue, openWarnings, recordPersonVisit, toPersonSummary } from './repository.js';
export { nextVisitDue } from './schedule.js';
export type { CareGroup } from './schedule.js';
export { scanMissedVisits } from './visit-scan.js';
