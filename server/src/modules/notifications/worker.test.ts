import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import type { DeliveryCounts, deliverDue } from './delivery.js';
import { startOutboxWorker } from './worker.js';

const counts = (claimed: number): DeliveryCounts => ({ claimed, sent: claimed, retried: 0, failed: 0, released: 0, lost: 0 });
const db = {} as Kysely<Database>;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string | undefined }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('outbox worker', () => {
  it('never overlaps runs, even when a run outlasts the interval', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const deliver = (async () => {
      active++;
      runs++;
      maxActive = Math.max(maxActive, active);
      await sleep(30);
      active--;
      return counts(0);
    }) as typeof deliverDue;
    const worker = startOutboxWorker({ db, adapters: [], intervalMs: 1, logger: recordingLogger().logger, deliver });
    await sleep(200);
    await worker.stop();
    expect(runs).toBeGreaterThan(2);
    expect(maxActive).toBe(1);
  });

  it('stop waits for the run in progress and starts no other', async () => {
    let finished = false;
    let runs = 0;
    const deliver = (async () => {
      runs++;
      await sleep(100);
      finished = true;
      return counts(0);
    }) as typeof deliverDue;
    const worker = startOutboxWorker({ db, adapters: [], intervalMs: 1, logger: recordingLogger().logger, deliver });
    await sleep(20);
    await worker.stop();
    expect(finished).toBe(true);
    await sleep(50);
    expect(runs).toBe(1);
  });

  it('logs a failing run instead of throwing, and keeps going', async () => {
    let runs = 0;
    const deliver = (async () => {
      runs++;
      if (runs === 1) throw new Error('database is away');
      return counts(0);
    }) as typeof deliverDue;
    const { lines, logger } = recordingLogger();
    const worker = startOutboxWorker({ db, adapters: [], intervalMs: 5, logger, deliver });
    await sleep(60);
    await worker.stop();
    expect(runs).toBeGreaterThan(1);
    expect(lines.filter((l) => l.level === 'error')).toEqual([{ level: 'error', obj: { err: expect.any(Error) }, msg: 'outbox delivery run failed' }]);
  });

  it('runs again at once after a full batch', async () => {
    const claimed = [3, 3, 1];
    const seen: number[] = [];
    const deliver = (async () => {
      const n = claimed.shift() ?? 0;
      seen.push(n);
      return counts(n);
    }) as typeof deliverDue;
    const worker = startOutboxWorker({ db, adapters: [], intervalMs: 60_000, batchSize: 3, logger: recordingLogger().logger, deliver });
    await sleep(50);
    await worker.stop();
    expect(seen).toEqual([3, 3, 1]);
  });
});
