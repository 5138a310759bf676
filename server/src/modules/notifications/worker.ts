import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type DeliveryAdapter, deliverDue, type Logger } from './delivery.js';

export interface OutboxWorker {
  /** stops the timer and waits for a run in progress */
  stop(): Promise<void>;
}

/**
 * Delivers the outbox every `intervalMs`, starting now. Runs never overlap (the next one is scheduled when
 * the last ends); a full batch is followed at once by another. The timer does not keep the process alive.
 */
export function startOutboxWorker(o: {
  db: Kysely<Database>;
  adapters: readonly DeliveryAdapter[];
  intervalMs: number;
  logger: Logger;
  batchSize?: number;
  /** for tests: what one run calls */
  deliver?: typeof deliverDue;
}): OutboxWorker {
  const deliver = o.deliver ?? deliverDue;
  const batchSize = o.batchSize ?? 50;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const run = async () => {
    try {
      while (!stopped) {
        const counts = await deliver(o.db, o.adapters, { batchSize });
        if (counts.sent + counts.retried + counts.failed + counts.lost > 0) o.logger.info({ outbox: counts }, 'outbox delivery');
        if (counts.failed > 0) o.logger.warn({ failed: counts.failed }, 'outbox messages given up after the last attempt');
        if (counts.claimed < batchSize) break;
      }
    } catch (err) {
      o.logger.error({ err }, 'outbox delivery run failed');
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = run().finally(() => {
        running = undefined;
        schedule(o.intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
