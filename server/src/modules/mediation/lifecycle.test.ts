import { describe, expect, it } from 'vitest';
import { allowedDisputeActions, decideDispute, type DisputeActor, type DisputeFacts } from './lifecycle.js';

const facts = (over: Partial<DisputeFacts> = {}): DisputeFacts => ({ status: 'registered', hasMediator: false, confirmation: 'none', outcome: null, ...over });
const centre: DisputeActor = { roles: ['dispatcher'], atCentre: true, assignedMediator: false };
const mediator: DisputeActor = { roles: ['mediator'], atCentre: false, assignedMediator: true };
const otherMediator: DisputeActor = { roles: ['mediator'], atCentre: false, assignedMediator: false };
const leader: DisputeActor = { roles: ['leader'], atCentre: true, assignedMediator: false };

describe('dispute lifecycle', () => {
  it('diverts to a mediation path, or refers out of mediation', () => {
    expect(decideDispute(facts(), 'divert', centre, { path: 'people_mediation' })).toEqual({ ok: true, next: 'diverted' });
    expect(decideDispute(facts(), 'divert', centre, { path: 'litigation' })).toEqual({ ok: true, next: 'referred' });
    expect(decideDispute(facts(), 'divert', centre)).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(decideDispute(facts(), 'divert', leader, { path: 'litigation' })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('assigns, records sessions and concludes through the outcomes', () => {
    expect(decideDispute(facts({ status: 'diverted' }), 'assign', centre)).toEqual({ ok: true, next: 'mediating' });
    expect(decideDispute(facts({ status: 'diverted' }), 'assign', mediator)).toMatchObject({ ok: false, code: 'forbidden' });
    const m = facts({ status: 'mediating', hasMediator: true });
    expect(decideDispute(m, 'record-session', mediator)).toEqual({ ok: true, next: 'mediating' });
    expect(decideDispute(m, 'record-session', otherMediator)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'agreement' })).toEqual({ ok: true, next: 'agreed' });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'partial' })).toEqual({ ok: true, next: 'agreed' });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'failed' })).toEqual({ ok: true, next: 'failed' });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'withdrawn' })).toEqual({ ok: true, next: 'withdrawn' });
    expect(decideDispute(facts({ status: 'mediating' }), 'conclude', centre, { outcome: 'agreement' })).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  it('diverts a failed mediation onward to litigation', () => {
    expect(decideDispute(facts({ status: 'failed', hasMediator: true }), 'divert', mediator, { path: 'litigation' })).toEqual({ ok: true, next: 'referred' });
    expect(decideDispute(facts({ status: 'referred' }), 'divert', centre, { path: 'people_mediation' })).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  it('tracks judicial confirmation once, and follow-ups after the agreement', () => {
    const agreed = facts({ status: 'agreed', hasMediator: true, outcome: 'agreement' });
    expect(decideDispute(agreed, 'apply-confirmation', mediator).ok).toBe(true);
    expect(decideDispute(agreed, 'record-confirmation', mediator)).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(decideDispute({ ...agreed, confirmation: 'applied' }, 'apply-confirmation', mediator)).toMatchObject({ ok: false });
    expect(decideDispute({ ...agreed, confirmation: 'applied' }, 'record-confirmation', mediator).ok).toBe(true);
    expect(decideDispute(agreed, 'schedule-follow-up', mediator).ok).toBe(true);
    expect(decideDispute(agreed, 'close', centre)).toEqual({ ok: true, next: 'closed' });
    expect(decideDispute(agreed, 'close', mediator)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('lists what each actor may do now', () => {
    expect(allowedDisputeActions(facts(), centre)).toEqual(['divert', 'joint-meeting', 'close']);
    expect(allowedDisputeActions(facts({ status: 'mediating', hasMediator: true }), mediator)).toEqual(['divert', 'record-session', 'conclude']);
    expect(allowedDisputeActions(facts({ status: 'closed' }), centre)).toEqual(['record-follow-up']);
    expect(allowedDisputeActions(facts(), leader)).toEqual([]);
  });
});
