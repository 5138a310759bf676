/** 138****5678: the first three and last four digits stay. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const p = phone.replace(/\s+/g, '');
  return p.length <= 7 ? `${p.slice(0, 1)}${'*'.repeat(Math.max(0, p.length - 1))}` : `${p.slice(0, 3)}${'*'.repeat(p.length - 7)}${p.slice(-4)}`;
}

/** 张*, 欧阳** : the family name (first character) stays. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
