import { badRequest } from '../../http/errors.js';

const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/** An input an action cannot go without: absent, null, blank text or an empty list is a 400 naming the field. */
export function required<T>(value: T | undefined | null, field: string, zh: string, en: string): T {
  if (blank(value)) throw badRequest(field, zh, en, 'required');
  return value as T;
}

function limited(text: string, field: string, max: number): string {
  if ([...text].length > max) throw badRequest(field, `字段 ${field} 最多 ${max} 个字符`, `Field ${field} must have at most ${max} characters`, 'invalid');
  return text;
}

/** A reason, result or other text an action needs: trimmed, not blank, at most `max` characters. */
export function text(value: string | undefined | null, field: string, zh: string, en: string, max = 1000): string {
  return limited(required(value?.trim(), field, zh, en), field, max);
}

/** An optional note: trimmed, at most `max` characters; blank is no note. */
export function optionalText(value: string | undefined | null, field: string, max = 2000): string | null {
  const trimmed = value?.trim();
  return trimmed ? limited(trimmed, field, max) : null;
}
