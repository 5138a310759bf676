import { describe, expect, it } from 'vitest';
import { characterClasses, checkPassword, passwordExpired } from './password-policy.js';

describe('password profiles', () => {
  const level3 = (p: string, username = 'zhang.wei') => checkPassword(p, { username, profile: 'level3' })?.code ?? null;
  const asvs5 = (p: string, username = 'zhang.wei') => checkPassword(p, { username, profile: 'asvs5' })?.code ?? null;

  it('level 3: eight characters of three classes', () => {
    expect(level3('Ab1!')).toBe('too_short');
    expect(level3('abcdefgh12')).toBe('too_simple');
    expect(level3('Qinghe#88')).toBeNull();
    expect(level3('qinghe#88')).toBeNull();
  });

  it('ASVS 5: twelve characters, no composition rules', () => {
    expect(asvs5('Qinghe#88')).toBe('too_short');
    expect(asvs5('river lamp moon tea')).toBeNull();
  });

  it('both refuse the username and breached or common passwords', () => {
    expect(level3('Zhang.Wei#2026')).toBe('contains_username');
    expect(asvs5('xx-zhang.wei-xxxx')).toBe('contains_username');
    expect(level3('P@ssw0rd')).toBe('common');
    expect(level3('Aa123456!')).toBe('common');
    expect(asvs5('qwertyuiop123')).toBe('common');
    expect(asvs5('1qaz2wsx3edc')).toBe('common');
  });

  it('counts character classes', () => {
    expect(characterClasses('abc')).toBe(1);
    expect(characterClasses('aB3$')).toBe(4);
    expect(characterClasses('密码abc1')).toBe(3);
  });

  it('expires level-3 passwords after 90 days, never ASVS 5 ones', () => {
    const now = new Date('2026-11-21T00:00:00Z');
    expect(passwordExpired(new Date('2026-08-20T00:00:00Z'), 'level3', now)).toBe(true);
    expect(passwordExpired(new Date('2026-09-01T00:00:00Z'), 'level3', now)).toBe(false);
    expect(passwordExpired(new Date('2020-01-01T00:00:00Z'), 'asvs5', now)).toBe(false);
  });
});
