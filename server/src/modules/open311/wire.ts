import type { FastifyReply } from 'fastify';
import { toXml } from './xml.js';
import { isValidDay, localIso, startOfLocalDay } from '../calendar/index.js';

export type Format = 'json' | 'xml';

export const CONTENT_TYPES: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** The format a URL asks for by its extension; XML is the spec's required format, so anything else falls back to it. */
export function formatOf(url: string): Format {
  return url.split('?')[0]!.toLowerCase().endsWith('.json') ? 'json' : 'xml';
}

/**
 * Sends one GeoReport body: JSON as is, XML under `root`, with list items named by the spec's group tags.
 * Both shapes come from the same value, so the two formats cannot drift apart.
 */
export function respond(reply: FastifyReply, format: Format, root: string, body: unknown, status = 200) {
  return reply.status(status).type(CONTENT_TYPES[format]).send(format === 'json' ? JSON.stringify(body) : toXml(root, body));
}

/** The spec's error list: `[{ code, description }]` in JSON, `<errors><error>…` in XML. */
export function sendErrors(reply: FastifyReply, format: Format, status: number, description: string) {
  return respond(reply, format, 'errors', [{ code: status, description }], status);
}

/** W3C date-time in local time with its offset: 2026-11-21T09:30:00+08:00. */
export const w3c = (date: Date | null): string | null => date && localIso(date);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads a W3C date or date-time. A date-time must carry its zone (Z or ±hh:mm); a bare date means local midnight. A '+' that a client forgot to percent-encode arrives as a space and is read back as '+'.
 */
export function parseW3c(input: string): Date | null {
  const text = input.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const d = DATE_ONLY.exec(text);
  const m = DATE_TIME.exec(text);
  if (!d && !m) return null;
  if (!isValidDay((d ?? m)!.slice(1, 4).join('-'))) return null;
  if (d) return startOfLocalDay(text);
  const [hh, mm, ss] = [Number(m![4]), Number(m![5]), Number(m![6] ?? 0)];
  if (hh > 23 || mm > 59 || ss > 59) return null;
  const zone = m![8]!.toUpperCase() === 'Z' ? 'Z' : m![8]!.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const iso = `${m![1]}-${m![2]}-${m![3]}T${m![4]}:${m![5]}:${m![6] ?? '00'}${m![7] ?? ''}${zone}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The spec's default window: 90 days, counted from whichever end the client gave, or ending now. */
export function dateWindow(start: Date | null, end: Date | null, now: Date, days = 90): { from: Date; to: Date } {
  const span = days * 86_400_000;
  if (start && end) return { from: start, to: end };
  if (start) return { from: start, to: new Date(start.getTime() + span) };
  const to = end ?? now;
  return { from: new Date(to.getTime() - span), to };
}

/** `a, b,,c` → ['a', 'b', 'c']: the spec's comma-delimited lists. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
