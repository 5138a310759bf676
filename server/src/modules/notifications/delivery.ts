import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Channel, claimDue, markAttemptFailed, markSent, type OutboxDelivery, releaseClaims } from './repository.js';

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

/** Minimal logger; Fastify's (pino) logger fits. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DeliveryAdapter {
  readonly channel: Channel;
  /** rejects when the message was not accepted; should give up when `signal` aborts */
  send(message: OutboxDelivery, options?: { signal?: AbortSignal }): Promise<void>;
}

/** Wait before the next try after `failedAttempts` failures: 30 s, 60 s, 120 s, … capped at 1 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_DELAY_MS);
}

/** When to try again after `failedAttempts` failures, or null to give up. */
export function nextAttemptAt(failedAttempts: number, at: Date): Date | null {
  return failedAttempts >= MAX_ATTEMPTS ? null : new Date(at.getTime() + retryDelayMs(failedAttempts));
}

/** 13812345678 → 138****5678 (a +86 prefix is kept); other numbers keep only their last four digits. */
export function maskPhone(phone: string): string {
  const compact = phone.replace(/[\s-]/g, '');
  const mobile = /^(\+?86)?(1\d{2})\d{4}(\d{4})$/.exec(compact);
  if (mobile) return `${mobile[1] ?? ''}${mobile[2]}****${mobile[3]}`;
  return compact.length > 6 ? `****${compact.slice(-4)}` : '****';
}

/** Masks mainland mobile numbers inside free text (an SMS may quote a citizen's number). */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<![\d+])(?:\+?86)?1[3-9]\d{9}(?!\d)/g, maskPhone);
}

/** The default SMS channel: writes the message to the log instead of sending it, never with a full number. */
export function loggingSmsAdapter(logger: Logger): DeliveryAdapter {
  return {
    channel: 'sms',
    async send(message) {
      const text = typeof message.payload.text === 'string' ? message.payload.text : JSON.stringify(message.payload);
      logger.info({ outboxId: message.id, to: maskPhone(message.recipient), text: maskPhonesIn(text) }, 'SMS (logged, not sent)');
    },
  };
}

/** POSTs `{ id, recipient, payload }` as JSON; anything but 2xx is a failure. Receivers dedupe by Idempotency-Key. */
export function webhookAdapter(options: { url: string; timeoutMs?: number; fetch?: typeof fetch }): DeliveryAdapter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  return {
    channel: 'webhook',
    async send(message, sendOptions) {
      const signals = [AbortSignal.timeout(timeoutMs), ...(sendOptions?.signal ? [sendOptions.signal] : [])];
      let res: Response;
      try {
        res = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `zhili-outbox-${message.id}` },
          body: JSON.stringify({ id: message.id, recipient: message.recipient, payload: message.payload }),
          redirect: 'manual',
          signal: AbortSignal.any(signals),
        });
      } catch (err) {
        const cause = (err as { cause?: { message?: string } }).cause?.message;
        throw new Error(`webhook request failed: ${errorText(err)}${cause ? ` (${cause})` : ''}`);
      }
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
    },
  };
}

/** The adapters a deployment gets: logged SMS, and the webhook when a URL is configured. */
export function defaultAdapters(o: { logger: Logger; webhookUrl?: string | undefined; webhookTimeoutMs?: number | undefined }): DeliveryAdapter[] {
  return [loggingSmsAdapter(o.logger), ...(o.webhookUrl ? [webhookAdapter({ url: o.webhookUrl, timeoutMs: o.webhookTimeoutMs ?? 10_000 })] : [])];
}

export interface DeliveryCounts {
  claimed: number;
  sent: number;
  /** failed attempts that will be retried */
  retried: number;
  /** messages given up on after MAX_ATTEMPTS */
  failed: number;
  /** claimed but given back unattempted (the lease was running out) */
  released: number;
  /** attempted, but the lease had been taken over, so the outcome was not recorded */
  lost: number;
}

export interface DeliverOptions {
  batchSize?: number;
  now?: Date;
  /** how long claimed messages stay invisible to other claimers */
  leaseMs?: number;
  /** one send may take at most this long */
  sendTimeoutMs?: number;
}

/**
 * Delivers due outbox messages, at most `batchSize` per call.
 *
 * Design: a short transaction claims due rows with SELECT … FOR UPDATE SKIP LOCKED and moves their
 * next_attempt_at forward by `leaseMs` (a lease), then commits; sends happen outside any transaction, so
 * neither PostgreSQL row locks nor PGlite's single connection are held while a webhook is slow. A second
 * process either skips the locked rows or, after the commit, no longer sees them as due, so two processes
 * never send the same message concurrently. A send starts only if it (bounded by `sendTimeoutMs`) ends
 * before the lease does, with a tenth of the lease to spare for clock differences between servers;
 * otherwise the rest of the batch is given back. Outcomes are written only while the row still carries
 * our lease value (a fencing token). Delivery is at-least-once: a crash between a send and its record
 * resends after the lease, which is why webhooks carry an Idempotency-Key.
 */
export async function deliverDue(db: Kysely<Database>, adapters: readonly DeliveryAdapter[], options: DeliverOptions = {}): Promise<DeliveryCounts> {
  const { batchSize = 50, leaseMs = 5 * 60_000, sendTimeoutMs = 30_000 } = options;
  if (sendTimeoutMs >= leaseMs * 0.9) throw new Error('sendTimeoutMs must be well shorter than leaseMs');
  const counts: DeliveryCounts = { claimed: 0, sent: 0, retried: 0, failed: 0, released: 0, lost: 0 };
  const byChannel = new Map(adapters.map((a) => [a.channel, a]));
  const started = performance.now();
  const now = options.now ?? new Date();
  const elapsed = () => performance.now() - started;
  const clock = () => new Date(now.getTime() + elapsed());
  const leaseUntil = new Date(now.getTime() + leaseMs);

  const claimed = await claimDue(db, { now, leaseUntil, channels: [...byChannel.keys()], limit: batchSize });
  counts.claimed = claimed.length;
  let next = 0; // claimed[next..] were not attempted and may be given back
  const giveBack = async () => {
    const rest = claimed.slice(next);
    counts.released = rest.length;
    await releaseClaims(db, rest.map((m) => m.id), leaseUntil, now);
  };
  try {
    while (next < claimed.length) {
      // a send that could outlast the lease might overlap another process's claim; a tenth is kept for clock skew
      if (elapsed() + sendTimeoutMs >= leaseMs * 0.9) break;
      const message = claimed[next++]!;
      const error = await attempt(byChannel.get(message.channel)!, message, sendTimeoutMs);
      if (error === null) {
        if (await markSent(db, message.id, leaseUntil, clock())) counts.sent++;
        else counts.lost++;
        continue;
      }
      const attempts = message.attempts + 1;
      const retryAt = nextAttemptAt(attempts, clock());
      if (!(await markAttemptFailed(db, message.id, leaseUntil, { attempts, error, retryAt }))) counts.lost++;
      else if (retryAt) counts.retried++;
      else counts.failed++;
    }
  } catch (err) {
    await giveBack().catch(() => undefined);
    throw err;
  }
  await giveBack();
  return counts;
}

/** Runs one send with a deadline; null on success, otherwise the reason. */
async function attempt(adapter: DeliveryAdapter, message: OutboxDelivery, timeoutMs: number): Promise<string | null> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`send timed out after ${timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    await Promise.race([adapter.send(message, { signal: controller.signal }), deadline]);
    return null;
  } catch (err) {
    return errorText(err) || 'send failed';
  } finally {
    clearTimeout(timer);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
