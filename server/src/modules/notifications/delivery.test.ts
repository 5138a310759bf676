import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggingSmsAdapter, MAX_ATTEMPTS, maskPhone, maskPhonesIn, nextAttemptAt, retryDelayMs, webhookAdapter } from './delivery.js';
import type { OutboxDelivery } from './repository.js';

const message = (over: Partial<OutboxDelivery> = {}): OutboxDelivery => ({ id: 7, channel: 'sms', recipient: '13812345678', payload: { text: 'hi' }, attempts: 0, ...over });

describe('retry schedule', () => {
  it('doubles from 30 s and is capped at one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    expect(retryDelayMs(8)).toBe(3_600_000);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });

  it('gives up after the eighth failed attempt', () => {
    const at = new Date('2026-11-23T09:00:00+08:00');
    expect(MAX_ATTEMPTS).toBe(8);
    expect(nextAttemptAt(1, at)?.toISOString()).toBe('2026-11-23T01:00:30.000Z');
    expect(nextAttemptAt(7, at)?.toISOString()).toBe('2026-11-23T01:32:00.000Z');
    expect(nextAttemptAt(8, at)).toBeNull();
  });
});

describe('phone masking', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
  });

  it('shows only the last four digits of anything else', () => {
    expect(maskPhone('0471-6123456')).toBe('****3456');
    expect(maskPhone('12345')).toBe('****');
  });

  it('masks mobile numbers quoted in a text', () => {
    expect(maskPhonesIn('请联系 13912345678 或 +8615012345678，工单 20261123000001')).toBe('请联系 139****5678 或 +86150****5678，工单 20261123000001');
  });
});

describe('logging SMS adapter', () => {
  it('logs the message with the number masked, never in full', async () => {
    const lines: unknown[] = [];
    const log = (obj: object, msg?: string) => lines.push({ ...obj, msg });
    await loggingSmsAdapter({ info: log, warn: log, error: log }).send(message({ payload: { text: '居民 13912345678 反映噪音' } }));
    expect(lines).toEqual([{ outboxId: 7, to: '138****5678', text: '居民 139****5678 反映噪音', msg: 'SMS (logged, not sent)' }]);
    expect(JSON.stringify(lines)).not.toMatch(/1381234|1391234/);
  });
});

describe('webhook adapter', () => {
  let server: http.Server;
  let url: string;
  const received: { headers: http.IncomingHttpHeaders; body: unknown }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data) });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
        res.statusCode = req.url === '/fail' ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('POSTs the message as JSON with an idempotency key', async () => {
    await webhookAdapter({ url: `${url}/ok`, timeoutMs: 1_000 }).send(message({ channel: 'webhook', recipient: 'city-hotline', payload: { caseId: 5 } }));
    const last = received.at(-1)!;
    expect(last.body).toEqual({ id: 7, recipient: 'city-hotline', payload: { caseId: 5 } });
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['idempotency-key']).toBe('zhili-outbox-7');
  });

  it('fails on a non-2xx answer', async () => {
    await expect(webhookAdapter({ url: `${url}/fail`, timeoutMs: 1_000 }).send(message({ channel: 'webhook' }))).rejects.toThrow('HTTP 503');
  });

  it('fails when the receiver does not answer in time', async () => {
    await expect(webhookAdapter({ url: `${url}/slow`, timeoutMs: 100 }).send(message({ channel: 'webhook' }))).rejects.toThrow(/webhook request failed/);
  });

  it('fails when nobody listens', async () => {
    await expect(webhookAdapter({ url: 'http://127.0.0.1:9/', timeoutMs: 1_000 }).send(message({ channel: 'webhook' }))).rejects.toThrow(/webhook request failed/);
  });
});
