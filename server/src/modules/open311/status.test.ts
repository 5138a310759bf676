import { describe, expect, it } from 'vitest';
import { closeReasonStatus, closingText, type TimelineFacts, updateDescription, updateStatus } from './status.js';

const e = (action: string, toStatus: string | null, detail: Record<string, unknown> = {}, note: string | null = null): TimelineFacts => ({ action, toStatus, note, detail });

describe('updateStatus', () => {
  it.each([
    ['accept', e('accept', 'accepted'), 'OPEN'],
    ['register', e('register', 'registered', { deadline: '2026-11-28T09:30:00.000Z' }), 'OPEN'],
    ['dispatch to a department', e('dispatch', 'dispatched', { departmentId: 3, departmentName: '青河区城市管理局' }), 'ACTION_SCHEDULED'],
    ['dispatch to a lower centre', e('dispatch', 'registered', { toJurisdictionCode: '990102001000' }), 'INTERNAL_REFERRAL'],
    ['designate-lead', e('designate-lead', 'dispatched', { departmentId: 3 }), 'ACTION_SCHEDULED'],
    ['sign', e('sign', 'signed'), 'IN_PROGRESS'],
    ['return', e('return', 'returned', { reason: '不属于本部门' }), 'OPEN'],
    ['escalate', e('escalate', 'registered', { toJurisdictionCode: '990100' }), 'INTERNAL_REFERRAL'],
    ['approve-extension while signed', e('approve-extension', 'signed', { days: 3 }), 'IN_PROGRESS'],
    ['approve-extension before signing', e('approve-extension', 'dispatched', { days: 3 }), 'ACTION_SCHEDULED'],
    ['feed-back by the lead', e('feed-back', 'fed_back', { as: 'lead' }), 'IN_PROGRESS'],
    ['verify failed', e('verify', 'signed', { pass: false }), 'IN_PROGRESS'],
    ['verify passed, resolved', e('verify', 'closed', { pass: true, closeReason: 'resolved' }), 'FIXED'],
    ['verify passed, unresolvable', e('verify', 'closed', { pass: true, closeReason: 'unresolvable' }), 'UNABLE_TO_FIX'],
    ['close resolved', e('close', 'closed', { closeReason: 'resolved' }), 'FIXED'],
    ['close unresolvable', e('close', 'closed', { closeReason: 'unresolvable' }), 'UNABLE_TO_FIX'],
    ['close not responsible', e('close', 'closed', { closeReason: 'not_responsible', responsibleBody: '供电公司' }), 'NOT_COUNCILS_RESPONSIBILITY'],
    ['close duplicate', e('close', 'closed', { closeReason: 'duplicate', duplicateOfCaseId: 7 }), 'DUPLICATE'],
    ['close withdrawn', e('close', 'closed', { closeReason: 'withdrawn' }), 'CLOSED'],
    ['merge of this case', e('merge', 'closed', { intoCaseId: 7, intoNumber: '20261121-000007' }), 'DUPLICATE'],
    ['reopen', e('reopen', 'dispatched', { reason: '问题复发' }), 'REOPEN'],
  ])('%s', (_name, event, status) => {
    expect(updateStatus(event)).toBe(status);
  });

  it.each([
    ['intake', e('intake', 'received')],
    ['a co-handler feeding back', e('feed-back', 'signed', { as: 'co' })],
    ['another case merged into this one', e('merge', 'dispatched', { mergedCaseId: 9 })],
    ['co-handle', e('co-handle', 'signed', { departmentIds: [4] })],
    ['request-extension', e('request-extension', 'signed', { days: 3 })],
    ['reject-extension', e('reject-extension', 'signed')],
    ['rate', e('rate', 'closed', { rating: 'satisfied' })],
    ['support', e('support', 'registered')],
    ['attach', e('attach', null)],
    ['deadline-warning', e('deadline-warning', null)],
    ['overdue', e('overdue', null)],
  ])('keeps %s inside', (_name, event) => {
    expect(updateStatus(event)).toBeNull();
  });

  it('reads an unknown close reason as plainly closed', () => {
    expect(closeReasonStatus('something_new')).toBe('CLOSED');
    expect(closeReasonStatus(undefined)).toBe('CLOSED');
  });
});

describe('updateDescription', () => {
  it('says where a case went and until when, in the local time', () => {
    expect(updateDescription(e('dispatch', 'dispatched', { departmentName: '青河区城市管理局' }), 'zh')).toBe('已交办至青河区城市管理局');
    expect(updateDescription(e('register', 'registered', { deadline: '2026-11-28T09:30:00.000Z' }), 'zh')).toBe('已立案，办理期限至 2026-11-28 17:30');
    expect(updateDescription(e('register', 'registered', { deadline: '2026-11-28T09:30:00.000Z' }), 'en')).toBe('Registered; due by 2026-11-28 17:30');
  });

  it('publishes the closing note but not internal reasons', () => {
    expect(updateDescription(e('close', 'closed', { closeReason: 'not_responsible', responsibleBody: '青河供电公司' }, '已转供电公司'), 'zh')).toBe('非本单位职责（责任单位：青河供电公司）：已转供电公司');
    expect(updateDescription(e('verify', 'closed', { pass: true, closeReason: 'resolved' }, '路灯已修复'), 'en')).toBe('Resolved: 路灯已修复');
    expect(updateDescription(e('return', 'returned', { reason: '不是我们的事' }, '不是我们的事'), 'zh')).not.toContain('不是我们的事');
    expect(updateDescription(e('escalate', 'registered', { reason: '街道无力处置' }, '街道无力处置'), 'zh')).not.toContain('无力');
  });

  it('names the case a merged case went into', () => {
    expect(updateDescription(e('merge', 'closed', { intoNumber: '20261121-000007' }), 'zh')).toBe('已并入 20261121-000007 一并办理');
  });
});

describe('closingText', () => {
  it('is the reason alone when there is no note', () => {
    expect(closingText('withdrawn', null, null, 'zh')).toBe('诉求人撤回');
    expect(closingText('resolved', '  ', null, 'en')).toBe('Resolved');
  });
});
