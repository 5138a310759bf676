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

/** 110105********1234: the region code (first six) and the last four stay; the birth date goes. */
export function maskIdNumber(id: string | null): string | null {
  if (!id) return id;
  const v = id.trim();
  if (v.length <= 10) return '*'.repeat(v.length);
  return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
}

const STREET_LEVEL = /街道|镇|乡|路|街/;

/**
 * Cut below street level: everything up to and including the first 街道/镇/乡/路/街 stays, the rest becomes ***
 * (青河区东关街道幸福路12号3栋502 → 青河区东关街道***). Without such a token only the first six characters stay.
 */
export function maskAddress(address: string | null): string | null {
  if (!address) return address;
  const v = address.trim();
  const m = STREET_LEVEL.exec(v);
  const end = m ? m.index + m[0].length : Math.min(6, [...v].length);
  const kept = m ? v.slice(0, end) : [...v].slice(0, end).join('');
  return kept.length >= v.length ? kept : `${kept}***`;
}

/** Masks phone and ID numbers inside free text (log lines, URLs): 13812345678 → 138****5678. */
export function maskNumbersIn(text: string): string {
  return text
    .replace(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, (m) => maskIdNumber(m)!)
    .replace(/(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/g, (m) => `${m.slice(0, m.length - 8)}****${m.slice(-4)}`)
    .replace(/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, (m) => `${m.slice(0, m.length - 4).replace(/\d(?=\d{0,3}$)/g, '*')}${m.slice(-4)}`);
}
