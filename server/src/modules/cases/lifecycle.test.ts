import { describe, expect, it } from 'vitest';
import { type ActorFacts, type CaseFacts, caseLifecycle } from './lifecycle.js';

const { decide, allowed } = caseLifecycle;
const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  status: 'registered',
  designated: false,
  pendingExtension: false,
  rated: false,
  coPending: 0,
  hasDepartment: true,
  handlingLevel: 'district',
  ...over,
});
const actor = (over: Partial<ActorFacts> = {}): ActorFacts => ({ roles: ['dispatcher'], atHandlingCentre: true, leadHandler: false, pendingCoHandler: false, ...over });
const centre = actor();
const elsewhere = actor({ atHandlingCentre: false });
const lead = actor({ roles: ['handler'], atHandlingCentre: false, leadHandler: true });
const co = actor({ roles: ['handler'], atHandlingCentre: false, pendingCoHandler: true });
const hotline = actor({ roles: ['hotline_operator'] });

describe('case lifecycle', () => {
  it('runs the closed loop: dispatch, sign, feed back, verify, rate', () => {
    expect(decide(facts(), 'dispatch', centre, {})).toEqual({ effects: { to: 'dispatched' } });
    expect(decide(facts(), 'dispatch', centre, { toLowerLevel: true })).toEqual({ effects: { to: 'registered' } });
    expect(decide(facts({ status: 'dispatched' }), 'sign', lead, {})).toEqual({ effects: { to: 'signed' } });
    expect(decide(facts({ status: 'signed' }), 'feed-back', lead, {})).toEqual({ effects: { to: 'fed_back' } });
    expect(decide(facts({ status: 'fed_back' }), 'verify', centre, { pass: true })).toEqual({ effects: { to: 'closed' } });
    expect(decide(facts({ status: 'fed_back' }), 'verify', centre, { pass: false })).toEqual({ effects: { to: 'signed' } });
    expect(decide(facts({ status: 'closed' }), 'rate', hotline, {})).toEqual({ effects: { to: 'closed' } });
    expect(decide(facts({ status: 'closed' }), 'reopen', centre, {})).toEqual({ effects: { to: 'dispatched' } });
    expect(decide(facts({ status: 'closed', hasDepartment: false }), 'reopen', centre, {})).toEqual({ effects: { to: 'registered' } });
  });

  it('refuses other actors and other centres (403) and the wrong state (409)', () => {
    expect(decide(facts(), 'dispatch', elsewhere, {})).toMatchObject({ refusal: { code: 'forbidden' } });
    expect(decide(facts({ status: 'dispatched' }), 'sign', centre, {})).toMatchObject({ refusal: { code: 'forbidden' } });
    expect(decide(facts({ status: 'closed' }), 'dispatch', centre, {})).toMatchObject({ refusal: { code: 'invalid_state', zh: '案件当前状态为“已结案”，不能交办' } });
  });

  it('keeps its conditions: a designated lead cannot return, one extension at a time, no escalation above the city, co-handlers first, one rating', () => {
    expect(decide(facts({ status: 'signed', designated: true }), 'return', lead, {})).toMatchObject({ refusal: { code: 'invalid_state', zh: expect.stringContaining('牵头') } });
    expect(decide(facts({ status: 'signed', pendingExtension: true }), 'request-extension', lead, {})).toMatchObject({ refusal: { code: 'invalid_state' } });
    expect(decide(facts({ status: 'signed' }), 'approve-extension', centre, {})).toMatchObject({ refusal: { code: 'invalid_state' } });
    expect(decide(facts({ status: 'signed', pendingExtension: true }), 'approve-extension', centre, {})).toEqual({ effects: { to: 'signed' } });
    expect(decide(facts({ handlingLevel: 'city' }), 'escalate', centre, {})).toMatchObject({ refusal: { code: 'invalid_state' } });
    expect(decide(facts({ status: 'signed', coPending: 2 }), 'feed-back', lead, {})).toMatchObject({ refusal: { en: '2 co-handling department(s) have not fed back yet' } });
    expect(decide(facts({ status: 'signed', coPending: 2 }), 'feed-back', co, {})).toEqual({ effects: { to: 'signed' } });
    expect(decide(facts({ status: 'closed', rated: true }), 'rate', hotline, {})).toMatchObject({ refusal: { code: 'invalid_state' } });
  });

  it('lists what each actor may do now', () => {
    expect(allowed(facts(), centre)).toEqual(['dispatch', 'designate-lead', 'escalate', 'close', 'merge']);
    expect(allowed(facts({ status: 'dispatched' }), lead)).toEqual(['sign', 'return', 'request-extension']);
    expect(allowed(facts({ status: 'signed', coPending: 1 }), lead)).toEqual(['return', 'request-extension']);
    expect(allowed(facts({ status: 'closed' }), hotline)).toEqual(['rate']);
    expect(allowed(facts(), elsewhere)).toEqual([]);
  });
});
