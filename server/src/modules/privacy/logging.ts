import { maskNumbersIn } from './mask.js';

/** Keys whose values never reach a log line, at the top level or one or two levels down. */
const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'phone', 'reporter', 'reporterPhone', 'reporterName', 'recipient', 'idNumber', 'supporters'];

/**
 * pino redaction for the server's logger (http/app.ts): personal and secret fields are censored wherever a log
 * object carries them, and phone or ID numbers inside the request URL (GET /api/cases?reporterPhone=…) are masked.
 */
export const LOG_REDACTION = {
  paths: [
    'req.url',
    'req.headers.cookie',
    'req.headers["x-csrf-token"]',
    'res.headers["set-cookie"]',
    ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ],
  censor: (value: unknown, path: string[]): unknown => {
    if (path[0] === 'req' && path[1] === 'url' && typeof value === 'string') return maskNumbersIn(value);
    return '[REDACTED]';
  },
};
