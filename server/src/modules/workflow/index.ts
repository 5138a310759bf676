// The workflow kernel: what a record kind with a closed loop (cases, disputes, and the kinds to come) uses.
export { optionalText, required, text } from './input.js';
export { type ActionAnswer, type ActionRequest, nextActions, runAction } from './kernel.js';
export { lifecycle, type LifecycleSpec, type Rule, stay } from './rules.js';
export type { Applied, Db, Decision, Effects, Lifecycle, LifecycleTypes, Refusal, StatusTable, StatusType, Step, TimelineEntry, Transition, Workflow, WorkflowTypes } from './types.js';
