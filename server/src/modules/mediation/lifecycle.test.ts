import { describe, expect, it } from 'vitest';
import { type DisputeActor, type DisputeFacts, disputeLifecycle } from './lifecycle.js';

const decideDispute = disputeLifecycle.decide;
const allowedDisputeActions = disputeLifecycle.allowed;

const facts = (over: Partial<DisputeFacts> = {}): DisputeFacts => ({ status: 'registered', hasMediator: false, confirmation: 'none', outcome: null, ...over });
const centre: DisputeActor = { roles: ['dispatcher'], atCentre: true, assignedMediator: false };
const mediator: DisputeActor = { roles: ['mediator'], atCentre: false, assignedMediator: true };
const otherMediator: DisputeActor = { roles: ['mediator'], atCentre: false, assignedMediator: false };
const leader: DisputeActor = { roles: ['leader'], atCentre: true, assignedMediator: false };

describe('dispute lifecycle', () => {
  it('diverts to a mediation path, or refers out of mediation', () => {
    expect(decideDispute(facts(), 'divert', centre, { path: 'people_mediation' })).toEqual({ effects: { to: 'diverted' } });
    expect(decideDispute(facts(), 'divert', centre, { path: 'litigation' })).toEqual({ effects: { to: 'referred' } });
    expect(decideDispute(facts(), 'divert', centre, {})).toMatchObject({ refusal: { code: 'required', field: 'path' } });
    expect(decideDispute(facts(), 'divert', leader, { path: 'litigation' })).toMatchObject({ refusal: { code: 'forbidden' } });
  });

  it('assigns, records sessions and concludes through the outcomes', () => {
    expect(decideDispute(facts({ status: 'diverted' }), 'assign', centre, {})).toEqual({ effects: { to: 'mediating' } });
    expect(decideDispute(facts({ status: 'diverted' }), 'assign', mediator, {})).toMatchObject({ refusal: { code: 'forbidden' } });
    const m = facts({ status: 'mediating', hasMediator: true });
    expect(decideDispute(m, 'record-session', mediator, {})).toEqual({ effects: { to: 'mediating' } });
    expect(decideDispute(m, 'record-session', otherMediator, {})).toMatchObject({ refusal: { code: 'forbidden' } });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'agreement' })).toEqual({ effects: { to: 'agreed' } });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'partial' })).toEqual({ effects: { to: 'agreed' } });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'failed' })).toEqual({ effects: { to: 'failed' } });
    expect(decideDispute(m, 'conclude', mediator, { outcome: 'withdrawn' })).toEqual({ effects: { to: 'withdrawn' } });
    expect(decideDispute(facts({ status: 'mediating' }), 'conclude', centre, { outcome: 'agreement' })).toMatchObject({ refusal: { code: 'invalid_state' } });
  });

  it('diverts a failed mediation onward to litigation', () => {
    expect(decideDispute(facts({ status: 'failed', hasMediator: true }), 'divert', mediator, { path: 'litigation' })).toEqual({ effects: { to: 'referred' } });
    expect(decideDispute(facts({ status: 'referred' }), 'divert', centre, { path: 'people_mediation' })).toMatchObject({ refusal: { code: 'invalid_state' } });
  });

  it('tracks judicial confirmation once, and follow-ups after the agreement', () => {
    const agreed = facts({ status: 'agreed', hasMediator: true, outcome: 'agreement' });
    expect(decideDispute(agreed, 'apply-confirmation', mediator, {})).toHaveProperty('effects');
    expect(decideDispute(agreed, 'record-confirmation', mediator, {})).toMatchObject({ refusal: { code: 'invalid_state' } });
    expect(decideDispute({ ...agreed, confirmation: 'applied' }, 'apply-confirmation', mediator, {})).toHaveProperty('refusal');
    expect(decideDispute({ ...agreed, confirmation: 'applied' }, 'record-confirmation', mediator, {})).toHaveProperty('effects');
    expect(decideDispute(agreed, 'schedule-follow-up', mediator, {})).toHaveProperty('effects');
    expect(decideDispute(agreed, 'close', centre, {})).toEqual({ effects: { to: 'closed' } });
    expect(decideDispute(agreed, 'close', mediator, {})).toMatchObject({ refusal: { code: 'forbidden' } });
  });

  it('lists what each actor may do now', () => {
    expect(allowedDisputeActions(facts(), centre)).toEqual(['divert', 'joint-meeting', 'close']);
    expect(allowedDisputeActions(facts({ status: 'mediating', hasMediator: true }), mediator)).toEqual(['divert', 'record-session', 'conclude']);
    expect(allowedDisputeActions(facts({ status: 'closed' }), centre)).toEqual(['record-follow-up']);
    expect(allowedDisputeActions(facts(), leader)).toEqual([]);
  });
});
