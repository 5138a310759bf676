/** Byte order mark: Excel opens a UTF-8 CSV as UTF-8 (not GBK) only with it. */
export const BOM = '\uFEFF';

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would take for a formula (= + - @, tab, CR) is
 * prefixed with an apostrophe: an audit export must not run what an attacker typed as a user name (OWASP CSV
 * injection).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The first line of every export: who took it and when, so a copy found elsewhere names its source. */
export function watermark(username: string, at: Date): string {
  return `# exported by ${username.replace(/[\r\n]/g, ' ')} at ${at.toISOString()}\r\n`;
}
