import { describe, expect, it } from 'vitest';
import { clearancesFor, compareLabels, decideLabelChange, dominates, intakeLabel, isSecurityLabel, LABEL_NAMES, labelsWithin, rankOf, SECURITY_LABELS } from './labels.js';

describe('the label scale', () => {
  it('orders public < internal < confidential < secret, ranked 0 to 3, named 公开 内部 敏感 机密', () => {
    expect(SECURITY_LABELS.map(rankOf)).toEqual([0, 1, 2, 3]);
    expect(SECURITY_LABELS.map((l) => LABEL_NAMES[l].zh)).toEqual(['公开', '内部', '敏感', '机密']);
    expect(compareLabels('public', 'internal')).toBeLessThan(0);
    expect(compareLabels('secret', 'confidential')).toBeGreaterThan(0);
    expect(compareLabels('internal', 'internal')).toBe(0);
    expect(() => rankOf('top' as never)).toThrow(/unknown/);
  });

  it('lets a clearance read what it dominates and nothing above', () => {
    expect(dominates('confidential', 'internal')).toBe(true);
    expect(dominates('confidential', 'confidential')).toBe(true);
    expect(dominates('internal', 'confidential')).toBe(false);
    expect(dominates('public', 'internal')).toBe(false);
    for (const a of SECURITY_LABELS) for (const b of SECURITY_LABELS) expect(dominates(a, b), `${a} ${b}`).toBe(rankOf(a) >= rankOf(b));
    expect(labelsWithin('internal')).toEqual(['public', 'internal']);
    expect(clearancesFor('confidential')).toEqual(['confidential', 'secret']);
  });

  it('recognises labels', () => {
    expect(isSecurityLabel('secret')).toBe(true);
    expect(isSecurityLabel('Secret')).toBe(false);
    expect(isSecurityLabel(2)).toBe(false);
  });

  it('starts petitions and police referrals at 敏感, everything else at 内部', () => {
    expect(intakeLabel('petition')).toBe('confidential');
    expect(intakeLabel('police')).toBe('confidential');
    for (const c of ['hotline', 'grid', 'inspection', 'portal', 'api', 'open311']) expect(intakeLabel(c), c).toBe('internal');
  });
});

describe('changing a case label', () => {
  const dispatcher = { roles: ['dispatcher'], clearance: 'confidential' as const, atCentre: true };

  it('lets a dispatcher or supervisor at the centre raise it up to their clearance', () => {
    expect(decideLabelChange('internal', 'confidential', dispatcher)).toEqual({ ok: true, direction: 'raise' });
    expect(decideLabelChange('internal', 'confidential', { ...dispatcher, roles: ['supervisor'] })).toEqual({ ok: true, direction: 'raise' });
    expect(decideLabelChange('internal', 'secret', dispatcher)).toEqual({ ok: false, refusal: 'above_clearance' });
  });

  it('refuses others, and dispatchers away from the centre', () => {
    expect(decideLabelChange('internal', 'confidential', { ...dispatcher, atCentre: false })).toEqual({ ok: false, refusal: 'not_at_centre' });
    expect(decideLabelChange('internal', 'confidential', { ...dispatcher, roles: ['leader'] })).toEqual({ ok: false, refusal: 'not_at_centre' });
    expect(decideLabelChange('internal', 'confidential', { ...dispatcher, roles: ['handler'] })).toEqual({ ok: false, refusal: 'not_at_centre' });
  });

  it('leaves lowering to the security admin, who may set any label', () => {
    expect(decideLabelChange('confidential', 'internal', dispatcher)).toEqual({ ok: false, refusal: 'lower_needs_security_admin' });
    const security = { roles: ['security_admin'], clearance: 'internal' as const, atCentre: true };
    expect(decideLabelChange('confidential', 'public', security)).toEqual({ ok: true, direction: 'lower' });
    expect(decideLabelChange('internal', 'secret', security)).toEqual({ ok: true, direction: 'raise' });
  });

  it('refuses a change to the same label', () => {
    expect(decideLabelChange('internal', 'internal', dispatcher)).toEqual({ ok: false, refusal: 'unchanged' });
  });
});
