import type { Role } from '../auth/permissions.js';
import { lifecycle, type Rule, stay } from '../workflow/index.js';

/** Dispute types (R3.1). */
export const DISPUTE_TYPES = {
  family: { zh: '婚姻家庭纠纷', en: 'Family' },
  neighbour: { zh: '邻里纠纷', en: 'Neighbour' },
  property_management: { zh: '物业纠纷', en: 'Property management' },
  labour: { zh: '劳动争议', en: 'Labour' },
  medical: { zh: '医疗纠纷', en: 'Medical' },
  traffic_accident: { zh: '交通事故纠纷', en: 'Traffic accident' },
  consumer: { zh: '消费纠纷', en: 'Consumer' },
  land: { zh: '土地纠纷', en: 'Land' },
  construction: { zh: '建设工程纠纷', en: 'Construction' },
  other: { zh: '其他纠纷', en: 'Other' },
} as const;
export type DisputeType = keyof typeof DISPUTE_TYPES;

/** Diversion paths (R3.2: 分流、三调联动、诉非衔接). `mediation` paths keep the dispute here for mediation. */
export const PATHS = {
  people_mediation: { zh: '人民调解', en: "People's mediation committee", mediation: true },
  administrative_mediation: { zh: '行政调解', en: 'Administrative mediation', mediation: true },
  professional_mediation: { zh: '行业性专业性调解', en: 'Industry / professional committee', mediation: true },
  personal_studio: { zh: '个人调解工作室', en: 'Personal mediation studio', mediation: true },
  court_entrusted: { zh: '法院委派委托调解', en: 'Court-entrusted mediation', mediation: true },
  arbitration: { zh: '仲裁', en: 'Arbitration', mediation: false },
  administrative_review: { zh: '行政复议', en: 'Administrative review', mediation: false },
  litigation: { zh: '诉讼', en: 'Litigation', mediation: false },
  petition: { zh: '信访', en: 'Petition', mediation: false },
} as const;
export type DiversionPath = keyof typeof PATHS;

export const OUTCOMES = {
  agreement: { zh: '调解成功', en: 'Agreement' },
  partial: { zh: '部分达成协议', en: 'Partial agreement' },
  failed: { zh: '调解不成', en: 'Failed' },
  withdrawn: { zh: '当事人撤回', en: 'Withdrawn' },
} as const;
export type Outcome = keyof typeof OUTCOMES;

/** Statuses carry a type that code asks about (open / resolved / closed), so labels can change freely. */
export const DISPUTE_STATUSES = {
  registered: { type: 'open', zh: '待分流', en: 'Awaiting diversion' },
  diverted: { type: 'open', zh: '已分流待指派', en: 'Diverted, awaiting a mediator' },
  mediating: { type: 'open', zh: '调解中', en: 'Being mediated' },
  failed: { type: 'open', zh: '调解不成待转出', en: 'Failed, to divert onward' },
  agreed: { type: 'resolved', zh: '已达成协议', en: 'Agreement reached' },
  referred: { type: 'closed', zh: '已转出', en: 'Referred onward' },
  withdrawn: { type: 'closed', zh: '已撤回', en: 'Withdrawn' },
  closed: { type: 'closed', zh: '已办结', en: 'Closed' },
} as const;
export type DisputeStatus = keyof typeof DISPUTE_STATUSES;

export const DISPUTE_ACTIONS = [
  'divert',
  'assign',
  'record-session',
  'conclude',
  'apply-confirmation',
  'record-confirmation',
  'schedule-follow-up',
  'record-follow-up',
  'joint-meeting',
  'close',
] as const;
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];

export const DISPUTE_ACTION_LABELS: Record<DisputeAction | 'intake' | 'agreement' | 'follow-up-missed', { zh: string; en: string }> = {
  intake: { zh: '纠纷登记', en: 'Intake' },
  divert: { zh: '分流', en: 'Divert' },
  assign: { zh: '指派调解员', en: 'Assign mediator' },
  'record-session': { zh: '调解记录', en: 'Record a session' },
  conclude: { zh: '调解结果', en: 'Conclude' },
  agreement: { zh: '制作调解协议书', en: 'Mediation agreement' },
  'apply-confirmation': { zh: '申请司法确认', en: 'Apply for judicial confirmation' },
  'record-confirmation': { zh: '司法确认结果', en: 'Judicial confirmation decision' },
  'schedule-follow-up': { zh: '安排回访', en: 'Schedule a follow-up' },
  'record-follow-up': { zh: '回访记录', en: 'Record a follow-up' },
  'follow-up-missed': { zh: '回访逾期提醒', en: 'Follow-up missed' },
  'joint-meeting': { zh: '联合调处会议', en: 'Joint meeting' },
  close: { zh: '办结', en: 'Close' },
};

/** What the lifecycle needs to know about a dispute. */
export interface DisputeFacts {
  status: DisputeStatus;
  hasMediator: boolean;
  confirmation: 'none' | 'applied' | 'decided';
  outcome: Outcome | null;
}

/** Who the actor is in relation to the dispute; computed by the caller. */
export interface DisputeActor {
  roles: readonly Role[];
  /** dispatcher or supervisor whose jurisdiction is the organising centre's or above it */
  atCentre: boolean;
  /** the mediator assigned to this dispute */
  assignedMediator: boolean;
}

/** The parts of an action's input that change where it leads. */
export interface DisputeParams {
  path?: DiversionPath | undefined;
  outcome?: Outcome | undefined;
}

export interface DisputeLifecycleTypes {
  status: DisputeStatus;
  action: DisputeAction;
  state: DisputeFacts;
  actor: DisputeActor;
  facts: DisputeParams;
}

const CENTRE: Role[] = ['dispatcher', 'supervisor'];
const centre = (a: DisputeActor) => a.atCentre && a.roles.some((r) => CENTRE.includes(r));
const worker = (a: DisputeActor) => centre(a) || a.assignedMediator;
const same = stay<DisputeLifecycleTypes>;

const RULES: Record<DisputeAction, Rule<DisputeLifecycleTypes>> = {
  // the path can change with history kept; a failed mediation diverts onward without losing the record
  divert: {
    from: ['registered', 'diverted', 'mediating', 'failed'],
    who: worker,
    needs: (p) => (p.path ? null : { field: 'path', zh: '请选择分流途径', en: 'Choose a path' }),
    to: (_d, _a, p) => (p.path && PATHS[p.path].mediation ? 'diverted' : 'referred'),
  },
  assign: { from: ['diverted', 'mediating'], who: centre, to: () => 'mediating' },
  'record-session': { from: ['mediating'], who: worker, to: same },
  conclude: {
    from: ['mediating'],
    who: worker,
    needs: (p) => (p.outcome ? null : { field: 'outcome', zh: '请选择调解结果', en: 'Choose the outcome' }),
    when: (d) => (d.hasMediator ? null : { zh: '尚未指派调解员', en: 'No mediator is assigned yet' }),
    to: (_d, _a, p) => (p.outcome === 'agreement' || p.outcome === 'partial' ? 'agreed' : p.outcome === 'withdrawn' ? 'withdrawn' : 'failed'),
  },
  'apply-confirmation': {
    from: ['agreed'],
    who: worker,
    when: (d) => (d.confirmation === 'none' ? null : { zh: '已申请司法确认', en: 'Judicial confirmation was already applied for' }),
    to: same,
  },
  'record-confirmation': {
    from: ['agreed', 'closed'],
    who: worker,
    when: (d) => (d.confirmation === 'applied' ? null : { zh: '尚未申请司法确认或已有结果', en: 'No pending application for judicial confirmation' }),
    to: same,
  },
  'schedule-follow-up': { from: ['agreed'], who: worker, to: same },
  'record-follow-up': { from: ['agreed', 'closed'], who: worker, to: same },
  'joint-meeting': { from: ['registered', 'diverted', 'mediating', 'failed'], who: centre, to: same },
  close: { from: ['registered', 'diverted', 'failed', 'agreed'], who: centre, to: () => 'closed' },
};

/** The dispute lifecycle: may this actor take this action on a dispute in this state, and where does it lead? */
export const disputeLifecycle = lifecycle<DisputeLifecycleTypes>({
  kind: 'dispute',
  noun: { zh: '纠纷', en: 'dispute' },
  statuses: DISPUTE_STATUSES,
  actions: DISPUTE_ACTIONS,
  labels: DISPUTE_ACTION_LABELS,
  rules: RULES,
  probe: { path: 'people_mediation', outcome: 'agreement' },
});

/** The agreement document exists once mediation reached an agreement (full or partial). */
export const hasAgreement = (d: Pick<DisputeFacts, 'outcome'>) => d.outcome === 'agreement' || d.outcome === 'partial';
