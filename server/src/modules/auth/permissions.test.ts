import { describe, expect, it } from 'vitest';
import { abilities, type Action, may, POLICIES, ROLE_LABELS, ROLES, type Role } from './permissions.js';

const ACTIONS = Object.keys(POLICIES) as Action[];
const DUTIES: Role[] = ['system_admin', 'security_admin', 'auditor'];
const shared = (a: Role, b: Role) => abilities([a]).filter((x) => abilities([b]).includes(x));

describe('POLICIES', () => {
  it('name only known roles', () => {
    for (const a of ACTIONS) for (const r of POLICIES[a]) expect(ROLES as readonly string[], `${a}: ${r}`).toContain(r);
  });

  it('give every action at least one role', () => {
    for (const a of ACTIONS) expect(POLICIES[a].length, a).toBeGreaterThan(0);
  });

  it('have a label for every role', () => {
    for (const r of ROLES) {
      expect(ROLE_LABELS[r].zh, r).toBeTruthy();
      expect(ROLE_LABELS[r].en, r).toBeTruthy();
    }
  });
});

describe('separated duties (三员分立)', () => {
  it('let the auditor only read the audit log', () => {
    expect(abilities(['auditor'])).toEqual(['audit:read']);
  });

  it('let nobody but the auditor read the audit log', () => {
    expect(POLICIES['audit:read']).toEqual(['auditor']);
    for (const r of ROLES) if (r !== 'auditor') expect(may([r], 'audit:read'), r).toBe(false);
  });

  it('share nothing between the auditor and either administrator', () => {
    expect(shared('auditor', 'system_admin')).toEqual([]);
    expect(shared('auditor', 'security_admin')).toEqual([]);
  });

  // the security admin reads the accounts whose roles it manages; no write is shared
  it('share no write action between any two of the three duties', () => {
    for (const a of DUTIES) for (const b of DUTIES) if (a !== b) expect(shared(a, b).filter((x) => !x.endsWith(':read')), `${a} & ${b}`).toEqual([]);
  });

  it('keep the system admin out of the audit log and the auditor out of configuration', () => {
    expect(may(['system_admin'], 'audit:read')).toBe(false);
    expect(may(['auditor'], 'jurisdiction:manage')).toBe(false);
    expect(may(['auditor'], 'user:write')).toBe(false);
    expect(may(['security_admin'], 'user:write')).toBe(false);
  });
});

describe('may and abilities', () => {
  it('agree for every single role and every action', () => {
    for (const r of ROLES) {
      const list = abilities([r]);
      for (const a of ACTIONS) expect(list.includes(a), `${r} ${a}`).toBe(may([r], a));
    }
  });

  it('agree for combined roles, which get the union of their abilities', () => {
    const combos: string[][] = [['dispatcher', 'supervisor'], ['grid_worker', 'mediator'], ['leader', 'handler', 'hotline_operator']];
    for (const roles of combos) {
      const list = abilities(roles);
      for (const a of ACTIONS) {
        expect(list.includes(a), `${roles} ${a}`).toBe(may(roles, a));
        expect(may(roles, a)).toBe(roles.some((r) => may([r], a)));
      }
    }
    expect(abilities(['dispatcher', 'supervisor'])).toContain('grid:write'); // from the supervisor
  });

  it('deny everything to no role or an unknown role', () => {
    expect(abilities([])).toEqual([]);
    expect(abilities(['superuser'])).toEqual([]);
    for (const a of ACTIONS) expect(may([], a)).toBe(false);
  });

  it('list abilities in the order of POLICIES', () => {
    const all = abilities([...ROLES]);
    expect(all).toEqual(ACTIONS);
  });

  it('let business roles read records but not manage configuration', () => {
    expect(may(['dispatcher'], 'matter:read')).toBe(true);
    expect(may(['dispatcher'], 'matter:write')).toBe(false);
    expect(may(['grid_worker'], 'grid:write')).toBe(false);
    expect(may(['supervisor'], 'grid:write')).toBe(true);
    expect(may(['system_admin'], 'user:write')).toBe(true);
  });
});
