import { PERSONAL_DATA } from './catalogue.js';
import { maskNumbersIn } from './mask.js';

/** Keys whose values never reach a log line, at the top level or one or two levels down. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'temporaryPassword',
  'totp',
  'recoveryCodes',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'phone',
  'reporter',
  'reporterPhone',
  'reporterName',
  'recipient',
  'idNumber',
  'supporters',
];

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Query parameters whose values are secrets: keys, tokens and passwords by name, and every column the catalogue
 * keeps as a credential (password_hash, totp_secret, recovery_codes …), however the caller spells it.
 */
const SECRET_PARAMS = new Set(
  ['api_key', 'apikey', 'key', 'token', 'access_token', 'refresh_token', 'password', 'passwd', 'secret', 'client_secret', 'signature', 'sig', 'totp', 'code', 'zhili_session', 'csrf_token', ...PERSONAL_DATA.filter((e) => e.protection === 'credential').map((e) => e.column)].map(normalise),
);
const LOOKS_SECRET = /password|passwd|secret|token|apikey/;

export function isSecretParam(name: string): boolean {
  const n = normalise(name);
  return SECRET_PARAMS.has(n) || LOOKS_SECRET.test(n);
}

/** The request URL as a log may show it: secret query values replaced, phone and ID numbers masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return maskNumbersIn(url);
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const raw = eq < 0 ? pair : pair.slice(0, eq);
      let name = raw;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as sent
      }
      return isSecretParam(name) ? `${raw}=[REDACTED]` : pair;
    })
    .join('&');
  return maskNumbersIn(`${url.slice(0, q)}?${query}`);
}

/**
 * pino redaction for the server's logger (http/app.ts): personal and secret fields are censored wherever a log
 * object carries them; in the request URL secret query values are replaced (`?api_key=[REDACTED]`) and phone or
 * ID numbers masked (GET /api/cases?reporterPhone=138****5678).
 */
export const LOG_REDACTION = {
  paths: [
    'req.url',
    'req.headers.cookie',
    'req.headers.authorization',
    'req.headers["x-csrf-token"]',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ],
  censor: (value: unknown, path: string[]): unknown => {
    if (path[0] === 'req' && path[1] === 'url' && typeof value === 'string') return redactUrl(value);
    return '[REDACTED]';
  },
};
