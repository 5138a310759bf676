import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import { sealAnchor, sealAuditLog } from './modules/audit/index.js';
import { scanDeadlines } from './modules/cases/index.js';
import { scanFollowUps } from './modules/mediation/index.js';
import { refreshCaseMetrics } from './modules/metrics/index.js';
import { currentWorkersOfGrids } from './modules/gridwork/index.js';
import { scanMissedVisits } from './modules/people/index.js';
import { defaultAdapters, startOutboxWorker } from './modules/notifications/index.js';
import { fieldCipherFor, unsealingAdapter } from './modules/privacy/index.js';
import { anonymiseExpired } from './modules/retention/index.js';

export interface Jobs {
  stop(): Promise<void>;
}

/** Runs `fn` every `intervalMs` (the first time after `firstAfterMs`), never overlapping itself; the timer does not keep the process alive. */
function every(intervalMs: number, fn: () => Promise<void>, firstAfterMs = intervalMs): Jobs {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = fn().finally(() => {
        running = undefined;
        schedule(intervalMs);
      });
    }, delay);
    timer.unref();
  };
  schedule(firstAfterMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Background work of this process: the deadline scan and the outbox. Both are driven from database state
 * with row locks, so any number of server processes may run them against one PostgreSQL.
 */
export function startJobs(db: Kysely<Database>, config: Config, logger: FastifyBaseLogger): Jobs {
  const running: Jobs[] = [];
  if (config.jobIntervalMs > 0) {
    running.push(
      every(config.jobIntervalMs, async () => {
        try {
          const r = await scanDeadlines(db, { warningShare: config.warningShare });
          if (r.yellow + r.red > 0) logger.info({ deadlines: r }, 'deadline scan');
        } catch (err) {
          logger.error({ err }, 'deadline scan failed');
        }
        try {
          const missedVisits = await scanMissedVisits(db, currentWorkersOfGrids);
          const missedFollowUps = await scanFollowUps(db);
          if (missedVisits.raised + missedFollowUps > 0) logger.info({ missedVisits: missedVisits.raised, missedFollowUps }, 'visit scans');
        } catch (err) {
          logger.error({ err }, 'visit scans failed');
        }
      }),
    );
  }
  if (config.jobIntervalMs > 0) {
    // the audit sealer chains new entries within seconds; each seal is also logged (and filed): copies outside the database
    const anchor = sealAnchor({ logger, file: config.auditSealFile });
    running.push(
      every(Math.min(config.jobIntervalMs, 5000), async () => {
        try {
          await sealAuditLog(db, { onSeal: anchor });
        } catch (err) {
          logger.error({ err }, 'audit sealing failed');
        }
      }),
    );
  }
  if (config.jobIntervalMs > 0) {
    // the case metrics' rollups: built soon after start, then kept close behind the timeline
    running.push(
      every(
        Math.min(config.jobIntervalMs, 30_000),
        async () => {
          try {
            const r = await refreshCaseMetrics(db);
            if (r.mode === 'full') logger.info({ metricsRollup: r }, 'case metrics rollups built');
          } catch (err) {
            logger.error({ err }, 'case metrics refresh failed');
          }
        },
        Math.min(config.jobIntervalMs, 5000),
      ),
    );
  }
  if (config.jobIntervalMs > 0) {
    // retention, daily and soon after start (a restart must not postpone it); one process at a time holds its lock
    running.push(
      every(
        24 * 3600_000,
        async () => {
          try {
            const r = await anonymiseExpired(db, config);
            if (r) logger.info({ retention: r.counts }, 'retention applied');
          } catch (err) {
            logger.error({ err }, 'retention failed');
          }
        },
        config.jobIntervalMs,
      ),
    );
  }
  if (config.outboxIntervalMs > 0) {
    running.push(
      startOutboxWorker({
        db,
        // SMS recipients are stored encrypted; the adapter opens them only at the moment of sending
        adapters: defaultAdapters({ logger, webhookUrl: config.webhookUrl, webhookTimeoutMs: config.webhookTimeoutMs }).map((a) => unsealingAdapter(a, fieldCipherFor(config))),
        intervalMs: config.outboxIntervalMs,
        logger,
      }),
    );
  }
  return { stop: async () => void (await Promise.all(running.map((j) => j.stop()))) };
}
