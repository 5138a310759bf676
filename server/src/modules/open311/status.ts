import { CASE_STATUSES, type CaseStatus, CLOSE_REASONS, type CloseReason } from '../cases/index.js';
import type { Lang } from '../../http/errors.js';
import { localDateTime } from '../calendar/index.js';

/** The statuses of FixMyStreet's servicerequestupdates extension, as the updates feed sends them. */
export const UPDATE_STATUSES = [
  'OPEN',
  'IN_PROGRESS',
  'ACTION_SCHEDULED',
  'INTERNAL_REFERRAL',
  'FIXED',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'UNABLE_TO_FIX',
  'CLOSED',
  'REOPEN',
] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** One timeline entry, as much of it as the mapping needs. */
export interface TimelineFacts {
  action: string;
  toStatus: string | null;
  note: string | null;
  detail: Record<string, unknown>;
}

export function closeReasonStatus(reason: unknown): UpdateStatus {
  switch (reason) {
    case 'resolved':
      return 'FIXED';
    case 'unresolvable':
      return 'UNABLE_TO_FIX';
    case 'not_responsible':
      return 'NOT_COUNCILS_RESPONSIBILITY';
    case 'duplicate':
      return 'DUPLICATE';
    default:
      return 'CLOSED';
  }
}

/**
 * What a timeline entry tells the public, as an extended status; null for steps inside the government
 * (co-handling, extension requests, ratings, deadline warnings, attachments) that change nothing a reporter sees.
 */
export function updateStatus(e: TimelineFacts): UpdateStatus | null {
  switch (e.action) {
    case 'accept':
    case 'register':
    case 'return':
      return 'OPEN';
    case 'dispatch':
      return e.detail.toJurisdictionCode ? 'INTERNAL_REFERRAL' : 'ACTION_SCHEDULED';
    case 'designate-lead':
      return 'ACTION_SCHEDULED';
    case 'sign':
      return 'IN_PROGRESS';
    case 'approve-extension':
      return e.toStatus === 'signed' ? 'IN_PROGRESS' : 'ACTION_SCHEDULED';
    case 'escalate':
      return 'INTERNAL_REFERRAL';
    // a co-handler's feedback leaves the case where it was; only the lead's moves it on
    case 'feed-back':
      return e.toStatus === 'fed_back' ? 'IN_PROGRESS' : null;
    case 'verify':
      return e.detail.pass === false ? 'IN_PROGRESS' : closeReasonStatus(e.detail.closeReason);
    case 'close':
      return closeReasonStatus(e.detail.closeReason);
    // the merged case closes; the case it went into only gains a supporter
    case 'merge':
      return e.toStatus === 'closed' ? 'DUPLICATE' : null;
    case 'reopen':
      return 'REOPEN';
    default:
      return null;
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** 2026-11-28 17:30 in local time, for deadlines inside sentences. */
function localTime(iso: unknown): string | null {
  const s = str(iso);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : localDateTime(d);
}

/** How a case closed, in words fit for the public: the reason, the body responsible elsewhere, the closing note. */
export function closingText(reason: string | null, note: string | null, responsibleBody: string | null, lang: Lang): string {
  const label = CLOSE_REASONS[(reason ?? 'resolved') as CloseReason]?.[lang] ?? reason ?? '';
  const body = responsibleBody ? (lang === 'zh' ? `（责任单位：${responsibleBody}）` : ` (responsible: ${responsibleBody})`) : '';
  const tail = note?.trim() ? (lang === 'zh' ? `：${note.trim()}` : `: ${note.trim()}`) : '';
  return `${label}${body}${tail}`;
}

/**
 * The public sentence for a timeline entry. Internal reasoning (why a department returned a case, why it was
 * escalated, what a handler reported before verification) stays inside; closing notes are public, as they are
 * what the reporter is told.
 */
export function updateDescription(e: TimelineFacts, lang: Lang): string {
  const zh = lang === 'zh';
  const department = str(e.detail.departmentName);
  const deadline = localTime(e.detail.deadline);
  switch (e.action) {
    case 'accept':
      return zh ? '已受理' : 'Accepted';
    case 'register':
      return deadline ? (zh ? `已立案，办理期限至 ${deadline}` : `Registered; due by ${deadline}`) : zh ? '已立案' : 'Registered';
    case 'dispatch':
      if (e.detail.toJurisdictionCode) return zh ? '已转交下级综治中心办理' : 'Referred to the centre of a lower level';
      return department ? (zh ? `已交办至${department}` : `Dispatched to ${department}`) : zh ? '已交办' : 'Dispatched';
    case 'designate-lead':
      return department ? (zh ? `已指定${department}牵头办理` : `${department} designated to lead`) : zh ? '已指定牵头部门' : 'Lead department designated';
    case 'sign':
      return zh ? '承办部门已签收，正在办理' : 'The department has taken it on';
    case 'return':
      return zh ? '承办部门退回，正在重新安排' : 'Returned by the department; being reassigned';
    case 'approve-extension':
      return deadline ? (zh ? `办理期限延长至 ${deadline}` : `Deadline extended to ${deadline}`) : zh ? '办理期限已延长' : 'Deadline extended';
    case 'escalate':
      return zh ? '已上报上级综治中心' : 'Escalated to the centre of the level above';
    case 'feed-back':
      return zh ? '承办部门已反馈办理结果，待核查' : 'The department reported back; awaiting verification';
    case 'verify':
      if (e.detail.pass === false) return zh ? '核查未通过，重新办理' : 'Verification failed; being worked on again';
      return closingText(str(e.detail.closeReason), e.note, null, lang);
    case 'close':
      return closingText(str(e.detail.closeReason), e.note, str(e.detail.responsibleBody), lang);
    case 'merge': {
      const into = str(e.detail.intoNumber);
      return into ? (zh ? `已并入 ${into} 一并办理` : `Merged into ${into}`) : CLOSE_REASONS.duplicate[lang];
    }
    case 'reopen':
      return zh ? '重新办理' : 'Reopened';
    default:
      return CASE_STATUSES[e.toStatus as CaseStatus]?.[lang] ?? e.action;
  }
}
