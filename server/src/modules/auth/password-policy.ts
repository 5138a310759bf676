import { dictionary } from '@zxcvbn-ts/language-common';

export type PasswordProfile = 'level3' | 'asvs5';

export interface PolicyProblem {
  code: 'too_short' | 'too_simple' | 'contains_username' | 'common' | 'reused';
  zh: string;
  en: string;
}

/**
 * The two password profiles. level3 (等级保护 2.0 三级, the default): at least 8 characters of at least three
 * classes, changed periodically. asvs5 (OWASP ASVS 5): at least 12 characters, no composition rules, no forced
 * rotation. Both refuse the username and passwords common in breach corpora.
 */
export const PROFILES: Record<PasswordProfile, { minLength: number; minClasses: number; maxAgeDays: number | null }> = {
  level3: { minLength: 8, minClasses: 3, maxAgeDays: 90 },
  asvs5: { minLength: 12, minClasses: 0, maxAgeDays: null },
};

// the zxcvbn list of ~49,000 passwords most common in published breaches, plus patterns common in China
const COMMON = new Set<string>([
  ...(dictionary['passwords-common'] as string[]),
  'woaini1314', 'woaini520', 'qq123456', 'abc123456', 'a123456789', 'aa123456', '1qaz2wsx', '1q2w3e4r', 'zxcvbnm123', 'Aa123456', 'Aa123456!', 'P@ssw0rd', 'Passw0rd!', 'Admin@123', 'admin123', 'Zhili123', 'Zhili@123', 'demo12345',
].map((p) => p.toLowerCase()));

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

export function checkPassword(password: string, props: { username: string; profile: PasswordProfile }): PolicyProblem | null {
  const rules = PROFILES[props.profile];
  if ([...password].length < rules.minLength) {
    return { code: 'too_short', zh: `密码至少 ${rules.minLength} 个字符`, en: `The password needs at least ${rules.minLength} characters` };
  }
  if (characterClasses(password) < rules.minClasses) {
    return { code: 'too_simple', zh: '密码须包含大写字母、小写字母、数字、符号中的至少三类', en: 'The password needs at least three of: upper-case, lower-case, digits, symbols' };
  }
  const lower = password.toLowerCase();
  if (props.username.length >= 3 && lower.includes(props.username.toLowerCase())) {
    return { code: 'contains_username', zh: '密码不能包含用户名', en: 'The password must not contain the username' };
  }
  const stripped = lower.replace(/[^a-z0-9]+$/, '').replace(/^[^a-z0-9]+/, '');
  if (COMMON.has(lower) || COMMON.has(stripped)) {
    return { code: 'common', zh: '该密码过于常见或已在泄露数据中出现，请换一个', en: 'This password is too common or appears in breached data; choose another' };
  }
  return null;
}

/** Whether a password set at `changedAt` must now be changed under the profile. */
export function passwordExpired(changedAt: Date, profile: PasswordProfile, now = new Date()): boolean {
  const maxAge = PROFILES[profile].maxAgeDays;
  return maxAge !== null && now.getTime() - changedAt.getTime() > maxAge * 86_400_000;
}
