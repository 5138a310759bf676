import type { Role } from '../auth/permissions.js';
import { lifecycle, type Rule, stay } from '../workflow/index.js';

/** Case statuses. Queries ask about the type (open/closed), so labels can change freely. */
export const CASE_STATUSES = {
  received: { type: 'open', zh: '待受理', en: 'Received' },
  accepted: { type: 'open', zh: '已受理', en: 'Accepted' },
  registered: { type: 'open', zh: '已立案', en: 'Registered' },
  dispatched: { type: 'open', zh: '已交办', en: 'Dispatched' },
  signed: { type: 'open', zh: '办理中', en: 'Being handled' },
  returned: { type: 'open', zh: '已退回', en: 'Returned' },
  fed_back: { type: 'open', zh: '已反馈待核查', en: 'Fed back' },
  closed: { type: 'closed', zh: '已结案', en: 'Closed' },
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;
export const statusType = (s: CaseStatus) => CASE_STATUSES[s].type;

/** How a closed case closed: honest about it. */
export const CLOSE_REASONS = {
  resolved: { zh: '已解决', en: 'Resolved' },
  unresolvable: { zh: '已解释，暂无法解决', en: 'Explained, cannot be resolved' },
  not_responsible: { zh: '非本单位职责', en: 'Not our responsibility' },
  duplicate: { zh: '重复件', en: 'Duplicate' },
  withdrawn: { zh: '诉求人撤回', en: 'Withdrawn' },
} as const;
export type CloseReason = keyof typeof CLOSE_REASONS;

export const CASE_ACTIONS = [
  'accept',
  'register',
  'dispatch',
  'sign',
  'return',
  'designate-lead',
  'co-handle',
  'request-extension',
  'approve-extension',
  'reject-extension',
  'escalate',
  'feed-back',
  'verify',
  'close',
  'reopen',
  'rate',
  'merge',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const ACTION_LABELS: Record<CaseAction | 'intake' | 'support' | 'attach' | 'deadline-warning' | 'overdue', { zh: string; en: string }> = {
  intake: { zh: '登记', en: 'Intake' },
  accept: { zh: '受理', en: 'Accept' },
  register: { zh: '立案', en: 'Register' },
  dispatch: { zh: '交办', en: 'Dispatch' },
  sign: { zh: '签收', en: 'Sign for' },
  return: { zh: '退回', en: 'Return' },
  'designate-lead': { zh: '指定牵头', en: 'Designate lead' },
  'co-handle': { zh: '协办', en: 'Co-handle' },
  'request-extension': { zh: '申请延期', en: 'Request extension' },
  'approve-extension': { zh: '批准延期', en: 'Approve extension' },
  'reject-extension': { zh: '驳回延期', en: 'Reject extension' },
  escalate: { zh: '上报', en: 'Escalate' },
  'feed-back': { zh: '反馈', en: 'Feed back' },
  verify: { zh: '核查', en: 'Verify' },
  close: { zh: '结案', en: 'Close' },
  reopen: { zh: '重新办理', en: 'Reopen' },
  rate: { zh: '回访评价', en: 'Rate' },
  merge: { zh: '合并', en: 'Merge' },
  support: { zh: '附议', en: 'Me too' },
  attach: { zh: '上传附件', en: 'Attach' },
  'deadline-warning': { zh: '临期预警', en: 'Deadline warning' },
  overdue: { zh: '超期', en: 'Overdue' },
};

/** What the lifecycle needs to know about a case. */
export interface CaseFacts {
  status: CaseStatus;
  designated: boolean;
  pendingExtension: boolean;
  rated: boolean;
  /** co-handling departments that have not fed back yet */
  coPending: number;
  hasDepartment: boolean;
  handlingLevel: 'city' | 'district' | 'street' | 'community';
}

/** Who the actor is in relation to the case; computed from the database by the caller. */
export interface ActorFacts {
  roles: readonly Role[];
  /** the actor's jurisdiction is the case's handling jurisdiction or above it */
  atHandlingCentre: boolean;
  /** handler of the lead department */
  leadHandler: boolean;
  /** handler of a co-handling department that has not fed back */
  pendingCoHandler: boolean;
}

const CENTRE: Role[] = ['dispatcher', 'supervisor', 'leader'];
const INTAKE: Role[] = ['intake_clerk', 'hotline_operator', 'dispatcher'];

/** The parts of an action's input that change where it leads. */
export interface ActionParams {
  /** verify: false sends the case back to the handler */
  pass?: boolean | undefined;
  /** dispatch: to a lower level's centre instead of a department */
  toLowerLevel?: boolean | undefined;
}

export interface CaseLifecycleTypes {
  status: CaseStatus;
  action: CaseAction;
  state: CaseFacts;
  actor: ActorFacts;
  facts: ActionParams;
}

const has = (a: ActorFacts, roles: Role[]) => a.roles.some((r) => roles.includes(r));
const centre = (roles: Role[]) => (a: ActorFacts) => a.atHandlingCentre && has(a, roles);
const same = stay<CaseLifecycleTypes>;
const noPendingExtension = (c: CaseFacts) => (c.pendingExtension ? null : { zh: '没有待审批的延期申请', en: 'No extension request is pending' });

const RULES: Record<CaseAction, Rule<CaseLifecycleTypes>> = {
  accept: { from: ['received'], who: centre([...INTAKE, 'supervisor']), to: () => 'accepted' },
  register: { from: ['received', 'accepted'], who: centre(['dispatcher', 'intake_clerk', 'hotline_operator']), to: () => 'registered' },
  dispatch: { from: ['registered', 'returned'], who: centre(CENTRE), to: (_c, _a, p) => (p.toLowerLevel ? 'registered' : 'dispatched') },
  sign: { from: ['dispatched'], who: (a) => a.leadHandler, to: () => 'signed' },
  return: {
    from: ['dispatched', 'signed'],
    who: (a) => a.leadHandler,
    when: (c) => (c.designated ? { zh: '已指定牵头部门，不能退回', en: 'A designated lead department cannot return the case' } : null),
    to: () => 'returned',
  },
  'designate-lead': { from: ['registered', 'returned', 'dispatched'], who: centre(CENTRE), to: () => 'dispatched' },
  'co-handle': { from: ['dispatched', 'signed'], who: centre(CENTRE), to: same },
  'request-extension': {
    from: ['dispatched', 'signed'],
    who: (a) => a.leadHandler,
    when: (c) => (c.pendingExtension ? { zh: '已有待审批的延期申请', en: 'An extension request is already pending' } : null),
    to: same,
  },
  'approve-extension': { from: ['dispatched', 'signed'], who: centre(CENTRE), when: noPendingExtension, to: same },
  'reject-extension': { from: ['dispatched', 'signed'], who: centre(CENTRE), when: noPendingExtension, to: same },
  escalate: {
    from: ['accepted', 'registered', 'returned'],
    who: centre(['dispatcher', 'supervisor']),
    when: (c) => (c.handlingLevel === 'city' ? { zh: '市级已是最高层级，无法上报', en: 'The city is the top level; nothing to escalate to' } : null),
    to: () => 'registered',
  },
  'feed-back': {
    from: ['signed'],
    who: (a) => a.leadHandler || a.pendingCoHandler,
    when: (c, a) => (a.leadHandler && !a.pendingCoHandler && c.coPending > 0 ? { zh: `还有 ${c.coPending} 个协办部门未反馈`, en: `${c.coPending} co-handling department(s) have not fed back yet` } : null),
    to: (c, a) => (a.leadHandler && !a.pendingCoHandler ? 'fed_back' : c.status),
  },
  verify: { from: ['fed_back'], who: centre(['dispatcher', 'supervisor']), to: (_c, _a, p) => (p.pass === false ? 'signed' : 'closed') },
  close: { from: ['received', 'accepted', 'registered', 'returned', 'fed_back'], who: centre(CENTRE), to: () => 'closed' },
  reopen: { from: ['closed'], who: centre(['dispatcher', 'supervisor']), to: (c) => (c.hasDepartment ? 'dispatched' : 'registered') },
  rate: {
    from: ['closed'],
    who: centre(['hotline_operator', 'dispatcher', 'supervisor']),
    when: (c) => (c.rated ? { zh: '该案件已评价', en: 'This case has already been rated' } : null),
    to: same,
  },
  merge: { from: ['received', 'accepted', 'registered', 'returned'], who: centre(['dispatcher', 'supervisor']), to: () => 'closed' },
};

/** The case lifecycle: may this actor take this action on a case in this state, and where does it lead? */
export const caseLifecycle = lifecycle<CaseLifecycleTypes>({
  kind: 'case',
  noun: { zh: '案件', en: 'case' },
  statuses: CASE_STATUSES,
  actions: CASE_ACTIONS,
  labels: ACTION_LABELS,
  rules: RULES,
  probe: {},
});
