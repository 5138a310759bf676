import { describe, expect, it } from 'vitest';
import { decideAccountOperation } from './duties.js';

const admin = { id: 1, roles: ['system_admin'] };
const security = { id: 2, roles: ['security_admin'] };
const auditor = { id: 3, roles: ['auditor'] };
const clerk = { id: 4, roles: ['intake_clerk'] };
const otherAdmin = { id: 5, roles: ['system_admin'] };
const roleless = { id: 6, roles: [] };

describe('decideAccountOperation (三员分立)', () => {
  it('lets the system administrator create an account only without roles', () => {
    expect(decideAccountOperation(admin, 'create', null)).toBeNull();
    expect(decideAccountOperation(admin, 'create', null, [])).toBeNull();
    expect(decideAccountOperation(admin, 'create', null, ['dispatcher'])).toMatchObject({ reason: 'roles_by_security_admin', field: 'roles' });
    expect(decideAccountOperation(admin, 'create', null, ['auditor'])?.reason).toBe('roles_by_security_admin');
  });

  it('lets the system administrator manage business, role-less and other system administrators\' accounts', () => {
    for (const target of [clerk, roleless, otherAdmin]) {
      expect(decideAccountOperation(admin, 'change', target), String(target.roles)).toBeNull();
      expect(decideAccountOperation(admin, 'password_reset', target), String(target.roles)).toBeNull();
    }
  });

  it('keeps the system administrator off the security administrator, the auditor and itself', () => {
    for (const op of ['change', 'password_reset'] as const) {
      expect(decideAccountOperation(admin, op, security)?.reason).toBe('guarded_account');
      expect(decideAccountOperation(admin, op, auditor)?.reason).toBe('guarded_account');
      expect(decideAccountOperation(admin, op, admin)?.reason).toBe('own_account');
    }
  });

  it('gives roles and clearances to the security administrator alone, never for itself', () => {
    for (const op of ['roles', 'clearance'] as const) {
      expect(decideAccountOperation(security, op, clerk)).toBeNull();
      expect(decideAccountOperation(security, op, auditor)).toBeNull();
      expect(decideAccountOperation(security, op, security)?.reason).toBe('own_account');
      expect(decideAccountOperation(admin, op, clerk)?.reason).toBe('not_security_admin');
      expect(decideAccountOperation(auditor, op, clerk)?.reason).toBe('not_security_admin');
    }
  });

  it('lets neither the security administrator, the auditor nor a business role manage accounts', () => {
    for (const actor of [security, auditor, clerk]) {
      expect(decideAccountOperation(actor, 'create', null)?.reason).toBe('not_system_admin');
      expect(decideAccountOperation(actor, 'change', roleless)?.reason).toBe('not_system_admin');
      expect(decideAccountOperation(actor, 'password_reset', roleless)?.reason).toBe('not_system_admin');
    }
  });

  it('says why in both languages', () => {
    const r = decideAccountOperation(admin, 'change', auditor)!;
    expect(r.text.zh).toContain('三员分立');
    expect(r.text.en).toContain('Separated duties');
  });
});
