import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import { checkRoles } from './users.js';

function errorOf(roles: string[]): AppError {
  try {
    checkRoles(roles);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`checkRoles accepted ${roles.join('+')}`);
}

describe('checkRoles', () => {
  it('allows business roles alone or combined', () => {
    expect(() => checkRoles(['dispatcher', 'supervisor'])).not.toThrow();
    expect(() => checkRoles(['grid_worker'])).not.toThrow();
    expect(() => checkRoles(['intake_clerk', 'hotline_operator', 'mediator'])).not.toThrow();
  });

  it('allows no role at all (an account waiting for the security administrator)', () => {
    expect(() => checkRoles([])).not.toThrow();
  });

  it('allows each separated duty on its own', () => {
    for (const duty of ['system_admin', 'security_admin', 'auditor']) expect(() => checkRoles([duty]), duty).not.toThrow();
  });

  it('refuses combining system_admin with dispatcher', () => {
    const e = errorOf(['system_admin', 'dispatcher']);
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid');
    expect(e.field).toBe('roles');
    expect(e.text.zh).toContain('三员分立');
    expect(e.text.en).toBe('System admin, security admin and auditor are separated duties and cannot hold other roles');
    // whatever the order
    expect(errorOf(['dispatcher', 'system_admin']).field).toBe('roles');
  });

  it('refuses combining two separated duties', () => {
    expect(errorOf(['security_admin', 'auditor']).text.en).toContain('separated duties');
    expect(errorOf(['system_admin', 'security_admin']).text.en).toContain('separated duties');
    expect(errorOf(['auditor', 'leader']).text.en).toContain('separated duties');
  });

  it('refuses an unknown role, naming it', () => {
    const e = errorOf(['dispatcher', 'superuser']);
    expect(e.status).toBe(400);
    expect(e.field).toBe('roles');
    expect(e.text.en).toBe('Unknown role superuser');
    expect(e.text.zh).toBe('未知角色 superuser');
    expect(errorOf(['Dispatcher']).text.en).toBe('Unknown role Dispatcher');
  });
});
