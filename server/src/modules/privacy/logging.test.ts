import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { isSecretParam, LOG_REDACTION, redactUrl } from './logging.js';

describe('log redaction', () => {
  it('masks numbers in the URL and censors personal fields at any of three levels', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const app = Fastify({ logger: { level: 'info', redact: LOG_REDACTION, stream } });
    app.get('/api/cases', async (request) => {
      request.log.info({ body: { reporter: { name: '张三', phone: '13812345678' } }, phone: '13812345678', user: { password: 'secret1234' } }, 'handler');
      return { ok: true };
    });
    await app.inject({ method: 'GET', url: '/api/cases?reporterPhone=13812345678' });
    await app.close();
    const all = lines.join('');
    expect(all).toContain('reporterPhone=138****5678');
    expect(all).not.toContain('13812345678');
    expect(all).not.toContain('张三');
    expect(all).not.toContain('secret1234');
    expect(all).toContain('[REDACTED]');
  });
});

describe('secrets in query strings', () => {
  it('replaces the values of keys, tokens, passwords and the catalogue\'s credentials, however spelled', () => {
    expect(redactUrl('/open311/v2/requests.json?api_key=k-123&service_code=CG-005')).toBe('/open311/v2/requests.json?api_key=[REDACTED]&service_code=CG-005');
    expect(redactUrl('/x?token=abc&Password=hunter2&totp_secret=JBSW&recoveryCodes=a1&apiKey=z&X-Api-Key=y')).toBe(
      '/x?token=[REDACTED]&Password=[REDACTED]&totp_secret=[REDACTED]&recoveryCodes=[REDACTED]&apiKey=[REDACTED]&X-Api-Key=[REDACTED]',
    );
    expect(redactUrl('/x?api%5Fkey=k&access_token=t&client_secret=s')).toBe('/x?api%5Fkey=[REDACTED]&access_token=[REDACTED]&client_secret=[REDACTED]');
    expect(redactUrl('/x?%E0%A4%A=1&q=ok')).toBe('/x?%E0%A4%A=1&q=ok');
    expect(redactUrl('/api/cases?reporterPhone=13812345678&limit=20')).toBe('/api/cases?reporterPhone=138****5678&limit=20');
    expect(redactUrl('/api/cases/12')).toBe('/api/cases/12');
  });

  it('judges names, not values', () => {
    for (const name of ['api_key', 'API-KEY', 'key', 'token', 'password_hash', 'totp_pending_secret', 'recovery_codes', 'mySecretThing', 'code']) expect(isSecretParam(name), name).toBe(true);
    for (const name of ['service_code', 'q', 'status', 'lat', 'jurisdiction_id', 'keyword']) expect(isSecretParam(name), name).toBe(false);
  });
});
