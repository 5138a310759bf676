import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTION } from './logging.js';

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
